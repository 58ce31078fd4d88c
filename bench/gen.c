/*
 * vhgen: a national-scale dataset for the benchmark, loaded with COPY.
 *
 *   vhgen --dsn DSN [--scale S] [--seed N] [--council-min N] [--jobs N]
 *
 * At scale 1: about 5,000 units in four levels (the country, 63 provinces,
 * 11 districts each, 6 communes or offices each), 2.5 million officials
 * (a fifth of them with a second version), 1 million cases over the ten
 * years up to today in a realistic mix of states, with their events,
 * councils and decisions. Every case's events form a valid hash chain,
 * hashed by the daemon's own vhd_event_hash() (src/daemon/store/events.c), so
 * that `vhcv audit verify` passes and the generator follows any change of
 * the hash. The event data mirror what vhcvd writes for each transition,
 * and each case's last event records all its history rows as its state
 * (migration 0020), built here as PostgreSQL's case_state() gives them
 * (VHD_SQL_CASE_ROWS): each row is written once, with its state and
 * final head, never updated.
 *
 * DSN must be a superuser's on a database migrated by vhcvd --migrate and
 * whose rule versions vhcvd stored (bench/run does both): the load runs
 * with session_replication_role = replica, so that neither foreign keys
 * nor triggers are checked row by row (the generator writes consistent
 * rows by construction). The work is cut into tasks (the officials, their
 * versions, ranges of cases with their events, councils and decisions)
 * that --jobs connections (2: the machine's cores) take in turn; every
 * id is computed here, so the data do not depend on which connection
 * wrote what. Deterministic for a given seed and day.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "dbq.h"
#include "events.h"

#define YEARS 10
/* connections loading at once (--jobs; the machine has two cores) */
#define MAX_WORKERS 16
static int workers = 2;
/* tasks the cases are cut into */
#define CHUNKS 32

static const char *dsn;
static unsigned long long seed = 0x9E3779B97F4A7C15ull;
static _Thread_local unsigned long long rng;

/* a stream of its own for each task: the same data whoever runs it */
static void
reseed(unsigned long long stream)
{
	unsigned long long z = seed + stream * 0x9E3779B97F4A7C15ull;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	rng = (z ^ (z >> 31)) | 1;
}

static unsigned long long
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 0 <= n < bound */
static long
rndn(long bound)
{
	return (long)(rnd() % (unsigned long long)bound);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(PGconn *conn, const char *what)
{
	fprintf(stderr, "vhgen: %s: %s", what, PQerrorMessage(conn));
	exit(1);
}

static void
exec(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "vhgen: %s\n%s", sql, PQresultErrorMessage(res));
		exit(1);
	}
	PQclear(res);
}

static PGconn *
connect_loader(void)
{
	PGconn *conn = PQconnectdb(dsn);

	if (PQstatus(conn) != CONNECTION_OK)
		die(conn, "connect");
	exec(conn, "SET session_replication_role = replica");
	exec(conn, "SET synchronous_commit = off");
	exec(conn, "SET maintenance_work_mem = '256MB'");
	return conn;
}

/* ---- the tables written, and what each took (summed over connections) ---- */

enum tab { T_UNITS, T_UNIT_HISTORY, T_OFFICIALS, T_VERSIONS, T_EVENTS, T_PENDING, T_CASES,
	   T_COUNCIL, T_DECISIONS, T_N };
static const char *const tab_name[T_N] = { "units", "unit_history", "officials",
					   "official_versions", "case_events", "audit_pending",
					   "cases", "council_members", "decisions" };
static struct {
	long long rows;
	double secs;
} tstat[T_N];
static pthread_mutex_t tlock = PTHREAD_MUTEX_INITIALIZER;

/* ---- COPY in text format, through one buffer per connection ---- */

struct loader {
	PGconn *conn;
	char *buf;
	size_t len, cap;
	long long rows;
	double t0;
};

static void
copy_begin(struct loader *l, const char *sql)
{
	PGresult *res = PQexec(l->conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		fprintf(stderr, "vhgen: %s\n%s", sql, PQresultErrorMessage(res));
		exit(1);
	}
	PQclear(res);
	if (l->buf == NULL && (l->buf = malloc(l->cap = 1 << 20)) == NULL)
		exit(2);
	l->len = 0;
	l->rows = 0;
	l->t0 = now_s();
}

static void
copy_flush(struct loader *l)
{
	if (l->len && PQputCopyData(l->conn, l->buf, (int)l->len) != 1)
		die(l->conn, "COPY");
	l->len = 0;
}

static void
copy_raw(struct loader *l, const char *s, size_t n)
{
	if (l->len + n + 2 > l->cap)
		copy_flush(l);
	while (n + 2 > l->cap) {
		if ((l->buf = realloc(l->buf, l->cap *= 2)) == NULL)
			exit(2);
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* one field: NULL is \N, backslash, tab and newlines escaped */
static void
copy_field(struct loader *l, const char *s, int first)
{
	if (!first)
		copy_raw(l, "\t", 1);
	if (s == NULL) {
		copy_raw(l, "\\N", 2);
		return;
	}
	for (const char *p = s; *p; p++) {
		const char *run = p;
		while (*p && *p != '\\' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		copy_raw(l, run, (size_t)(p - run));
		if (*p == 0)
			break;
		copy_raw(l, *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : "\\r", 2);
	}
}

/* a row of n fields (NULL: \N) */
static void
copy_row(struct loader *l, int n, const char *const *f)
{
	for (int i = 0; i < n; i++)
		copy_field(l, f[i], i == 0);
	copy_raw(l, "\n", 1);
	l->rows++;
}

/* end a COPY into table t, adding its rows and time to the figures */
static void
copy_end(struct loader *l, enum tab t)
{
	PGresult *res;

	copy_flush(l);
	if (PQputCopyEnd(l->conn, NULL) != 1)
		die(l->conn, "COPY end");
	res = PQgetResult(l->conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "vhgen: COPY %s: %s", tab_name[t], PQresultErrorMessage(res));
		exit(1);
	}
	PQclear(res);
	while ((res = PQgetResult(l->conn)) != NULL)
		PQclear(res);
	pthread_mutex_lock(&tlock);
	tstat[t].rows += l->rows;
	tstat[t].secs += now_s() - l->t0;
	pthread_mutex_unlock(&tlock);
}

/*
 * A row as named fields, written to COPY in this order and, for those
 * with a kind, put in a history row of the state: 'n' a number, 's' a
 * string, 'b' a boolean (COPY's t/f); a NULL value is null in both.
 */
struct field {
	const char *col, *val;
	char kind;
};

static void
copy_fields(struct loader *l, int n, const struct field *f)
{
	for (int i = 0; i < n; i++)
		copy_field(l, f[i].val, i == 0);
	copy_raw(l, "\n", 1);
	l->rows++;
}

static json_t *
field_json(const struct field *f)
{
	if (f->val == NULL)
		return json_null();
	if (f->kind == 'n')
		return json_integer(strtoll(f->val, NULL, 10));
	if (f->kind == 'b')
		return json_boolean(f->val[0] == 't');
	return json_string(f->val);
}

/* the history row of the fields that have a kind */
static json_t *
fields_json(int n, const struct field *f)
{
	json_t *o = json_object();

	for (int i = 0; i < n; i++)
		if (f[i].kind)
			json_object_set_new(o, f[i].col, field_json(&f[i]));
	return o;
}

/*
 * The history rows of decisions and council members are every column of
 * the table less some (to_jsonb(d) - '{...}' in VHD_SQL_CASE_ROWS, and
 * row_kinds in events.c): their columns come from the catalog, so that
 * one a migration adds is in the state as the table holds it. A column
 * vhgen does not write must then be one COPY leaves null.
 */
struct spec {
	const char *table, *const *except;
	int ncols;
	char **cols;
};
static struct spec dec_spec = { .table = "decisions",
				.except = (const char *const[]){ "id", "case_id", "idempotency_key",
								 "request_hash", "at", NULL } },
		   cm_spec = { .table = "council_members",
			       .except = (const char *const[]){ "case_id", NULL } };

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static void
spec_load(PGconn *conn, struct spec *s, const char *const *written)
{
	char sql[512];
	PGresult *res;

	snprintf(sql, sizeof(sql),
		 "SELECT attname, attnotnull OR atthasdef OR attidentity <> ''"
		 " OR attgenerated <> '' FROM pg_attribute WHERE attrelid = 'vhcv.%s'::regclass"
		 " AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
		 s->table);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die(conn, s->table);
	s->cols = calloc((size_t)PQntuples(res), sizeof(char *));
	for (int i = 0; i < PQntuples(res); i++) {
		const char *col = PQgetvalue(res, i, 0);
		if (in_list(s->except, col))
			continue;
		if (!in_list(written, col) && PQgetvalue(res, i, 1)[0] == 't') {
			fprintf(stderr,
				"vhgen: vhcv.%s.%s is not null or has a default, and vhgen does"
				" not write it: teach bench/gen.c its value (its history rows"
				" would differ from the table)\n",
				s->table, col);
			exit(1);
		}
		s->cols[s->ncols++] = strdup(col);
	}
	PQclear(res);
}

/* the history row of a decision or council member */
static json_t *
spec_json(const struct spec *s, int n, const struct field *f)
{
	json_t *o = json_object();

	for (int c = 0; c < s->ncols; c++) {
		json_t *v = NULL;
		for (int i = 0; i < n && v == NULL; i++)
			if (strcmp(f[i].col, s->cols[c]) == 0)
				v = field_json(&f[i]);
		json_object_set_new(o, s->cols[c], v ? v : json_null());
	}
	return o;
}

/* ---- dates and times ---- */

static time_t today0; /* today 00:00 UTC */

static void
day_str(char out[16], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static void
time_str(char out[40], time_t t, int usec)
{
	struct tm tm;
	char base[32];

	gmtime_r(&t, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 40, "%.20s.%06dZ", base, usec);
}

static time_t
year_start(int y)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mday = 1 };

	return timegm(&tm);
}

/* ---- the organisation ---- */

struct unit {
	long id, parent;
	char code[24];
};
static struct unit *units;
static long nunits, nleaves, *leaves; /* leaves: units officials work in */

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh",
				      "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô" };
static const char *const middle[] = { "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh",
				      "Quang", "Thu", "Xuân" };
static const char *const given[] = { "An", "Bình", "Cường", "Dung", "Em", "Giang", "Hà",
				     "Hải", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
				     "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn",
				     "Vân", "Yến" };
static const char *const categories[] = { "can_bo", "cong_chuc", "vien_chuc",
					  "nguoi_lao_dong" };

/* the tree, in memory: the four levels keep their shape at every scale,
 * fewer provinces below scale 1 */
static void
make_units(double scale)
{
	int prov = (int)(63 * (scale < 1 ? (scale < 0.05 ? 0.05 : scale) : 1));

	if (prov < 2)
		prov = 2;
	units = calloc((size_t)(1 + prov * (1 + 11 * 7)), sizeof(*units));
	leaves = calloc((size_t)(1 + prov * (1 + 11 * 7)), sizeof(*leaves));
	if (units == NULL || leaves == NULL)
		exit(2);
	units[nunits++] = (struct unit){ 1, 0, "VN" };
	for (int p = 1; p <= prov; p++) {
		long pid = nunits + 1;
		units[nunits] = (struct unit){ pid, 1, "" };
		snprintf(units[nunits++].code, 24, "T%02d", p);
		leaves[nleaves++] = pid; /* the province's own offices */
		for (int h = 1; h <= 11; h++) {
			long hid = nunits + 1;
			units[nunits] = (struct unit){ hid, pid, "" };
			snprintf(units[nunits++].code, 24, "T%02d-H%02d", p, h);
			leaves[nleaves++] = hid;
			for (int x = 1; x <= 6; x++) {
				units[nunits] = (struct unit){ nunits + 1, hid, "" };
				snprintf(units[nunits].code, 24, "T%02d-H%02d-X%d", p, h, x);
				leaves[nleaves++] = ++nunits;
			}
		}
	}
}

static void
gen_units(struct loader *l)
{
	char id[24], parent[24], name[64];

	copy_begin(l, "COPY vhcv.units (id, code, name, parent_id, valid_from) FROM STDIN");
	for (long i = 0; i < nunits; i++) {
		snprintf(id, sizeof(id), "%ld", units[i].id);
		snprintf(parent, sizeof(parent), "%ld", units[i].parent);
		snprintf(name, sizeof(name), "Đơn vị %s", units[i].code);
		copy_row(l, 5, (const char *[]){ id, units[i].code, name,
						 units[i].parent ? parent : NULL, "2010-01-01" });
	}
	copy_end(l, T_UNITS);
	copy_begin(l, "COPY vhcv.unit_history (unit_id, change, name, parent_id, effective_on,"
		      " actor) FROM STDIN");
	for (long i = 0; i < nunits; i++) {
		snprintf(id, sizeof(id), "%ld", units[i].id);
		snprintf(parent, sizeof(parent), "%ld", units[i].parent);
		snprintf(name, sizeof(name), "Đơn vị %s", units[i].code);
		copy_row(l, 6, (const char *[]){ id, "created", name,
						 units[i].parent ? parent : NULL, "2010-01-01",
						 "bench" });
	}
	copy_end(l, T_UNIT_HISTORY);
}

/* officials: unit (index into units) and category of each, 1-based ids,
 * drawn before the load (the cases need them) */
static long nofficials;
static int *off_unit;
static unsigned char *off_cat;

static void
make_officials(double scale)
{
	nofficials = (long)(2500000 * scale);
	if (nofficials < 200)
		nofficials = 200;
	off_unit = calloc((size_t)nofficials + 1, sizeof(*off_unit));
	off_cat = calloc((size_t)nofficials + 1, 1);
	if (off_unit == NULL || off_cat == NULL)
		exit(2);
	for (long i = 1; i <= nofficials; i++) {
		long r = rndn(100);
		off_unit[i] = (int)leaves[rndn(nleaves)];
		off_cat[i] = r < 10 ? 0 : r < 45 ? 1 : r < 95 ? 2 : 3;
	}
}

static void
gen_officials(struct loader *l)
{
	char id[24], code[24], name[96], unit[24];

	copy_begin(l, "COPY vhcv.officials (id, code, full_name, category, leader, unit_id,"
		      " position, status) FROM STDIN");
	for (long i = 1; i <= nofficials; i++) {
		snprintf(id, sizeof(id), "%ld", i);
		snprintf(code, sizeof(code), "CB-%07ld", i);
		snprintf(name, sizeof(name), "%s %s %s", family[rndn(VH_NELEM(family))],
			 middle[rndn(VH_NELEM(middle))], given[rndn(VH_NELEM(given))]);
		snprintf(unit, sizeof(unit), "%d", off_unit[i]);
		copy_row(l, 8, (const char *[]){ id, code, name, categories[off_cat[i]],
						 rndn(100) < 8 ? "t" : "f", unit,
						 "Chuyên viên", rndn(100) < 3 ? "retired" : "active" });
	}
	copy_end(l, T_OFFICIALS);
}

/* every official's first version, and a second for a fifth of them (the
 * names need not match) */
static void
gen_versions(struct loader *l)
{
	char id[24], name[96], unit[24], from[16];

	copy_begin(l, "COPY vhcv.official_versions (official_id, valid_from, full_name, category,"
		      " leader, unit_id, position, status, actor) FROM STDIN");
	for (long i = 1; i <= nofficials; i++) {
		int versions = rndn(5) == 0 ? 2 : 1;
		snprintf(id, sizeof(id), "%ld", i);
		snprintf(unit, sizeof(unit), "%d", off_unit[i]);
		for (int v = 0; v < versions; v++) {
			day_str(from, year_start(2010 + (v ? 8 + (int)rndn(6) : 0)) +
					      86400 * rndn(300));
			snprintf(name, sizeof(name), "%s %s %s", family[rndn(VH_NELEM(family))],
				 middle[rndn(VH_NELEM(middle))], given[rndn(VH_NELEM(given))]);
			copy_row(l, 9, (const char *[]){ id, from, name, categories[off_cat[i]],
							 v ? "t" : "f", unit, "Chuyên viên",
							 "active", "bench" });
		}
	}
	copy_end(l, T_VERSIONS);
}

/* ---- cases, events, councils, decisions ---- */

struct rv {
	char id[24], code[72], hash[72];
};
static struct rv *rvs;
static int nrvs;

static void
load_rules(PGconn *conn)
{
	PGresult *res = PQexec(conn, "SELECT id, code, content_hash FROM vhcv.rule_versions"
				     " WHERE valid_to IS NULL ORDER BY id");

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0) {
		fprintf(stderr, "vhgen: no rule versions: start vhcvd once on the database first\n");
		exit(1);
	}
	nrvs = PQntuples(res);
	rvs = calloc((size_t)nrvs, sizeof(*rvs));
	for (int i = 0; i < nrvs; i++) {
		snprintf(rvs[i].id, 24, "%s", PQgetvalue(res, i, 0));
		snprintf(rvs[i].code, 72, "%s", PQgetvalue(res, i, 1));
		snprintf(rvs[i].hash, 72, "%s", PQgetvalue(res, i, 2));
	}
	PQclear(res);
}

enum st { S_REPORTED, S_REVIEW, S_DEFERRED, S_COUNCIL, S_DECIDED, S_APPEALED, S_REJECTED,
	  S_CLOSED_NONE, S_CLOSED, S_N };
static const char *const st_name[S_N] = { "reported", "under_review", "deferred", "council",
					  "decided", "appealed", "rejected",
					  "closed_no_sanction", "closed" };
/* the events a case in each state has (gen_events writes them) */
static const int st_events[S_N] = { 1, 2, 3, 3, 4, 5, 2, 4, 5 };
/* per cent of each state by the age of the year (0: this year) */
static const int mix[3][S_N] = {
	{ 20, 20, 3, 15, 15, 0, 7, 8, 12 },
	{ 0, 4, 2, 4, 15, 3, 12, 20, 40 },
	{ 0, 0, 0, 0, 4, 1, 15, 25, 55 },
};

static bool
has_council(int st)
{
	return st >= S_COUNCIL && st != S_REJECTED;
}

static bool
has_decision(int st)
{
	return st == S_DECIDED || st == S_APPEALED || st == S_CLOSED || st == S_CLOSED_NONE;
}

static enum st
pick_state(int age)
{
	const int *m = mix[age > 2 ? 2 : age];
	long r = rndn(100);

	for (int s = 0; s < S_N; s++)
		if ((r -= m[s]) < 0)
			return (enum st)s;
	return S_CLOSED;
}

/*
 * Everything per case, drawn before the load, except what its events
 * give it (times, the decision's day, the head), which the task writing
 * the case's events fills before it writes the case.
 */
struct kase {
	int official, rv, year, seq;
	unsigned char st;
	int members[3];
	long decision; /* its id, 0: none */
	time_t created, last, signed_at; /* reported, last event, decision */
	char head[VH_SHA256_HEX];
};
static struct kase *k;
static long ncases;
static bool with_state, with_pending; /* the schema records states, queues events */

/* the dates of a case, the same in its row and in its first event */
static void
case_dates(long id, time_t reported, char occ[16], char det[16], char lim[16], char due[16])
{
	day_str(occ, reported - 86400 * (20 + (id % 40)));
	day_str(det, reported - 86400 * (id % 10));
	day_str(lim, reported + 86400 * 700);
	day_str(due, reported + 86400 * 90);
}

/* a case's row: the fields of its history row (VHD_SQL_CASE_ROWS) have a kind */
enum { CASE_FIELDS = 23 };
struct caserow {
	char id[24], year[16], seq[16], off[24], unit[24], occ[16], det[16], lim[16], due[16],
		evc[8], created[40], last[40];
	struct field f[CASE_FIELDS];
};

static void
case_row(struct caserow *r, long id)
{
	const struct kase *c = &k[id];
	int st = c->st;

	snprintf(r->id, sizeof(r->id), "%ld", id);
	snprintf(r->year, sizeof(r->year), "%d", c->year);
	snprintf(r->seq, sizeof(r->seq), "%d", c->seq);
	snprintf(r->off, sizeof(r->off), "%d", c->official);
	snprintf(r->unit, sizeof(r->unit), "%d", off_unit[c->official]);
	snprintf(r->evc, sizeof(r->evc), "%d", st_events[st]);
	case_dates(id, c->created, r->occ, r->det, r->lim, r->due);
	time_str(r->created, c->created, 0);
	time_str(r->last, c->last, 0);
	memcpy(r->f, (struct field[CASE_FIELDS]){
			     { "id", r->id, 0 },
			     { "year", r->year, 'n' },
			     { "seq", r->seq, 'n' },
			     { "official_id", r->off, 'n' },
			     { "unit_id", r->unit, 'n' },
			     { "rule_version_id", rvs[c->rv].id, 'n' },
			     { "source", "inspection", 's' },
			     { "reporter", "thanhtra", 's' },
			     { "occurred_on", r->occ, 's' },
			     { "detected_on", r->det, 's' },
			     { "place", NULL, 's' },
			     { "description", "Vi phạm quy tắc ứng xử (dữ liệu thử)", 's' },
			     { "status", st_name[st], 's' },
			     { "severity", has_decision(st) ? "it_nghiem_trong" : NULL, 's' },
			     { "complex", "f", 'b' },
			     { "limitation_expires_on", r->lim, 's' },
			     { "handling_deadline", r->due, 's' },
			     { "paused_days", "0", 'n' },
			     { "paused_since", st == S_DEFERRED ? r->det : NULL, 's' },
			     { "event_count", r->evc, 0 },
			     { "event_head", c->head, 0 },
			     { "created_at", r->created, 0 },
			     { "updated_at", r->last, 0 },
		     },
	       sizeof(r->f));
}

static const char case_copy[] =
	"COPY vhcv.cases (id, year, seq, official_id, unit_id, rule_version_id, source, reporter,"
	" occurred_on, detected_on, place, description, status, severity, complex,"
	" limitation_expires_on, handling_deadline, paused_days, paused_since, event_count,"
	" event_head, created_at, updated_at) FROM STDIN";

/* a decision's row, the same in the table and in its history row */
enum { DEC_FIELDS = 15 };
static const char *const dec_written[] = { "id", "case_id", "kind", "form", "severity",
					    "issuer", "year", "number", "symbol", "signed_on",
					    "effective_on", "effect_until", "regime", "actor", "at",
					    NULL };
struct decrow {
	char id[24], cid[24], year[16], num[24], symbol[48], sgn[16], until[16], at[40];
	struct field f[DEC_FIELDS];
};

static void
decision_row(struct decrow *r, long id)
{
	const struct kase *c = &k[id];
	bool none = c->st == S_CLOSED_NONE;
	struct tm stm;

	gmtime_r(&c->signed_at, &stm);
	snprintf(r->id, sizeof(r->id), "%ld", c->decision);
	snprintf(r->cid, sizeof(r->cid), "%ld", id);
	snprintf(r->year, sizeof(r->year), "%d", stm.tm_year + 1900);
	snprintf(r->num, sizeof(r->num), "%ld", id);
	snprintf(r->symbol, sizeof(r->symbol), "%ld/QĐ-KL", id);
	day_str(r->sgn, c->signed_at);
	day_str(r->until, c->signed_at + 86400 * 365);
	time_str(r->at, c->signed_at, 0);
	memcpy(r->f, (struct field[DEC_FIELDS]){
			     { "id", r->id, 'n' },
			     { "case_id", r->cid, 'n' },
			     { "kind", "decision", 's' },
			     { "form", none ? "none" : "khien_trach", 's' },
			     { "severity", "it_nghiem_trong", 's' },
			     { "issuer", "QĐ-KL", 's' },
			     { "year", r->year, 'n' },
			     { "number", r->num, 'n' },
			     { "symbol", r->symbol, 's' },
			     { "signed_on", r->sgn, 's' },
			     { "effective_on", r->sgn, 's' },
			     { "effect_until", none ? NULL : r->until, 's' },
			     { "regime", "regime-b", 's' },
			     { "actor", "lanhdao", 's' },
			     { "at", r->at, 's' },
		     },
	       sizeof(r->f));
}

static const char dec_copy[] =
	"COPY vhcv.decisions (id, case_id, kind, form, severity, issuer, year, number, symbol,"
	" signed_on, effective_on, effect_until, regime, actor, at) FROM STDIN";

/* a council member's row */
static const char *const cm_written[] = { "case_id", "official_id", NULL };

static void
member_row(char cid[24], char off[24], struct field f[2], long id, int m)
{
	snprintf(cid, 24, "%ld", id);
	snprintf(off, 24, "%d", k[id].members[m]);
	f[0] = (struct field){ "case_id", cid, 'n' };
	f[1] = (struct field){ "official_id", off, 'n' };
}

/* all the history rows of a case, as its last event records them */
static json_t *
case_state(long id)
{
	json_t *state = json_object();
	struct caserow cr;
	char key[48];

	case_row(&cr, id);
	json_object_set_new(state, "case", fields_json(CASE_FIELDS, cr.f));
	if (has_decision(k[id].st)) {
		struct decrow dr;
		decision_row(&dr, id);
		snprintf(key, sizeof(key), "decision:%ld", k[id].decision);
		json_object_set_new(state, key, spec_json(&dec_spec, DEC_FIELDS, dr.f));
	}
	for (int m = 0; has_council(k[id].st) && m < 3; m++) {
		char cid[24], off[24];
		struct field f[2];
		member_row(cid, off, f, id, m);
		snprintf(key, sizeof(key), "council:%d", k[id].members[m]);
		json_object_set_new(state, key, spec_json(&cm_spec, 2, f));
	}
	return state;
}

/* the events of a case, each a time after the one before */
struct chain {
	struct {
		const char *kind, *actor;
		json_t *data;
		char at[40];
	} ev[8];
	int n;
	time_t at;
};

static void
event(struct chain *c, const char *kind, const char *actor, json_t *data)
{
	time_t t = c->at + 3600 + rndn(86400 * 12);

	/* never after yesterday's end, always after the event before */
	c->at = t > today0 - 600 ? c->at + 1 + rndn(5) : t;
	time_str(c->ev[c->n].at, c->at, (int)rndn(1000000));
	c->ev[c->n].kind = kind;
	c->ev[c->n].actor = actor;
	c->ev[c->n++].data = data;
}

static json_t *
move(const char *from, const char *to)
{
	return json_pack("{s:s, s:s}", "from", from, "to", to);
}

/* the transitions of a case to its state, as vhcvd records them */
static void
case_events(struct chain *ch, long id)
{
	struct kase *c = &k[id];
	int st = c->st;
	char off[24], occ[16], det[16], lim[16], due[16];
	const char *reporter = "thanhtra", *head = "lanhdao";

	snprintf(off, sizeof(off), "CB-%07d", c->official);
	case_dates(id, c->created, occ, det, lim, due);
	ch->at = c->created;
	event(ch, "reported", reporter,
	      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "source", "inspection",
			"official", off, "rule", rvs[c->rv].code, "rule_hash", rvs[c->rv].hash,
			"occurred_on", occ, "detected_on", det, "limitation_expires_on", lim,
			"handling_deadline", due));
	if (st == S_REJECTED) {
		json_t *d = move("reported", "rejected");
		json_object_set_new(d, "reason", json_string("unfounded"));
		event(ch, "rejected", head, d);
	} else if (st != S_REPORTED) {
		event(ch, "accepted", head, move("reported", "under_review"));
		if (st == S_DEFERRED) {
			json_t *d = move("under_review", "deferred");
			json_object_set_new(d, "ground", json_string("illness"));
			event(ch, "deferred", head, d);
		} else if (st != S_REVIEW) {
			json_t *d = move("under_review", "council"), *m = json_array();
			for (int i = 0; i < 3; i++) {
				char mc[24];
				snprintf(mc, sizeof(mc), "CB-%07d", c->members[i]);
				json_array_append_new(m, json_string(mc));
			}
			json_object_set_new(d, "members", m);
			json_object_set_new(d, "recommend", json_string("khien_trach"));
			event(ch, "council", head, d);
			if (st != S_COUNCIL) {
				bool none = st == S_CLOSED_NONE;
				json_t *x = move("council", none ? "closed_no_sanction" : "decided");
				char sgn[16], dnum[40];
				/* signed the day it is recorded */
				c->signed_at = ch->at + 3600 + rndn(86400 * 12);
				if (c->signed_at > today0 - 600)
					c->signed_at = ch->at + 1;
				day_str(sgn, c->signed_at);
				snprintf(dnum, sizeof(dnum), "%ld/QĐ-KL", id);
				json_object_set_new(x, "number", json_string(dnum));
				json_object_set_new(x, "form", json_string(none ? "none" : "khien_trach"));
				json_object_set_new(x, "severity", json_string("it_nghiem_trong"));
				json_object_set_new(x, "signed_on", json_string(sgn));
				json_object_set_new(x, "effective_on", json_string(sgn));
				event(ch, "decided", head, x);
				if (st == S_APPEALED)
					event(ch, "appealed", "canbo", move("decided", "appealed"));
				else if (st == S_CLOSED)
					event(ch, "closed", head, move("decided", "closed"));
			}
		}
	}
	if (ch->n != st_events[st]) {
		fprintf(stderr, "vhgen: case %ld in state %s has %d events, not %d\n", id,
			st_name[st], ch->n, st_events[st]);
		exit(2);
	}
}

/* write a case's events (ids from *evid on), the last with the state */
static void
write_events(struct loader *l, long id, long *evid)
{
	struct kase *c = &k[id];
	struct chain ch = { .n = 0 };
	char number[40], cid[24], prev[VH_SHA256_HEX] = VHD_ZERO_HASH;

	case_events(&ch, id);
	c->last = ch.at;
	snprintf(number, sizeof(number), "VP-%d-%d", c->year, c->seq);
	snprintf(cid, sizeof(cid), "%ld", id);
	for (int i = 0; i < ch.n; i++) {
		json_t *state = with_state && i == ch.n - 1 ? case_state(id) : NULL;
		char hash[VH_SHA256_HEX], seq[16], eid[24], *data, *stext = NULL;

		if (vhd_event_hash(hash, prev, number, i + 1, ch.ev[i].kind, ch.ev[i].actor,
				   ch.ev[i].at, ch.ev[i].data, state) < 0 ||
		    (data = json_dumps(ch.ev[i].data, JSON_COMPACT | JSON_SORT_KEYS)) == NULL ||
		    (state && (stext = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS)) == NULL))
			exit(2);
		snprintf(seq, sizeof(seq), "%d", i + 1);
		snprintf(eid, sizeof(eid), "%ld", (*evid)++);
		if (with_state)
			copy_row(l, 10, (const char *[]){ eid, cid, seq, ch.ev[i].kind,
							  ch.ev[i].actor, ch.ev[i].at, data, stext,
							  prev, hash });
		else
			copy_row(l, 9, (const char *[]){ eid, cid, seq, ch.ev[i].kind,
							 ch.ev[i].actor, ch.ev[i].at, data, prev,
							 hash });
		free(data);
		free(stext);
		json_decref(state);
		json_decref(ch.ev[i].data);
		memcpy(prev, hash, sizeof(hash));
	}
	memcpy(c->head, prev, sizeof(prev));
}

/* cases [from, to) with their events from event id ev0 on */
static void
gen_cases(struct loader *l, long from, long to, long ev0)
{
	long evid = ev0;

	copy_begin(l, with_state ? "COPY vhcv.case_events (id, case_id, seq, kind, actor, at,"
				   " data, state, prev_hash, hash) FROM STDIN"
				 : "COPY vhcv.case_events (id, case_id, seq, kind, actor, at,"
				   " data, prev_hash, hash) FROM STDIN");
	for (long id = from; id < to; id++)
		write_events(l, id, &evid);
	copy_end(l, T_EVENTS);
	/* a schema with a Merkle log (issue 10) queues every event for the next
	 * seal through a trigger, which replica mode skips: queue them here */
	if (with_pending) {
		char eid[24];
		copy_begin(l, "COPY vhcv.audit_pending (event_id) FROM STDIN");
		for (long e = ev0; e < evid; e++) {
			snprintf(eid, sizeof(eid), "%ld", e);
			copy_row(l, 1, (const char *[]){ eid });
		}
		copy_end(l, T_PENDING);
	}
	copy_begin(l, case_copy);
	for (long id = from; id < to; id++) {
		struct caserow r;
		case_row(&r, id);
		copy_fields(l, CASE_FIELDS, r.f);
	}
	copy_end(l, T_CASES);
	copy_begin(l, "COPY vhcv.council_members (case_id, official_id) FROM STDIN");
	for (long id = from; id < to; id++)
		for (int m = 0; has_council(k[id].st) && m < 3; m++) {
			char cid[24], off[24];
			struct field f[2];
			member_row(cid, off, f, id, m);
			copy_fields(l, 2, f);
		}
	copy_end(l, T_COUNCIL);
	copy_begin(l, dec_copy);
	for (long id = from; id < to; id++)
		if (has_decision(k[id].st)) {
			struct decrow r;
			decision_row(&r, id);
			copy_fields(l, DEC_FIELDS, r.f);
		}
	copy_end(l, T_DECISIONS);
}

/* the cases of ten years, in time order, drawn with their members */
static void
make_cases(double scale, int council_min)
{
	long id = 0, decisions = 0;
	int this_year, per_year[YEARS];
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	this_year = tm.tm_year + 1900;
	ncases = (long)(1000000 * scale);
	if (ncases < 100)
		ncases = 100;
	if ((k = calloc((size_t)ncases + 1, sizeof(*k))) == NULL)
		exit(2);
	/* slightly more cases in recent years */
	for (int a = 0, total = 0; a < YEARS; a++) {
		/* weights 10..19 from the oldest year: their sum is 145 */
		per_year[a] = (int)(ncases * (YEARS + a) / (YEARS * YEARS + YEARS * (YEARS - 1) / 2));
		total += per_year[a];
		if (a == YEARS - 1)
			per_year[a] += (int)(ncases - total);
	}
	/* case ids in time order: oldest year first */
	for (int a = YEARS - 1; a >= 0; a--) {
		int y = this_year - a, n = per_year[YEARS - 1 - a];
		time_t ys = year_start(y), span = (a == 0 ? today0 - 86400 * 3 : year_start(y + 1)) - ys;
		int councils = 0;
		for (int s = 1; s <= n; s++) {
			struct kase *c = &k[++id];
			c->official = (int)(1 + rndn(nofficials));
			c->rv = (int)rndn(nrvs);
			c->year = y;
			c->seq = s;
			c->created = ys + (time_t)((double)span * s / (n + 1));
			c->st = (unsigned char)pick_state(a);
			if (a == 0 && c->st == S_COUNCIL)
				councils++;
			/* enough cases waiting for a decision for the benchmark */
			if (a == 0 && c->st == S_REPORTED && councils < council_min &&
			    s > n / 2) {
				c->st = S_COUNCIL;
				councils++;
			}
			if (has_decision(c->st))
				c->decision = ++decisions;
			for (int m = 0; m < 3; m++)
				do
					c->members[m] = (int)(1 + rndn(nofficials));
				while (c->members[m] == c->official ||
				       (m > 0 && c->members[m] == c->members[m - 1]) ||
				       (m > 1 && c->members[m] == c->members[0]));
		}
	}
	ncases = id;
}

/* ---- the tasks, taken in turn by the connections ---- */

enum { TASK_OFFICIALS, TASK_VERSIONS, TASK_CASES };
struct task {
	int kind;
	long from, to, ev0; /* cases [from, to), their first event id */
};
static struct task tasks[2 + CHUNKS];
static int ntasks;
static atomic_int next_task;

static void
make_tasks(void)
{
	long per = (ncases + CHUNKS - 1) / CHUNKS, ev = 1;

	tasks[ntasks++] = (struct task){ TASK_OFFICIALS, 0, 0, 0 };
	tasks[ntasks++] = (struct task){ TASK_VERSIONS, 0, 0, 0 };
	for (long from = 1; from <= ncases; from += per) {
		long to = from + per > ncases + 1 ? ncases + 1 : from + per;
		tasks[ntasks++] = (struct task){ TASK_CASES, from, to, ev };
		for (long id = from; id < to; id++)
			ev += st_events[k[id].st];
	}
}

static void *
worker(void *arg)
{
	struct loader l = { .conn = connect_loader() };
	int t;

	(void)arg;
	while ((t = atomic_fetch_add(&next_task, 1)) < ntasks) {
		reseed((unsigned long long)t + 1);
		switch (tasks[t].kind) {
		case TASK_OFFICIALS:
			gen_units(&l);
			gen_officials(&l);
			break;
		case TASK_VERSIONS:
			gen_versions(&l);
			break;
		default:
			gen_cases(&l, tasks[t].from, tasks[t].to, tasks[t].ev0);
		}
	}
	free(l.buf);
	PQfinish(l.conn);
	return NULL;
}

/* what this schema has: recorded states (0020), the seal's queue (0021),
 * the history rows' columns */
static void
read_schema(PGconn *conn)
{
	PGresult *res = PQexec(conn, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE"
				     " attrelid = 'vhcv.case_events'::regclass AND attname = 'state'"
				     " AND NOT attisdropped),"
				     " to_regclass('vhcv.audit_pending') IS NOT NULL");

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die(conn, "schema");
	with_state = PQgetvalue(res, 0, 0)[0] == 't';
	with_pending = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	spec_load(conn, &dec_spec, dec_written);
	spec_load(conn, &cm_spec, cm_written);
}

/*
 * The tables loaded here lose their secondary indexes and unique
 * constraints (not their primary keys) for the load, and get them back
 * after it: building an index once from sorted rows costs a fraction of
 * inserting millions of random keys (event hashes) one by one, and
 * PostgreSQL builds the large ones with parallel workers (both cores).
 * Whatever any migration defines is taken from the catalog and restored
 * as it was; one that something depends on stays.
 */
static const char gen_tables[] =
	"'{vhcv.officials,vhcv.official_versions,vhcv.cases,vhcv.case_events,"
	"vhcv.council_members,vhcv.decisions}'::regclass[]";

static void
drop_indexes(PGconn *conn)
{
	char sql[2048];

	exec(conn, "CREATE TEMP TABLE gen_indexes (rel regclass, name text, def text, con boolean)");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO gen_indexes"
		 " SELECT conrelid, conname, pg_get_constraintdef(oid), true FROM pg_constraint"
		 "  WHERE conrelid = ANY(%s) AND contype IN ('u', 'x')"
		 " UNION ALL SELECT i.indrelid, c.relname, pg_get_indexdef(i.indexrelid), false"
		 "  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
		 "  WHERE i.indrelid = ANY(%s) AND NOT i.indisprimary"
		 "  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
		 gen_tables, gen_tables);
	exec(conn, sql);
	/* drop each, keeping what cannot be dropped (something depends on it) */
	exec(conn, "DO $$ DECLARE r record; BEGIN FOR r IN SELECT * FROM gen_indexes LOOP"
		   " BEGIN"
		   "  IF r.con THEN EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.rel, r.name);"
		   "  ELSE EXECUTE format('DROP INDEX vhcv.%I', r.name); END IF;"
		   " EXCEPTION WHEN dependent_objects_still_exist THEN"
		   "  DELETE FROM gen_indexes WHERE rel = r.rel AND name = r.name;"
		   " END; END LOOP; END $$");
}

/* statements run by the connections, each taking the next in turn */
struct stmts {
	PGresult *res; /* column 0: the statements */
	atomic_int next;
};

static void *
stmt_worker(void *arg)
{
	struct stmts *s = arg;
	PGconn *conn = connect_loader();
	int i;

	exec(conn, "SET maintenance_work_mem = '512MB'");
	while ((i = atomic_fetch_add(&s->next, 1)) < PQntuples(s->res))
		exec(conn, PQgetvalue(s->res, i, 0));
	PQfinish(conn);
	return NULL;
}

/* run the statements a query gives, on all the connections at once */
static void
run_parallel(PGconn *conn, const char *query, const char *what)
{
	struct stmts s = { .res = PQexec(conn, query) };
	pthread_t th[MAX_WORKERS];
	double t0 = now_s();

	if (PQresultStatus(s.res) != PGRES_TUPLES_OK)
		die(conn, what);
	atomic_init(&s.next, 0);
	for (int w = 0; w < workers; w++)
		if (pthread_create(&th[w], NULL, stmt_worker, &s) != 0)
			exit(2);
	for (int w = 0; w < workers; w++)
		pthread_join(th[w], NULL);
	printf("  %-18s %10d stmts %7.1f s\n", what, PQntuples(s.res), now_s() - t0);
	fflush(stdout);
	PQclear(s.res);
}

/*
 * The indexes back, two statements at a time: first one of each table,
 * the largest tables first, then the second of each, and so on (two on
 * the same table mostly wait for each other's lock).
 */
static void
restore_indexes(PGconn *conn)
{
	run_parallel(conn,
		     "SELECT CASE WHEN con THEN format('ALTER TABLE %s ADD CONSTRAINT %I %s', rel,"
		     " name, def) ELSE def END FROM (SELECT *, row_number() OVER (PARTITION BY rel"
		     " ORDER BY name) AS n FROM gen_indexes) g"
		     " ORDER BY n, pg_relation_size(rel) DESC, name",
		     "indexes rebuilt");
	exec(conn, "DROP TABLE gen_indexes");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { { "dsn", required_argument, NULL, 'd' },
					      { "scale", required_argument, NULL, 's' },
					      { "seed", required_argument, NULL, 'r' },
					      { "council-min", required_argument, NULL, 'c' },
					      { "jobs", required_argument, NULL, 'j' },
					      { NULL, 0, NULL, 0 } };
	double scale = 1, t0 = now_s(), t1;
	int o, council_min = 4000;
	pthread_t th[MAX_WORKERS];
	PGconn *conn;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd':
			dsn = optarg;
			break;
		case 's':
			scale = strtod(optarg, NULL);
			break;
		case 'r':
			seed ^= strtoull(optarg, NULL, 10) * 0x2545F4914F6CDD1Dull;
			break;
		case 'c':
			council_min = atoi(optarg);
			break;
		case 'j':
			workers = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: vhgen --dsn DSN [--scale S] [--seed N]"
					" [--council-min N] [--jobs N]\n");
			return 2;
		}
	}
	if (dsn == NULL || !(scale > 0 && scale <= 4) || workers < 1 || workers > MAX_WORKERS) {
		fprintf(stderr, "vhgen: --dsn is required; --scale is in (0, 4], --jobs in"
				" [1, %d]\n", MAX_WORKERS);
		return 2;
	}
	today0 = time(NULL) / 86400 * 86400;
	json_object_seed(0); /* before the threads make objects */
	conn = connect_loader();
	printf("vhgen: scale %g, %d connections\n", scale, workers);
	load_rules(conn);
	read_schema(conn);
	drop_indexes(conn);

	reseed(0);
	make_units(scale);
	make_officials(scale);
	make_cases(scale, (int)(council_min * (scale < 1 ? 1 : scale)));
	make_tasks();
	t1 = now_s();
	for (int w = 0; w < workers; w++)
		if (pthread_create(&th[w], NULL, worker, NULL) != 0)
			exit(2);
	for (int w = 0; w < workers; w++)
		pthread_join(th[w], NULL);
	for (int t = 0; t < T_N; t++)
		if (tstat[t].rows)
			printf("  %-18s %10lld rows  %7.1f s\n", tab_name[t], tstat[t].rows,
			       tstat[t].secs);
	printf("  %-18s %10s       %7.1f s (the rows above, %d connections at once)\n",
	       "load", "", now_s() - t1, workers);
	fflush(stdout);

	t1 = now_s();
	exec(conn, "BEGIN");
	/* identities and case numbers continue after the data */
	exec(conn, "SELECT setval(pg_get_serial_sequence('vhcv.' || t, 'id'),"
		   " (SELECT coalesce(max(id), 0) + 1 FROM vhcv.units), false)"
		   " FROM (VALUES ('units')) v(t)");
	exec(conn, "SELECT setval(pg_get_serial_sequence('vhcv.officials', 'id'),"
		   " (SELECT max(id) FROM vhcv.officials))");
	exec(conn, "SELECT setval(pg_get_serial_sequence('vhcv.cases', 'id'),"
		   " (SELECT max(id) FROM vhcv.cases))");
	exec(conn, "SELECT setval(pg_get_serial_sequence('vhcv.case_events', 'id'),"
		   " (SELECT max(id) FROM vhcv.case_events))");
	exec(conn, "SELECT setval(pg_get_serial_sequence('vhcv.decisions', 'id'),"
		   " (SELECT coalesce(max(id), 0) + 1 FROM vhcv.decisions), false)");
	/* the numbering of either schema: sequences per year (0050), or the
	 * counter rows before them */
	exec(conn, "SELECT setval(to_regclass(format('vhcv.case_seq_%s', year)), max(seq))"
		   " FROM vhcv.cases GROUP BY year"
		   " HAVING to_regclass(format('vhcv.case_seq_%s', year)) IS NOT NULL");
	exec(conn, "INSERT INTO vhcv.case_counters (year, last) SELECT year, max(seq)"
		   " FROM vhcv.cases GROUP BY year"
		   " ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last");
	/* effects that ended before today, as vhcvd's scheduler records them
	 * (src/daemon/store/scheduler.c), so that its first tick finds nothing to do
	 * during the benchmark; skipped on a schema without them */
	exec(conn, "DO $$ BEGIN IF to_regclass('vhcv.effect_endings') IS NOT NULL THEN"
		   " INSERT INTO vhcv.effect_endings (decision_id, kind, ended_on, actor)"
		   " SELECT d.id, 'effect_ended', d.effect_until + 1, 'vhcvd' FROM vhcv.decisions d"
		   " WHERE d.form <> 'none' AND d.effect_until < current_date;"
		   " END IF; END $$");
	/* and the endings still to come, as the trigger on decisions queues
	 * them (migration 0112) */
	exec(conn, "DO $$ BEGIN IF to_regproc('vhcv.effect_pending_fill') IS NOT NULL THEN"
		   " PERFORM vhcv.effect_pending_fill(); END IF; END $$");
	exec(conn, "COMMIT");
	printf("  %-18s %10s       %7.1f s\n", "counters, endings", "", now_s() - t1);
	restore_indexes(conn);
	/* the statistics' facts (migration 0091) are kept by triggers, off
	 * while loading: rebuilt from the history, beside the vacuums */
	run_parallel(conn,
		     "SELECT s FROM (SELECT 'SELECT vhcv.stat_facts_fill()' AS s, -1 AS o"
		     " WHERE to_regproc('vhcv.stat_facts_fill') IS NOT NULL"
		     " UNION ALL SELECT 'VACUUM (ANALYZE) ' || t, -pg_relation_size(t::regclass)"
		     " FROM unnest('{vhcv.units,vhcv.officials,vhcv.official_versions,vhcv.cases,"
		     "vhcv.case_events,vhcv.council_members,vhcv.decisions,vhcv.audit_pending}'"
		     "::text[]) t WHERE to_regclass(t) IS NOT NULL) v ORDER BY o",
		     "facts, vacuum");
	printf("vhgen: %ld units, %ld officials, %ld cases, %.0f s in all\n", nunits, nofficials,
	       ncases, now_s() - t0);
	PQfinish(conn);
	return 0;
}
