/*
 * Bulk sync for HR (PUT /v1/officials): a JSON array or NDJSON stream of
 * officials, upserted in batches of ?batch= rows (default 1000), one
 * transaction per batch. Each row gets a result: created, updated,
 * unchanged, or the error and its field; a bad row rejects its whole
 * batch (every other row of it says "rejected" and names the bad row).
 * Each change makes a new version of the official's record, as a single
 * PUT does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "dbq.h"
#include "json_in.h"
#include "reports.h"
#include "routes.h"

static const char *const categories[] = { "can_bo", "cong_chuc", "vien_chuc",
					  "nguoi_lao_dong", NULL };
static const char *const statuses[] = { "active", "retired", "left", NULL };

/* the rows of the body: a JSON array, or one JSON object per line */
static json_t *
parse_rows(struct vhd_request *req, struct vhd_in *in)
{
	const char *b = req->body, *end = b + req->body_len;
	json_error_t err;
	json_t *rows;

	while (b < end && strchr(" \t\r\n", *b))
		b++;
	if (b < end && *b == '[') {
		rows = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
		if (rows == NULL)
			vhd_in_fail(in, NULL, "malformed JSON at line %d, column %d: %s", err.line,
				    err.column, err.text);
		return rows;
	}
	rows = json_array();
	for (int line = 1; b < end; line++) {
		const char *nl = memchr(b, '\n', (size_t)(end - b));
		size_t len = nl ? (size_t)(nl - b) : (size_t)(end - b);
		json_t *o;

		while (len > 0 && strchr(" \t\r", b[len - 1]))
			len--;
		if (len > 0) {
			if ((o = json_loadb(b, len, JSON_REJECT_DUPLICATES, &err)) == NULL) {
				vhd_in_fail(in, NULL, "line %d: malformed JSON at column %d: %s", line,
					    err.column, err.text);
				json_decref(rows);
				return NULL;
			}
			json_array_append_new(rows, o);
		}
		b = nl ? nl + 1 : end;
	}
	return rows;
}

/* check one row; on error fills field and msg and returns -1 */
static int
check_row(struct vhd_request *req, json_t *row, json_t *clean, const char *today,
	  char field[64], char msg[256])
{
	static const char *const known[] = { "code", "full_name", "category", "unit", "leader",
					     "position", "status", "valid_from", NULL };
	struct vhd_response r = { .status = 500 };
	struct vhd_in in = { .obj = row, .req = req, .resp = &r };
	const char *code = NULL, *name = NULL, *cat = NULL, *unit = NULL, *pos = NULL;
	const char *status = "active", *key;
	bool leader = false;
	vh_date vf;
	char vbuf[VH_DATE_STRLEN];
	json_t *v;
	int rc = 0;

	if (!json_is_object(row)) {
		snprintf(field, 64, "%s", "");
		snprintf(msg, 256, "a row must be a JSON object");
		return -1;
	}
	json_object_foreach(row, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(*k, key) == 0;
		if (!ok) {
			vhd_in_fail(&in, key, "unknown field '%s'", key);
			break;
		}
	}
	vhd_in_code(&in, "code", true, &code);
	vhd_in_str(&in, "full_name", true, 300, &name);
	vhd_in_enum(&in, "category", true, categories, &cat);
	vhd_in_code(&in, "unit", true, &unit);
	vhd_in_bool(&in, "leader", false, &leader);
	vhd_in_str(&in, "position", false, 300, &pos);
	vhd_in_enum(&in, "status", false, statuses, &status);
	if (vhd_in_date(&in, "valid_from", false, &vf) == 1 &&
	    vhd_in_within_a_year(&in, "valid_from", vf) == 0)
		vhd_datestr(vbuf, vf);
	else
		snprintf(vbuf, sizeof(vbuf), "%s", today);
	if (in.failed) {
		const char *f = json_string_value(json_object_get(r.json, "field"));
		snprintf(field, 64, "%s", f ? f : "");
		snprintf(msg, 256, "%s", json_string_value(json_object_get(r.json, "message")));
		rc = -1;
	} else {
		json_object_set_new(clean, "code", json_string(code));
		json_object_set_new(clean, "full_name", json_string(name));
		json_object_set_new(clean, "category", json_string(cat));
		json_object_set_new(clean, "unit", json_string(unit));
		json_object_set_new(clean, "leader", json_boolean(leader));
		json_object_set_new(clean, "position", pos ? json_string(pos) : json_null());
		json_object_set_new(clean, "status", json_string(status));
		json_object_set_new(clean, "valid_from", json_string(vbuf));
	}
	in.obj = NULL; /* the row is the caller's */
	vhd_in_close(&in);
	json_decref(r.json);
	return rc;
}

#define SQL_ROWS                                                                       \
	" jsonb_to_recordset($1::jsonb) x(i int, code text, full_name text, category text," \
	" unit text, leader boolean, position text, status text, valid_from date)"

/*
 * what the database says against each row: its field and message if it is
 * bad, and what writing it would do (created, updated or unchanged), so
 * that a batch with nothing to change is not written
 */
static const char *const check_sql =
	VHD_SQL_UNITS_DOWN("$2")
	"SELECT x.i, CASE WHEN u.id IS NULL THEN 'unit'"
	"  WHEN u.merged_into IS NOT NULL AND o.unit_id IS DISTINCT FROM u.id THEN 'unit'"
	"  WHEN NOT ($3::boolean OR u.id IN (SELECT id FROM scope)) THEN 'unit'"
	"  WHEN o.id IS NOT NULL AND NOT ($3::boolean OR o.unit_id IN (SELECT id FROM scope))"
	"   THEN 'code'"
	"  WHEN o.id IS NOT NULL AND NOT same AND x.valid_from < lv.last THEN 'valid_from' END,"
	" CASE WHEN u.id IS NULL THEN 'no unit ' || x.unit"
	"  WHEN u.merged_into IS NOT NULL AND o.unit_id IS DISTINCT FROM u.id"
	"   THEN 'unit ' || x.unit || ' was merged'"
	"  WHEN NOT ($3::boolean OR u.id IN (SELECT id FROM scope))"
	"   THEN 'unit ' || x.unit || ' is outside your units'"
	"  WHEN o.id IS NOT NULL AND NOT ($3::boolean OR o.unit_id IN (SELECT id FROM scope))"
	"   THEN 'official ' || x.code || ' is in a unit outside your units'"
	"  ELSE 'official ' || x.code || ' has a version from ' || lv.last"
	"   || '; a change cannot start before it' END,"
	" CASE WHEN o.id IS NULL THEN 'created' WHEN same THEN 'unchanged' ELSE 'updated' END"
	" FROM" SQL_ROWS
	" LEFT JOIN units u ON u.code = x.unit LEFT JOIN officials o ON o.code = x.code"
	" LEFT JOIN LATERAL (SELECT max(v.valid_from) AS last FROM official_versions v"
	"  WHERE v.official_id = o.id) lv ON true,"
	" LATERAL (SELECT o.id IS NOT NULL AND o.full_name = x.full_name"
	"  AND o.category = x.category AND o.leader = x.leader AND o.unit_id = u.id"
	"  AND o.position IS NOT DISTINCT FROM x.position AND o.status = x.status AS same) sm"
	" ORDER BY x.i";

static const char *const write_sql =
	"WITH r AS (SELECT x.*, u.id AS uid, o.id AS oid, o.id IS NOT NULL"
	"  AND o.full_name = x.full_name AND o.category = x.category AND o.leader = x.leader"
	"  AND o.unit_id = u.id AND o.position IS NOT DISTINCT FROM x.position"
	"  AND o.status = x.status AS same"
	"  FROM" SQL_ROWS " JOIN units u ON u.code = x.unit LEFT JOIN officials o ON o.code = x.code),"
	" ins AS (INSERT INTO officials (code, full_name, category, leader, unit_id, position, status)"
	"  SELECT code, full_name, category, leader, uid, position, status FROM r"
	"  WHERE oid IS NULL ORDER BY i RETURNING id, code),"
	" upd AS (UPDATE officials o SET full_name = r.full_name, category = r.category,"
	"  leader = r.leader, unit_id = r.uid, position = r.position, status = r.status,"
	"  updated_at = now() FROM r WHERE o.id = r.oid AND NOT r.same RETURNING o.id),"
	" ver AS (INSERT INTO official_versions (official_id, valid_from, full_name, category,"
	"  leader, unit_id, position, status, actor)"
	"  SELECT coalesce(r.oid, ins.id), r.valid_from, r.full_name, r.category, r.leader,"
	"  r.uid, r.position, r.status, $2 FROM r LEFT JOIN ins ON ins.code = r.code"
	"  WHERE r.oid IS NULL OR NOT r.same ORDER BY r.i RETURNING 1)"
	" SELECT r.i, CASE WHEN r.oid IS NULL THEN 'created' WHEN r.same THEN 'unchanged'"
	"  ELSE 'updated' END FROM r ORDER BY r.i";

struct tally {
	long long created, updated, unchanged, rejected, errors;
};

static void
result(json_t *results, size_t row, const char *code, const char *res, const char *field,
       const char *msg)
{
	json_t *o = json_pack("{s:I, s:s?, s:s}", "row", (json_int_t)(row + 1), "code", code,
			      "result", res);

	if (field)
		json_object_set_new(o, "field", json_string(field));
	if (msg)
		json_object_set_new(o, "message", json_string(msg));
	json_array_append_new(results, o);
}

/* rows [lo, hi) as one batch: 0 done (results added), -1 reply set */
static int
sync_batch(PGconn *conn, struct vhd_request *req, struct vhd_response *resp, json_t *rows,
	   size_t lo, size_t hi, const char *scope, const char *today, json_t *results,
	   struct tally *t)
{
	json_t *clean = json_array(), *seen = json_object(), *changes = json_array();
	size_t bad = SIZE_MAX;
	char field[64] = "", msg[256] = "", *body = NULL;
	PGresult *res = NULL;
	int rc = -1;

	for (size_t i = lo; i < hi && bad == SIZE_MAX; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "i", json_integer((json_int_t)i));
		if (check_row(req, json_array_get(rows, i), c, today, field, msg) < 0) {
			bad = i;
		} else if (json_object_get(seen, json_string_value(json_object_get(c, "code")))) {
			bad = i;
			snprintf(field, sizeof(field), "code");
			snprintf(msg, sizeof(msg), "official %s appears twice in the batch",
				 json_string_value(json_object_get(c, "code")));
		} else {
			json_object_set_new(seen, json_string_value(json_object_get(c, "code")),
					    json_true());
		}
		json_array_append_new(clean, c);
	}
	if (bad == SIZE_MAX) {
		body = json_dumps(clean, JSON_COMPACT);
		if (body == NULL || vhd_begin(conn, resp) < 0)
			goto out;
		/* the rows this batch changes stay as read until it commits */
		if (vhd_exec(conn, resp,
			     "SELECT 1 FROM officials WHERE code IN (SELECT x.code FROM"
			     " jsonb_to_recordset($1::jsonb) x(code text)) ORDER BY id FOR UPDATE",
			     1, (const char *[]){ body }) < 0)
			goto out;
		res = vhd_qrows(conn, resp, check_sql, 3,
				(const char *[]){ body, scope, vhd_auth_all_units(req) ? "t" : "f" },
				4);
		if (res == NULL)
			goto out;
		for (int i = 0; i < PQntuples(res) && bad == SIZE_MAX; i++)
			if (vhd_val(res, i, 1)) {
				bad = (size_t)atoll(PQgetvalue(res, i, 0));
				snprintf(field, sizeof(field), "%s", PQgetvalue(res, i, 1));
				snprintf(msg, sizeof(msg), "%s", PQgetvalue(res, i, 2));
			}
	}
	if (bad != SIZE_MAX) {
		vhd_rollback(conn);
		for (size_t i = lo; i < hi; i++) {
			const char *code = json_string_value(
				json_object_get(json_array_get(rows, i), "code"));
			if (i == bad) {
				result(results, i, code, "error", field, msg);
				t->errors++;
			} else {
				char why[64];
				snprintf(why, sizeof(why), "batch rejected: row %zu is bad", bad + 1);
				result(results, i, code, "rejected", NULL, why);
				t->rejected++;
			}
		}
		rc = 0;
		goto out;
	}
	/* only the rows that change are written; the answer is the check's */
	for (int i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 3), "unchanged") != 0)
			json_array_append(changes,
					  json_array_get(clean, (size_t)atoll(PQgetvalue(res, i, 0)) - lo));
	if (json_array_size(changes) > 0) {
		PGresult *w;
		free(body);
		if ((body = json_dumps(changes, JSON_COMPACT)) == NULL)
			goto out;
		w = vhd_qrows(conn, resp, write_sql, 2, (const char *[]){ body, req->id.name }, 2);
		if (w == NULL)
			goto out;
		PQclear(w);
	}
	if (vhd_commit(conn, resp) < 0)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		size_t row = (size_t)atoll(PQgetvalue(res, i, 0));
		const char *what = PQgetvalue(res, i, 3);
		result(results, row,
		       json_string_value(json_object_get(json_array_get(rows, row), "code")), what,
		       NULL, NULL);
		if (what[0] == 'c')
			t->created++;
		else if (what[0] == 'u' && what[1] == 'p')
			t->updated++;
		else
			t->unchanged++;
	}
	rc = 0;
out:
	if (rc < 0)
		vhd_rollback(conn);
	PQclear(res);
	free(body);
	json_decref(clean);
	json_decref(seen);
	json_decref(changes);
	return rc;
}

void
api_officials_sync(struct vhd_request *req, const struct vhd_params *p,
		   struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	struct tally t = { 0 };
	long long batch = 1000;
	char today[VH_DATE_STRLEN], *scope = NULL;
	PGconn *conn = NULL;
	json_t *rows = NULL, *results = NULL;
	size_t n;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_OFFICIAL_WRITE))
		return;
	vhd_query_int(&in, "batch", 1, 10000, &batch);
	if (in.failed)
		return;
	if (!vh_utf8_valid(req->body, req->body_len)) {
		vhd_in_fail(&in, NULL, "the body is not valid UTF-8 (byte %zu)",
			    vh_utf8_prefix(req->body, req->body_len));
		return;
	}
	if ((rows = parse_rows(req, &in)) == NULL)
		return;
	if (!json_is_array(rows)) {
		vhd_in_fail(&in, NULL, "the body must be a JSON array or NDJSON lines");
		goto out;
	}
	vhd_datestr(today, vh_date_today());
	if ((scope = vhd_auth_units_array(req)) == NULL || (conn = vhd_conn(resp)) == NULL)
		goto out;
	results = json_array();
	n = json_array_size(rows);
	for (size_t lo = 0; lo < n; lo += (size_t)batch) {
		size_t hi = lo + (size_t)batch < n ? lo + (size_t)batch : n;
		if (sync_batch(conn, req, resp, rows, lo, hi, scope, today, results, &t) < 0)
			goto out;
	}
	vhd_reply_json(resp, 200,
		       json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "rows", (json_int_t)n,
				 "created", (json_int_t)t.created, "updated", (json_int_t)t.updated,
				 "unchanged", (json_int_t)t.unchanged, "errors",
				 (json_int_t)t.errors, "rejected", (json_int_t)t.rejected,
				 "results", results));
	results = NULL;
out:
	json_decref(rows);
	json_decref(results);
	free(scope);
	vhd_conn_put(conn);
}
