/* The client handle, the transport over libcurl, errors, health. */
#include <pthread.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "client_int.h"
#include "vhcv_build.h"

/* answers larger than this are refused (evidence is capped far below) */
#define MAX_ANSWER ((size_t)256 << 20)

VHCV_EXTERN const char *
vhcv_strerror(int code)
{
	const struct vh_errcode *ec = vh_errcode_get(code);

	return ec ? ec->message : "unknown error";
}

VHCV_EXTERN const char *
vhcv_error_id(int code)
{
	const struct vh_errcode *ec = vh_errcode_get(code);

	return ec ? ec->id : "error";
}

/* the JSON error document for the current code, message and field */
static void
set_errjson(vhcv_client *c, int code)
{
	json_t *o = json_object();

	free(c->errjson);
	c->errjson = NULL;
	if (o == NULL)
		return;
	json_object_set_new(o, "error", json_string(vhcv_error_id(code)));
	/* messages quote input, which may be invalid UTF-8: fall back */
	if (json_object_set_new(o, "message", json_string(c->errmsg)) < 0)
		json_object_set_new(o, "message", json_string(vhcv_strerror(code)));
	if (c->errfield[0])
		json_object_set_new(o, "field", json_string(c->errfield));
	c->errjson = json_dumps(o, 0);
	json_decref(o);
}

int
vhcv__fail(vhcv_client *c, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	snprintf(c->errfield, sizeof(c->errfield), "%s", field ? field : "");
	set_errjson(c, code);
	return code;
}

void
vhcv__ok(vhcv_client *c)
{
	c->errmsg[0] = '\0';
	c->errfield[0] = '\0';
	free(c->errjson);
	c->errjson = NULL;
}

int
vhcv__need(vhcv_client *c, const char *s, const char *field)
{
	if (s == NULL || *s == '\0')
		return vhcv__fail(c, VHCV_EINVALID, field, "%s is required", field);
	return 0;
}

/* the local socket: ./var/run/vhcvd.sock when it exists, else installed */
static char *
default_endpoint(void)
{
	const char *env = getenv("VHCV_ENDPOINT");
	struct stat st;

	if (env && *env)
		return vh_strdup(env);
	if (stat("var/run/vhcvd.sock", &st) == 0 && S_ISSOCK(st.st_mode))
		return vh_strdup("unix:var/run/vhcvd.sock");
	return vh_strdup("unix:" VHCV_RUNSTATEDIR "/vhcvd.sock");
}

/*
 * curl_global_init is not thread-safe in every libcurl; run it exactly once,
 * the only global state of the library.
 */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_result;

static void
global_init(void)
{
	global_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool
loopback_url(const char *url)
{
	CURLU *u = curl_url();
	struct in_addr a4;
	char *host = NULL;
	bool ok = false;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		ok = strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
		     (inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* one endpoint of the list: VHCV_EINVALID when it is not one */
static int
parse_endpoint(struct vhcv__ep *ep, const char *text, size_t tlen)
{
	if ((ep->text = vh_strndup(text, tlen)) == NULL)
		return VHCV_ENOMEM;
	if (strncmp(ep->text, "unix:", 5) == 0 && ep->text[5]) {
		ep->unix_path = vh_strdup(ep->text + 5);
		ep->base_url = vh_strdup("http://localhost");
		if (ep->unix_path == NULL || ep->base_url == NULL)
			return VHCV_ENOMEM;
	} else if ((strncmp(ep->text, "https://", 8) == 0 && ep->text[8]) ||
		   (strncmp(ep->text, "http://", 7) == 0 && ep->text[7])) {
		size_t len = strlen(ep->text);
		if (strpbrk(ep->text, " ?#\r\n\t") != NULL)
			return VHCV_EINVALID;
		while (len > 0 && ep->text[len - 1] == '/')
			len--;
		if ((ep->base_url = vh_strndup(ep->text, len)) == NULL)
			return VHCV_ENOMEM;
		/* plain http only on loopback: a bearer token must not cross a
		 * network in clear, and vhcvd refuses it there anyway */
		if (ep->text[4] == ':' && !loopback_url(ep->base_url))
			return VHCV_EINVALID;
	} else {
		return VHCV_EINVALID;
	}
	return 0;
}

/* "e1,e2,...": several vhcvd of one register, tried in turn */
static int
parse_endpoints(vhcv_client *c)
{
	const char *p = c->endpoint;
	size_t n = 1;
	int r;

	for (const char *q = p; *q; q++)
		n += *q == ',';
	if ((c->eps = calloc(n, sizeof(*c->eps))) == NULL)
		return VHCV_ENOMEM;
	for (;;) {
		size_t len = strcspn(p, ",");
		if ((r = parse_endpoint(&c->eps[c->neps++], p, len)) < 0)
			return r;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return 0;
}

VHCV_EXTERN int
vhcv_client_open(vhcv_client **out, const char *endpoint,
		 const vhcv_client_options *opts)
{
	vhcv_client *c;
	const char *env_token;
	int r = VHCV_ENOMEM;

	if (out == NULL)
		return VHCV_EINVALID;
	*out = NULL;
	if (opts && (opts->version < 1 || opts->version > VHCV_CLIENT_OPTIONS_VERSION))
		return VHCV_EINVALID;
	if (pthread_once(&global_once, global_init) != 0 || global_result != CURLE_OK)
		return VHCV_ERROR;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return VHCV_ENOMEM;
	c->endpoint = endpoint ? vh_strdup(endpoint) : default_endpoint();
	if (c->endpoint == NULL)
		goto fail;
	if ((r = parse_endpoints(c)) < 0)
		goto fail;
	r = VHCV_ENOMEM;
	if (opts) {
		c->connect_timeout_ms = opts->connect_timeout_ms;
		c->timeout_ms = opts->timeout_ms;
		if ((opts->token && (c->token = vh_strdup(opts->token)) == NULL) ||
		    (opts->ca_file && (c->ca_file = vh_strdup(opts->ca_file)) == NULL))
			goto fail;
	}
	env_token = getenv("VHCV_TOKEN");
	if (c->token == NULL && env_token && *env_token &&
	    (c->token = vh_strdup(env_token)) == NULL)
		goto fail;
	if (c->token && strpbrk(c->token, "\r\n") != NULL) {
		r = VHCV_EINVALID;
		goto fail;
	}
	if (c->connect_timeout_ms <= 0)
		c->connect_timeout_ms = 5000;
	if (c->timeout_ms <= 0)
		c->timeout_ms = 30000;
	if ((c->curl = curl_easy_init()) == NULL)
		goto fail;
	*out = c;
	return 0;
fail:
	vhcv_client_close(c);
	return r;
}

VHCV_EXTERN void
vhcv_client_close(vhcv_client *c)
{
	if (c == NULL)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->endpoint);
	for (size_t i = 0; i < c->neps; i++) {
		free(c->eps[i].text);
		free(c->eps[i].unix_path);
		free(c->eps[i].base_url);
	}
	free(c->eps);
	free(c->token);
	free(c->ca_file);
	free(c->errjson);
	free(c);
}

VHCV_EXTERN const char *
vhcv_client_errmsg(const vhcv_client *c)
{
	return c ? c->errmsg : "no client";
}

VHCV_EXTERN const char *
vhcv_client_errfield(const vhcv_client *c)
{
	return c ? c->errfield : "";
}

VHCV_EXTERN const char *
vhcv_client_errjson(const vhcv_client *c)
{
	return c && c->errjson ? c->errjson : "";
}

VHCV_EXTERN const char *
vhcv_client_endpoint(const vhcv_client *c)
{
	return c ? c->endpoint : "";
}

void
vhcv__resp_clear(struct vhcv__resp *r)
{
	free(r->body);
	free(r->content_type);
	free(r->sha256);
	memset(r, 0, sizeof(*r));
}

struct sink {
	struct vhcv__resp *resp;
	CURL *curl;
	size_t cap;
	bool overflow;
	bool nomem;
};

static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	struct vhcv__resp *r = s->resp;
	size_t n = size * nmemb;
	long status = 0;

	if (r->stream) {
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && status < 300)
			return r->stream(p, n, r->stream_arg) == n ? n : 0;
	}
	if (n > MAX_ANSWER - r->len) {
		s->overflow = true;
		return 0;
	}
	if (r->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *nb;
		while (cap < r->len + n + 1)
			cap *= 2;
		if ((nb = realloc(r->body, cap)) == NULL) {
			s->nomem = true;
			return 0;
		}
		r->body = nb;
		s->cap = cap;
	}
	memcpy(r->body + r->len, p, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* keep a header's value, trimmed; a new status line starts afresh */
static size_t
on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb, klen;
	char **dst = NULL;
	const char *v;
	size_t vlen;

	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		free(s->resp->content_type);
		free(s->resp->sha256);
		s->resp->content_type = s->resp->sha256 = NULL;
		return n;
	}
	if (n > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
		dst = &s->resp->content_type;
		klen = 13;
	} else if (n > 16 && strncasecmp(p, "X-Content-SHA256:", 17) == 0) {
		dst = &s->resp->sha256;
		klen = 17;
	} else {
		return n;
	}
	v = p + klen;
	vlen = n - klen;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
			    v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	free(*dst);
	if ((*dst = vh_strndup(v, vlen)) == NULL) {
		s->nomem = true;
		return 0;
	}
	return n;
}

static bool
connection_failed(CURLcode cr)
{
	return cr == CURLE_COULDNT_CONNECT || cr == CURLE_SEND_ERROR ||
	       cr == CURLE_RECV_ERROR || cr == CURLE_GOT_NOTHING;
}

/* the request reached no vhcvd: no connection was made */
static bool
never_sent(vhcv_client *c, CURLcode cr)
{
	curl_off_t connected = 0;

	if (cr == CURLE_COULDNT_CONNECT || cr == CURLE_COULDNT_RESOLVE_HOST)
		return true;
	/* a host that drops packets: the connect timed out */
	return cr == CURLE_OPERATION_TIMEDOUT &&
	       curl_easy_getinfo(c->curl, CURLINFO_CONNECT_TIME_T, &connected) == CURLE_OK &&
	       connected == 0;
}

/* one attempt; the caller decides about a second */
static CURLcode
perform(vhcv_client *c, const struct vhcv__ep *ep, const char *method, const char *url,
	const void *body, size_t len, struct curl_slist *hdrs, struct sink *sink)
{
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, sink);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	if (ep->unix_path)
		curl_easy_setopt(c->curl, CURLOPT_UNIX_SOCKET_PATH, ep->unix_path);
	if (c->ca_file)
		curl_easy_setopt(c->curl, CURLOPT_CAINFO, c->ca_file);
	if (body) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	return curl_easy_perform(c->curl);
}

int
vhcv__http(vhcv_client *c, const char *method, const char *path,
	   const void *body, size_t len, const char *ctype, bool idempotent,
	   struct vhcv__resp *resp)
{
	struct sink sink = { resp, c->curl, 0, false, false };
	struct curl_slist *hdrs = NULL, *h;
	char *url = NULL, *auth = NULL, *ct = NULL;
	const char *lines[4];
	const struct vhcv__ep *ep = c->eps;
	size_t (*stream)(const void *, size_t, void *) = resp->stream;
	void *stream_arg = resp->stream_arg;
	CURLcode cr;
	size_t idx = c->cur;
	int r, attempt, max_attempts;

	memset(resp, 0, sizeof(*resp));
	resp->stream = stream;
	resp->stream_arg = stream_arg;
	vhcv__ok(c);
	if ((c->token && (auth = vh_asprintf("Authorization: Bearer %s", c->token)) == NULL) ||
	    (ctype && (ct = vh_asprintf("Content-Type: %s", ctype)) == NULL)) {
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* "Expect:" off: no 100-continue round trip for large evidence */
	lines[0] = "Accept: application/json";
	lines[1] = "Expect:";
	lines[2] = auth;
	lines[3] = ct;
	for (size_t i = 0; i < VH_NELEM(lines); i++) {
		if (lines[i] == NULL)
			continue;
		if ((h = curl_slist_append(hdrs, lines[i])) == NULL) {
			r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
			goto out;
		}
		hdrs = h;
	}
	/*
	 * Each endpoint in turn from the one that answered last. A request
	 * that could not connect reached no vhcvd, so any request goes on to
	 * the next endpoint; one that may have reached it (the connection
	 * broke later) only when it is safe to repeat (GET, or a keyed write),
	 * and that once more after a pause on the first endpoint (a daemon
	 * restarting).
	 */
	max_attempts = c->neps + (idempotent ? 1 : 0);
	for (attempt = 0;; attempt++) {
		idx = (c->cur + (size_t)attempt) % c->neps;
		ep = &c->eps[idx];
		free(url);
		if ((url = vh_asprintf("%s%s", ep->base_url, path)) == NULL) {
			r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
			goto out;
		}
		cr = perform(c, ep, method, url, body, len, hdrs, &sink);
		if (cr == CURLE_OK) {
			c->cur = idx;
			break;
		}
		if (sink.nomem || sink.overflow || attempt + 1 >= max_attempts ||
		    !(never_sent(c, cr) || (idempotent && connection_failed(cr))))
			break;
		if ((size_t)(attempt + 1) % c->neps == 0)
			nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
		vhcv__resp_clear(resp);
		resp->stream = stream;
		resp->stream_arg = stream_arg;
		sink.cap = 0;
	}
	if (sink.nomem) {
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	} else if (sink.overflow) {
		r = vhcv__fail(c, VHCV_ETOOLARGE, NULL, "%s: answer larger than %zu bytes",
			       ep->text, MAX_ANSWER);
	} else if (cr == CURLE_OPERATION_TIMEDOUT) {
		r = vhcv__fail(c, VHCV_ETIMEOUT, NULL, "%s: no answer in time: %s",
			       ep->text, curl_easy_strerror(cr));
	} else if (connection_failed(cr) || never_sent(c, cr) || cr == CURLE_PARTIAL_FILE) {
		r = vhcv__fail(c, VHCV_EUNAVAILABLE, NULL, "cannot reach vhcvd at %s: %s",
			       c->endpoint, curl_easy_strerror(cr));
		/* next time, start with the next one */
		c->cur = (idx + 1) % c->neps;
	} else if (cr != CURLE_OK) {
		r = vhcv__fail(c, VHCV_ERROR, NULL, "%s: %s", ep->text,
			       curl_easy_strerror(cr));
	} else {
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
		r = 0;
	}
out:
	if (r < 0)
		vhcv__resp_clear(resp);
	curl_slist_free_all(hdrs);
	free(url);
	free(auth);
	free(ct);
	return r;
}

int
vhcv__http_error(vhcv_client *c, const struct vhcv__resp *resp)
{
	json_t *answer = NULL;
	const struct vh_errcode *ec;
	const char *msg, *field;
	int code;

	if (resp->len > 0)
		answer = json_loadb(resp->body, resp->len, 0, NULL);
	ec = vh_errcode_by_id(json_string_value(json_object_get(answer, "error")));
	msg = json_string_value(json_object_get(answer, "message"));
	field = json_string_value(json_object_get(answer, "field"));
	code = ec && ec->code != VHCV_OK ? ec->code : vh_errcode_from_http((int)resp->status);
	if (resp->status == 405)
		code = VHCV_EINVALID;
	if (msg)
		vhcv__fail(c, code, field, "%s", msg);
	else if (json_is_object(answer))
		/* not an error document (health's 503 says which part is down):
		 * show the daemon's answer */
		vhcv__fail(c, code, field, "vhcvd answered HTTP %ld: %.*s", resp->status,
			   (int)(resp->len < 400 ? resp->len : 400), resp->body);
	else
		vhcv__fail(c, code, field, "vhcvd answered HTTP %ld", resp->status);
	/* keep the daemon's document: it may carry rule, basis, status */
	if (msg && json_is_string(json_object_get(answer, "error"))) {
		char *text = json_dumps(answer, 0);
		if (text) {
			free(c->errjson);
			c->errjson = text;
		}
	}
	json_decref(answer);
	return code;
}

int
vhcv__exchange(vhcv_client *c, const char *method, const char *path, json_t *body,
	       struct vhcv__resp *resp)
{
	char *payload = NULL;
	bool idem;
	int r;

	if (body && (payload = json_dumps(body, JSON_COMPACT)) == NULL)
		return vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	idem = strcmp(method, "GET") == 0 ||
	       (body && json_object_get(body, "idempotency_key") != NULL);
	r = vhcv__http(c, method, path, payload, payload ? strlen(payload) : 0,
		       payload ? "application/json" : NULL, idem, resp);
	free(payload);
	if (r < 0)
		return r;
	if (resp->status < 200 || resp->status >= 300) {
		r = vhcv__http_error(c, resp);
		vhcv__resp_clear(resp);
		return r;
	}
	return 0;
}

int
vhcv__answer(vhcv_client *c, const struct vhcv__resp *resp, json_t **out)
{
	json_t *answer;
	json_error_t jerr;

	*out = NULL;
	if ((answer = json_loadb(resp->body ? resp->body : "", resp->len, 0, &jerr)) == NULL)
		return vhcv__fail(c, VHCV_EPROTOCOL, NULL, "vhcvd sent invalid JSON: %s", jerr.text);
	if (!json_is_object(answer)) {
		json_decref(answer);
		return vhcv__fail(c, VHCV_EPROTOCOL, NULL, "vhcvd sent JSON that is not an object");
	}
	*out = answer;
	return 0;
}

int
vhcv__request(vhcv_client *c, const char *method, const char *path,
	      json_t *body, json_t **out)
{
	struct vhcv__resp resp = { 0 };
	int r;

	*out = NULL;
	if ((r = vhcv__exchange(c, method, path, body, &resp)) < 0)
		return r;
	r = vhcv__answer(c, &resp, out);
	vhcv__resp_clear(&resp);
	return r;
}

VHCV_EXTERN int
vhcv_health_get(vhcv_health **out, vhcv_client *c)
{
	struct vhcv__conv cv = { 0 };
	json_t *j = NULL;
	vhcv_health *h = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	*out = NULL;
	if ((r = vhcv__request(c, "GET", "/v1/health", NULL, &j)) < 0)
		return r;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		cv.nomem = true;
		goto out;
	}
	h->json = vhcv__dump(&cv, j);
	h->database_ok = vhcv__bool(j, "database");
	h->schema_version = (int)vhcv__int(j, "schema_version");
	h->rules_version = vhcv__str(&cv, j, "rules_version");
	h->daemon_version = vhcv__str(&cv, j, "version");
out:
	json_decref(j);
	if ((r = vhcv__conv_end(c, &cv)) < 0) {
		vhcv_health_free(h);
		return r;
	}
	*out = h;
	return 0;
}

VHCV_EXTERN void
vhcv_health_free(vhcv_health *h)
{
	if (h == NULL)
		return;
	free(h->json);
	free(h->rules_version);
	free(h->daemon_version);
	free(h);
}
