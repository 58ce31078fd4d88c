/*
 * libmicrohttpd does the HTTP; we bind the Unix socket ourselves (strict
 * umask, then chmod) and hand it over, one MHD daemon per listener, each
 * with a thread pool.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "jsontext.h"
#include "log.h"
#include "metrics.h"
#include "reports.h"
#include "routes.h"
#include "web.h"

#define MAX_DAEMONS 8

static struct {
	struct MHD_Daemon *d[MAX_DAEMONS];
	bool is_unix[MAX_DAEMONS];
	char *unix_paths[MAX_DAEMONS];
	char *tls_mem[2 * MAX_DAEMONS];
	size_t n;
	const struct vhd_config *cfg;
} http;

/*
 * Deadlines. MHD's connection timeout is reset by every byte, so a client
 * sending one byte every few seconds would hold a connection for ever:
 * each connection also has a slot here, and a watchdog thread shuts down
 * (shutdown(2); MHD then closes it) a connection whose headers did not
 * arrive within header_timeout_s, or whose body did not within
 * body_timeout_s after them. A request being handled is never cut.
 */
enum slot_stage { SLOT_HEADERS, SLOT_BODY, SLOT_BUSY };
struct slot {
	int fd;
	enum slot_stage stage;
	bool served;  /* a request was answered on it (then idle: keep-alive) */
	struct sockaddr_storage addr; /* a TCP client's (else AF_UNSPEC) */
	struct timespec since;
	struct slot *prev, *next;
	/* a local peer's user, found once per connection (its credentials
	 * are those of its connect()), and its passwd name, looked up again
	 * after NAME_TTL_S: both are used by the connection's thread only */
	bool peer_known, name_known, name_ok;
	uid_t peer_uid;
	time_t name_at;
	char peer_name[128];
};
#define NAME_TTL_S 1
static struct {
	pthread_mutex_t lock;
	struct slot *head;
	pthread_t thread;
	bool running, stop;
	bool draining; /* vhd_http_stop: no connection is kept for another request */
	unsigned long answered, trimmed; /* requests completed; at the last trim */
} watch = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
slot_set(struct slot *sl, enum slot_stage stage)
{
	if (sl == NULL)
		return;
	pthread_mutex_lock(&watch.lock);
	sl->stage = stage;
	/* (back to waiting for headers: a request was answered, the
	 * connection is kept alive for the next) */
	sl->served |= stage == SLOT_HEADERS;
	watch.answered += stage == SLOT_HEADERS;
	clock_gettime(CLOCK_MONOTONIC, &sl->since);
	pthread_mutex_unlock(&watch.lock);
}

static struct slot *
slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
	      enum MHD_ConnectionNotificationCode toe)
{
	struct slot *sl = *socket_context;

	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL || (sl = calloc(1, sizeof(*sl))) == NULL)
			return;
		sl->fd = ci->connect_fd;
		sl->stage = SLOT_HEADERS;
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr && (ci->client_addr->sa_family == AF_INET ||
					      ci->client_addr->sa_family == AF_INET6))
			memcpy(&sl->addr, ci->client_addr,
			       ci->client_addr->sa_family == AF_INET ? sizeof(struct sockaddr_in)
								     : sizeof(struct sockaddr_in6));
		clock_gettime(CLOCK_MONOTONIC, &sl->since);
		pthread_mutex_lock(&watch.lock);
		sl->next = watch.head;
		if (watch.head)
			watch.head->prev = sl;
		watch.head = sl;
		pthread_mutex_unlock(&watch.lock);
		*socket_context = sl;
	} else if (sl) {
		pthread_mutex_lock(&watch.lock);
		if (sl->prev)
			sl->prev->next = sl->next;
		else
			watch.head = sl->next;
		if (sl->next)
			sl->next->prev = sl->prev;
		pthread_mutex_unlock(&watch.lock);
		free(sl);
		*socket_context = NULL;
	}
}

static bool
same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)(const void *)a)->sin_addr,
			      &((const struct sockaddr_in *)(const void *)b)->sin_addr,
			      sizeof(struct in_addr)) == 0;
	return a->ss_family == AF_INET6 &&
	       memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr,
		      sizeof(struct in6_addr)) == 0;
}

/*
 * Whether this response closes its connection instead of keeping it for
 * the client's next request: when vhcvd stops, and when idle keep-alive
 * connections would take the places others need (three quarters of
 * max_connections open, or of per_ip_connections from this address):
 * past the limit MHD closes a new connection at once.
 */
static bool
close_after(struct MHD_Connection *c)
{
	struct slot *me = slot_of(c);
	bool tcp = me && me->addr.ss_family != AF_UNSPEC, drain;
	int total = 0, same = 0;

	pthread_mutex_lock(&watch.lock);
	drain = watch.draining;
	for (struct slot *sl = watch.head; sl; sl = sl->next) {
		total++;
		if (tcp && same_host(&sl->addr, &me->addr))
			same++;
	}
	pthread_mutex_unlock(&watch.lock);
	return drain || 4 * total >= 3 * http.cfg->max_connections ||
	       (tcp && 4 * same >= 3 * http.cfg->per_ip_connections);
}

/* vhd_http_stop: a kept-alive connection waiting for a next request is
 * closed (it would hold the stop until header_timeout_s) */
static void
cut_idle(void)
{
	pthread_mutex_lock(&watch.lock);
	for (struct slot *sl = watch.head; sl; sl = sl->next)
		if (sl->served && sl->stage == SLOT_HEADERS) {
			shutdown(sl->fd, SHUT_RDWR);
			sl->stage = SLOT_BUSY; /* once */
		}
	pthread_mutex_unlock(&watch.lock);
}

static void *
watchdog(void *arg)
{
	unsigned ticks = 0;

	(void)arg;
	for (;;) {
		struct timespec now, nap = { 0, 250 * 1000000L };
		int cut = 0;
		bool trim;

		nanosleep(&nap, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		pthread_mutex_lock(&watch.lock);
		if (watch.stop) {
			pthread_mutex_unlock(&watch.lock);
			return NULL;
		}
		for (struct slot *sl = watch.head; sl; sl = sl->next) {
			long age = (long)(now.tv_sec - sl->since.tv_sec);
			if ((sl->stage == SLOT_HEADERS && age >= http.cfg->header_timeout_s) ||
			    (sl->stage == SLOT_BODY && age >= http.cfg->body_timeout_s)) {
				shutdown(sl->fd, SHUT_RDWR);
				sl->stage = SLOT_BUSY; /* once */
				cut++;
			}
		}
		trim = false;
		if (++ticks % 4 == 0) {
			trim = watch.answered != watch.trimmed;
			watch.trimmed = watch.answered;
		}
		pthread_mutex_unlock(&watch.lock);
		if (cut)
			log_info("deadline: %d connection(s) too slow to send their request closed",
				 cut);
		/*
		 * Memory back to the system, at most once a second and only
		 * after requests: a large answer (the country's statistics, a
		 * page of 500 cases) built by 16 threads leaves free pages in
		 * each thread's malloc arena, which glibc keeps (vhcvd's RSS was
		 * 163 MiB at rest after the benchmark's 64 clients, once).
		 */
		if (trim)
			malloc_trim(0);
	}
}

struct conn_ctx {
	char *body;
	size_t len;
	size_t limit;    /* of the route, or the general one */
	bool too_large;
	bool answered;   /* a response is queued already */
	bool no_body;    /* a method without a body: nothing is kept */
	struct timespec start;
	struct vhd_identity id; /* who asks, found once per request */
	bool identified;
};

void
vhd_reply_json(struct vhd_response *resp, int status, json_t *json)
{
	json_decref(resp->json);
	resp->status = status;
	resp->json = json;
}

void
vhd_reply_json_text(struct vhd_response *resp, int status, struct vh_buf *b)
{
	/* a JSON document ends with a newline, for curl users (send_response) */
	vh_buf_put(b, "\n", 1);
	if (b->nomem || b->p == NULL) {
		vh_buf_free(b);
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return;
	}
	json_decref(resp->json);
	resp->json = NULL;
	free(resp->text);
	resp->text = b->p;
	resp->content_type = "application/json";
	resp->status = status;
	memset(b, 0, sizeof(*b));
}

void
vhd_reply_error(struct vhd_response *resp, int code, const char *field,
		const char *fmt, ...)
{
	const struct vh_errcode *ec = vh_errcode_get(code);
	char msg[1024];
	va_list ap;
	json_t *j;

	if (ec == NULL)
		ec = vh_errcode_get(VHCV_ERROR);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a message quoting input may hold invalid UTF-8, or be cut inside a
	 * character: always valid UTF-8 */
	vh_utf8_fix(msg);
	j = json_pack("{s:s, s:s}", "error", ec->id, "message", msg);
	if (j && field)
		json_object_set_new(j, "field", json_string(field));
	vhd_reply_json(resp, ec->http, j);
}

void
vhd_reply_header(struct vhd_response *resp, const char *name, const char *value)
{
	for (size_t i = 0; i < VH_NELEM(resp->more_name); i++)
		if (resp->more_name[i] == NULL) {
			resp->more_name[i] = name;
			resp->more_value[i] = vh_strdup(value);
			return;
		}
}

void
vhd_reply_free(struct vhd_response *resp)
{
	json_decref(resp->json);
	free(resp->text);
	free(resp->raw);
	free(resp->hdr_value);
	free(resp->attachment);
	for (size_t i = 0; i < VH_NELEM(resp->more_name); i++)
		free(resp->more_value[i]);
	if (resp->stream && resp->stream_free)
		resp->stream_free(resp->stream_cls);
}

const char *
vhd_client_addr(const struct vhd_request *req, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci;

	snprintf(buf, len, "unix");
	if (req->id.via_unix || req->conn == NULL)
		return buf;
	ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return buf;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
			  buf, (socklen_t)len);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr,
			  buf, (socklen_t)len);
	return buf;
}

const char *
vhd_query(const struct vhd_request *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
vhd_header(const struct vhd_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

size_t
vhd_body_limit(bool raw_body)
{
	return raw_body ? http.cfg->max_evidence_bytes : http.cfg->max_body_bytes;
}

/* Who is on the other end of this connection. */
static void
identify(struct MHD_Connection *c, bool is_unix, struct vhd_identity *id)
{
	const union MHD_ConnectionInfo *ci;

	memset(id, 0, sizeof(*id));
	snprintf(id->name, sizeof(id->name), "-");
	if (is_unix) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		struct passwd pw, *pwp = NULL;
		size_t size = 1024;
		char *buf = NULL;
		bool named = false;
		int e = -1;

		struct slot *sl = slot_of(c);
		struct timespec now;

		if (sl && sl->peer_known) {
			cred.uid = sl->peer_uid;
		} else {
			ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
			if (ci == NULL ||
			    getsockopt(ci->connect_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
				return;
			if (sl) {
				sl->peer_known = true;
				sl->peer_uid = cred.uid;
			}
		}
		id->via_unix = true;
		id->uid = cred.uid;
		snprintf(id->name, sizeof(id->name), "uid:%u", (unsigned)cred.uid);
		/*
		 * The passwd lookup opened and read /etc/passwd on every request
		 * (a tenth of vhcvd's CPU for a case shown): a kept-alive
		 * connection keeps its user's name for NAME_TTL_S, so a change
		 * of passwd is seen as soon as before, give or take a second.
		 */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (sl == NULL || !sl->name_known || now.tv_sec - sl->name_at >= NAME_TTL_S) {
			/* a long passwd entry: grow the buffer as the libc asks */
			do {
				char *nb = realloc(buf, size);
				if (nb == NULL)
					break;
				buf = nb;
				e = getpwuid_r(cred.uid, &pw, buf, size, &pwp);
				size *= 2;
			} while (e == ERANGE && size <= (1u << 20));
			/* a name that does not fit is nobody, never a cut name */
			if (sl) {
				sl->name_known = pwp != NULL || e == 0;
				sl->name_ok = pwp && strlen(pw.pw_name) < sizeof(sl->peer_name);
				sl->name_at = now.tv_sec;
				snprintf(sl->peer_name, sizeof(sl->peer_name), "%s",
					 sl->name_ok ? pw.pw_name : "");
			}
			if ((named = pwp && strlen(pw.pw_name) < sizeof(id->name)))
				snprintf(id->name, sizeof(id->name), "%s", pw.pw_name);
			free(buf);
		} else if ((named = sl->name_ok)) {
			snprintf(id->name, sizeof(id->name), "%s", sl->peer_name);
		}
		if (named)
			for (size_t i = 0; i < http.cfg->naccess; i++)
				if (http.cfg->access[i].unix_user &&
				    strcmp(http.cfg->access[i].unix_user, id->name) == 0)
					id->access = &http.cfg->access[i];
	} else {
		const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							       MHD_HTTP_HEADER_AUTHORIZATION);
		char hex[VH_SHA256_HEX];

		/* the scheme is case-insensitive (RFC 9110 §11.1) */
		if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0) {
			vhd_session_identify(c, id); /* a browser's cookie */
			return;
		}
		if (vh_sha256_hex(hex, auth + 7, strlen(auth + 7)) < 0)
			return;
		snprintf(id->name, sizeof(id->name), "token:%.8s", hex);
		for (size_t i = 0; i < http.cfg->naccess; i++)
			if (http.cfg->access[i].token_sha256 &&
			    strcmp(http.cfg->access[i].token_sha256, hex) == 0) {
				id->access = &http.cfg->access[i];
				snprintf(id->name, sizeof(id->name), "%s",
					 http.cfg->access[i].name);
			}
	}
	if (id->access == NULL)
		return;
	snprintf(id->name, sizeof(id->name), "%s", id->access->name);
}

static double
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static enum MHD_Result
send_response(struct MHD_Connection *c, struct vhd_response *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *body = NULL;
	const char *ctype = resp->content_type;
	size_t len;

	if (resp->stream) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, resp->stream,
						      resp->stream_cls, resp->stream_free);
		if (r == NULL)
			return MHD_NO;
		resp->stream = NULL; /* MHD frees stream_cls now */
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					ctype ? ctype : "application/octet-stream");
		goto queue;
	}
	if (resp->raw) {
		r = MHD_create_response_from_buffer(resp->raw_len, resp->raw,
						    MHD_RESPMEM_MUST_FREE);
		if (r == NULL)
			return MHD_NO;
		resp->raw = NULL;
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					ctype ? ctype : "application/octet-stream");
		goto queue;
	}
	if (resp->text) {
		body = resp->text;
		resp->text = NULL;
		if (ctype == NULL)
			ctype = "text/plain; charset=utf-8";
	} else {
		if (resp->json == NULL)
			vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		/* (jansson's text, written faster: jsontext.c) */
		body = resp->json ? vh_json_text(resp->json, JSON_COMPACT) : NULL;
		if (body == NULL)
			body = vh_strdup("{\"error\":\"no_memory\",\"message\":\"out of memory\"}");
		ctype = "application/json";
	}
	len = body ? strlen(body) : 0;
	if (body && len > 0) {
		/* a JSON document ends with a newline, for curl users */
		char *nb = realloc(body, len + 2);
		if (nb && resp->json) {
			nb[len++] = '\n';
			nb[len] = '\0';
		}
		if (nb)
			body = nb;
	}
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
queue:
	if (resp->hdr_name && resp->hdr_value)
		MHD_add_response_header(r, resp->hdr_name, resp->hdr_value);
	if (resp->attachment)
		MHD_add_response_header(r, "Content-Disposition", resp->attachment);
	for (size_t i = 0; i < VH_NELEM(resp->more_name); i++)
		if (resp->more_name[i] && resp->more_value[i])
			MHD_add_response_header(r, resp->more_name[i], resp->more_value[i]);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (close_after(c))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, (unsigned int)resp->status, r);
	MHD_destroy_response(r);
	free(resp->attachment);
	resp->attachment = NULL;
	return ret;
}

struct query_check {
	const char *allowed;
	const char *bad;
	bool bad_utf8;
};

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_check *q = cls;
	const char *a = q->allowed;
	size_t len = strlen(key);

	(void)kind;
	/* a value reaches the database as text: it must be UTF-8 */
	if (value && !vh_utf8_valid(value, strlen(value))) {
		q->bad = key;
		q->bad_utf8 = true;
		return MHD_NO;
	}
	while (len > 0 && (a = strstr(a, key)) != NULL) {
		if ((a == q->allowed || a[-1] == ' ') && (a[len] == ' ' || a[len] == '\0'))
			return MHD_YES;
		a += len;
	}
	q->bad = key;
	return MHD_NO;
}

/* an unknown query parameter is an error naming it, like an unknown field */
static int
check_query(struct MHD_Connection *c, const struct vhd_route *route,
	    struct vhd_response *resp)
{
	struct query_check q = { route->query ? route->query : "", NULL, false };

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_arg, &q);
	if (q.bad == NULL)
		return 0;
	if (q.bad_utf8) {
		vhd_reply_error(resp, VHCV_EINVALID, q.bad, "'%s' is not valid UTF-8", q.bad);
		return -1;
	}
	vhd_reply_error(resp, VHCV_EINVALID, q.bad, "unknown query parameter '%s'", q.bad);
	return -1;
}

/* a path segment reaches the database as text: it must be UTF-8 (400
 * naming it: "case", "name", "code") */
static int
check_params(const struct vhd_route *route, const struct vhd_params *params,
	     struct vhd_response *resp)
{
	const char *pp = route->pattern;

	for (size_t i = 0; i < params->n; i++) {
		const char *open = strchr(pp, '{'), *close = open ? strchr(open, '}') : NULL;
		char name[32];

		if (close == NULL)
			break;
		pp = close + 1;
		if (vh_utf8_valid(params->v[i], strlen(params->v[i])))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 1), open + 1);
		vhd_reply_error(resp, VHCV_EINVALID, name, "the %s in the path is not valid UTF-8",
				name);
		return -1;
	}
	return 0;
}

/*
 * Undo %XX escapes in place, refusing an escaped NUL: it would cut the
 * path short and name another object (…/officials/CC-1%00x is not CC-1).
 * Such a string (path, query key or value) becomes BAD_ESCAPE: the path
 * is answered with 400, a key is unknown, a value fails its text check.
 */
#define BAD_ESCAPE "\001" /* fits in any string that held "%00" */

static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	size_t i = 0, o = 0;

	(void)cls, (void)c;
	while (s[i]) {
		if (s[i] == '%' && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };
			char ch = (char)strtol(hex, NULL, 16);
			if (ch == '\0') {
				memcpy(s, BAD_ESCAPE, sizeof(BAD_ESCAPE));
				return sizeof(BAD_ESCAPE) - 1;
			}
			s[o++] = ch;
			i += 3;
		} else {
			s[o++] = s[i++];
		}
	}
	s[o] = '\0';
	return o;
}

/* MHD's own messages, as log lines (debug: an attacker makes many) */
static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("mhd=%s", LOGQ(msg));
}

/* HEAD is GET without the body (MHD leaves the body out) */
static const char *
route_method(const char *method)
{
	return strcmp(method, MHD_HTTP_METHOD_HEAD) == 0 ? MHD_HTTP_METHOD_GET : method;
}

/* one line per request, every value quoted as logfmt needs */
static void
log_request(const char *method, const char *url, int status, const struct timespec *start,
	    const char *identity)
{
	/* (three quoted values of 600 bytes each, for a line not written) */
	if (!log_wants(VHD_LOG_INFO))
		return;
	log_info("method=%s path=%s status=%d duration_ms=%.1f identity=%s", LOGQ(method),
		 LOGQ(url), status, elapsed_ms(start), LOGQ(identity));
}

static void
handle(struct MHD_Connection *c, bool is_unix, const char *method, const char *url,
       struct conn_ctx *ctx, struct vhd_response *resp, struct vhd_request *req)
{
	const struct vhd_route *route = NULL;
	struct vhd_params params;
	char pathbuf[1024];
	int r;

	req->method = method;
	req->path = url;
	req->body = ctx->body;
	req->body_len = ctx->len;
	req->conn = c;
	if (!ctx->identified) {
		identify(c, is_unix, &ctx->id);
		ctx->identified = true;
	}
	req->id = ctx->id; /* ctx keeps what it owns */
	if (ctx->too_large) {
		vhd_reply_error(resp, VHCV_ETOOLARGE, NULL,
				"request body larger than %zu bytes", ctx->limit);
		return;
	}
	if (strcmp(url, BAD_ESCAPE) == 0) {
		vhd_reply_error(resp, VHCV_EINVALID, NULL, "the path holds an escaped NUL byte (%%00)");
		return;
	}
	if (vhd_ui_serve(req, resp))
		return;
	r = vhd_route_match(route_method(method), url, pathbuf, sizeof(pathbuf), &route, &params);
	if (r == VHCV_ENOTFOUND) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no such path: %s", url);
		return;
	}
	if (r == VHCV_ECONFLICT) {
		vhd_reply_error(resp, VHCV_EINVALID, NULL, "%s is not allowed on %s", method, url);
		resp->status = 405;
		return;
	}
	req->route = route->pattern;
	if (check_params(route, &params, resp) < 0 || check_query(c, route, resp) < 0)
		return;
	if (!route->public && req->id.access == NULL) {
		if (is_unix)
			vhd_reply_error(resp, VHCV_EFORBIDDEN, NULL,
					"local user %s is not in the access list", req->id.name);
		else
			vhd_reply_error(resp, VHCV_EUNAUTHORIZED, NULL,
					"missing or unknown bearer token");
		return;
	}
	if (!route->public && !vhd_session_csrf_ok(req, resp))
		return;
	req->law = vhd_lawset_acquire();
	route->fn(req, &params, resp);
	vhd_lawset_release(req->law);
	req->law = NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	   const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	bool is_unix = *(bool *)cls;
	struct conn_ctx *ctx = *con_cls;
	struct vhd_response resp = { .status = 500 };
	struct vhd_request req;
	enum MHD_Result ret;
	bool unknown = false;

	(void)version;
	if (ctx == NULL) {
		if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &ctx->start);
		*con_cls = ctx;
		/* the route decides the limit; a declared length over it is
		 * refused before reading */
		{
			const struct vhd_route *route = NULL;
			struct vhd_params params;
			char pathbuf[1024];
			const char *cl = MHD_lookup_connection_value(
				c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
			vhd_route_match(route_method(method), url, pathbuf, sizeof(pathbuf), &route,
					&params);
			ctx->limit = vhd_body_limit(route && route->raw_body);
			if (cl && strtoull(cl, NULL, 10) > ctx->limit)
				ctx->too_large = true;
			/* nobody unknown gets a body buffered: answer before reading */
			if (route && !route->public) {
				identify(c, is_unix, &ctx->id);
				ctx->identified = true;
				unknown = ctx->id.access == NULL;
			}
			/* nor does a path no route takes, nor a method without a
			 * body (whatever such a request sends is dropped) */
			if (route == NULL)
				unknown = true;
			ctx->no_body = strcmp(method, MHD_HTTP_METHOD_POST) != 0 &&
				       strcmp(method, MHD_HTTP_METHOD_PUT) != 0;
		}
		/*
		 * A request MHD has read whole is answered at its next call: a
		 * response queued before that closes the connection (MHD reads
		 * no further request), so that every GET made a new connection,
		 * and each connection woke every thread of the pool (their
		 * epoll sets share the listening socket): 16 wake-ups per
		 * request with 16 threads (docs/performance.md, "Session 4").
		 */
		if (!ctx->too_large && !unknown) {
			slot_set(slot_of(c), SLOT_BODY);
			return MHD_YES;
		}
		slot_set(slot_of(c), SLOT_BUSY);
		ctx->answered = true;
		memset(&req, 0, sizeof(req));
		handle(c, is_unix, method, url, ctx, &resp, &req);
		ret = send_response(c, &resp);
		log_request(method, url, resp.status, &ctx->start, req.id.name);
		vhd_metrics_request(req.route ? req.route : "other", method, resp.status,
				    elapsed_ms(&ctx->start));
		vhd_reply_free(&resp);
		return ret;
	}
	if (ctx->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		/* keep reading past the limit, so the client gets a 413
		 * instead of a reset connection, but store nothing more */
		if (ctx->too_large || ctx->no_body) {
			*upload_size = 0;
			return MHD_YES;
		}
		if (ctx->len + *upload_size <= ctx->limit) {
			char *nb = realloc(ctx->body, ctx->len + *upload_size + 1);
			if (nb == NULL)
				return MHD_NO;
			ctx->body = nb;
			memcpy(ctx->body + ctx->len, upload, *upload_size);
			ctx->len += *upload_size;
			ctx->body[ctx->len] = '\0';
		} else {
			ctx->too_large = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&req, 0, sizeof(req));
	slot_set(slot_of(c), SLOT_BUSY);
	handle(c, is_unix, method, url, ctx, &resp, &req);
	ret = send_response(c, &resp);
	vhd_metrics_request(req.route ? req.route : "other", method, resp.status,
			    elapsed_ms(&ctx->start));
	log_request(method, url, resp.status, &ctx->start, req.id.name);
	vhd_reply_free(&resp);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *ctx = *con_cls;

	(void)cls, (void)toe;
	/* the next request on this connection has its headers' deadline */
	slot_set(slot_of(c), SLOT_HEADERS);
	if (ctx) {
		vhd_identity_clear(&ctx->id);
		free(ctx->body);
		free(ctx);
	}
	*con_cls = NULL;
}

static int
bind_unix(const char *path, unsigned int mode)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("listen: socket path too long: %s", path);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		log_warn("socket");
		return -1;
	}
	/* a stale socket from a crash: remove it only if nobody answers */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("listen: %s is in use by another vhcvd", path);
		close(fd);
		return -1;
	}
	unlink(path);
	old = umask(0177); /* nobody else may touch it before chmod */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		umask(old);
		log_warn("bind %s", path);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, mode) < 0 || listen(fd, 128) < 0) {
		log_warn("listen %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

static int
parse_inet(const char *host, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	return -1;
}

static char *
read_pem(const char *path)
{
	char *buf = NULL;
	size_t len;
	int r = vh_file_read(path, 1 << 20, &buf, &len);

	if (r < 0) {
		log_warnx("tls: %s: %s", path, strerror(-r));
		return NULL;
	}
	return buf;
}

int
vhd_http_start(const struct vhd_config *cfg)
{
	static bool yes = true, no = false;

	http.cfg = cfg;
	watch.stop = false;
	watch.draining = false;
	if (pthread_create(&watch.thread, NULL, watchdog, NULL) != 0) {
		log_warnx("cannot start the deadline watchdog");
		return -1;
	}
	watch.running = true;
	vhd_web_init(cfg);
	for (size_t i = 0; i < cfg->nlisten && http.n < MAX_DAEMONS; i++) {
		const struct vhd_listen *l = &cfg->listen[i];
		unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
				     MHD_USE_ERROR_LOG | MHD_USE_ITC;
		struct MHD_OptionItem opts[16];
		size_t no_ = 0;
		struct MHD_Daemon *d;
		int fd = -1;

		opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE,
						       (intptr_t)cfg->threads, NULL };
		opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
						       (intptr_t)cfg->max_connections, NULL };
		opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT,
						       (intptr_t)cfg->idle_timeout_s, NULL };
		opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED,
						       (intptr_t)on_completed, NULL };
		opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_UNESCAPE_CALLBACK,
						       (intptr_t)unescape, NULL };
		opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION,
						       (intptr_t)on_connection, NULL };
		opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_EXTERNAL_LOGGER,
						       (intptr_t)mhd_log, NULL };
		/* one address cannot take every connection (TCP; the socket's
		 * peers are local users) */
		if (l->kind == VHD_LISTEN_TCP)
			opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
							       (intptr_t)cfg->per_ip_connections,
							       NULL };
		if (l->kind == VHD_LISTEN_UNIX) {
			if ((fd = bind_unix(l->path, l->mode)) < 0)
				return -1;
			opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_SOCKET, fd, NULL };
			http.unix_paths[http.n] = vh_strdup(l->path);
		} else {
			if (strchr(l->host, ':'))
				flags |= MHD_USE_IPv6;
			if (l->tls_cert) {
				char *crt = read_pem(l->tls_cert), *key = read_pem(l->tls_key);
				if (crt == NULL || key == NULL) {
					free(crt);
					free(key);
					return -1;
				}
				http.tls_mem[2 * http.n] = crt;
				http.tls_mem[2 * http.n + 1] = key;
				flags |= MHD_USE_TLS;
				opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, crt };
				opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key };
			}
		}
		if (l->kind == VHD_LISTEN_TCP) {
			static struct sockaddr_storage ss[MAX_DAEMONS];
			if (parse_inet(l->host, l->port, &ss[http.n]) < 0) {
				log_warnx("listen: cannot parse address %s", l->host);
				return -1;
			}
			opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &ss[http.n] };
			opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
			d = MHD_start_daemon(flags, (uint16_t)l->port, NULL, NULL, on_request,
					     &no, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
		} else {
			opts[no_++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
			d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &yes,
					     MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
		}
		if (d == NULL) {
			log_warnx("listen: cannot start HTTP on %s",
				  l->kind == VHD_LISTEN_UNIX ? l->path : l->host);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		http.is_unix[http.n] = l->kind == VHD_LISTEN_UNIX;
		http.d[http.n++] = d;
		if (l->kind == VHD_LISTEN_UNIX)
			log_info("listening on unix:%s", l->path);
		else
			log_info("listening on %s://%s:%d", l->tls_cert ? "https" : "http",
				 l->host, l->port);
	}
	return 0;
}

void
vhd_http_stop(void)
{
	MHD_socket ls[MAX_DAEMONS];

	/* no new client can connect to the socket path from now on */
	for (size_t i = 0; i < http.n; i++)
		if (http.unix_paths[i])
			unlink(http.unix_paths[i]);
	for (size_t i = 0; i < http.n; i++)
		ls[i] = MHD_quiesce_daemon(http.d[i]);
	pthread_mutex_lock(&watch.lock);
	watch.draining = true;
	pthread_mutex_unlock(&watch.lock);
	/*
	 * Clients whose connect() already succeeded wait in the listen queue:
	 * answer them too, instead of resetting them when the socket closes.
	 */
	for (size_t i = 0; i < http.n; i++) {
		if (ls[i] == MHD_INVALID_SOCKET)
			continue;
		fcntl(ls[i], F_SETFL, fcntl(ls[i], F_GETFL) | O_NONBLOCK);
		for (;;) {
			struct sockaddr_storage addr;
			socklen_t len = sizeof(addr);
			int fd = accept4(ls[i], (struct sockaddr *)&addr, &len, SOCK_CLOEXEC);

			if (fd < 0) {
				if (errno == EINTR || errno == ECONNABORTED)
					continue;
				break; /* EAGAIN: the queue is empty */
			}
			if (MHD_add_connection(http.d[i], fd, (struct sockaddr *)&addr, len) != MHD_YES)
				close(fd);
		}
	}
	for (size_t i = 0; i < http.n; i++) {
		/* requests in flight finish; give them up to 30 s */
		for (int t = 0; t < 3000; t++) {
			const union MHD_DaemonInfo *di = MHD_get_daemon_info(
				http.d[i], MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
			if (di == NULL || di->num_connections == 0)
				break;
			cut_idle();
			usleep(10000);
		}
		/* MHD may use the listen socket until it stops: close it after */
		MHD_stop_daemon(http.d[i]);
		if (ls[i] != MHD_INVALID_SOCKET)
			close(ls[i]);
		free(http.unix_paths[i]);
		free(http.tls_mem[2 * i]);
		free(http.tls_mem[2 * i + 1]);
	}
	http.n = 0;
	if (watch.running) {
		pthread_mutex_lock(&watch.lock);
		watch.stop = true;
		pthread_mutex_unlock(&watch.lock);
		pthread_join(watch.thread, NULL);
		watch.running = false;
	}
}

unsigned
vhd_http_max_waiters(void)
{
	return http.cfg ? (unsigned)(http.cfg->threads / 2) : 0;
}

const struct vhd_config *
vhd_http_config(void)
{
	return http.cfg;
}

const char *
vhd_register_zone(void)
{
	return http.cfg && http.cfg->timezone ? http.cfg->timezone : "UTC";
}
