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
#include "pool.h"
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
/* the decisions export's columns, the decision d of case c; last, the key
 * the halves of an export are merged by (not written) */
#define DECISION_ROW                                                                    \
	"SELECT d.symbol, d.kind, d.form, d.severity, d.signed_on, d.effective_on,"       \
	" d.effect_until, d.freeze_until, " VHD_SQL_DECISION_STATE("d", "$4::date") ","   \
	" s.symbol, c.number, o.code, o.full_name, u.code, d.id"
#define DECISION_JOINS                                                                  \
	OFFICIAL_OF("c") " JOIN units u ON u.id = c.unit_id"                              \
	" LEFT JOIN decisions s ON s.id = d.supersedes_id"
/*
 * Each export in the order of one key: with a second connection free, a
 * scope's export is computed in two halves at once, each over every
 * other unit of the scope ($1 of each: both cores work, session 5 in
 * docs/performance.md), each half ordered by the key, and the halves
 * merged here. key: its column; a key that is the last column is not
 * written.
 */
enum key_type { KEY_ID, KEY_TEXT };
static const struct export_kind {
	const char *name;
	enum vhd_op op;
	const char *header;
	const char *sql;
	const char *sql_all; /* for the whole register, when it differs */
	int key;             /* the column merged by; the last is not written */
	enum key_type key_type;
} kinds[] = {
	{ "cases", VHD_OP_STATS,
	  "case,status,official,official_name,unit,rule,rule_group,source,occurred_on,"
	  "detected_on,severity,handling_deadline,limitation_expires_on",
	  "SELECT c.number, c.status, o.code, o.full_name, u.code, rv.code, rv.grp, c.source,"
	  " c.occurred_on, c.detected_on, c.severity, c.handling_deadline,"
	  " c.limitation_expires_on, c.id"
	  " FROM cases c" OFFICIAL_OF("c") " JOIN units u ON u.id = c.unit_id"
	  " JOIN rule_versions rv ON rv.id = c.rule_version_id"
	  " WHERE c.detected_on BETWEEN $3::date AND $4::date AND"
	  IN_SCOPE("c.unit_id") " ORDER BY c.id", NULL, 13, KEY_ID },
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
	  " ORDER BY d.id", 14, KEY_ID },
	/* in official code order: merged by the code where the database
	 * orders text as its bytes (TEXT_ORDER_IS_BYTES) */
	{ "eligibility", VHD_OP_RECORD,
	  "official,full_name,unit,status,decision_number,decision_form,decision_signed_on,"
	  "decision_case,held_by_case",
	  NULL, NULL, 0, KEY_TEXT },
};

/* rows fetched at a time from the export's cursor: the memory bound */
#define EXPORT_FETCH 1000
#define EXPORT_FETCH_SQL "FETCH 1000 FROM vhcv_export"

/* one connection's cursor: its batch being merged, the next one asked */
struct part {
	PGconn *conn;
	PGresult *res; /* the rows being written, from row */
	int row;
	bool asked;    /* a FETCH sent, its answer not read yet */
};

struct stream {
	struct part part[2];
	int nparts;
	const struct export_kind *kind;
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

/* a row, without the key when it is the last column */
static void
csv_row(struct stream *s, const PGresult *res, int i)
{
	int n = PQnfields(res);

	if (s->kind->key == n - 1)
		n--;
	for (int k = 0; k < n; k++) {
		if (k)
			put(s, ",", 1);
		csv_cell(s, vhd_val(res, i, k));
	}
	put(s, "\r\n", 2);
}

/* ask for the next rows, answered while these are formatted and sent */
static bool
ask(struct part *p)
{
	return (p->asked = PQsendQuery(p->conn, EXPORT_FETCH_SQL) == 1);
}

/* the answer of the FETCH asked, or NULL (logged) */
static PGresult *
answer(struct part *p)
{
	PGresult *res = PQgetResult(p->conn), *more;

	p->asked = false;
	while ((more = PQgetResult(p->conn)) != NULL)
		PQclear(more);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	log_warnx("export failed: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn));
	PQclear(res);
	return NULL;
}

/* the answer of the FETCH asked into p->res and, when it is a full batch
 * (there may be more), the next asked at once; false on failure */
static bool
take(struct part *p)
{
	PQclear(p->res);
	p->row = 0;
	if ((p->res = answer(p)) == NULL)
		return false;
	if (PQntuples(p->res) == EXPORT_FETCH && !ask(p)) {
		log_warnx("export failed: %s", PQerrorMessage(p->conn));
		return false;
	}
	return true;
}

/* whether p has a row to write (its next batch read when needed) */
static bool
ready(struct stream *s, struct part *p)
{
	while (p->res == NULL || p->row >= PQntuples(p->res)) {
		if (!p->asked)
			return false;
		if (!take(p)) {
			s->failed = true;
			return false;
		}
	}
	return true;
}

/* the order of the keys of a's and b's rows */
static int
key_cmp(const struct stream *s, const struct part *a, const struct part *b)
{
	const char *x = PQgetvalue(a->res, a->row, s->kind->key);
	const char *y = PQgetvalue(b->res, b->row, s->kind->key);
	size_t nx = strlen(x), ny = strlen(y);

	/* ids: positive integers, the shorter the smaller */
	if (s->kind->key_type == KEY_ID && nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x, y);
}

/* the next rows' bytes into s->out (up to a batch, the parts merged by
 * their keys); false at the end or on failure */
static bool
more(struct stream *s)
{
	int n = 0;

	while (n < EXPORT_FETCH && !s->failed) {
		struct part *best = NULL;

		for (int i = 0; i < s->nparts; i++)
			if (ready(s, &s->part[i]) &&
			    (best == NULL || key_cmp(s, &s->part[i], best) < 0))
				best = &s->part[i];
		if (best == NULL || s->failed)
			break;
		csv_row(s, best->res, best->row++);
		n++;
	}
	if (n == 0 && !s->failed)
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
part_free(struct part *p, bool first)
{
	PGresult *res;

	PQclear(p->res);
	p->res = NULL;
	if (p->conn && p->asked) {
		/* abandoned by the client: stop the FETCH, drain it (the pool
		 * rolls the transaction back, closing the cursor) */
		PGcancel *c = PQgetCancel(p->conn);
		char err[256];
		if (c) {
			PQcancel(c, err, sizeof(err));
			PQfreeCancel(c);
		}
		while ((res = PQgetResult(p->conn)) != NULL)
			PQclear(res);
	}
	if (p->conn && first)
		vhd_conn_put(p->conn);
	else if (p->conn)
		vhd_pool_put(p->conn);
	p->conn = NULL;
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;

	if (s == NULL)
		return;
	for (int i = 0; i < 2; i++)
		part_free(&s->part[i], i == 0);
	free(s->out);
	free(s);
}

/* whether the database orders text as its bytes (C and POSIX, and C.UTF-8
 * for the ASCII of codes): only then may vhcvd merge halves ordered by it */
#define TEXT_ORDER_IS_BYTES                                                               \
	"(SELECT datlocprovider = 'c' AND datcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8')" \
	" FROM pg_database WHERE datname = current_database())"

#define SNAPSHOT_TX "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

/* the ids of a scope ("{1,2,3}") dealt alternately into two halves; false
 * when there are fewer than two */
static bool
deal(const char *ids, char **half)
{
	size_t n = strlen(ids) + 3;
	int k = 0;

	half[0] = calloc(1, n);
	half[1] = calloc(1, n);
	if (half[0] == NULL || half[1] == NULL)
		return false;
	strcpy(half[0], "{");
	strcpy(half[1], "{");
	for (const char *p = ids + 1, *q; *p && *p != '}'; p = *q ? q + 1 : q, k++) {
		char *h = half[k % 2];
		size_t len = strlen(h);
		q = p + strcspn(p, ",}");
		if (len > 1)
			h[len++] = ',';
		memcpy(h + len, p, (size_t)(q - p));
		h[len + (size_t)(q - p)] = '\0';
	}
	strcat(half[0], "}");
	strcat(half[1], "}");
	return k >= 2;
}

/*
 * Split a scope's export in two halves when it has two units or more and
 * a second connection is free now: the units dealt alternately (half[i]),
 * both halves in one snapshot (the first's, exported; its transaction
 * begun here). The number of parts whose transaction is begun (0: none,
 * the caller begins it; 1: the second could not join), or -1 (reply set).
 * Whatever stops the split leaves one connection doing the whole export.
 */
static int
split(struct stream *s, struct vhd_response *resp, const char *ids, char **half)
{
	PGresult *res = NULL, *r2;
	char *set = NULL;
	int n = 0;

	if (!deal(ids, half))
		return 0;
	if (s->kind->key_type == KEY_TEXT) {
		if ((res = vhd_qrows(s->part[0].conn, resp, "SELECT " TEXT_ORDER_IS_BYTES, 0, NULL,
				     1)) == NULL)
			return -1;
		if (PQgetvalue(res, 0, 0)[0] != 't')
			goto out;
		PQclear(res);
		res = NULL;
	}
	/* (a streamed answer gives its connection back after its last bytes
	 * are sent: the export asked right after it waits a little for it) */
	if ((s->part[1].conn = vhd_pool_try_read(50)) == NULL)
		goto out;
	/* (a server that cannot export its snapshot: one connection) */
	res = PQexec(s->part[0].conn, SNAPSHOT_TX "; SELECT pg_export_snapshot()");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(PQexec(s->part[0].conn, "ROLLBACK"));
		goto out;
	}
	n = 1;
	if ((set = vh_asprintf(SNAPSHOT_TX "; SET TRANSACTION SNAPSHOT '%s'",
			       PQgetvalue(res, 0, 0))) == NULL)
		goto out;
	r2 = PQexec(s->part[1].conn, set);
	if (PQresultStatus(r2) == PGRES_COMMAND_OK)
		n = 2;
	PQclear(r2);
out:
	if (n < 2 && s->part[1].conn) {
		vhd_pool_put(s->part[1].conn);
		s->part[1].conn = NULL;
	}
	free(set);
	PQclear(res);
	return n;
}

void
api_export(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	struct vhd_eligibility e = { 0 };
	const struct export_kind *k = NULL;
	vh_date today = vh_date_today(), from = VH_DATE_NONE, to = today, on = today;
	char fbuf[VH_DATE_STRLEN], tbuf[VH_DATE_STRLEN], *scope = NULL, *codes = NULL, *sql = NULL;
	char *half[2] = { NULL, NULL };
	const char *unit = NULL, *params[VHD_ELIGIBILITY_NPARAMS], *ids = NULL;
	struct stream *s = NULL;
	long long year = 0;
	bool all = false;
	int np, begun = 0;

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
	if ((s = calloc(1, sizeof(*s))) == NULL || (s->part[0].conn = vhd_conn_read(resp)) == NULL)
		goto fail;
	s->kind = k;
	s->nparts = 1;
	if (k->sql == NULL) {
		e.year = (int)year;
		e.unit = unit;
		vhd_datestr(e.on, on);
		if (vhd_eligibility_params(req, resp, s->part[0].conn, &e) < 0)
			goto fail;
		memcpy(params, e.p, sizeof(e.p));
		np = VHD_ELIGIBILITY_NPARAMS;
		ids = e.all ? NULL : e.scope;
	} else {
		char uid[24];
		int r = vhd_named_unit(s->part[0].conn, req, resp, unit, k->op, uid);
		if (r < 0)
			goto fail;
		codes = r == 1 ? vh_asprintf("{\"%s\"}", unit) : vhd_auth_units_array(req);
		all = r == 0 && vhd_auth_all_units(req);
		if (all)
			scope = strdup("{}");
		else if (codes && vhd_scope_ids(s->part[0].conn, resp, codes, &scope) < 0)
			goto fail;
		if (scope == NULL) {
			vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		params[0] = scope;
		params[1] = all ? "t" : "f";
		params[2] = from == VH_DATE_NONE ? "1900-01-01" : vhd_datestr(fbuf, from);
		params[3] = vhd_datestr(tbuf, to);
		np = 4;
		ids = all ? NULL : scope;
	}
	/* a scope's export in two halves at once, when it pays */
	if (ids && (begun = split(s, resp, ids, half)) < 0)
		goto fail;
	/*
	 * A cursor read EXPORT_FETCH rows at a time, each FETCH asked for
	 * while the rows before it are formatted and sent: bounded memory, a
	 * round trip per thousand rows, and each FETCH a statement of its
	 * own, so that statement_timeout_ms bounds each step, not the whole
	 * export (a province's 40,000 rows, or the register's million, to a
	 * slow reader). cursor_tuple_fraction 1: planned for all the rows, as
	 * the statement alone would be, not for the first tenth; work_mem
	 * 16 MB: a province's eligibility sorts its 40,000 officials twice,
	 * which spilled to disk at the default 4 MB (session 5)
	 */
	sql = vh_asprintf("DECLARE vhcv_export NO SCROLL CURSOR FOR %s",
			  k->sql == NULL ? vhd_eligibility_sql(&e)
			  : all && k->sql_all ? k->sql_all : k->sql);
	if (sql == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if ((s->nparts = begun == 2 ? 2 : 1) == 2)
		log_info("export %s: in 2 halves at once", k->name);
	for (int i = 0; i < s->nparts; i++) {
		PGconn *c = s->part[i].conn;
		/* this part's units */
		if (s->nparts == 2)
			params[0] = half[i];
		if (i == 0 && begun == 0 && vhd_exec(c, resp, "BEGIN READ ONLY", 0, NULL) < 0)
			goto fail;
		if (vhd_exec(c, resp, "SELECT set_config('cursor_tuple_fraction', '1', true),"
				      " set_config('work_mem', '16MB', true)", 0, NULL) < 0 ||
		    vhd_exec(c, resp, sql, np, params) < 0)
			goto fail;
	}
	/* the first rows before the status line (an error is still an
	 * error), the parts computing at once */
	for (int i = 0; i < s->nparts; i++)
		if (!ask(&s->part[i]))
			goto failed;
	for (int i = 0; i < s->nparts; i++)
		if (!take(&s->part[i]))
			goto failed;
	put(s, "\xEF\xBB\xBF", 3);
	put(s, k->header, strlen(k->header));
	put(s, "\r\n", 2);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8; header=present";
	resp->stream = stream_read;
	resp->stream_cls = s;
	resp->stream_free = stream_free;
	s = NULL;
	goto done;
failed:
	log_warnx("export %s failed", k->name);
	vhd_reply_error(resp, VHCV_ERROR, NULL, "the export failed");
fail:
done:
	stream_free(s);
	free(sql);
	free(codes);
	free(scope);
	free(e.scope);
	free(half[0]);
	free(half[1]);
}
