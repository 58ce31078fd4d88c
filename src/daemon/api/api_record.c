/*
 * The official's record (GET /v1/officials/{code}/record), commendation
 * eligibility (GET /v1/eligibility) and subject access (GET
 * /v1/officials/{code}/export). Every "on" answer is what was true on that
 * date: decisions signed by then, each judged by the changes and
 * annulments that had taken effect by then (issue #8 item 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "dbq.h"
#include "json_in.h"
#include "legal.h"
#include "reports.h"
#include "routes.h"

int
vhd_named_unit(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	       const char *code, enum vhd_op op, char id[24])
{
	PGresult *res;
	int r;

	if (code == NULL)
		return 0;
	res = vhd_qrows(conn, resp, "SELECT id FROM units WHERE code = $1", 1,
			(const char *[]){ code }, 1);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		vhd_reply_error(resp, VHCV_ENOTFOUND, "unit", "no unit %s", code);
		return -1;
	}
	snprintf(id, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	r = vhd_auth_unit(conn, req, resp, id, op);
	return r == 1 ? 1 : -1;
}

int
vhd_scope_ids(PGconn *conn, struct vhd_response *resp, const char *codes, char **ids)
{
	PGresult *res = vhd_qrows(conn, resp,
				  VHD_SQL_UNITS_DOWN("$1")
				  "SELECT coalesce(array_agg(id ORDER BY id), '{}')::text FROM scope",
				  1, (const char *[]){ codes }, 1);

	if (res == NULL)
		return -1;
	*ids = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (*ids == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	return 0;
}

/* the official of code, in scope for op: 0 with id filled, -1 reply set */
static int
official_find(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *code, enum vhd_op op, char id[24])
{
	PGresult *res = NULL;
	int r = -1;

	if (!vhd_is_code(code)) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no official %s", code);
		return -1;
	}
	res = vhd_qprep(conn, resp, "SELECT id, unit_id FROM officials WHERE code = $1", 1,
			(const char *[]){ code }, 2);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no official %s", code);
		goto out;
	}
	/* whoever holds the official now may read the record, of any day */
	if (vhd_auth_unit(conn, req, resp, PQgetvalue(res, 0, 1), op) != 1)
		goto out;
	snprintf(id, 24, "%s", PQgetvalue(res, 0, 0));
	r = 0;
out:
	PQclear(res);
	return r;
}

/* SQL: the status of case k at the end of $on ($today: the current one) */
#define SQL_STATUS_ON(on, today, tz)                                                         \
	"CASE WHEN " on " >= " today " THEN k.status ELSE (SELECT CASE e_.kind"             \
	"  WHEN 'accepted' THEN 'under_review' WHEN 'resumed' THEN 'under_review'"          \
	"  WHEN 'changed' THEN 'decided' WHEN 'upheld' THEN 'decided'"                      \
	"  WHEN 'annulled' THEN 'closed' WHEN 'waived' THEN 'closed_no_sanction'"          \
	"  WHEN 'expired' THEN 'closed_no_sanction' ELSE e_.kind END"                       \
	"  FROM case_events e_ WHERE e_.case_id = k.id AND e_.kind IN ('reported',"         \
	"  'accepted', 'deferred', 'resumed', 'council', 'appealed', 'decided', 'changed',"\
	"  'upheld', 'annulled', 'rejected', 'waived', 'closed', 'expired')"               \
	"  AND e_.at < (" on " + 1)::timestamp AT TIME ZONE " tz                           \
	"  ORDER BY e_.seq DESC LIMIT 1) END"

static bool
open_status(const char *s)
{
	static const char *const open[] = { "reported", "under_review", "deferred", "council",
					    "appealed" };

	for (size_t i = 0; s && i < VH_NELEM(open); i++)
		if (strcmp(open[i], s) == 0)
			return true;
	return false;
}

/*
 * The cases about official $1 as known at the end of $2 ($3 today, $4 the
 * zone), and as known now (on today or later: their status is the stored
 * one, two parameters). Two texts rather than one CASE on $2 >= $3: each
 * plan is then the same whatever the official, so PostgreSQL keeps the
 * generic plan instead of planning the statement on every request (a
 * custom plan of the CASE looked cheaper by a margin an ANALYZE moves:
 * docs/performance.md, "Session 6: latency tails").
 */
#define RECORD_CASES_SQL_(status)                                                             \
	"SELECT number, rule, status, occurred_on, detected_on, handling_deadline,"          \
	" limitation_expires_on, symbol, form, signed_on FROM ("                               \
	" WITH RECURSIVE " VHD_SQL_CHAIN("c.official_id = $1::bigint"                          \
					 " AND d.signed_on <= $2::date", "$2::date")            \
	" SELECT k.id, k.number, rv.code AS rule, " status                                     \
	" AS status, k.occurred_on, k.detected_on, k.handling_deadline,"                       \
	" k.limitation_expires_on, x.symbol, x.form, x.signed_on"                              \
	" FROM cases k JOIN rule_versions rv ON rv.id = k.rule_version_id"                     \
	" LEFT JOIN (cur JOIN decisions x ON x.id = cur.id) ON x.case_id = k.id"               \
	" WHERE k.official_id = $1::bigint AND k.detected_on <= $2::date) s"                   \
	" WHERE status IS NOT NULL ORDER BY id"
#define RECORD_CASES_SQL RECORD_CASES_SQL_(SQL_STATUS_ON("$2::date", "$3::date", "$4::text"))
#define RECORD_CASES_NOW_SQL RECORD_CASES_SQL_("k.status")

/* the cases about the official (RECORD_CASES_SQL's result) */
static void
record_cases(json_t *rec, const PGresult *res, long long limit)
{
	json_t *closed = json_array(), *open = json_array(), *numbers, *c;
	long long nopen = 0;
	size_t k;

	for (int i = 0; i < PQntuples(res); i++) {
		c = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				      "case", vhd_jval(res, i, 0), "rule", vhd_jval(res, i, 1),
				      "status", vhd_jval(res, i, 2), "occurred_on",
				      vhd_jval(res, i, 3), "detected_on", vhd_jval(res, i, 4),
				      "handling_deadline", vhd_jval(res, i, 5),
				      "limitation_expires_on", vhd_jval(res, i, 6), "outcome",
				      vhd_val(res, i, 7)
					      ? json_pack("{s:o, s:o, s:o}", "number",
							  vhd_jval(res, i, 7), "form",
							  vhd_jval(res, i, 8), "signed_on",
							  vhd_jval(res, i, 9))
					      : json_null());
		if (!open_status(PQgetvalue(res, i, 2))) {
			json_array_append_new(closed, c);
		} else if (nopen++ < limit) {
			json_array_append_new(open, c);
		} else {
			json_decref(c);
		}
	}
	json_object_set_new(rec, "cases", closed);
	/* open_cases: numbers, as in the official object; then the details */
	numbers = json_array();
	json_array_foreach(open, k, c)
		json_array_append(numbers, json_object_get(c, "case"));
	json_object_set_new(rec, "open_cases", numbers);
	json_object_set_new(rec, "open_cases_count", json_integer((json_int_t)nopen));
	json_object_set_new(rec, "open_cases_page", open);
	/* Law 52/2019 art. 82(2): an open case bars these */
	json_object_set_new(rec, "barred_while_open",
			    nopen > 0 ? json_pack("[s, s, s, s]", "retirement", "resignation",
						  "transfer", "grade_promotion")
				      : json_array());
}

/* the sanctions standing for official $1 on $2, by the year they were signed */
#define RECORD_CONSEQUENCES_SQL                                                            \
	"WITH RECURSIVE " VHD_SQL_CHAIN("c.official_id = $1::bigint"                         \
					" AND d.signed_on <= $2::date", "$2::date")           \
	"SELECT extract(year FROM r.signed_on)::int, x.symbol, x.form, x.signed_on,"         \
	" x.freeze_until, x.freeze_until >= $2::date"                                        \
	" FROM cur JOIN decisions r ON r.id = cur.root JOIN decisions x ON x.id = cur.id"    \
	" WHERE x.kind <> 'annulment' AND x.form <> 'none'"                                  \
	" ORDER BY r.signed_on, r.id"

/* the assessment of each year with a sanction, and the career freeze
 * (RECORD_CONSEQUENCES_SQL's result) */
static void
record_consequences(struct vhd_request *req, json_t *rec, const PGresult *res)
{
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	json_t *years = json_array(), *freeze = json_null();
	int last = 0;

	for (int i = 0; i < PQntuples(res); i++) {
		int y = atoi(PQgetvalue(res, i, 0));
		const char *form = PQgetvalue(res, i, 2);
		const char *fname = legal ? vh_legal_form_name(legal, form) : NULL;

		/* LEGAL.md §7: disciplined in the year → did not complete duties */
		if (y != last)
			json_array_append_new(
				years, json_pack("{s:i, s:s, s:s, s:{s:o, s:s, s:s*, s:o}}", "year", y,
						 "rating", "khong_hoan_thanh_nhiem_vu", "rating_name",
						 "Không hoàn thành nhiệm vụ", "decision", "number",
						 vhd_jval(res, i, 1), "form", form, "form_name", fname,
						 "signed_on", vhd_jval(res, i, 3)));
		last = y;
		if (vhd_val(res, i, 4) && PQgetvalue(res, i, 5)[0] == 't' &&
		    (json_is_null(freeze) ||
		     strcmp(PQgetvalue(res, i, 4),
			    json_string_value(json_object_get(freeze, "until"))) > 0)) {
			json_decref(freeze);
			freeze = json_pack("{s:o, s:o, s:[s, s, s, s]}", "until",
					   vhd_jval(res, i, 4), "by", vhd_jval(res, i, 1),
					   "restricts", "grade_raise", "planning", "training",
					   "appointment");
		}
	}
	json_object_set_new(rec, "assessments", years);
	json_object_set_new(rec, "career_freeze", freeze);
}

void
api_official_record(struct vhd_request *req, const struct vhd_params *p,
		    struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	char onbuf[VH_DATE_STRLEN], today[VH_DATE_STRLEN], id[24];
	vh_date on = vh_date_today();
	long long limit = 20;
	struct vhd_official_q oq = { 0 };
	struct vhd_pq q[VHD_OFFICIAL_PQ + 2];
	PGresult *res[VHD_OFFICIAL_PQ + 2] = { 0 };
	const char *cases_p[4], *cons_p[2];
	size_t n = 0;
	PGconn *conn = NULL;
	json_t *rec = NULL, *dec = NULL;

	if (!vhd_auth_role(req, resp, VHD_OP_RECORD))
		return;
	vhd_query_date(&in, "on", &on);
	vhd_query_int(&in, "limit", 1, 500, &limit);
	if (in.failed)
		return;
	vhd_datestr(onbuf, on);
	vhd_datestr(today, vh_date_today());
	if ((conn = vhd_conn(resp)) == NULL)
		return;
	if (official_find(conn, req, resp, p->v[0], VHD_OP_RECORD, id) < 0)
		goto out;
	/* the official object (its version, decisions and open cases), the
	 * cases and the consequences: one round trip */
	if ((n = vhd_official_pq(req, id, onbuf, &oq, q)) == 0) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	cases_p[0] = cons_p[0] = id;
	cases_p[1] = cons_p[1] = onbuf;
	cases_p[2] = today;
	cases_p[3] = vhd_register_zone();
	q[n++] = strcmp(onbuf, today) >= 0 ? (struct vhd_pq){ RECORD_CASES_NOW_SQL, 2, cases_p, 10 }
					   : (struct vhd_pq){ RECORD_CASES_SQL, 4, cases_p, 10 };
	q[n++] = (struct vhd_pq){ RECORD_CONSEQUENCES_SQL, 2, cons_p, 6 };
	if (vhd_qprep_all(conn, resp, n, q, res) < 0 ||
	    (rec = vhd_official_from(req, resp, res, n - 2, onbuf, &dec)) == NULL)
		goto out;
	/* the official object, extended: scripts reading it keep working */
	json_object_set_new(rec, "on", json_string(onbuf));
	json_object_set_new(rec, "decisions", dec);
	record_cases(rec, res[n - 2], limit);
	record_consequences(req, rec, res[n - 1]);
	vhd_reply_json(resp, 200, rec);
out:
	for (size_t i = 0; i < n; i++)
		PQclear(res[i]);
	free(oq.units);
	vhd_conn_put(conn);
}

/*
 * Eligibility for commendation of year $3 (31 December: $4): every active
 * official whose version on that day lies in the units of $1 (their ids,
 * vhd_scope_ids: the unit and those below, following merges; an array
 * whose size the planner sees), or anywhere when $2, with the first decision of the
 * year that stood on $5 and is a sanction, else the first case open on $5
 * about an act of the year or before. Keyset on the code ($6), LIMIT $7
 * (NULL: all). $8: today, $9: the register's zone.
 *
 * Set-based, so that its cost follows the officials asked for, not the
 * size of the register. Who is asked for (ELIG_PEOPLE) differs by scope:
 * a unit's officials start from the versions in its subtree
 * (official_versions_unit), each one's version on the day is one index
 * probe; the whole country's page walks the officials in code order and
 * stops at the limit; the whole country's export reads every official's
 * version on the day in one pass. Their cases are read once (pc), for the
 * decisions and the open cases of all of them at once.
 */
#define ELIG_VERSION_ON(id)                                                                \
	" CROSS JOIN LATERAL (SELECT v.unit_id, v.full_name, v.status"                      \
	"  FROM official_versions v WHERE v.official_id = " id " AND v.valid_from <= $4::date" \
	"  ORDER BY v.valid_from DESC, v.id DESC LIMIT 1) m"
/* the officials from o (officials) and m (their version on the day) as
 * people(id, code, full_name, unit), in code order after $6, LIMIT $7 */
#define ELIG_PEOPLE_SELECT(from, where)                                                    \
	"SELECT o.id, o.code, m.full_name, u.code AS unit" from                              \
	"  JOIN units u ON u.id = m.unit_id WHERE m.status = 'active' AND o.code > $6::text" \
	"  AND ($2::boolean OR m.unit_id = ANY($1::bigint[]))" where                        \
	"  ORDER BY o.code LIMIT $7::int"
#define ELIG_PEOPLE(from) "people AS MATERIALIZED (" ELIG_PEOPLE_SELECT(from, "") "), "
/* the same from ours (already in the scope and active): each one's code
 * probed by its key (officials_id_code, index-only; OFFSET 0: not a hash
 * of all officials), the units' codes hashed. Filtering ours again here
 * made the planner estimate 23 of 24,000 rows and probe units_pkey for
 * each official (3 of its 17 buffer accesses; session 6) */
#define ELIG_PEOPLE_OURS                                                                   \
	"SELECT m.official_id AS id, o.code, m.full_name, u.code AS unit FROM ours m"       \
	" CROSS JOIN LATERAL (SELECT o.code FROM officials o WHERE o.id = m.official_id"    \
	"  AND o.code > $6::text OFFSET 0) o JOIN units u ON u.id = m.unit_id"              \
	" ORDER BY o.code LIMIT $7::int"
#define ELIG_SQL(people)                                                                   \
	"WITH RECURSIVE " people                                                            \
	"pc AS MATERIALIZED (SELECT k.id, k.official_id, k.number, k.occurred_on,"           \
	"  k.detected_on, k.status FROM cases k WHERE k.official_id IN"                     \
	"  (SELECT id FROM people)), "                                                      \
	VHD_SQL_CHAIN_D("d.case_id IN (SELECT id FROM pc)"                                  \
		      " AND d.signed_on BETWEEN make_date($3::int, 1, 1) AND $4::date"      \
		      " AND d.signed_on <= $5::date", "$5::date")                           \
	", x AS (SELECT DISTINCT ON (k.official_id) k.official_id, y.symbol, y.form,"       \
	"  y.signed_on, y.case_id FROM cur JOIN decisions r ON r.id = cur.root"             \
	"  JOIN decisions y ON y.id = cur.id JOIN pc k ON k.id = r.case_id"                 \
	"  WHERE y.kind <> 'annulment' AND y.form <> 'none'"                                \
	"  ORDER BY k.official_id, r.signed_on, r.id),"                                     \
	" h AS (SELECT DISTINCT ON (k.official_id) k.official_id, k.number FROM pc k"       \
	"  WHERE k.occurred_on <= $4::date AND k.detected_on <= $5::date"                   \
	"  AND (CASE WHEN $5::date >= $8::date THEN k.status IN " VHD_SQL_OPEN_STATUSES      \
	"   ELSE " VHD_SQL_CASE_OPEN_ON("k", "$5::date", "$9::text") " END)"                \
	"  ORDER BY k.official_id, k.id)"                                                   \
	"SELECT p.code, p.full_name, p.unit,"                                               \
	" CASE WHEN x.symbol IS NOT NULL THEN 'not_eligible'"                               \
	"  WHEN h.number IS NOT NULL THEN 'held' ELSE 'eligible' END,"                      \
	" x.symbol, x.form, x.signed_on, xc.number, h.number"                               \
	" FROM people p LEFT JOIN x ON x.official_id = p.id"                                \
	" LEFT JOIN cases xc ON xc.id = x.case_id"                                          \
	" LEFT JOIN h ON h.official_id = p.id"                                              \
	" ORDER BY p.code"

static const char *const eligibility_sql[] = {
	/* the units of $1: the officials with a version there by the day
	 * (cand); a page of a large scope walks the officials in code order,
	 * keeping those whose version on the day is in the scope, until the
	 * page is full (cost: the page times the register over the scope),
	 * otherwise each one's version on the day, then their order (cost:
	 * the scope); "walk" says which, by comparing the two. The walk must
	 * not test "o.id IN cand": at 2.5 M officials the planner estimates
	 * cand too big to hash and scans it for every official walked (25 s
	 * for a province of 40,000; 65 ms without, docs/performance.md).
	 * cand in id order: each official's version, then the official, is
	 * probed in the order of the indexes and (mostly) of the tables, a
	 * sixth fewer pages read from the OS cache for a province (session 4) */
	ELIG_SQL("cand AS MATERIALIZED (SELECT DISTINCT v.official_id FROM official_versions v"
		 "  WHERE v.unit_id = ANY($1::bigint[]) AND v.valid_from <= $4::date ORDER BY 1),"
		 " walk AS MATERIALIZED (SELECT true WHERE (SELECT count(*) FROM cand)::float8 ^ 2"
		 "  > $7::int * (SELECT reltuples FROM pg_class WHERE oid = 'officials'::regclass)),"
		 " ours AS MATERIALIZED (SELECT w.official_id, m.unit_id, m.full_name"
		 "  FROM cand w" ELIG_VERSION_ON("w.official_id")
		 "  WHERE m.unit_id = ANY($1::bigint[]) AND m.status = 'active'"
		 "  AND NOT EXISTS (SELECT FROM walk)),"
		 " people AS MATERIALIZED (("
		 ELIG_PEOPLE_OURS
		 ") UNION ALL ("
		 ELIG_PEOPLE_SELECT(" FROM officials o" ELIG_VERSION_ON("o.id"),
				    " AND EXISTS (SELECT FROM walk)")
		 ")), "),
	/* everywhere, a page: in code order, up to the limit */
	ELIG_SQL(ELIG_PEOPLE(" FROM officials o" ELIG_VERSION_ON("o.id"))),
	/* everywhere, all: every official's version on the day in one pass */
	ELIG_SQL(ELIG_PEOPLE(" FROM (SELECT DISTINCT ON (v.official_id) v.official_id,"
			     "  v.unit_id, v.full_name, v.status FROM official_versions v"
			     "  WHERE v.valid_from <= $4::date"
			     "  ORDER BY v.official_id, v.valid_from DESC, v.id DESC) m"
			     " JOIN officials o ON o.id = m.official_id")),
};

const char *
vhd_eligibility_sql(const struct vhd_eligibility *e)
{
	return eligibility_sql[!e->all ? 0 : e->p[6] ? 1 : 2];
}
const int vhd_eligibility_ncols = 9;

int
vhd_eligibility_params(struct vhd_request *req, struct vhd_response *resp, PGconn *conn,
		       struct vhd_eligibility *e)
{
	char uid[24], *codes;
	int r;

	if ((r = vhd_named_unit(conn, req, resp, e->unit, VHD_OP_RECORD, uid)) < 0)
		return -1;
	codes = r == 1 ? vh_asprintf("{\"%s\"}", e->unit) : vhd_auth_units_array(req);
	e->all = r == 0 && vhd_auth_all_units(req);
	if (e->all)
		e->scope = strdup("{}");
	else if (codes && vhd_scope_ids(conn, resp, codes, &e->scope) < 0) {
		free(codes);
		return -1;
	}
	free(codes);
	if (e->scope == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	snprintf(e->year_s, sizeof(e->year_s), "%d", e->year);
	snprintf(e->end, sizeof(e->end), "%04d-12-31", e->year);
	vhd_datestr(e->today, vh_date_today());
	e->p[0] = e->scope;
	e->p[1] = e->all ? "t" : "f";
	e->p[2] = e->year_s;
	e->p[3] = e->end;
	e->p[4] = e->on;
	e->p[5] = e->after ? e->after : "";
	e->p[6] = NULL;
	e->p[7] = e->today;
	e->p[8] = vhd_register_zone();
	return 0;
}

/* one row of the eligibility query as JSON */
static json_t *
eligibility_row(struct vhd_request *req, const PGresult *res, int i)
{
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	const char *form = vhd_val(res, i, 5);

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "official", vhd_jval(res, i, 0),
			 "full_name", vhd_jval(res, i, 1), "unit", vhd_jval(res, i, 2),
			 "status", vhd_jval(res, i, 3), "decision",
			 form ? json_pack("{s:o, s:s, s:s*, s:o, s:o}", "number",
					  vhd_jval(res, i, 4), "form", form, "form_name",
					  legal ? vh_legal_form_name(legal, form) : NULL,
					  "signed_on", vhd_jval(res, i, 6), "case",
					  vhd_jval(res, i, 7))
			      : json_null(),
			 "case", vhd_jval(res, i, 8));
}

void
api_eligibility(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	struct vhd_eligibility e = { 0 };
	long long year = 0, limit = 100;
	vh_date on = vh_date_today();
	char lim[24];
	PGconn *conn = NULL;
	PGresult *res = NULL;
	json_t *items;
	int n;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_RECORD))
		return;
	if (vhd_query(req, "year") == NULL) {
		vhd_in_fail(&in, "year", "query parameter 'year' is required");
		return;
	}
	vhd_query_int(&in, "year", 1900, 9999, &year);
	vhd_query_code(&in, "unit", &e.unit);
	vhd_query_code(&in, "after", &e.after);
	vhd_query_int(&in, "limit", 1, 1000, &limit);
	vhd_query_date(&in, "on", &on);
	if (in.failed)
		return;
	e.year = (int)year;
	vhd_datestr(e.on, on);
	if ((conn = vhd_conn_read(resp)) == NULL)
		return;
	if (vhd_eligibility_params(req, resp, conn, &e) < 0)
		goto out;
	snprintf(lim, sizeof(lim), "%lld", limit + 1);
	e.p[6] = lim;
	if ((res = vhd_qrows(conn, resp, vhd_eligibility_sql(&e), VHD_ELIGIBILITY_NPARAMS, e.p,
			     vhd_eligibility_ncols)) == NULL)
		goto out;
	items = json_array();
	n = PQntuples(res);
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, eligibility_row(req, res, i));
	vhd_reply_json(resp, 200,
		       json_pack("{s:i, s:s, s:s, s:o, s:o}", "year", e.year, "as_of", e.end,
				 "on", e.on, "items", items, "next",
				 n > limit ? json_string(PQgetvalue(res, (int)limit - 1, 0))
					   : json_null()));
out:
	PQclear(res);
	free(e.scope);
	vhd_conn_put(conn);
}

/* rows of sql as a JSON array of objects (column names as keys) */
static json_t *
rows_json(PGconn *conn, struct vhd_response *resp, const char *sql, const char *id)
{
	PGresult *res = vhd_q(conn, resp, sql, 1, (const char *[]){ id });
	json_t *a;

	if (res == NULL)
		return NULL;
	a = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *o = json_object();
		for (int k = 0; k < PQnfields(res); k++)
			json_object_set_new(o, PQfname(res, k), vhd_jval(res, i, k));
		json_array_append_new(a, o);
	}
	PQclear(res);
	return a;
}

void
api_official_export(struct vhd_request *req, const struct vhd_params *p,
		    struct vhd_response *resp)
{
	static const struct {
		const char *key, *sql;
	} parts[] = {
		{ "official", "SELECT o.code, o.full_name, o.category, o.leader, u.code AS unit,"
			      " o.position, o.status, " VHD_SQL_TIME("o.updated_at") " AS updated_at"
			      " FROM officials o JOIN units u ON u.id = o.unit_id WHERE o.id = $1::bigint" },
		{ "versions", "SELECT to_char(v.valid_from, 'YYYY-MM-DD') AS valid_from, v.full_name,"
			      " v.category, v.leader, u.code AS unit, v.position, v.status, v.actor, "
			      VHD_SQL_TIME("v.at") " AS at FROM official_versions v"
			      " JOIN units u ON u.id = v.unit_id WHERE v.official_id = $1::bigint"
			      " ORDER BY v.valid_from, v.id" },
		{ "council_memberships", "SELECT c.number AS case FROM council_members m"
					 " JOIN cases c ON c.id = m.case_id"
					 " WHERE m.official_id = $1::bigint ORDER BY c.id" },
		{ "effect_endings", "SELECT d.symbol AS number, e.kind, to_char(e.ended_on,"
				    " 'YYYY-MM-DD') AS ended_on FROM effect_endings e"
				    " JOIN decisions d ON d.id = e.decision_id JOIN cases c"
				    " ON c.id = d.case_id WHERE c.official_id = $1::bigint"
				    " ORDER BY e.ended_on, d.id" },
		{ "changes", "SELECT ch.pos::text AS cursor, ch.kind, " VHD_SQL_TIME("ch.at") " AS at,"
			     " ch.data::text AS data FROM changes ch"
			     " WHERE ch.official_id = $1::bigint ORDER BY ch.id" },
	};
	char id[24];
	PGconn *conn = vhd_conn(resp);
	PGresult *cs = NULL;
	json_t *doc = NULL, *v, *cases, *ch;
	size_t k;

	if (!vhd_auth_role(req, resp, VHD_OP_RECORD) || conn == NULL)
		goto out;
	if (official_find(conn, req, resp, p->v[0], VHD_OP_RECORD, id) < 0)
		goto out;
	doc = json_object();
	for (size_t i = 0; i < VH_NELEM(parts); i++) {
		if ((v = rows_json(conn, resp, parts[i].sql, id)) == NULL)
			goto out;
		if (i == 0) {
			json_object_set(doc, parts[i].key, json_array_get(v, 0));
			json_decref(v);
		} else {
			json_object_set_new(doc, parts[i].key, v);
		}
	}
	/* a change's data is JSON text: make it JSON again */
	json_array_foreach(json_object_get(doc, "changes"), k, ch)
		json_object_set_new(ch, "data",
				    json_loads(json_string_value(json_object_get(ch, "data")), 0,
					       NULL));
	if ((cs = vhd_qrows(conn, resp, "SELECT id FROM cases WHERE official_id = $1::bigint"
				       " ORDER BY id", 1, (const char *[]){ id }, 1)) == NULL)
		goto out;
	cases = json_array();
	json_object_set_new(doc, "cases", cases);
	for (int i = 0; i < PQntuples(cs); i++) {
		json_t *c = vhd_case_json(conn, req, resp, PQgetvalue(cs, i, 0), true);
		if (c == NULL)
			goto out;
		json_array_append_new(cases, c);
	}
	json_object_set_new(doc, "legal_basis", json_string("Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Nghị định 356/2025/NĐ-CP"));
	vhd_reply_json(resp, 200, doc);
	doc = NULL;
out:
	json_decref(doc);
	PQclear(cs);
	vhd_conn_put(conn);
}
