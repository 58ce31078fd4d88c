#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "client_int.h"
#include "vhcv_build.h"

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

int
vhcv__fail(vhcv_client *c, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	snprintf(c->errfield, sizeof(c->errfield), "%s", field ? field : "");
	return code;
}

void
vhcv__ok(vhcv_client *c)
{
	c->errmsg[0] = '\0';
	c->errfield[0] = '\0';
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

VHCV_EXTERN int
vhcv_client_open(vhcv_client **out, const char *endpoint,
		 const vhcv_client_options *opts)
{
	static int global_done;
	vhcv_client *c;
	int r = VHCV_ENOMEM;

	*out = NULL;
	if (opts && (opts->version < 1 || opts->version > VHCV_CLIENT_OPTIONS_VERSION))
		return VHCV_EINVALID;
	/* curl_global_init is not thread-safe before 7.84; 7.88 makes it so */
	if (!global_done && curl_global_init(CURL_GLOBAL_DEFAULT) == 0)
		global_done = 1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return VHCV_ENOMEM;
	c->endpoint = endpoint ? vh_strdup(endpoint) : default_endpoint();
	if (c->endpoint == NULL)
		goto fail;
	if (strncmp(c->endpoint, "unix:", 5) == 0 && c->endpoint[5]) {
		c->unix_path = vh_strdup(c->endpoint + 5);
		c->base_url = vh_strdup("http://localhost");
		if (c->unix_path == NULL || c->base_url == NULL)
			goto fail;
	} else if (strncmp(c->endpoint, "https://", 8) == 0 ||
		   strncmp(c->endpoint, "http://", 7) == 0) {
		size_t len = strlen(c->endpoint);
		while (len > 0 && c->endpoint[len - 1] == '/')
			len--;
		if ((c->base_url = vh_strndup(c->endpoint, len)) == NULL)
			goto fail;
	} else {
		r = VHCV_EINVALID;
		goto fail;
	}
	if (opts) {
		c->connect_timeout_ms = opts->connect_timeout_ms;
		c->timeout_ms = opts->timeout_ms;
		if ((opts->token && (c->token = vh_strdup(opts->token)) == NULL) ||
		    (opts->ca_file && (c->ca_file = vh_strdup(opts->ca_file)) == NULL))
			goto fail;
	}
	if (c->token == NULL && getenv("VHCV_TOKEN") && *getenv("VHCV_TOKEN"))
		c->token = vh_strdup(getenv("VHCV_TOKEN"));
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
	free(c->unix_path);
	free(c->base_url);
	free(c->token);
	free(c->ca_file);
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
vhcv_client_endpoint(const vhcv_client *c)
{
	return c ? c->endpoint : "";
}

struct sink {
	char *buf;
	size_t len;
	size_t max;
	bool overflow;
};

static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;
	char *nb;

	if (s->len + n > s->max) {
		s->overflow = true;
		return 0;
	}
	if ((nb = realloc(s->buf, s->len + n + 1)) == NULL)
		return 0;
	s->buf = nb;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

int
vhcv__request(vhcv_client *c, const char *method, const char *path,
	      json_t *body, json_t **out)
{
	struct sink sink = { NULL, 0, 256u << 20, false };
	struct curl_slist *hdrs = NULL;
	char *url = NULL, *payload = NULL, *auth = NULL;
	json_t *answer = NULL;
	json_error_t jerr;
	long status = 0;
	CURLcode cr;
	int r;

	if (out)
		*out = NULL;
	vhcv__ok(c);
	curl_easy_reset(c->curl);
	if ((url = vh_asprintf("%s%s", c->base_url, path)) == NULL) {
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (c->unix_path)
		curl_easy_setopt(c->curl, CURLOPT_UNIX_SOCKET_PATH, c->unix_path);
	if (c->ca_file)
		curl_easy_setopt(c->curl, CURLOPT_CAINFO, c->ca_file);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (c->token) {
		if ((auth = vh_asprintf("Authorization: Bearer %s", c->token)) == NULL) {
			r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
			goto out;
		}
		hdrs = curl_slist_append(hdrs, auth);
	}
	if (body) {
		if ((payload = json_dumps(body, JSON_COMPACT)) == NULL) {
			r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
			goto out;
		}
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, payload);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	cr = curl_easy_perform(c->curl);
	if (cr != CURLE_OK) {
		if (cr == CURLE_OPERATION_TIMEDOUT)
			r = vhcv__fail(c, VHCV_ETIMEOUT, NULL, "%s: %s", c->endpoint,
				       curl_easy_strerror(cr));
		else if (cr == CURLE_COULDNT_CONNECT || cr == CURLE_COULDNT_RESOLVE_HOST ||
			 cr == CURLE_SEND_ERROR || cr == CURLE_RECV_ERROR ||
			 cr == CURLE_GOT_NOTHING)
			r = vhcv__fail(c, VHCV_EUNAVAILABLE, NULL,
				       "cannot reach vhcvd at %s: %s", c->endpoint,
				       curl_easy_strerror(cr));
		else
			r = vhcv__fail(c, VHCV_ERROR, NULL, "%s: %s", c->endpoint,
				       curl_easy_strerror(cr));
		goto out;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (sink.len > 0)
		answer = json_loadb(sink.buf, sink.len, 0, &jerr);
	if (status >= 200 && status < 300) {
		if (answer == NULL && sink.len > 0) {
			r = vhcv__fail(c, VHCV_EPROTOCOL, NULL, "vhcvd sent invalid JSON: %s",
				       jerr.text);
			goto out;
		}
		if (out) {
			*out = answer;
			answer = NULL;
		}
		r = 0;
		goto out;
	}
	{
		const struct vh_errcode *ec = vh_errcode_by_id(
			json_string_value(json_object_get(answer, "error")));
		const char *msg = json_string_value(json_object_get(answer, "message"));
		const char *field = json_string_value(json_object_get(answer, "field"));
		r = vhcv__fail(c, ec && ec->code != VHCV_OK ? ec->code
							    : vh_errcode_from_http((int)status),
			       field, "%s", msg ? msg : "HTTP error");
		if (msg == NULL)
			snprintf(c->errmsg, sizeof(c->errmsg), "vhcvd answered HTTP %ld", status);
	}
out:
	json_decref(answer);
	curl_slist_free_all(hdrs);
	free(sink.buf);
	free(url);
	free(payload);
	free(auth);
	return r;
}

VHCV_EXTERN int
vhcv_health_get(vhcv_health **out, vhcv_client *c)
{
	json_t *j = NULL;
	vhcv_health *h;
	int r;

	*out = NULL;
	r = vhcv__request(c, "GET", "/v1/health", NULL, &j);
	if (r == VHCV_EUNAVAILABLE && c->errmsg[0] == '\0')
		r = vhcv__fail(c, r, NULL, "vhcvd is up but its database is not");
	if (r < 0 && r != VHCV_EUNAVAILABLE)
		return r;
	if (r < 0)
		return r;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		json_decref(j);
		return vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	}
	h->database_ok = json_is_true(json_object_get(j, "database"));
	h->schema_version = (int)json_integer_value(json_object_get(j, "schema_version"));
	h->rules_version = vh_strdup(json_string_value(json_object_get(j, "rules_version")));
	h->daemon_version = vh_strdup(json_string_value(json_object_get(j, "version")));
	json_decref(j);
	*out = h;
	return 0;
}

VHCV_EXTERN void
vhcv_health_free(vhcv_health *h)
{
	if (h == NULL)
		return;
	free(h->rules_version);
	free(h->daemon_version);
	free(h);
}
