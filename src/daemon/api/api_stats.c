/*
 * Statistics for monitoring the plan (GET /v1/stats) and early warnings
 * (GET /v1/warnings). Both count within the identity's units, or within a
 * named unit and everything below it (following merges).
 */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * The cases come from cases_detected alone (it includes the three); the
 * decisions and events from stat_facts (migration 0091), which carries
 * them, so that no fact joins the cases.
 */
#define SQL_FACTS                                                                          \
	" facts(m, unit_id, rule_version_id, source, day, form, days, within) AS ("           \
	"  SELECT 'reported', c.unit_id, c.rule_version_id, c.source, c.detected_on,"        \
	"   NULL::text, NULL::int, NULL::boolean"                                             \
	"  FROM cases c WHERE c.detected_on BETWEEN $3::date AND $4::date" IN_SCOPE          \
	"  UNION ALL SELECT c.m, c.unit_id, c.rule_version_id, c.source, c.day, c.form,"      \
	"   c.days, c.day <= c.deadline"                                                      \
	"  FROM stat_facts c WHERE c.day BETWEEN $3::date AND $4::date" IN_SCOPE             \
	"  UNION ALL SELECT c.m, c.unit_id, c.rule_version_id, c.source,"                     \
	"   (c.at AT TIME ZONE $5::text)::date, NULL, NULL, NULL"                             \
	"  FROM stat_facts c WHERE c.at >= $3::date::timestamp AT TIME ZONE $5::text"         \
	"   AND c.at < ($4::date + 1)::timestamp AT TIME ZONE $5::text" IN_SCOPE ")"
#define IN_SCOPE " AND ($2::boolean OR c.unit_id IN (SELECT id FROM scope))"

/*
 * The grouping keys of ?by= (NULL: the totals): the facts are counted by
 * `fact` first (one pass for every breakdown, GROUPING SETS), then each
 * breakdown maps its counts to `key` (k.kN: that first count's key) —
 * units up the tree (rolled up), rules to their code or group.
 */
static const struct {
	const char *by, *fact, *key;
} groupings[] = {
	{ NULL, "'total'::text", NULL },
	{ "rule", "f.rule_version_id", "rv.code::text" },
	{ "group", "f.rule_version_id", "rv.grp::text" },
	{ "unit", "f.unit_id", "au.code::text" },
	{ "month", "to_char(f.day, 'YYYY-MM')", NULL },
	{ "source", "f.source", NULL },
	{ "form", "f.form", NULL },
};

static const char *const metrics[] = { "reported", "decided", "changed", "annulled",
				       "rejected", "appealed", "closed" };

/* append printf(fmt, ...) to *s (NULL stays NULL: out of memory) */
static void VH_PRINTF(2, 3)
cat(char **s, const char *fmt, ...)
{
	va_list ap;
	char *more = NULL, *both;

	va_start(ap, fmt);
	if (*s && vasprintf(&more, fmt, ap) < 0)
		more = NULL;
	va_end(ap);
	both = *s && more ? vh_asprintf("%s%s", *s, more) : NULL;
	free(*s);
	free(more);
	*s = both;
}

/*
 * One statement for every breakdown wanted (want[0..n-1], indexes into
 * groupings): the facts are read once and counted by metric and days to
 * decision under each distinct first key (k, one grouping set each; days
 * only for decisions, the only ones whose days are used); each breakdown
 * is a branch of t numbered by its place in want, keyed (units rolled up
 * the tree by unit id first, then named), and one row per breakdown and
 * key has its counts and the histogram of days to decision (days in
 * order, how many each) from which the median and p90 are computed here.
 */
static char *
stats_sql(const size_t *want, size_t n)
{
	const char *cols[4];
	size_t col[4], ncol = 0;
	char *sets = vh_asprintf("%s", ""), *keys = vh_asprintf("%s", ""),
	     *branches = vh_asprintf("%s", ""), *sql;

	/* one grouping set per distinct first key */
	for (size_t w = 0; w < n; w++) {
		const char *fact = groupings[want[w]].fact;
		size_t c;

		for (c = 0; c < ncol && strcmp(cols[c], fact) != 0; c++)
			;
		if (c == ncol) {
			cols[ncol++] = fact;
			cat(&keys, "%s AS k%zu", fact, c);
			cat(&keys, "%s", ", ");
			cat(&sets, "%s(k%zu, m, days)", c ? ", " : "", c);
		}
		col[w] = c;
	}
	for (size_t w = 0; w < n; w++) {
		const char *by = groupings[want[w]].by, *key = groupings[want[w]].key;
		/* GROUPING(k0, ..., kN): a 1 for each key not grouped, k0 first */
		unsigned mask = ((1u << ncol) - 1) & ~(1u << (ncol - 1 - col[w]));

		if (w)
			cat(&branches, "%s", " UNION ALL");
		if (by && strcmp(by, "unit") == 0)
			cat(&branches,
			    " SELECT %zu AS g, %s AS key, y.m, y.days, y.n, y.nw FROM"
			    " (SELECT up.anc, k.m, k.days, sum(k.n) AS n, sum(k.nw) AS nw"
			    " FROM k JOIN up ON up.unit_id = k.k%zu WHERE k.gs = %u"
			    " AND ($2::boolean OR up.anc IN (SELECT id FROM scope))"
			    " GROUP BY 1, 2, 3) y JOIN units au ON au.id = y.anc",
			    w, key, col[w], mask);
		else if (key)
			cat(&branches,
			    " SELECT %zu AS g, %s AS key, k.m, k.days, sum(k.n) AS n, sum(k.nw) AS nw"
			    " FROM k JOIN rule_versions rv ON rv.id = k.k%zu WHERE k.gs = %u"
			    " GROUP BY 2, 3, 4",
			    w, key, col[w], mask);
		else
			cat(&branches,
			    " SELECT %zu AS g, k.k%zu::text AS key, k.m, k.days, k.n, k.nw FROM k"
			    " WHERE k.gs = %u",
			    w, col[w], mask);
	}
	if (sets == NULL || keys == NULL || branches == NULL) {
		free(sets);
		free(keys);
		free(branches);
		return NULL;
	}
	sql = vh_asprintf(
		VHD_SQL_UNITS_DOWN("$1") ","
		" up(unit_id, anc) AS (SELECT id, id FROM units UNION"
		"  SELECT up.unit_id, coalesce(u.merged_into, u.parent_id) FROM up"
		"  JOIN units u ON u.id = up.anc WHERE coalesce(u.merged_into, u.parent_id)"
		"  IS NOT NULL),"
		SQL_FACTS ","
		" k AS MATERIALIZED (SELECT GROUPING(%.*s) AS gs, %.*s, m, days, count(*) AS n,"
		"  count(*) FILTER (WHERE f.within) AS nw FROM (SELECT %s f.m,"
		"  CASE WHEN f.m = 'decided' THEN f.days END AS days, f.within FROM facts f) f"
		"  GROUP BY GROUPING SETS (%s)),"
		" t AS (%s)"
		" SELECT key,"
		"  coalesce(sum(n) FILTER (WHERE m = 'reported'), 0) AS reported,"
		"  coalesce(sum(n) FILTER (WHERE m = 'decided'), 0) AS decided,"
		"  coalesce(sum(n) FILTER (WHERE m = 'changed'), 0) AS changed,"
		"  coalesce(sum(n) FILTER (WHERE m = 'annulled'), 0) AS annulled,"
		"  coalesce(sum(n) FILTER (WHERE m = 'rejected'), 0) AS rejected,"
		"  coalesce(sum(n) FILTER (WHERE m = 'appealed'), 0) AS appealed,"
		"  coalesce(sum(n) FILTER (WHERE m = 'closed'), 0) AS closed,"
		"  array_agg(ARRAY[days::bigint, n::bigint]) FILTER (WHERE m = 'decided'),"
		"  coalesce(sum(nw) FILTER (WHERE m = 'decided'), 0) AS within, g"
		" FROM t WHERE key IS NOT NULL GROUP BY g, key ORDER BY g, key",
		(int)(4 * ncol - 2), "k0, k1, k2, k3", (int)(4 * ncol - 2), "k0, k1, k2, k3", keys,
		sets, branches);
	free(sets);
	free(keys);
	free(branches);
	return sql;
}

/* a group's decisions with the same days to decision */
struct bin {
	long long days, n;
};

static int
bin_cmp(const void *a, const void *b)
{
	const struct bin *x = a, *y = b;

	return (x->days > y->days) - (x->days < y->days);
}

/*
 * A group's histogram of days to decision, {{days,n},...} as PostgreSQL
 * prints a two-dimensional array of integers, in order of days: how many
 * bins (0: none or unreadable), *out to free.
 */
static size_t
histogram(const char *s, struct bin **out)
{
	size_t n = 0, cap = 0;
	struct bin *b = NULL;
	char *end;

	*out = NULL;
	if (s == NULL || *s++ != '{')
		return 0;
	while (*s == '{') {
		struct bin v;

		v.days = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end != ',')
			break;
		s = end + 1;
		v.n = strtoll(s, &end, 10);
		if (end == s || *end != '}' || v.n <= 0)
			break;
		s = end + 1 + (end[1] == ',');
		if (n == cap) {
			struct bin *more = realloc(b, (cap = cap ? 2 * cap : 64) * sizeof(*b));
			if (more == NULL)
				break;
			b = more;
		}
		b[n++] = v;
	}
	if (*s != '}') {
		free(b);
		return 0;
	}
	qsort(b, n, sizeof(*b), bin_cmp);
	*out = b;
	return n;
}

/*
 * The percentile p of the days to decision from a group's histogram (nb
 * bins in order of days, tot decisions), exactly as percentile_cont(p)
 * WITHIN GROUP (ORDER BY days) computes it over the decisions themselves,
 * in float8: rows floor(h) and ceil(h) (from 0), h = p * (tot - 1),
 * interpolated. The value of row r is the first days whose cumulative
 * count passes r.
 */
static double
percentile(const struct bin *b, size_t nb, long long tot, double p)
{
	/* h >= 0: floor by truncation, ceil the next integer above a fraction */
	double h = p * (double)(tot - 1), fl = (double)(long long)h, ce = fl < h ? fl + 1 : fl;
	double lo = NAN, hi = NAN;
	long long cum = 0;

	for (size_t i = 0; i < nb && isnan(hi); i++) {
		cum += b[i].n;
		if (isnan(lo) && (double)cum > fl)
			lo = (double)b[i].days;
		if ((double)cum > ce)
			hi = (double)b[i].days;
	}
	if (isnan(lo) || isnan(hi) || fl == ce)
		return lo;
	{
		/* apart, so that no compiler fuses it into one operation */
		volatile double step = (h - fl) * (hi - lo);
		return lo + step;
	}
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
	long long decided = atoll(PQgetvalue(res, i, 2)), tot = 0;
	bool few = public && decided < 5;
	struct bin *b = NULL;
	/* too few decisions: no median, no share, in public figures */
	size_t nb = few ? 0 : histogram(vhd_val(res, i, 8), &b);

	json_object_set_new(o, "key", vhd_jval(res, i, 0));
	for (size_t k = 0; k < VH_NELEM(metrics); k++)
		json_object_set_new(o, metrics[k], cell(PQgetvalue(res, i, 1 + (int)k), public));
	for (size_t k = 0; k < nb; k++)
		tot += b[k].n;
	for (int k = 0; k < 2; k++) {
		double v = nb ? percentile(b, nb, tot, k ? 0.9 : 0.5) : NAN;
		json_object_set_new(o, k ? "p90_days_to_decision" : "median_days_to_decision",
				    isnan(v) ? json_null() : json_real(v));
	}
	free(b);
	json_object_set_new(o, "decided_within_deadline",
			    decided > 0 && !few
				    ? json_real((double)atoll(PQgetvalue(res, i, 9)) / (double)decided)
				    : json_null());
	return o;
}

/*
 * The statistics' statement, on conn: its rows, or NULL with the reply set.
 * The counts by key and day and their rollup up the tree fit in memory
 * (at 1 M cases, 100,000 counts): 4 MB, the default, spills them to disk.
 */
static PGresult *
stats_rows(PGconn *conn, struct vhd_response *resp, const char *sql, const char *const *params)
{
	PGresult *res = NULL;

	if (vhd_begin_lazy(conn, resp) == 0 &&
	    vhd_exec(conn, resp, "SET LOCAL work_mem = '32MB'", 0, NULL) == 0)
		res = vhd_qrows(conn, resp, sql, 5, params, 11);
	vhd_rollback(conn); /* (read only: nothing to commit) */
	return res;
}

/*
 * Single flight: requests for the same statistics at once (the same
 * statement and parameters: the same scope as resolved and authorized for
 * each request, window and zone) share one computation. A request only
 * joins a computation that has not started yet, so every answer comes from
 * a statement started after the request arrived, as it would alone; while
 * one runs, the requests that arrive for the same wait for it to end and
 * are then answered by one statement together. Each request has checked
 * its own authorization and builds its own answer (public suppression)
 * from the shared rows, which are only read.
 */
struct flight {
	struct flight *next;
	char *key;
	bool running, done;
	int holders;       /* requests that will read it */
	PGresult *res;     /* the rows, read only; or NULL and: */
	int status;        /* the reply of the failure, */
	json_t *error;     /* copied to each request */
};
static pthread_mutex_t flights_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flights_cond = PTHREAD_COND_INITIALIZER;
static struct flight *flights;

static struct flight *
flight_find(const char *key, bool running)
{
	for (struct flight *f = flights; f; f = f->next)
		if (!f->done && f->running == running && strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

/* the flight's rows for this request (*conn given back while it waits) */
static struct flight *
flight_join(PGconn **conn, struct vhd_response *resp, const char *sql,
	    const char *const *params)
{
	char *key = vh_asprintf("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", sql, params[0], params[1],
				params[2], params[3], params[4]);
	struct flight *f;

	if (key == NULL || (f = calloc(1, sizeof(*f))) == NULL) {
		free(key);
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	pthread_mutex_lock(&flights_lock);
	if ((f->next = flight_find(key, false)) != NULL) {
		/* one waiting to start: be answered by it */
		struct flight *g = f->next;
		free(f);
		free(key);
		f = g;
		f->holders++;
		pthread_mutex_unlock(&flights_lock);
		vhd_conn_put(*conn);
		*conn = NULL;
		pthread_mutex_lock(&flights_lock);
		while (!f->done)
			pthread_cond_wait(&flights_cond, &flights_lock);
		pthread_mutex_unlock(&flights_lock);
		return f;
	}
	f->key = key;
	f->holders = 1;
	f->next = flights;
	flights = f;
	if (flight_find(key, true) != NULL) {
		/* the same is running, started before this request: the next */
		pthread_mutex_unlock(&flights_lock);
		vhd_conn_put(*conn);
		*conn = NULL;
		pthread_mutex_lock(&flights_lock);
		while (flight_find(key, true) != NULL)
			pthread_cond_wait(&flights_cond, &flights_lock);
	}
	f->running = true;
	pthread_mutex_unlock(&flights_lock);
	if (*conn == NULL)
		*conn = vhd_conn_read(resp);
	f->res = *conn ? stats_rows(*conn, resp, sql, params) : NULL;
	pthread_mutex_lock(&flights_lock);
	if (f->res == NULL) {
		f->status = resp->status;
		f->error = json_deep_copy(resp->json);
	}
	f->done = true;
	pthread_cond_broadcast(&flights_cond);
	pthread_mutex_unlock(&flights_lock);
	return f;
}

/* this request has read the flight: the last one frees it */
static void
flight_leave(struct flight *f)
{
	pthread_mutex_lock(&flights_lock);
	if (--f->holders > 0) {
		pthread_mutex_unlock(&flights_lock);
		return;
	}
	for (struct flight **p = &flights; *p; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			break;
		}
	pthread_mutex_unlock(&flights_lock);
	PQclear(f->res);
	json_decref(f->error);
	free(f->key);
	free(f);
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
	struct flight *fl = NULL;
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
	if ((sql = stats_sql(want, nwant)) == NULL)
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
	/* (one statement for the identical requests at once: flight_join) */
	fl = sql ? flight_join(&conn, resp, sql,
			       (const char *[]){ scope, all ? "t" : "f", fbuf, tbuf,
						 vhd_register_zone() })
		 : NULL;
	free(sql);
	if (fl && fl->res == NULL && fl->error) {
		json_decref(resp->json);
		pthread_mutex_lock(&flights_lock);
		resp->json = json_deep_copy(fl->error);
		pthread_mutex_unlock(&flights_lock);
		resp->status = fl->status;
	}
	if (fl == NULL || (res = fl->res) == NULL) {
		json_decref(out);
		out = NULL;
		goto out;
	}
	for (size_t w = 0; w < nwant; w++)
		rows[w] = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		size_t w = (size_t)atoi(PQgetvalue(res, i, 10));
		/* outcomes are the forms decided (an annulment's "none" is not) */
		if (w >= nwant || (w == nwant - 1 && atoll(PQgetvalue(res, i, 2)) +
							     atoll(PQgetvalue(res, i, 3)) == 0))
			continue;
		json_array_append_new(rows[w], stats_row(res, i, public));
	}
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
	if (fl)
		flight_leave(fl);
	json_decref(out);
	free(scope);
	if (conn)
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
