/*
 * Units: add, list a subtree, show, merge (LEGAL.md §9). A merge never
 * deletes: the merged unit ends (valid_to, the day before the merge) and
 * points at its successor, so cases keep the unit they were opened in and
 * review scope follows the successor (auth.c walks merged_into). The
 * former parent is kept in unit_history only: the old parent's heads no
 * longer review what now belongs to the successor.
 */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "dbq.h"
#include "json_in.h"
#include "routes.h"

/* the columns unit_json() reads, from units u */
#define UNIT_COLS                                                              \
	"u.code, u.name, p.code, to_char(u.valid_from, 'YYYY-MM-DD'),"          \
	" to_char(u.valid_to, 'YYYY-MM-DD'), m.code, to_char(u.moved_on, 'YYYY-MM-DD')"
#define UNIT_FROM                                                              \
	" FROM units u LEFT JOIN units p ON p.id = u.parent_id"                 \
	" LEFT JOIN units m ON m.id = u.merged_into"
#define UNIT_NCOLS 7

static json_t *
unit_json(const PGresult *res, int row)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "code", vhd_jval(res, row, 0),
			 "name", vhd_jval(res, row, 1),
			 "parent", vhd_jval(res, row, 2),
			 "valid_from", vhd_jval(res, row, 3),
			 "valid_to", vhd_jval(res, row, 4),
			 "merged_into", vhd_jval(res, row, 5),
			 /* the day the parent took over (a move, PUT /v1/units) */
			 "moved_on", vhd_jval(res, row, 6));
}

/* Reply with the unit of id (status), or set an error. 0 or -1. */
static int
reply_unit(PGconn *conn, struct vhd_response *resp, const char *id, int status)
{
	PGresult *res = vhd_qrows(conn, resp,
				  "SELECT " UNIT_COLS UNIT_FROM " WHERE u.id = $1::bigint",
				  1, (const char *[]){ id }, UNIT_NCOLS);
	json_t *j;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no such unit");
		PQclear(res);
		return -1;
	}
	j = unit_json(res, 0);
	PQclear(res);
	if (j == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	vhd_reply_json(resp, status, j);
	return 0;
}

void
api_unit_add(struct vhd_request *req, const struct vhd_params *p,
	     struct vhd_response *resp)
{
	static const char *const known[] = { "code", "name", "parent", "valid_from", NULL };
	const char *code = NULL, *name = NULL, *parent = NULL, *parent_id = NULL;
	char vfbuf[VH_DATE_STRLEN];
	vh_date vf = vh_date_today();
	PGconn *conn = NULL;
	PGresult *pres = NULL, *ires = NULL;
	struct vhd_in in;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_UNIT_WRITE))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	vhd_in_code(&in, "code", true, &code);
	vhd_in_str(&in, "name", true, 500, &name);
	vhd_in_code(&in, "parent", false, &parent);
	if (vhd_in_date(&in, "valid_from", false, &vf) > 0)
		vhd_in_within_a_year(&in, "valid_from", vf);
	if (in.failed)
		goto out;
	vhd_datestr(vfbuf, vf);
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	if (vhd_begin(conn, resp) < 0)
		goto out;
	if (parent) {
		/* lock the parent, so that it cannot be merged away meanwhile */
		pres = vhd_qrows(conn, resp,
				 "SELECT u.id, m.code, to_char(u.valid_from, 'YYYY-MM-DD')"
				 " FROM units u LEFT JOIN units m ON m.id = u.merged_into"
				 " WHERE u.code = $1 FOR UPDATE OF u",
				 1, (const char *[]){ parent }, 3);
		if (pres == NULL)
			goto out;
		if (PQntuples(pres) != 1) {
			vhd_reply_error(resp, VHCV_ENOTFOUND, "parent", "no unit %s", parent);
			goto out;
		}
		parent_id = PQgetvalue(pres, 0, 0);
		if (vhd_auth_unit(conn, req, resp, parent_id, VHD_OP_UNIT_WRITE) != 1)
			goto out;
		if (vhd_val(pres, 0, 1)) {
			vhd_reply_error(resp, VHCV_ECONFLICT, "parent",
					"unit %s was merged into %s", parent, vhd_val(pres, 0, 1));
			goto out;
		}
	} else if (!vhd_auth_all_units(req)) {
		/* a unit at the top lies outside every listed unit */
		vhd_auth_deny(req, resp, "only an identity with every unit may add a top-level unit");
		goto out;
	}
	ires = vhd_qrows(conn, resp,
			 "INSERT INTO units (code, name, parent_id, valid_from)"
			 " VALUES ($1, $2, $3::bigint, $4::date)"
			 " ON CONFLICT (code) DO NOTHING RETURNING id",
			 4, (const char *[]){ code, name, parent_id, vfbuf }, 1);
	if (ires == NULL)
		goto out;
	if (PQntuples(ires) != 1) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "code", "unit %s exists already", code);
		goto out;
	}
	if (vhd_exec(conn, resp,
		     "INSERT INTO unit_history (unit_id, change, name, parent_id, effective_on, actor)"
		     " VALUES ($1::bigint, 'created', $2, $3::bigint, $4::date, $5)",
		     5, (const char *[]){ PQgetvalue(ires, 0, 0), name, parent_id, vfbuf,
					  req->id.name }) < 0)
		goto out;
	if (reply_unit(conn, resp, PQgetvalue(ires, 0, 0), 201) < 0)
		goto out;
	if (vhd_commit(conn, resp) < 0)
		goto out;
out:
	if (conn) {
		vhd_rollback(conn);
		vhd_conn_put(conn);
	}
	PQclear(pres);
	PQclear(ires);
	vhd_in_close(&in);
}

void
api_units_list(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const known[] = { NULL };
	const char *under = NULL;
	char *arr = NULL;
	PGconn *conn = NULL;
	PGresult *res = NULL;
	struct vhd_in in;
	json_t *items = NULL, *j;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_UNIT_READ))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	if (vhd_query_code(&in, "under", &under) < 0)
		goto out;
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	if (under) {
		/* a code is [A-Za-z0-9_.-]: as an array literal it needs no escaping */
		if ((arr = vh_asprintf("{%s}", under)) == NULL)
			goto nomem;
		res = vhd_qrows(conn, resp,
				VHD_SQL_UNITS_DOWN("$1")
				"SELECT " UNIT_COLS UNIT_FROM " WHERE u.id IN (SELECT id FROM scope)"
				" ORDER BY u.code",
				1, (const char *[]){ arr }, UNIT_NCOLS);
	} else {
		res = vhd_qrows(conn, resp, "SELECT " UNIT_COLS UNIT_FROM " ORDER BY u.code",
				0, NULL, UNIT_NCOLS);
	}
	if (res == NULL)
		goto out;
	if (under && PQntuples(res) == 0) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "under", "no unit %s", under);
		goto out;
	}
	if ((items = json_array()) == NULL)
		goto nomem;
	for (int i = 0; i < PQntuples(res); i++)
		if (json_array_append_new(items, unit_json(res, i)) < 0)
			goto nomem;
	/* json_pack takes items, also when it fails */
	j = json_pack("{s:o, s:n}", "items", items, "next");
	items = NULL;
	if (j == NULL)
		goto nomem;
	vhd_reply_json(resp, 200, j);
	goto out;
nomem:
	vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
out:
	json_decref(items);
	free(arr);
	PQclear(res);
	if (conn)
		vhd_conn_put(conn);
	vhd_in_close(&in);
}

void
api_unit_get(struct vhd_request *req, const struct vhd_params *p,
	     struct vhd_response *resp)
{
	static const char *const known[] = { NULL };
	const char *code = p->v[0];
	PGconn *conn = NULL;
	PGresult *res = NULL;
	struct vhd_in in;
	json_t *j;

	if (!vhd_auth_role(req, resp, VHD_OP_UNIT_READ))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	if (!vhd_is_code(code)) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no unit %s", code);
		goto out;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	res = vhd_qrows(conn, resp, "SELECT " UNIT_COLS UNIT_FROM " WHERE u.code = $1",
			1, (const char *[]){ code }, UNIT_NCOLS);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no unit %s", code);
		goto out;
	}
	if ((j = unit_json(res, 0)) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	vhd_reply_json(resp, 200, j);
out:
	PQclear(res);
	if (conn)
		vhd_conn_put(conn);
	vhd_in_close(&in);
}

/* columns of the two units a merge locks */
enum { M_ID, M_CODE, M_NAME, M_PARENT, M_MERGED, M_FROM, M_NCOLS };

void
api_unit_merge(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const known[] = { "into", "on", NULL };
	const char *code = p->v[0], *into = NULL;
	char onbuf[VH_DATE_STRLEN];
	vh_date on = vh_date_today();
	int from = -1, to = -1;
	PGconn *conn = NULL;
	PGresult *res = NULL, *cyc = NULL;
	struct vhd_in in;

	if (!vhd_auth_role(req, resp, VHD_OP_UNIT_WRITE))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	vhd_in_code(&in, "into", true, &into);
	if (vhd_in_date(&in, "on", false, &on) > 0)
		vhd_in_within_a_year(&in, "on", on);
	if (in.failed)
		goto out;
	vhd_datestr(onbuf, on);
	if (!vhd_is_code(code)) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no unit %s", code);
		goto out;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	if (vhd_begin(conn, resp) < 0)
		goto out;
	/* both rows locked in id order: two opposite merges cannot deadlock */
	res = vhd_qrows(conn, resp,
			"SELECT id, code, name, parent_id, merged_into,"
			" to_char(valid_from, 'YYYY-MM-DD')"
			" FROM units WHERE code IN ($1, $2) ORDER BY id FOR UPDATE",
			2, (const char *[]){ code, into }, M_NCOLS);
	if (res == NULL)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, M_CODE), code) == 0)
			from = i;
		if (strcmp(PQgetvalue(res, i, M_CODE), into) == 0)
			to = i;
	}
	if (from < 0) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no unit %s", code);
		goto out;
	}
	if (to < 0) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "into", "no unit %s", into);
		goto out;
	}
	if (vhd_auth_unit(conn, req, resp, PQgetvalue(res, from, M_ID), VHD_OP_UNIT_WRITE) != 1 ||
	    vhd_auth_unit(conn, req, resp, PQgetvalue(res, to, M_ID), VHD_OP_UNIT_WRITE) != 1)
		goto out;
	if (from == to) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "into", "a unit cannot be merged into itself");
		goto out;
	}
	if (vhd_val(res, from, M_MERGED)) {
		vhd_reply_error(resp, VHCV_ECONFLICT, NULL, "unit %s was merged already", code);
		goto out;
	}
	if (vhd_val(res, to, M_MERGED)) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "into",
				"unit %s was merged away itself; merge into its successor", into);
		goto out;
	}
	/* the merged unit's last day is the day before, or its first day when
	 * it is merged the day it was created (issue 8.8): not before it */
	if (strcmp(onbuf, PQgetvalue(res, from, M_FROM)) < 0) {
		vhd_reply_error(resp, VHCV_EINVALID, "on",
				"a merge of %s cannot take effect before its first day %s", code,
				PQgetvalue(res, from, M_FROM));
		goto out;
	}
	if (strcmp(onbuf, PQgetvalue(res, to, M_FROM)) < 0) {
		vhd_reply_error(resp, VHCV_EINVALID, "on", "unit %s exists only from %s", into,
				PQgetvalue(res, to, M_FROM));
		goto out;
	}
	/* into must not lie below code (through parents or merges): a cycle */
	cyc = vhd_qrows(conn, resp,
			"WITH RECURSIVE up(id) AS ("
			" SELECT $1::bigint"
			" UNION SELECT x.p FROM up JOIN units u ON u.id = up.id"
			"  CROSS JOIN LATERAL (VALUES (u.parent_id), (u.merged_into)) AS x(p)"
			"  WHERE x.p IS NOT NULL)"
			" SELECT EXISTS (SELECT 1 FROM up WHERE id = $2::bigint)",
			2, (const char *[]){ PQgetvalue(res, to, M_ID), PQgetvalue(res, from, M_ID) }, 1);
	if (cyc == NULL)
		goto out;
	if (vhd_val(cyc, 0, 0)[0] == 't') {
		vhd_reply_error(resp, VHCV_ECONFLICT, "into",
				"unit %s lies below %s: merging would make a cycle", into, code);
		goto out;
	}
	if (vhd_exec(conn, resp,
		     "UPDATE units SET merged_into = $2::bigint,"
		     " valid_to = greatest($3::date - 1, valid_from),"
		     " parent_id = NULL, updated_at = now() WHERE id = $1::bigint",
		     3, (const char *[]){ PQgetvalue(res, from, M_ID), PQgetvalue(res, to, M_ID),
					  onbuf }) < 0 ||
	    vhd_exec(conn, resp,
		     "INSERT INTO unit_history (unit_id, change, name, parent_id, merged_into,"
		     " effective_on, actor)"
		     " VALUES ($1::bigint, 'merged', $2, $3::bigint, $4::bigint, $5::date, $6)",
		     6, (const char *[]){ PQgetvalue(res, from, M_ID), PQgetvalue(res, from, M_NAME),
					  vhd_val(res, from, M_PARENT), PQgetvalue(res, to, M_ID),
					  onbuf, req->id.name }) < 0)
		goto out;
	if (reply_unit(conn, resp, PQgetvalue(res, from, M_ID), 200) < 0)
		goto out;
	if (vhd_commit(conn, resp) < 0)
		goto out;
out:
	if (conn) {
		vhd_rollback(conn);
		vhd_conn_put(conn);
	}
	PQclear(res);
	PQclear(cyc);
	vhd_in_close(&in);
}
