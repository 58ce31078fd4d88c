/*
 * Officials: PUT adds or updates (each change a new row of
 * official_versions, so that the category and leader flag of any day can
 * be found), GET shows the version in force on a day with the sanctions
 * then in effect and, for readers of cases, the open cases.
 */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "cases.h"
#include "dbq.h"
#include "json_in.h"
#include "reports.h"
#include "routes.h"

/* the schema's category domain (migrations/0001_schema.sql) */
static const char *const categories[] = { "can_bo", "cong_chuc", "vien_chuc",
					  "nguoi_lao_dong", NULL };
static const char *const statuses[] = { "active", "retired", "left", NULL };

/* buf: the later of today and the date text other (may be NULL) */
static const char *
today_or_later(char buf[VH_DATE_STRLEN], const char *other)
{
	vhd_datestr(buf, vh_date_today());
	if (other && vh_date_cmp_text(other, buf) > 0)
		snprintf(buf, VH_DATE_STRLEN, "%s", other);
	return buf;
}

/* Open cases are shown to the roles that read cases (auth.c's table). */
static bool
reads_cases(const struct vhd_request *req)
{
	return vhd_auth_may(req, VHD_OP_CASE_READ);
}

/* the sanctions among decisions: in effect on `on`, and a real sanction */
static json_t *
sanctions_on(json_t *decisions, const char *on)
{
	json_t *out = json_array(), *d;
	size_t i;

	json_array_foreach(decisions, i, d) {
		const char *state = json_string_value(json_object_get(d, "state"));
		const char *form = json_string_value(json_object_get(d, "form"));
		const char *eff = json_string_value(json_object_get(d, "effective_on"));

		if (state && strcmp(state, "in_effect") == 0 && form &&
		    strcmp(form, "none") != 0 && eff && vh_date_cmp_text(eff, on) <= 0)
			json_array_append(out, d);
	}
	return out;
}

/*
 * What an open case holds back (issue #9 item 13, Law 52/2019 art. 82(2)):
 * {"actions": [{code, name}], "basis": [...]}, from the legal tables.
 */
static json_t *
open_case_blocks(const struct vh_legal *legal, const char *on)
{
	struct vh_legal_dates when = VH_LEGAL_DATES_INIT;
	const char *const *basis = NULL;
	const char *code, *name;
	json_t *o = json_object(), *acts = json_array(), *b = json_array();

	vh_date_parse(&when.decision, on);
	for (size_t i = 0; (code = vh_legal_open_case_block(legal, &when, i, &name, &basis)); i++)
		json_array_append_new(acts, json_pack("{s:s, s:s}", "code", code, "name", name));
	for (const char *const *x = basis; x && *x; x++)
		json_array_append_new(b, json_string(*x));
	json_object_set_new(o, "actions", acts);
	json_object_set_new(o, "basis", b);
	return o;
}

/*
 * The statements of an official's answer (vhd_official_pq): its version
 * on the day, its decisions, and the open cases the identity may read.
 */
size_t
vhd_official_pq(struct vhd_request *req, const char *official_id, const char *on,
		struct vhd_official_q *oq, struct vhd_pq *q)
{
	size_t n = 0;

	memset(oq, 0, sizeof(*oq));
	oq->ver[0] = official_id;
	oq->ver[1] = on;
	/* an official loaded without versions (imports) has only its row */
	q[n++] = (struct vhd_pq){
		"(SELECT o.code, v.full_name, v.category, v.leader, u.code, v.position,"
		" v.status, to_char(v.valid_from, 'YYYY-MM-DD'), v.elected"
		" FROM officials o JOIN official_versions v ON v.official_id = o.id"
		" JOIN units u ON u.id = v.unit_id"
		" WHERE o.id = $1::bigint AND v.valid_from <= $2::date"
		" ORDER BY v.valid_from DESC, v.id DESC LIMIT 1)"
		" UNION ALL"
		" SELECT o.code, o.full_name, o.category, o.leader, u.code, o.position,"
		" o.status, NULL, o.elected FROM officials o JOIN units u ON u.id = o.unit_id"
		" WHERE o.id = $1::bigint AND NOT EXISTS"
		"  (SELECT 1 FROM official_versions v WHERE v.official_id = o.id)",
		2, oq->ver, 9
	};
	vhd_decisions_pq(&q[n++], oq->dec, NULL, official_id, on, oq->today);
	if (reads_cases(req)) {
		/* the cases this identity may read: in its units, or reported by it */
		if ((oq->units = vhd_auth_units_array(req)) == NULL)
			return 0;
		oq->open[0] = official_id;
		oq->open[1] = oq->units;
		oq->open[2] = vhd_auth_all_units(req) ? "t" : "f";
		oq->open[3] = req->id.access->role == VHD_ROLE_INSPECTOR ? "t" : "f";
		oq->open[4] = req->id.name;
		/* an identity of every unit: no scope to compute, its own
		 * statement (a generic plan of the one below plans the scope's
		 * recursion, so PostgreSQL planned it again on every request) */
		if (vhd_auth_all_units(req)) {
			q[n++] = (struct vhd_pq){
				"SELECT c.number FROM cases c"
				" WHERE c.official_id = $1::bigint"
				" AND c.status NOT IN ('rejected', 'closed_no_sanction', 'closed')"
				" ORDER BY c.year, c.seq",
				1, oq->open, 1
			};
			return n;
		}
		q[n++] = (struct vhd_pq){
			VHD_SQL_UNITS_DOWN("$2")
			"SELECT c.number FROM cases c"
			" WHERE c.official_id = $1::bigint"
			" AND c.status NOT IN ('rejected', 'closed_no_sanction', 'closed')"
			" AND ($3::boolean OR c.unit_id IN (SELECT id FROM scope)"
			"  OR ($4::boolean AND c.reporter = $5))"
			" ORDER BY c.year, c.seq",
			5, oq->open, 1
		};
	}
	return n;
}

json_t *
vhd_official_from(struct vhd_request *req, struct vhd_response *resp, PGresult *const *res,
		  size_t n, const char *on, json_t **decisions)
{
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	const PGresult *ver = res[0], *cres = n > 2 ? res[2] : NULL;
	json_t *j, *dec, *open;
	const char *cat_name;

	if (PQntuples(ver) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "on", "the official has no record on %s", on);
		return NULL;
	}
	cat_name = legal ? vh_legal_category_name(legal, PQgetvalue(ver, 0, 2)) : NULL;
	j = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		      "code", vhd_jval(ver, 0, 0),
		      "full_name", vhd_jval(ver, 0, 1),
		      "category", vhd_jval(ver, 0, 2),
		      "category_name", cat_name ? json_string(cat_name) : json_null(),
		      "leader", vhd_jbool(ver, 0, 3),
		      "unit", vhd_jval(ver, 0, 4),
		      "position", vhd_jval(ver, 0, 5),
		      "status", vhd_jval(ver, 0, 6),
		      "valid_from", vhd_jval(ver, 0, 7));
	dec = vhd_decisions_from(req, res[1]);
	if (j == NULL || dec == NULL)
		goto nomem;
	json_object_set_new(j, "elected", vhd_jbool(ver, 0, 8));
	json_object_set_new(j, "sanctions", sanctions_on(dec, on));
	if (cres) {
		if ((open = json_array()) == NULL)
			goto nomem;
		json_object_set_new(j, "open_cases", open);
		for (int i = 0; i < PQntuples(cres); i++)
			json_array_append_new(open, vhd_jval(cres, i, 0));
		if (PQntuples(cres) > 0 && legal)
			json_object_set_new(j, "open_case_blocks", open_case_blocks(legal, on));
	}
	if (decisions)
		*decisions = dec;
	else
		json_decref(dec);
	return j;
nomem:
	json_decref(j);
	json_decref(dec);
	vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
	return NULL;
}

int
vhd_reply_official(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		   const char *official_id, const char *on, int status)
{
	struct vhd_official_q oq;
	struct vhd_pq q[VHD_OFFICIAL_PQ];
	PGresult *res[VHD_OFFICIAL_PQ] = { 0 };
	size_t n = vhd_official_pq(req, official_id, on, &oq, q);
	json_t *j = NULL;

	if (n == 0)
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
	else if (vhd_qprep_all(conn, resp, n, q, res) == 0 &&
		 (j = vhd_official_from(req, resp, res, n, on, NULL)) != NULL)
		vhd_reply_json(resp, status, j);
	for (size_t i = 0; i < n; i++)
		PQclear(res[i]);
	free(oq.units);
	return j ? 0 : -1;
}

/* columns of the current row of an official */
enum { O_ID, O_NAME, O_CAT, O_LEADER, O_UNIT, O_POS, O_STATUS, O_LAST_FROM, O_ELECTED,
       O_NCOLS };

void
api_official_put(struct vhd_request *req, const struct vhd_params *p,
		 struct vhd_response *resp)
{
	static const char *const known[] = { "full_name", "category", "unit", "leader",
					     "position", "status", "valid_from", "elected",
					     NULL };
	static const char *const cur_sql =
		"SELECT o.id, o.full_name, o.category, o.leader, o.unit_id, o.position,"
		" o.status, (SELECT to_char(max(valid_from), 'YYYY-MM-DD')"
		"  FROM official_versions v WHERE v.official_id = o.id), o.elected"
		" FROM officials o WHERE o.code = $1 FOR UPDATE";
	const char *code = p->v[0], *full_name = NULL, *category = NULL, *unit = NULL;
	const char *position = NULL, *status = "active", *official_id;
	bool leader = false, created = false, elected = false;
	char vfbuf[VH_DATE_STRLEN], onbuf[VH_DATE_STRLEN];
	vh_date vf = vh_date_today();
	PGconn *conn = NULL;
	PGresult *ures = NULL, *cur = NULL, *ins = NULL;
	struct vhd_in in;

	if (!vhd_auth_role(req, resp, VHD_OP_OFFICIAL_WRITE))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	if (!vhd_is_code(code))
		vhd_in_fail(&in, "code",
			    "a personnel code is 1 to 64 ASCII letters, digits, '_', '-' or '.'");
	vhd_in_str(&in, "full_name", true, 300, &full_name);
	vhd_in_enum(&in, "category", true, categories, &category);
	vhd_in_code(&in, "unit", true, &unit);
	vhd_in_bool(&in, "leader", false, &leader);
	/* a cán bộ holding an elected office (issue #9 item 9); default appointed */
	vhd_in_bool(&in, "elected", false, &elected);
	vhd_in_str(&in, "position", false, 300, &position);
	vhd_in_enum(&in, "status", false, statuses, &status);
	if (vhd_in_date(&in, "valid_from", false, &vf) > 0)
		vhd_in_within_a_year(&in, "valid_from", vf);
	if (in.failed)
		goto out;
	vhd_datestr(vfbuf, vf);
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	if (vhd_begin(conn, resp) < 0)
		goto out;
	ures = vhd_qrows(conn, resp,
			 "SELECT u.id, m.code FROM units u LEFT JOIN units m ON m.id = u.merged_into"
			 " WHERE u.code = $1",
			 1, (const char *[]){ unit }, 2);
	if (ures == NULL)
		goto out;
	if (PQntuples(ures) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "unit", "no unit %s", unit);
		goto out;
	}
	if (vhd_auth_unit(conn, req, resp, PQgetvalue(ures, 0, 0), VHD_OP_OFFICIAL_WRITE) != 1)
		goto out;
	if ((cur = vhd_qrows(conn, resp, cur_sql, 1, (const char *[]){ code }, O_NCOLS)) == NULL)
		goto out;
	if (PQntuples(cur) == 0) {
		/* a concurrent first put of the same code: the loser updates */
		if (vhd_val(ures, 0, 1)) {
			vhd_reply_error(resp, VHCV_ECONFLICT, "unit", "unit %s was merged into %s",
					unit, vhd_val(ures, 0, 1));
			goto out;
		}
		ins = vhd_qrows(conn, resp,
				"INSERT INTO officials (code, full_name, category, leader, unit_id,"
				" position, status, elected)"
				" VALUES ($1, $2, $3, $4::boolean, $5::bigint, $6, $7, $8::boolean)"
				" ON CONFLICT (code) DO NOTHING RETURNING id",
				8, (const char *[]){ code, full_name, category, leader ? "t" : "f",
						     PQgetvalue(ures, 0, 0), position, status,
						     elected ? "t" : "f" }, 1);
		if (ins == NULL)
			goto out;
		if (PQntuples(ins) == 1) {
			created = true;
			official_id = PQgetvalue(ins, 0, 0);
			goto version;
		}
		PQclear(cur);
		if ((cur = vhd_qrows(conn, resp, cur_sql, 1, (const char *[]){ code },
				     O_NCOLS)) == NULL)
			goto out;
		if (PQntuples(cur) != 1) {
			vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
					"a concurrent change interfered; retry");
			goto out;
		}
	}
	official_id = PQgetvalue(cur, 0, O_ID);
	/* moving an official out of a unit needs that unit in scope too */
	if (vhd_auth_unit(conn, req, resp, PQgetvalue(cur, 0, O_UNIT), VHD_OP_OFFICIAL_WRITE) != 1)
		goto out;
	if (strcmp(PQgetvalue(cur, 0, O_NAME), full_name) == 0 &&
	    strcmp(PQgetvalue(cur, 0, O_CAT), category) == 0 &&
	    (PQgetvalue(cur, 0, O_LEADER)[0] == 't') == leader &&
	    (PQgetvalue(cur, 0, O_ELECTED)[0] == 't') == elected &&
	    strcmp(PQgetvalue(cur, 0, O_UNIT), PQgetvalue(ures, 0, 0)) == 0 &&
	    (position ? vhd_val(cur, 0, O_POS) && strcmp(vhd_val(cur, 0, O_POS), position) == 0
		      : vhd_val(cur, 0, O_POS) == NULL) &&
	    strcmp(PQgetvalue(cur, 0, O_STATUS), status) == 0) {
		/* nothing changed: no new version; show the latest one */
		today_or_later(onbuf, vhd_val(cur, 0, O_LAST_FROM));
		if (vhd_reply_official(conn, req, resp, official_id, onbuf, 200) < 0)
			goto out;
		vhd_commit(conn, resp);
		goto out;
	}
	if (vhd_val(ures, 0, 1) && strcmp(PQgetvalue(cur, 0, O_UNIT), PQgetvalue(ures, 0, 0)) != 0) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "unit", "unit %s was merged into %s", unit,
				vhd_val(ures, 0, 1));
		goto out;
	}
	/* versions only move forward: the current row is always the latest */
	if (vhd_val(cur, 0, O_LAST_FROM) && vh_date_cmp_text(vfbuf, vhd_val(cur, 0, O_LAST_FROM)) < 0) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "valid_from",
				"official %s has a version from %s; a change cannot start before it",
				code, vhd_val(cur, 0, O_LAST_FROM));
		goto out;
	}
	if (vhd_exec(conn, resp,
		     "UPDATE officials SET full_name = $2, category = $3, leader = $4::boolean,"
		     " unit_id = $5::bigint, position = $6, status = $7, elected = $8::boolean,"
		     " updated_at = now() WHERE id = $1::bigint",
		     8, (const char *[]){ official_id, full_name, category, leader ? "t" : "f",
					  PQgetvalue(ures, 0, 0), position, status,
					  elected ? "t" : "f" }) < 0)
		goto out;
version:
	if (vhd_exec(conn, resp,
		     "INSERT INTO official_versions (official_id, valid_from, full_name, category,"
		     " leader, unit_id, position, status, actor, elected)"
		     " VALUES ($1::bigint, $2::date, $3, $4, $5::boolean, $6::bigint, $7, $8, $9,"
		     " $10::boolean)",
		     10, (const char *[]){ official_id, vfbuf, full_name, category,
					   leader ? "t" : "f", PQgetvalue(ures, 0, 0), position,
					   status, req->id.name, elected ? "t" : "f" }) < 0)
		goto out;
	today_or_later(onbuf, vfbuf);
	if (vhd_reply_official(conn, req, resp, official_id, onbuf, created ? 201 : 200) < 0)
		goto out;
	vhd_commit(conn, resp);
out:
	if (conn) {
		vhd_rollback(conn);
		vhd_conn_put(conn);
	}
	PQclear(ures);
	PQclear(cur);
	PQclear(ins);
	vhd_in_close(&in);
}

void
api_official_get(struct vhd_request *req, const struct vhd_params *p,
		 struct vhd_response *resp)
{
	static const char *const known[] = { NULL };
	const char *code = p->v[0];
	char onbuf[VH_DATE_STRLEN];
	vh_date on = vh_date_today();
	PGconn *conn = NULL;
	PGresult *res = NULL;
	struct vhd_in in;

	if (!vhd_auth_role(req, resp, VHD_OP_OFFICIAL_READ))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	if (vhd_query_date(&in, "on", &on) < 0)
		goto out;
	vhd_datestr(onbuf, on);
	if (!vhd_is_code(code)) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no official %s", code);
		goto out;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	res = vhd_qrows(conn, resp, "SELECT id, unit_id FROM officials WHERE code = $1",
			1, (const char *[]){ code }, 2);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no official %s", code);
		goto out;
	}
	/* who holds the official now may read the record, of any day */
	if (vhd_auth_unit(conn, req, resp, PQgetvalue(res, 0, 1), VHD_OP_OFFICIAL_READ) != 1)
		goto out;
	vhd_reply_official(conn, req, resp, PQgetvalue(res, 0, 0), onbuf, 200);
out:
	PQclear(res);
	if (conn)
		vhd_conn_put(conn);
	vhd_in_close(&in);
}
