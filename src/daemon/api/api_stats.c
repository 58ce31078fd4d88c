/*
 * Statistics for monitoring the plan (GET /v1/stats) and early warnings
 * (GET /v1/warnings). Both count within the identity's units, or within a
 * named unit and everything below it (following merges).
 */
#include <stdio.h>
#include <stdlib.h>

#include "dbq.h"
#include "json_in.h"
#include "reports.h"
#include "routes.h"

/* the scope parameters: a named unit, else the identity's units */
static int
scope_of(PGconn *conn, struct vhd_request *req, struct vhd_response *resp, const char *unit,
	 enum vhd_op op, char **scope, bool *all)
{
	char uid[24];
	int r = vhd_named_unit(conn, req, resp, unit, op, uid);

	if (r < 0)
		return -1;
	*scope = r == 1 ? vh_asprintf("{\"%s\"}", unit) : vhd_auth_units_array(req);
	*all = r == 0 && vhd_auth_all_units(req);
	if (*scope == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * One fact per row: a case reported (detected) in the window, a decision
 * signed in it, or a rejection, appeal or closing recorded in it; with
 * the unit, rule and source of the case it belongs to, within the scope.
 * $3..$4: the window. Computed once for every breakdown of the answer.
 */
#define SQL_FACTS                                                                          \
	" facts(m, unit_id, rule_version_id, source, day, form, days, within) AS MATERIALIZED (" \
	"  SELECT 'reported', c.unit_id, c.rule_version_id, c.source, c.detected_on,"        \
	"   NULL::text, NULL::int, NULL::boolean"                                             \
	"  FROM cases c WHERE c.detected_on BETWEEN $3::date AND $4::date" IN_SCOPE          \
	"  UNION ALL SELECT CASE d.kind WHEN 'decision' THEN 'decided' WHEN 'change'"         \
	"   THEN 'changed' ELSE 'annulled' END, c.unit_id, c.rule_version_id, c.source,"      \
	"   d.signed_on, d.form::text, d.signed_on - c.detected_on,"                          \
	"   d.signed_on <= c.handling_deadline"                                               \
	"  FROM decisions d JOIN cases c ON c.id = d.case_id"                                 \
	"  WHERE d.signed_on BETWEEN $3::date AND $4::date" IN_SCOPE                          \
	"  UNION ALL SELECT CASE WHEN e.kind IN ('waived', 'expired') THEN 'closed'"          \
	"   ELSE e.kind END, c.unit_id, c.rule_version_id, c.source,"                         \
	"   (e.at AT TIME ZONE $5::text)::date, NULL, NULL, NULL"                             \
	"  FROM case_events e JOIN cases c ON c.id = e.case_id"                               \
	"  WHERE e.kind IN ('rejected', 'appealed', 'closed', 'waived', 'expired')"           \
	"   AND e.at >= $3::date::timestamp AT TIME ZONE $5::text"                            \
	"   AND e.at < ($4::date + 1)::timestamp AT TIME ZONE $5::text" IN_SCOPE ")"
#define IN_SCOPE " AND ($2::boolean OR c.unit_id IN (SELECT id FROM scope))"

/* the grouping keys of ?by= (NULL: the totals); unit is rolled up the tree */
static const struct {
	const char *by, *key;
} groupings[] = {
	{ NULL, "'total'" },
	{ "rule", "rv.code::text" },
	{ "group", "rv.grp::text" },
	{ "unit", "au.code::text" },
	{ "month", "to_char(f.day, 'YYYY-MM')" },
	{ "source", "f.source" },
	{ "form", "f.form" },
};

static const char *const metrics[] = { "reported", "decided", "changed", "annulled",
				       "rejected", "appealed", "closed" };

/*
 * The percentile p of the days to decision of a group, from d: its
 * distinct days with their cumulative count (cum) and the group's count
 * (tot). Exactly what percentile_cont(p) WITHIN GROUP (ORDER BY days)
 * computes over the facts themselves (PostgreSQL's float8 arithmetic:
 * rows floor(h) and ceil(h), h = p * (tot - 1), interpolated), without
 * sorting every fact: the facts are counted by day first.
 */
#define SQL_PCT(p)                                                                         \
	"CASE WHEN floor(" p " * (tot - 1)::float8) = ceil(" p " * (tot - 1)::float8)"          \
	" THEN min(days) FILTER (WHERE cum > floor(" p " * (tot - 1)::float8))::float8"          \
	" ELSE min(days) FILTER (WHERE cum > floor(" p " * (tot - 1)::float8))::float8"          \
	" + ((" p " * (tot - 1)::float8 - floor(" p " * (tot - 1)::float8))"                     \
	" * (min(days) FILTER (WHERE cum > ceil(" p " * (tot - 1)::float8))::float8"             \
	" - min(days) FILTER (WHERE cum > floor(" p " * (tot - 1)::float8))::float8)) END"

/*
 * One statement for every breakdown wanted (want[0..n-1], indexes into
 * groupings): the facts are read once; each breakdown is a branch of a
 * UNION ALL numbered by its place in want that counts its facts by key,
 * metric and days (units: counted by unit first, then rolled up the
 * tree), so the rows sorted are counts, not facts.
 */
static char *
stats_sql(const size_t *want, size_t n)
{
	char *branches = vh_asprintf("%s", ""), *sql;

	for (size_t w = 0; w < n && branches; w++) {
		size_t g = want[w];
		const char *key = groupings[g].key;
		bool unit = groupings[g].by && strcmp(groupings[g].by, "unit") == 0;
		char *b;

		if (unit)
			b = vh_asprintf(
				"%s%s SELECT %zu AS g, %s AS key, x.m, x.days, sum(x.n) AS n,"
				" sum(x.nw) AS nw FROM (SELECT f.unit_id, f.m, f.days, count(*) AS n,"
				" count(*) FILTER (WHERE f.within) AS nw FROM facts f GROUP BY 1, 2, 3) x"
				" JOIN up ON up.unit_id = x.unit_id JOIN units au ON au.id = up.anc"
				" WHERE ($2::boolean OR up.anc IN (SELECT id FROM scope))"
				" GROUP BY 2, 3, 4",
				branches, w ? " UNION ALL" : "", w, key);
		else
			b = vh_asprintf(
				"%s%s SELECT %zu AS g, %s AS key, f.m, f.days, count(*) AS n,"
				" count(*) FILTER (WHERE f.within) AS nw FROM facts f%s"
				" GROUP BY 2, 3, 4",
				branches, w ? " UNION ALL" : "", w, key,
				strncmp(key, "rv.", 3) == 0
					? " JOIN rule_versions rv ON rv.id = f.rule_version_id"
					: "");
		free(branches);
		branches = b;
	}
	if (branches == NULL)
		return NULL;
	sql = vh_asprintf(
		VHD_SQL_UNITS_DOWN("$1") ","
		" up(unit_id, anc) AS (SELECT id, id FROM units UNION"
		"  SELECT up.unit_id, coalesce(u.merged_into, u.parent_id) FROM up"
		"  JOIN units u ON u.id = up.anc WHERE coalesce(u.merged_into, u.parent_id)"
		"  IS NOT NULL),"
		SQL_FACTS ","
		" t AS MATERIALIZED (%s),"
		" d AS (SELECT g, key, days, sum(n) OVER (PARTITION BY g, key ORDER BY days) AS cum,"
		"  sum(n) OVER (PARTITION BY g, key) AS tot FROM t WHERE m = 'decided'),"
		" p AS (SELECT g, key, " SQL_PCT("0.5::float8") " AS p50, "
		SQL_PCT("0.9::float8") " AS p90 FROM d GROUP BY g, key, tot),"
		" c AS (SELECT g, key,"
		"  coalesce(sum(n) FILTER (WHERE m = 'reported'), 0) AS reported,"
		"  coalesce(sum(n) FILTER (WHERE m = 'decided'), 0) AS decided,"
		"  coalesce(sum(n) FILTER (WHERE m = 'changed'), 0) AS changed,"
		"  coalesce(sum(n) FILTER (WHERE m = 'annulled'), 0) AS annulled,"
		"  coalesce(sum(n) FILTER (WHERE m = 'rejected'), 0) AS rejected,"
		"  coalesce(sum(n) FILTER (WHERE m = 'appealed'), 0) AS appealed,"
		"  coalesce(sum(n) FILTER (WHERE m = 'closed'), 0) AS closed,"
		"  coalesce(sum(nw) FILTER (WHERE m = 'decided'), 0) AS within"
		"  FROM t WHERE key IS NOT NULL GROUP BY g, key)"
		" SELECT c.key, reported, decided, changed, annulled, rejected, appealed, closed,"
		" p50, p90, within, c.g FROM c LEFT JOIN p ON p.g = c.g AND p.key = c.key"
		" ORDER BY c.g, c.key",
		branches);
	free(branches);
	return sql;
}

/* a count, or "<5" for 1..4 in public figures */
static json_t *
cell(const char *v, bool public)
{
	long long n = atoll(v);

	if (public && n > 0 && n < 5)
		return json_string("<5");
	return json_integer(n);
}

static json_t *
stats_row(const PGresult *res, int i, bool public)
{
	json_t *o = json_object();
	long long decided = atoll(PQgetvalue(res, i, 2));
	bool few = public && decided < 5;

	json_object_set_new(o, "key", vhd_jval(res, i, 0));
	for (size_t k = 0; k < VH_NELEM(metrics); k++)
		json_object_set_new(o, metrics[k], cell(PQgetvalue(res, i, 1 + (int)k), public));
	/* too few decisions: no median, no share, in public figures */
	json_object_set_new(o, "median_days_to_decision",
			    vhd_val(res, i, 8) && !few ? json_real(atof(PQgetvalue(res, i, 8)))
						       : json_null());
	json_object_set_new(o, "p90_days_to_decision",
			    vhd_val(res, i, 9) && !few ? json_real(atof(PQgetvalue(res, i, 9)))
						       : json_null());
	json_object_set_new(o, "decided_within_deadline",
			    decided > 0 && !few
				    ? json_real((double)atoll(PQgetvalue(res, i, 10)) / (double)decided)
				    : json_null());
	return o;
}

void
api_stats(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	const char *unit = NULL, *by = NULL, *pub = NULL;
	vh_date today = vh_date_today(), from, to = today;
	char fbuf[VH_DATE_STRLEN], tbuf[VH_DATE_STRLEN], *scope = NULL;
	size_t want[4] = { 0, 0, 0, 0 }, nwant = 0;
	PGconn *conn = NULL;
	PGresult *res;
	json_t *out = NULL, *rows[4];
	char *sql;
	bool all, public;
	int y, m, d;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_STATS))
		return;
	vh_date_to_ymd(today, &y, &m, &d);
	from = vh_date_from_ymd(y, 1, 1);
	vhd_query_date(&in, "from", &from);
	vhd_query_date(&in, "to", &to);
	vhd_query_code(&in, "unit", &unit);
	vhd_query_str(&in, "by", 16, &by);
	vhd_query_str(&in, "public", 5, &pub);
	if (in.failed)
		return;
	if (pub && strcmp(pub, "true") != 0 && strcmp(pub, "false") != 0) {
		vhd_in_fail(&in, "public", "'public' must be true or false");
		return;
	}
	public = pub && strcmp(pub, "true") == 0;
	if (from > to) {
		vhd_in_fail(&in, "from", "'from' is after 'to'");
		return;
	}
	/* the totals, outcomes by form, reports by channel, and ?by= */
	want[nwant++] = 0;
	if (by) {
		size_t g;
		for (g = 1; g < VH_NELEM(groupings) && strcmp(groupings[g].by, by) != 0; g++)
			;
		if (g == VH_NELEM(groupings)) {
			vhd_in_fail(&in, "by", "'by' must be rule, group, unit, month, source or form");
			return;
		}
		want[nwant++] = g;
	}
	vhd_datestr(fbuf, from);
	vhd_datestr(tbuf, to);
	if ((conn = vhd_conn_read(resp)) == NULL)
		return;
	if (scope_of(conn, req, resp, unit, VHD_OP_STATS, &scope, &all) < 0)
		goto out;
	out = json_pack("{s:s, s:s, s:o, s:b, s:o}", "from", fbuf, "to", tbuf, "unit",
			unit ? json_string(unit) : json_null(), "public", public, "by",
			by ? json_string(by) : json_null());
	/* 5: source, 6: form, as the two fixed breakdowns */
	want[nwant++] = 5;
	want[nwant++] = 6;
	sql = stats_sql(want, nwant);
	res = sql ? vhd_qrows(conn, resp, sql, 5,
			      (const char *[]){ scope, all ? "t" : "f", fbuf, tbuf,
						vhd_register_zone() },
			      12)
		  : NULL;
	free(sql);
	if (res == NULL) {
		json_decref(out);
		out = NULL;
		goto out;
	}
	for (size_t w = 0; w < nwant; w++)
		rows[w] = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		size_t w = (size_t)atoi(PQgetvalue(res, i, 11));
		/* outcomes are the forms decided (an annulment's "none" is not) */
		if (w >= nwant || (w == nwant - 1 && atoll(PQgetvalue(res, i, 2)) +
							     atoll(PQgetvalue(res, i, 3)) == 0))
			continue;
		json_array_append_new(rows[w], stats_row(res, i, public));
	}
	PQclear(res);
	for (size_t w = 0; w < nwant; w++) {
		if (w == 0) {
			json_t *t = json_array_get(rows[w], 0);
			if (t == NULL) {
				/* nothing in the window: zeros */
				t = json_object();
				for (size_t k = 0; k < VH_NELEM(metrics); k++)
					json_object_set_new(t, metrics[k], json_integer(0));
				json_object_set_new(t, "median_days_to_decision", json_null());
				json_object_set_new(t, "p90_days_to_decision", json_null());
				json_object_set_new(t, "decided_within_deadline", json_null());
				json_array_append_new(rows[w], t);
			}
			json_object_set(out, "totals", t);
			json_object_del(t, "key");
			json_decref(rows[w]);
		} else if (w < nwant - 2) {
			json_object_set_new(out, "groups", rows[w]);
		} else {
			json_object_set_new(out, w == nwant - 2 ? "reports_by_source"
							     : "outcomes_by_form",
					    rows[w]);
		}
	}
	vhd_reply_json(resp, 200, out);
	out = NULL;
out:
	json_decref(out);
	free(scope);
	vhd_conn_put(conn);
}

void
api_warnings(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	const struct vhd_config *cfg = vhd_http_config();
	const char *unit = NULL;
	char since[VH_DATE_STRLEN], nbuf[16], *scope = NULL;
	PGconn *conn = NULL;
	PGresult *res = NULL;
	json_t *items;
	bool all;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_STATS))
		return;
	vhd_query_code(&in, "unit", &unit);
	if (in.failed)
		return;
	vhd_datestr(since, vh_date_today() - cfg->warn_window_days);
	snprintf(nbuf, sizeof(nbuf), "%d", cfg->warn_cases);
	if ((conn = vhd_conn_read(resp)) == NULL)
		return;
	if (scope_of(conn, req, resp, unit, VHD_OP_STATS, &scope, &all) < 0)
		goto out;
	/* officials, then units, with at least N cases of one group (not
	 * rejected) detected since the window began */
	res = vhd_qrows(conn, resp,
			VHD_SQL_UNITS_DOWN("$1")
			", k AS (SELECT c.id, c.number, c.official_id, c.unit_id, rv.grp"
			"  FROM cases c JOIN rule_versions rv ON rv.id = c.rule_version_id"
			"  WHERE c.detected_on >= $3::date AND c.status <> 'rejected'"
			"  AND ($2::boolean OR c.unit_id IN (SELECT id FROM scope)))"
			" SELECT 'official', o.code, o.full_name, k.grp, count(*),"
			"  array_to_json(array_agg(k.number ORDER BY k.id))::text"
			" FROM k JOIN officials o ON o.id = k.official_id GROUP BY o.code, o.full_name, k.grp"
			" HAVING count(*) >= $4::int"
			" UNION ALL SELECT 'unit', u.code, u.name, k.grp, count(*),"
			"  array_to_json(array_agg(k.number ORDER BY k.id))::text"
			" FROM k JOIN units u ON u.id = k.unit_id GROUP BY u.code, u.name, k.grp"
			" HAVING count(*) >= $4::int ORDER BY 1, 2, 4",
			4, (const char *[]){ scope, all ? "t" : "f", since, nbuf }, 6);
	if (res == NULL)
		goto out;
	items = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(
			items, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "kind", vhd_jval(res, i, 0),
					 "code", vhd_jval(res, i, 1), "name", vhd_jval(res, i, 2),
					 "group", vhd_jval(res, i, 3), "cases", vhd_jint(res, i, 4),
					 "numbers", json_loads(PQgetvalue(res, i, 5), 0, NULL)));
	vhd_reply_json(resp, 200,
		       json_pack("{s:i, s:i, s:s, s:o}", "threshold", cfg->warn_cases,
				 "window_days", cfg->warn_window_days, "since", since, "items",
				 items));
out:
	PQclear(res);
	free(scope);
	vhd_conn_put(conn);
}
