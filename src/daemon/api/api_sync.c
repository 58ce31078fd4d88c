/*
 * Bulk sync for HR: PUT /v1/officials and PUT /v1/units take a JSON array
 * or NDJSON stream of rows, upserted in batches of ?batch= rows (default
 * 1000), one transaction per batch. Each row gets a result: created,
 * updated, unchanged, or the error and its field; a bad row rejects its
 * whole batch (every other row of it says "rejected" and names the bad
 * row). One engine serves both: a kind (struct sync_kind) says which
 * fields a row has and which SQL checks and writes a batch.
 *
 * Units come in the order of their tree: the rows of a request are sorted
 * (stably) so that a parent given in the same request comes before its
 * children, whatever the order of the file; batches are cut from that
 * order, so a parent is written in its children's batch or an earlier one.
 * A cycle within the request, or one through the units already held (a
 * unit moved below itself), is an error naming the row and "parent".
 */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "dbq.h"
#include "json_in.h"
#include "reports.h"
#include "routes.h"
#include "text.h"

static const char *const categories[] = { "can_bo", "cong_chuc", "vien_chuc",
					  "nguoi_lao_dong", NULL };
static const char *const statuses[] = { "active", "retired", "left", NULL };

/* ---- the kinds of row */

enum sync_type { F_CODE, F_TEXT, F_ENUM, F_BOOL, F_DATE };

/* one field of a row; absent and not required, it takes dflt (NULL: JSON
 * null, or today for a date; "true"/"false" for a boolean) */
struct sync_field {
	const char *name;
	enum sync_type type;
	bool required;
	size_t max;
	const char *const *allowed;
	const char *dflt;
};

struct sync_stmt {
	const char *sql;
	int nparams; /* $1 the changed rows (with "res"), $2 the actor */
};

struct sync_kind {
	const char *noun;
	enum vhd_op op;
	const struct sync_field *fields; /* ends with a NULL name */
	const char *parent;              /* the field naming a row's parent, or NULL */
	const char *lock_sql;            /* $1 the rows */
	/* $1 rows, $2 scope codes, $3 all units: i, field, message, result */
	const char *check_sql;
	const struct sync_stmt *write; /* ends with a NULL sql */
	const char *verify_sql;        /* after writing, $1 rows: i, field, message */
};

/* -- officials */

static const struct sync_field official_fields[] = {
	{ "code", F_CODE, true, 64, NULL, NULL },
	{ "full_name", F_TEXT, true, 300, NULL, NULL },
	{ "category", F_ENUM, true, 0, categories, NULL },
	{ "unit", F_CODE, true, 64, NULL, NULL },
	{ "leader", F_BOOL, false, 0, NULL, "false" },
	{ "position", F_TEXT, false, 300, NULL, NULL },
	{ "status", F_ENUM, false, 0, statuses, "active" },
	{ "valid_from", F_DATE, false, 0, NULL, NULL },
	{ NULL, F_CODE, false, 0, NULL, NULL },
};

#define SQL_ROWS                                                                       \
	" jsonb_to_recordset($1::jsonb) x(i int, code text, full_name text, category text," \
	" unit text, leader boolean, position text, status text, valid_from date)"

/*
 * what the database says against each row: its field and message if it is
 * bad, and what writing it would do (created, updated or unchanged), so
 * that a batch with nothing to change is not written
 */
static const char *const official_check_sql =
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

static const struct sync_stmt official_write[] = {
	{ "WITH r AS (SELECT x.*, u.id AS uid, o.id AS oid, o.id IS NOT NULL"
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
	  " SELECT count(*) FROM r", 2 },
	{ NULL, 0 },
};

static const struct sync_kind officials_kind = {
	.noun = "official",
	.op = VHD_OP_OFFICIAL_WRITE,
	.fields = official_fields,
	.lock_sql = "SELECT 1 FROM officials WHERE code IN (SELECT x.code FROM"
		    " jsonb_to_recordset($1::jsonb) x(code text)) ORDER BY id FOR UPDATE",
	.check_sql = official_check_sql,
	.write = official_write,
};

/* -- units */

static const struct sync_field unit_fields[] = {
	{ "code", F_CODE, true, 64, NULL, NULL },
	{ "name", F_TEXT, true, 500, NULL, NULL },
	{ "parent", F_CODE, false, 64, NULL, NULL },
	{ "valid_from", F_DATE, false, 0, NULL, NULL },
	{ NULL, F_CODE, false, 0, NULL, NULL },
};

#define UNIT_ROWS                                                                      \
	" x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) x(i int, code text, name text," \
	" parent text, valid_from date, res text))"

/*
 * A unit row is unchanged when its name and parent are those held. A
 * parent may be a unit held or one created in the same batch. Changing a
 * unit needs it in the identity's units; a new or new parent must lie in
 * them too (a unit created in the batch is checked as its own row), and
 * only an identity with every unit puts a unit at the top, as POST
 * /v1/units. A change cannot be dated before the unit's last change.
 */
static const char *const unit_check_sql =
	VHD_SQL_UNITS_DOWN("$2") "," UNIT_ROWS
	"SELECT x.i, e[1], e[2], CASE WHEN u.id IS NULL THEN 'created' WHEN same"
	"  THEN 'unchanged' ELSE 'updated' END"
	" FROM x LEFT JOIN units u ON u.code = x.code LEFT JOIN units p ON p.code = x.parent"
	" LEFT JOIN units um ON um.id = u.merged_into LEFT JOIN units pm ON pm.id = p.merged_into"
	" LEFT JOIN LATERAL (SELECT max(h.effective_on) AS last FROM unit_history h"
	"  WHERE h.unit_id = u.id) lv ON true,"
	" LATERAL (SELECT coalesce(u.id IS NOT NULL AND u.name = x.name AND CASE WHEN x.parent"
	"  IS NULL THEN u.parent_id IS NULL ELSE u.parent_id = p.id END, false) AS same,"
	"  x.parent IN (SELECT b.code FROM x b) AS inbatch) sm,"
	" LATERAL (SELECT CASE"
	"  WHEN x.parent = x.code THEN ARRAY['parent', 'unit ' || x.code || ' cannot be its own parent']"
	"  WHEN x.parent IS NOT NULL AND p.id IS NULL AND NOT inbatch"
	"   THEN ARRAY['parent', 'no unit ' || x.parent]"
	"  WHEN same THEN NULL"
	"  WHEN u.merged_into IS NOT NULL THEN ARRAY['code', 'unit ' || x.code || ' was merged into '"
	"   || um.code || ' (its last day ' || u.valid_to || '); it changes no more']"
	"  WHEN p.merged_into IS NOT NULL THEN ARRAY['parent', 'unit ' || x.parent"
	"   || ' was merged into ' || pm.code || '; name its successor']"
	"  WHEN NOT $3::boolean AND u.id IS NOT NULL AND u.id NOT IN (SELECT id FROM scope)"
	"   THEN ARRAY['code', 'unit ' || x.code || ' is outside your units']"
	"  WHEN NOT $3::boolean AND x.parent IS NULL AND (u.id IS NULL OR u.parent_id IS NOT NULL)"
	"   THEN ARRAY['parent',"
	"   'only an identity with every unit may put a unit at the top (no parent)']"
	"  WHEN NOT $3::boolean AND p.id IS NOT NULL AND p.id NOT IN (SELECT id FROM scope)"
	"   THEN ARRAY['parent', 'unit ' || x.parent || ' is outside your units']"
	"  WHEN u.id IS NOT NULL AND x.valid_from < lv.last THEN ARRAY['valid_from', 'unit '"
	"   || x.code || ' has a change from ' || lv.last || '; a change cannot start before it']"
	"  END AS e) ck"
	" ORDER BY x.i";

/*
 * New units first (their parents are set with the rest), then a history
 * row for each change (read against the units as they were), then names
 * and parents. A move records its day in moved_on: until then the unit
 * stays under its former parent for scope (migration 0051).
 */
static const struct sync_stmt unit_write[] = {
	{ "WITH" UNIT_ROWS " INSERT INTO units (code, name, valid_from)"
	  " SELECT code, name, valid_from FROM x WHERE res = 'created' ORDER BY i", 1 },
	{ "WITH" UNIT_ROWS " INSERT INTO unit_history (unit_id, change, name, parent_id,"
	  " effective_on, actor)"
	  " SELECT u.id, c.change, x.name, p.id, x.valid_from, $2 FROM x"
	  " JOIN units u ON u.code = x.code LEFT JOIN units p ON p.code = x.parent,"
	  " LATERAL (VALUES (1, 'created', x.res = 'created'),"
	  "  (2, 'renamed', x.res <> 'created' AND u.name <> x.name),"
	  "  (3, 'moved', x.res <> 'created' AND u.parent_id IS DISTINCT FROM p.id)) c(n, change, yes)"
	  " WHERE c.yes ORDER BY x.i, c.n", 2 },
	{ "WITH" UNIT_ROWS " UPDATE units u SET name = x.name, parent_id = p.id,"
	  " moved_on = CASE WHEN x.res <> 'created' AND u.parent_id IS DISTINCT FROM p.id"
	  "  THEN x.valid_from ELSE u.moved_on END, updated_at = now()"
	  " FROM x LEFT JOIN units p ON p.code = x.parent WHERE u.code = x.code", 1 },
	{ NULL, 0 },
};

/* a unit moved below itself: walking up from it comes back to it */
static const char *const unit_verify_sql =
	"WITH RECURSIVE" UNIT_ROWS ","
	" up(i, code, start, id, n) AS (SELECT x.i, x.code, u.id, u.parent_id, 1 FROM x"
	"  JOIN units u ON u.code = x.code"
	"  UNION ALL SELECT up.i, up.code, up.start, u.parent_id, up.n + 1 FROM up"
	"  JOIN units u ON u.id = up.id WHERE up.id <> up.start AND up.n < 1000)"
	" SELECT i, 'parent', 'unit ' || code || ' would lie below itself: its new parent is'"
	"  || ' one of its own descendants' FROM up WHERE id = start ORDER BY i LIMIT 1";

static const struct sync_kind units_kind = {
	.noun = "unit",
	.op = VHD_OP_UNIT_WRITE,
	.fields = unit_fields,
	.parent = "parent",
	/* the units changed and the parents named stay as read (a parent
	 * cannot be merged away meanwhile) */
	.lock_sql = "SELECT 1 FROM units WHERE code IN (SELECT x.code FROM"
		    " jsonb_to_recordset($1::jsonb) x(code text, parent text)"
		    " UNION SELECT x.parent FROM jsonb_to_recordset($1::jsonb) x(code text,"
		    " parent text)) ORDER BY id FOR UPDATE",
	.check_sql = unit_check_sql,
	.write = unit_write,
	.verify_sql = unit_verify_sql,
};

/* ---- the engine */

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

/* check one row against the kind's fields into clean; on error fills field
 * and msg and returns -1 */
static int
check_row(const struct sync_kind *k, struct vhd_request *req, json_t *row, json_t *clean,
	  const char *today, char field[64], char msg[256])
{
	struct vhd_response r = { .status = 500 };
	struct vhd_in in = { .obj = row, .req = req, .resp = &r };
	const struct sync_field *f;
	const char *key;
	json_t *v;
	int rc = 0;

	if (!json_is_object(row)) {
		snprintf(field, 64, "%s", "");
		snprintf(msg, 256, "a row must be a JSON object");
		return -1;
	}
	json_object_foreach(row, key, v) {
		for (f = k->fields; f->name && strcmp(f->name, key) != 0; f++)
			;
		if (f->name == NULL) {
			vhd_in_fail(&in, key, "unknown field '%s'", key);
			break;
		}
	}
	for (f = k->fields; f->name && !in.failed; f++) {
		const char *s = f->dflt;
		bool b = f->dflt && strcmp(f->dflt, "true") == 0;
		char dbuf[VH_DATE_STRLEN];
		vh_date d;
		json_t *out;

		switch (f->type) {
		case F_CODE:
			vhd_in_code(&in, f->name, f->required, &s);
			break;
		case F_TEXT:
			vhd_in_str(&in, f->name, f->required, f->max, &s);
			break;
		case F_ENUM:
			vhd_in_enum(&in, f->name, f->required, f->allowed, &s);
			break;
		case F_BOOL:
			vhd_in_bool(&in, f->name, f->required, &b);
			break;
		case F_DATE:
			if (vhd_in_date(&in, f->name, f->required, &d) == 1 &&
			    vhd_in_within_a_year(&in, f->name, d) == 0)
				s = vhd_datestr(dbuf, d);
			else
				s = today;
			break;
		}
		out = f->type == F_BOOL ? json_boolean(b) : s ? json_string(s) : json_null();
		json_object_set_new(clean, f->name, out);
	}
	if (in.failed) {
		const char *fl = json_string_value(json_object_get(r.json, "field"));
		snprintf(field, 64, "%s", fl ? fl : "");
		snprintf(msg, 256, "%s", json_string_value(json_object_get(r.json, "message")));
		rc = -1;
	}
	in.obj = NULL; /* the row is the caller's */
	vhd_in_close(&in);
	json_decref(r.json);
	return rc;
}

/* a row's code (or parent), when it is a string */
static const char *
row_str(json_t *rows, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(rows, i), key));
}

/* rows deeper in the request's tree come later; a cycle's rows go last */
#define DEPTH_CYCLE (1L << 40)

struct ranked {
	long depth;
	size_t row;
};

static int
by_depth(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/*
 * The order in which the rows are written (order[k] is a row): as given,
 * or, for a kind with parents, so that a parent given in the request comes
 * before its children. Rows on a cycle within the request get cyc[row].
 * 0, or -1 out of memory.
 */
static int
tree_order(const struct sync_kind *k, json_t *rows, size_t *order, bool *cyc)
{
	size_t n = json_array_size(rows), *path = NULL, *up = NULL;
	struct ranked *rk = NULL;
	json_t *at = NULL;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	if (k->parent == NULL || n == 0)
		return 0;
	if ((at = json_object()) == NULL || (path = malloc(n * sizeof(*path))) == NULL ||
	    (up = malloc(n * sizeof(*up))) == NULL || (rk = malloc(n * sizeof(*rk))) == NULL)
		goto out;
	/* the first row of each code */
	for (size_t i = 0; i < n; i++) {
		const char *c = row_str(rows, i, "code");
		if (c && json_object_get(at, c) == NULL)
			json_object_set_new(at, c, json_integer((json_int_t)i));
	}
	for (size_t i = 0; i < n; i++) {
		const char *p = row_str(rows, i, k->parent);
		json_t *j = p ? json_object_get(at, p) : NULL;
		/* a row its own parent is named by the check */
		up[i] = j && (size_t)json_integer_value(j) != i ? (size_t)json_integer_value(j)
								: SIZE_MAX;
		rk[i] = (struct ranked){ -1, i }; /* -1 not yet, -2 on the path */
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = 0, cur = i;
		long d;
		/* walk up until a row ranked already, the top, or the path itself */
		while (cur != SIZE_MAX && rk[cur].depth == -1) {
			rk[cur].depth = -2;
			path[len++] = cur;
			cur = up[cur];
		}
		if (cur == SIZE_MAX) {
			d = -1;
		} else if (rk[cur].depth == -2) {
			/* the path from cur on is a cycle */
			while (len > 0) {
				size_t r = path[--len];
				rk[r].depth = DEPTH_CYCLE;
				cyc[r] = true;
				if (r == cur)
					break;
			}
			d = DEPTH_CYCLE;
		} else {
			d = rk[cur].depth;
		}
		while (len > 0)
			rk[path[--len]].depth = ++d;
	}
	qsort(rk, n, sizeof(*rk), by_depth);
	for (size_t i = 0; i < n; i++)
		order[i] = rk[i].row;
	rc = 0;
out:
	json_decref(at);
	free(path);
	free(up);
	free(rk);
	return rc;
}

struct tally {
	long long created, updated, unchanged, rejected, errors;
};

struct batch {
	const struct sync_kind *k;
	struct vhd_request *req;
	json_t *rows;
	const size_t *order; /* the rows of the batch: order[lo..hi) */
	size_t lo, hi;
	const bool *cyc;
	const char *scope, *today;
	json_t *results; /* one per row, set at the row's index */
	struct tally *t;
};

static void
result(struct batch *b, size_t row, const char *res, const char *field, const char *msg)
{
	json_t *o = json_pack("{s:I, s:s?, s:s}", "row", (json_int_t)(row + 1), "code",
			      row_str(b->rows, row, "code"), "result", res);

	if (field)
		json_object_set_new(o, "field", json_string(field));
	if (msg)
		json_object_set_new(o, "message", json_string(msg));
	json_array_set_new(b->results, row, o);
}

/* the rows of the batch whose check said what (NULL: all) into a JSON
 * text, each with the check's result as "res" */
static char *
rows_where(json_t *clean, const PGresult *res, const char *what)
{
	json_t *a = json_array();
	char *s;

	for (int i = 0; i < PQntuples(res); i++) {
		json_t *c = json_array_get(clean, (size_t)atoll(PQgetvalue(res, i, 0)));
		if (what && strcmp(PQgetvalue(res, i, 3), what) == 0)
			continue;
		json_object_set_new(c, "res", json_string(PQgetvalue(res, i, 3)));
		json_array_append(a, c);
	}
	s = json_array_size(a) ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return s;
}

/* write the batch's changes: 0, 1 when the verification names a bad row
 * (into bad, field, msg), -1 reply set */
static int
write_batch(struct batch *b, PGconn *conn, struct vhd_response *resp, const char *changes,
	    size_t *bad, char field[64], char msg[256])
{
	PGresult *v;

	for (const struct sync_stmt *s = b->k->write; s->sql; s++)
		if (vhd_exec(conn, resp, s->sql, s->nparams,
			     (const char *[]){ changes, b->req->id.name }) < 0)
			return -1;
	if (b->k->verify_sql == NULL)
		return 0;
	if ((v = vhd_qrows(conn, resp, b->k->verify_sql, 1, (const char *[]){ changes }, 3)) ==
	    NULL)
		return -1;
	if (PQntuples(v) > 0) {
		*bad = (size_t)atoll(PQgetvalue(v, 0, 0));
		snprintf(field, 64, "%s", PQgetvalue(v, 0, 1));
		snprintf(msg, 256, "%s", PQgetvalue(v, 0, 2));
	}
	PQclear(v);
	return *bad != SIZE_MAX;
}

/* the batch: 0 done (results set), -1 reply set */
static int
sync_batch(struct batch *b, PGconn *conn, struct vhd_response *resp)
{
	const struct sync_kind *k = b->k;
	json_t *clean = json_array(), *seen = json_object();
	size_t bad = SIZE_MAX; /* an index into the batch */
	char field[64] = "", msg[256] = "", *body = NULL, *changes = NULL;
	PGresult *res = NULL;
	int rc = -1, w;

	for (size_t i = 0; i < b->hi - b->lo && bad == SIZE_MAX; i++) {
		size_t row = b->order[b->lo + i];
		json_t *c = json_object();
		const char *code;
		json_object_set_new(c, "i", json_integer((json_int_t)i));
		json_array_append_new(clean, c);
		if (check_row(k, b->req, json_array_get(b->rows, row), c, b->today, field, msg) < 0) {
			bad = i;
		} else if (json_object_get(seen, (code = json_string_value(
							  json_object_get(c, "code"))))) {
			bad = i;
			snprintf(field, 64, "code");
			snprintf(msg, 256, "%s %s appears twice in the batch", k->noun, code);
		} else if (b->cyc[row]) {
			bad = i;
			snprintf(field, 64, "%s", k->parent);
			snprintf(msg, 256, "the parents of %s %s in this request lead back to it:"
				 " a cycle", k->noun, code);
		} else {
			json_object_set_new(seen, code, json_true());
		}
	}
	if (bad == SIZE_MAX) {
		body = json_dumps(clean, JSON_COMPACT);
		if (body == NULL || vhd_begin(conn, resp) < 0)
			goto out;
		/* the rows this batch changes stay as read until it commits */
		if (vhd_exec(conn, resp, k->lock_sql, 1, (const char *[]){ body }) < 0)
			goto out;
		res = vhd_qrows(conn, resp, k->check_sql, 3,
				(const char *[]){ body, b->scope,
						  vhd_auth_all_units(b->req) ? "t" : "f" },
				4);
		if (res == NULL)
			goto out;
		for (int i = 0; i < PQntuples(res) && bad == SIZE_MAX; i++)
			if (vhd_val(res, i, 1)) {
				bad = (size_t)atoll(PQgetvalue(res, i, 0));
				snprintf(field, 64, "%s", PQgetvalue(res, i, 1));
				snprintf(msg, 256, "%s", PQgetvalue(res, i, 2));
			}
	}
	/* only the rows that change are written; the answer is the check's */
	if (bad == SIZE_MAX && (changes = rows_where(clean, res, "unchanged")) != NULL) {
		if ((w = write_batch(b, conn, resp, changes, &bad, field, msg)) < 0)
			goto out;
	}
	if (bad != SIZE_MAX) {
		vhd_rollback(conn);
		for (size_t i = 0; i < b->hi - b->lo; i++) {
			size_t row = b->order[b->lo + i];
			if (i == bad) {
				result(b, row, "error", field, msg);
				b->t->errors++;
			} else {
				char why[64];
				snprintf(why, sizeof(why), "batch rejected: row %zu is bad",
					 b->order[b->lo + bad] + 1);
				result(b, row, "rejected", NULL, why);
				b->t->rejected++;
			}
		}
		rc = 0;
		goto out;
	}
	if (vhd_commit(conn, resp) < 0)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		size_t row = b->order[b->lo + (size_t)atoll(PQgetvalue(res, i, 0))];
		const char *what = PQgetvalue(res, i, 3);
		result(b, row, what, NULL, NULL);
		if (what[0] == 'c')
			b->t->created++;
		else if (what[0] == 'u' && what[1] == 'p')
			b->t->updated++;
		else
			b->t->unchanged++;
	}
	rc = 0;
out:
	if (rc < 0)
		vhd_rollback(conn);
	PQclear(res);
	free(body);
	free(changes);
	json_decref(clean);
	json_decref(seen);
	return rc;
}

static void
sync_rows(const struct sync_kind *k, struct vhd_request *req, struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	struct tally t = { 0 };
	struct batch b = { .k = k, .req = req, .t = &t };
	long long batch = 1000;
	char today[VH_DATE_STRLEN], *scope = NULL;
	size_t *order = NULL;
	bool *cyc = NULL;
	PGconn *conn = NULL;
	json_t *rows = NULL, *results = NULL;
	size_t n;

	if (!vhd_auth_role(req, resp, k->op))
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
	/* one text, one form, as for every body: names compare in NFC */
	if (vhd_json_nfc(rows) < 0)
		goto nomem;
	n = json_array_size(rows);
	if ((order = malloc((n + 1) * sizeof(*order))) == NULL ||
	    (cyc = calloc(n + 1, sizeof(*cyc))) == NULL || tree_order(k, rows, order, cyc) < 0)
		goto nomem;
	vhd_datestr(today, vh_date_today());
	if ((scope = vhd_auth_units_array(req)) == NULL || (conn = vhd_conn(resp)) == NULL)
		goto out;
	results = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(results, json_null());
	b.rows = rows;
	b.order = order;
	b.cyc = cyc;
	b.scope = scope;
	b.today = today;
	b.results = results;
	for (b.lo = 0; b.lo < n; b.lo += (size_t)batch) {
		b.hi = b.lo + (size_t)batch < n ? b.lo + (size_t)batch : n;
		if (sync_batch(&b, conn, resp) < 0)
			goto out;
	}
	vhd_reply_json(resp, 200,
		       json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "rows", (json_int_t)n,
				 "created", (json_int_t)t.created, "updated", (json_int_t)t.updated,
				 "unchanged", (json_int_t)t.unchanged, "errors",
				 (json_int_t)t.errors, "rejected", (json_int_t)t.rejected,
				 "results", results));
	results = NULL;
	goto out;
nomem:
	vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
out:
	json_decref(rows);
	json_decref(results);
	free(scope);
	free(order);
	free(cyc);
	vhd_conn_put(conn);
}

void
api_officials_sync(struct vhd_request *req, const struct vhd_params *p,
		   struct vhd_response *resp)
{
	(void)p;
	sync_rows(&officials_kind, req, resp);
}

void
api_units_sync(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)p;
	sync_rows(&units_kind, req, resp);
}
