/*
 * CSV exports (GET /v1/export/cases|decisions|eligibility): RFC 4180,
 * UTF-8 with a byte-order mark, one header row, CRLF line ends; a cell
 * that a spreadsheet would run as a formula (starting with =, +, -, @,
 * tab or CR) gets a leading apostrophe. Streamed: the query is a cursor
 * read a thousand rows at a time, formatted when libmicrohttpd asks for
 * more, so a province-wide export never sits in memory.
 */
#include <stdio.h>
#include <stdlib.h>

#include <microhttpd.h>

#include "dbq.h"
#include "json_in.h"
#include "log.h"
#include "reports.h"
#include "routes.h"

/* $1 the ids of the scope's units (vhd_scope_ids), $2 all units, $3 from,
 * $4 to; the ids as an array, not the scope's recursive CTE: the planner
 * counts them and reads a province's cases by unit, where it estimated
 * the CTE at half the tree and scanned every case and official (at 1 M
 * cases, 6,700 rows/s; docs/performance.md, session 4) */
#define IN_SCOPE(col) " ($2::boolean OR " col " = ANY($1::bigint[]))"
/* the official (code, full_name) of the case of alias c, probed by its
 * key case by case (OFFSET 0: not turned into a join): a province's
 * 16,000 cases over 2.5 M officials make the planner's random-read cost
 * prefer reading every official into a hash (400-500 ms where the
 * probes cost tens). The decisions of a province's cases are probed the
 * same way: a cursor's plan is not parallel, and one process reading all
 * 780,000 decisions took 2 s at full scale */
#define OFFICIAL_OF(c)                                                                  \
	" CROSS JOIN LATERAL (SELECT o.code, o.full_name FROM officials o"                \
	"  WHERE o.id = " c ".official_id OFFSET 0) o"
/* the decisions export's columns, the decision d of case c */
#define DECISION_ROW                                                                    \
	"SELECT d.symbol, d.kind, d.form, d.severity, d.signed_on, d.effective_on,"       \
	" d.effect_until, d.freeze_until, " VHD_SQL_DECISION_STATE("d", "$4::date") ","   \
	" s.symbol, c.number, o.code, o.full_name, u.code"
#define DECISION_JOINS                                                                  \
	OFFICIAL_OF("c") " JOIN units u ON u.id = c.unit_id"                              \
	" LEFT JOIN decisions s ON s.id = d.supersedes_id"
static const struct export_kind {
	const char *name;
	enum vhd_op op;
	const char *header;
	const char *sql;
	const char *sql_all; /* for the whole register, when it differs */
} kinds[] = {
	{ "cases", VHD_OP_STATS,
	  "case,status,official,official_name,unit,rule,rule_group,source,occurred_on,"
	  "detected_on,severity,handling_deadline,limitation_expires_on",
	  "SELECT c.number, c.status, o.code, o.full_name, u.code, rv.code, rv.grp, c.source,"
	  " c.occurred_on, c.detected_on, c.severity, c.handling_deadline,"
	  " c.limitation_expires_on"
	  " FROM cases c" OFFICIAL_OF("c") " JOIN units u ON u.id = c.unit_id"
	  " JOIN rule_versions rv ON rv.id = c.rule_version_id"
	  " WHERE c.detected_on BETWEEN $3::date AND $4::date AND"
	  IN_SCOPE("c.unit_id") " ORDER BY c.id", NULL },
	/* a scope's decisions from its cases (each case's by its index); the
	 * register's from the decisions signed in the window */
	{ "decisions", VHD_OP_RECORD,
	  "number,kind,form,severity,signed_on,effective_on,effect_until,freeze_until,state,"
	  "supersedes,case,official,official_name,unit",
	  DECISION_ROW " FROM cases c CROSS JOIN LATERAL (SELECT d.* FROM decisions d"
	  "  WHERE d.case_id = c.id AND d.signed_on BETWEEN $3::date AND $4::date OFFSET 0) d"
	  DECISION_JOINS " WHERE" IN_SCOPE("c.unit_id") " ORDER BY d.id",
	  DECISION_ROW " FROM decisions d JOIN cases c ON c.id = d.case_id" DECISION_JOINS
	  " WHERE d.signed_on BETWEEN $3::date AND $4::date AND" IN_SCOPE("c.unit_id")
	  " ORDER BY d.id" },
	{ "eligibility", VHD_OP_RECORD,
	  "official,full_name,unit,status,decision_number,decision_form,decision_signed_on,"
	  "decision_case,held_by_case",
	  NULL, NULL },
};

/* rows fetched at a time from the export's cursor: the memory bound */
#define EXPORT_FETCH 1000
#define EXPORT_FETCH_SQL "FETCH 1000 FROM vhcv_export"

struct stream {
	PGconn *conn;
	PGresult *first;  /* the first rows, fetched before answering */
	bool asked;       /* a FETCH sent, its answer not read yet */
	char *out;        /* formatted bytes not yet handed over */
	size_t len, off, cap;
	bool done, failed;
};

static void
put(struct stream *s, const char *p, size_t n)
{
	if (s->len + n > s->cap) {
		size_t cap = (s->len + n) * 2;
		char *b = realloc(s->out, cap);
		if (b == NULL) {
			s->failed = true;
			return;
		}
		s->out = b;
		s->cap = cap;
	}
	memcpy(s->out + s->len, p, n);
	s->len += n;
}

/* one cell: neutralised, quoted when it must be (RFC 4180 §2.6-2.7) */
static void
csv_cell(struct stream *s, const char *v)
{
	bool formula, quote;

	if (v == NULL)
		return;
	formula = v[0] && strchr("=+-@\t\r", v[0]) != NULL;
	quote = formula || strpbrk(v, ",\"\r\n") != NULL;
	if (!quote) {
		put(s, v, strlen(v));
		return;
	}
	put(s, formula ? "\"'" : "\"", formula ? 2 : 1);
	/* runs up to and including each quote, the quote doubled */
	for (const char *p = v, *q; *p; p = q + 1) {
		if ((q = strchr(p, '"')) == NULL) {
			put(s, p, strlen(p));
			break;
		}
		put(s, p, (size_t)(q - p) + 1);
		put(s, "\"", 1);
	}
	put(s, "\"", 1);
}

static void
csv_row(struct stream *s, const PGresult *res, int i)
{
	for (int k = 0; k < PQnfields(res); k++) {
		if (k)
			put(s, ",", 1);
		csv_cell(s, vhd_val(res, i, k));
	}
	put(s, "\r\n", 2);
}

/* ask for the next rows, answered while these are formatted and sent */
static bool
ask(struct stream *s)
{
	return (s->asked = PQsendQuery(s->conn, EXPORT_FETCH_SQL) == 1);
}

/* the answer of the FETCH asked, or NULL (logged) */
static PGresult *
answer(struct stream *s)
{
	PGresult *res = PQgetResult(s->conn), *more;

	s->asked = false;
	while ((more = PQgetResult(s->conn)) != NULL)
		PQclear(more);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	log_warnx("export failed: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(s->conn));
	PQclear(res);
	return NULL;
}

/* the next rows' bytes into s->out; false at the end or on failure */
static bool
more(struct stream *s)
{
	PGresult *res;
	int n;

	if (s->first) {
		res = s->first;
		s->first = NULL;
	} else if (!s->asked) {
		s->done = true;
		return false;
	} else if ((res = answer(s)) == NULL) {
		s->failed = true;
		return false;
	}
	/* a full batch: there may be more, asked for at once */
	if ((n = PQntuples(res)) == EXPORT_FETCH && !ask(s)) {
		log_warnx("export failed: %s", PQerrorMessage(s->conn));
		s->failed = true;
	}
	for (int i = 0; i < n && !s->failed; i++)
		csv_row(s, res, i);
	PQclear(res);
	if (n == 0)
		s->done = true;
	return n > 0 && !s->failed;
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	size_t n = 0;

	(void)pos;
	while (n < max) {
		if (s->off == s->len) {
			s->off = s->len = 0;
			if (s->done || s->failed || !more(s))
				break;
			continue;
		}
		size_t k = s->len - s->off < max - n ? s->len - s->off : max - n;
		memcpy(buf + n, s->out + s->off, k);
		s->off += k;
		n += k;
	}
	if (n > 0)
		return (ssize_t)n;
	return s->failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;
	PGresult *res;

	if (s == NULL)
		return;
	PQclear(s->first);
	if (s->conn && s->asked) {
		/* abandoned by the client: stop the FETCH, drain it (the pool
		 * rolls the transaction back, closing the cursor) */
		PGcancel *c = PQgetCancel(s->conn);
		char err[256];
		if (c) {
			PQcancel(c, err, sizeof(err));
			PQfreeCancel(c);
		}
		while ((res = PQgetResult(s->conn)) != NULL)
			PQclear(res);
	}
	if (s->conn)
		vhd_conn_put(s->conn);
	free(s->out);
	free(s);
}

void
api_export(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	struct vhd_eligibility e = { 0 };
	const struct export_kind *k = NULL;
	vh_date today = vh_date_today(), from = VH_DATE_NONE, to = today, on = today;
	char fbuf[VH_DATE_STRLEN], tbuf[VH_DATE_STRLEN], *scope = NULL, *codes = NULL, *sql = NULL;
	const char *unit = NULL, *const *params;
	const char *p4[4];
	struct stream *s = NULL;
	long long year = 0;
	bool all = false;
	int np;

	for (size_t i = 0; i < VH_NELEM(kinds); i++)
		if (strcmp(kinds[i].name, p->v[0]) == 0)
			k = &kinds[i];
	if (k == NULL) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL,
				"no export %s: cases, decisions or eligibility", p->v[0]);
		return;
	}
	if (!vhd_auth_role(req, resp, k->op))
		return;
	vhd_query_date(&in, "from", &from);
	vhd_query_date(&in, "to", &to);
	vhd_query_code(&in, "unit", &unit);
	vhd_query_date(&in, "on", &on);
	vhd_query_int(&in, "year", 1900, 9999, &year);
	if (in.failed)
		return;
	if (k->sql == NULL && year == 0) {
		vhd_in_fail(&in, "year", "the eligibility export needs 'year'");
		return;
	}
	if (from != VH_DATE_NONE && from > to) {
		vhd_in_fail(&in, "from", "'from' is after 'to'");
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL || (s->conn = vhd_conn_read(resp)) == NULL)
		goto fail;
	if (k->sql == NULL) {
		e.year = (int)year;
		e.unit = unit;
		vhd_datestr(e.on, on);
		if (vhd_eligibility_params(req, resp, s->conn, &e) < 0)
			goto fail;
		params = e.p;
		np = 9;
	} else {
		char uid[24];
		int r = vhd_named_unit(s->conn, req, resp, unit, k->op, uid);
		if (r < 0)
			goto fail;
		codes = r == 1 ? vh_asprintf("{\"%s\"}", unit) : vhd_auth_units_array(req);
		all = r == 0 && vhd_auth_all_units(req);
		if (all)
			scope = strdup("{}");
		else if (codes && vhd_scope_ids(s->conn, resp, codes, &scope) < 0)
			goto fail;
		if (scope == NULL) {
			vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		p4[0] = scope;
		p4[1] = all ? "t" : "f";
		p4[2] = from == VH_DATE_NONE ? "1900-01-01" : vhd_datestr(fbuf, from);
		p4[3] = vhd_datestr(tbuf, to);
		params = p4;
		np = 4;
	}
	/*
	 * A cursor read EXPORT_FETCH rows at a time, each FETCH asked for
	 * while the rows before it are formatted and sent: bounded memory, a
	 * round trip per thousand rows, and each FETCH a statement of its
	 * own, so that statement_timeout_ms bounds each step, not the whole
	 * export (a province's 40,000 rows, or the register's million, to a
	 * slow reader). cursor_tuple_fraction 1: planned for all the rows, as
	 * the statement alone would be, not for the first tenth
	 */
	sql = vh_asprintf("DECLARE vhcv_export NO SCROLL CURSOR FOR %s",
			  k->sql == NULL ? vhd_eligibility_sql(&e)
			  : all && k->sql_all ? k->sql_all : k->sql);
	if (sql == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if (vhd_exec(s->conn, resp, "BEGIN READ ONLY", 0, NULL) < 0 ||
	    vhd_exec(s->conn, resp, "SET LOCAL cursor_tuple_fraction = 1", 0, NULL) < 0 ||
	    vhd_exec(s->conn, resp, sql, np, params) < 0)
		goto fail;
	/* the first rows before the status line: an error is still an error */
	if (!ask(s) || (s->first = answer(s)) == NULL) {
		log_warnx("export %s failed", k->name);
		vhd_reply_error(resp, VHCV_ERROR, NULL, "the export failed");
		goto fail;
	}
	put(s, "\xEF\xBB\xBF", 3);
	put(s, k->header, strlen(k->header));
	put(s, "\r\n", 2);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8; header=present";
	resp->stream = stream_read;
	resp->stream_cls = s;
	resp->stream_free = stream_free;
	s = NULL;
fail:
	stream_free(s);
	free(sql);
	free(codes);
	free(scope);
	free(e.scope);
}
