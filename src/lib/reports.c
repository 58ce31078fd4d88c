/*
 * libvhcv 1.1: records, eligibility, statistics, warnings, exports,
 * subject access, bulk sync and the change feed (vhcv/reports.h). The
 * answers are the daemon's JSON documents, as text.
 */
#include <stdio.h>
#include <stdlib.h>

#include "client_int.h"

VHCV_EXTERN void
vhcv_string_free(char *s)
{
	free(s);
}

static void *
text_from(struct vhcv__conv *cv, const json_t *o)
{
	return vhcv__dump(cv, o);
}

/* GET or PUT path into *json as text */
static int
doc(char **json, vhcv_client *c, const char *method, struct vhcv__path *p)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (json == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "json: NULL argument");
	r = vhcv__call(c, method, p, NULL, text_from, free, &obj);
	*json = obj;
	return r;
}

static void
query_int(struct vhcv__path *p, const char *key, long long v, bool set)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", v);
	vhcv__path_query(p, key, set ? buf : NULL);
}

/* /v1/officials/{code}/what */
static int
official_doc(char **json, vhcv_client *c, const char *code, const char *what, const char *on)
{
	struct vhcv__path p = { 0 };
	int r;

	if (json)
		*json = NULL;
	if (c && (r = vhcv__need(c, code, "code")) < 0)
		return r;
	vhcv__path_lit(&p, "/v1/officials");
	vhcv__path_seg(&p, code);
	vhcv__path_lit(&p, what);
	vhcv__path_query(&p, "on", on);
	return doc(json, c, "GET", &p);
}

VHCV_EXTERN int
vhcv_official_record(char **json, vhcv_client *c, const char *code, const char *on)
{
	return official_doc(json, c, code, "/record", on);
}

VHCV_EXTERN int
vhcv_official_export(char **json, vhcv_client *c, const char *code)
{
	return official_doc(json, c, code, "/export", NULL);
}

VHCV_EXTERN int
vhcv_eligibility(char **json, vhcv_client *c, int year, const char *unit, const char *after,
		 int limit)
{
	struct vhcv__path p = { 0 };

	vhcv__path_lit(&p, "/v1/eligibility");
	query_int(&p, "year", year, true);
	vhcv__path_query(&p, "unit", unit);
	vhcv__path_query(&p, "after", after);
	query_int(&p, "limit", limit, limit != 0);
	return doc(json, c, "GET", &p);
}

VHCV_EXTERN int
vhcv_stats(char **json, vhcv_client *c, const char *from, const char *to, const char *unit,
	   const char *by, int public_figures)
{
	struct vhcv__path p = { 0 };

	vhcv__path_lit(&p, "/v1/stats");
	vhcv__path_query(&p, "from", from);
	vhcv__path_query(&p, "to", to);
	vhcv__path_query(&p, "unit", unit);
	vhcv__path_query(&p, "by", by);
	vhcv__path_query(&p, "public", public_figures ? "true" : NULL);
	return doc(json, c, "GET", &p);
}

VHCV_EXTERN int
vhcv_warnings(char **json, vhcv_client *c, const char *unit)
{
	struct vhcv__path p = { 0 };

	vhcv__path_lit(&p, "/v1/warnings");
	vhcv__path_query(&p, "unit", unit);
	return doc(json, c, "GET", &p);
}

VHCV_EXTERN int
vhcv_changes(char **json, vhcv_client *c, const char *after, int wait_s, int limit)
{
	struct vhcv__path p = { 0 };
	long saved;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	vhcv__path_lit(&p, "/v1/changes");
	vhcv__path_query(&p, "after", after);
	query_int(&p, "wait", wait_s, wait_s > 0);
	query_int(&p, "limit", limit, limit != 0);
	/* a long poll may take its whole wait: give the answer time */
	saved = c->timeout_ms;
	if (wait_s > 0 && c->timeout_ms < (long)wait_s * 1000 + 10000)
		c->timeout_ms = (long)wait_s * 1000 + 10000;
	r = doc(json, c, "GET", &p);
	c->timeout_ms = saved;
	return r;
}

/* a bulk sync (PUT path): the answer's JSON text into *json */
static int
sync_rows(char **json, vhcv_client *c, const char *path_lit, const char *body, size_t len,
	  int batch)
{
	struct vhcv__path p = { 0 };
	struct vhcv__resp resp = { 0 };
	json_t *answer = NULL;
	char *path;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (json == NULL || body == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "%s: NULL argument",
				  json ? "body" : "json");
	*json = NULL;
	vhcv__path_lit(&p, path_lit);
	query_int(&p, "batch", batch, batch > 0);
	if ((path = vhcv__path_done(&p)) == NULL)
		return vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	/* not resent: a batch may have committed before the connection broke
	 * (a re-run is harmless, rows come back unchanged) */
	r = vhcv__http(c, "PUT", path, body, len,
		       len > 0 && body[0] == '[' ? "application/json" : "application/x-ndjson",
		       false, &resp);
	free(path);
	if (r < 0)
		return r;
	if (resp.status < 200 || resp.status >= 300) {
		r = vhcv__http_error(c, &resp);
	} else if ((answer = json_loadb(resp.body ? resp.body : "", resp.len, 0, NULL)) == NULL) {
		r = vhcv__fail(c, VHCV_EPROTOCOL, NULL, "vhcvd sent invalid JSON");
	} else if ((*json = json_dumps(answer, JSON_COMPACT)) == NULL) {
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	}
	json_decref(answer);
	vhcv__resp_clear(&resp);
	return r;
}

VHCV_EXTERN int
vhcv_officials_sync(char **json, vhcv_client *c, const char *body, size_t len, int batch)
{
	return sync_rows(json, c, "/v1/officials", body, len, batch);
}

VHCV_EXTERN int
vhcv_units_sync(char **json, vhcv_client *c, const char *body, size_t len, int batch)
{
	return sync_rows(json, c, "/v1/units", body, len, batch);
}

VHCV_EXTERN int
vhcv_export(vhcv_client *c, const char *what, const char *from, const char *to,
	    const char *unit, int year, vhcv_write_fn write, void *arg)
{
	struct vhcv__path p = { 0 };
	struct vhcv__resp resp = { 0 };
	char *path;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (write == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "write: NULL argument");
	if ((r = vhcv__need(c, what, "what")) < 0)
		return r;
	vhcv__path_lit(&p, "/v1/export");
	vhcv__path_seg(&p, what);
	vhcv__path_query(&p, "from", from);
	vhcv__path_query(&p, "to", to);
	vhcv__path_query(&p, "unit", unit);
	query_int(&p, "year", year, year != 0);
	if ((path = vhcv__path_done(&p)) == NULL)
		return vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	resp.stream = write;
	resp.stream_arg = arg;
	r = vhcv__http(c, "GET", path, NULL, 0, NULL, false, &resp);
	free(path);
	if (r == 0 && (resp.status < 200 || resp.status >= 300))
		r = vhcv__http_error(c, &resp);
	vhcv__resp_clear(&resp);
	return r;
}

/* libvhcv 1.3 */
VHCV_EXTERN int
vhcv_official_search(char **json, vhcv_client *c, const char *q, const char *unit,
		     const char *after, int limit)
{
	struct vhcv__path p = { 0 };
	int r;

	if (json)
		*json = NULL;
	if (c && (r = vhcv__need(c, q, "q")) < 0)
		return r;
	vhcv__path_lit(&p, "/v1/officials");
	vhcv__path_query(&p, "q", q);
	vhcv__path_query(&p, "unit", unit);
	vhcv__path_query(&p, "after", after);
	query_int(&p, "limit", limit, limit != 0);
	return doc(json, c, "GET", &p);
}
