/*
 * vhgen: a national-scale dataset for the benchmark, loaded with COPY.
 *
 *   vhgen --dsn DSN [--scale S] [--seed N]
 *
 * At scale 1: about 5,000 units in four levels (the country, 63 provinces,
 * 11 districts each, 6 communes or offices each), 2.5 million officials
 * (a fifth of them with a second version), 1 million cases over the ten
 * years up to today in a realistic mix of states, with their events,
 * councils and decisions. Every case's events form a valid hash chain,
 * hashed by the daemon's own vhd_event_hash() (src/daemon/store/events.c), so
 * that `vhcv audit verify` passes and the generator follows any change of
 * the hash. The event data mirror what vhcvd writes for each transition.
 *
 * DSN must be a superuser's on a database migrated by vhcvd --migrate and
 * whose rule versions vhcvd stored (bench/run does both): the load runs
 * with session_replication_role = replica, so that neither foreign keys
 * nor triggers are checked row by row (the generator writes consistent
 * rows by construction). Deterministic for a given seed and day.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "dbq.h"
#include "events.h"

#define YEARS 10

static PGconn *conn;
static unsigned long long rng = 0x9E3779B97F4A7C15ull;

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
die(const char *what)
{
	fprintf(stderr, "vhgen: %s: %s", what, PQerrorMessage(conn));
	exit(1);
}

static void
exec(const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "vhgen: %s\n%s", sql, PQresultErrorMessage(res));
		exit(1);
	}
	PQclear(res);
}

/* ---- COPY in text format, through one buffer ---- */

static char *cbuf;
static size_t clen, ccap = 1 << 20;
static long long crows;

static void
copy_begin(const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		fprintf(stderr, "vhgen: %s\n%s", sql, PQresultErrorMessage(res));
		exit(1);
	}
	PQclear(res);
	if (cbuf == NULL && (cbuf = malloc(ccap)) == NULL)
		exit(2);
	clen = 0;
	crows = 0;
}

static void
copy_flush(void)
{
	if (clen && PQputCopyData(conn, cbuf, (int)clen) != 1)
		die("COPY");
	clen = 0;
}

static void
copy_raw(const char *s, size_t n)
{
	if (clen + n + 2 > ccap)
		copy_flush();
	while (n + 2 > ccap) {
		if ((cbuf = realloc(cbuf, ccap *= 2)) == NULL)
			exit(2);
	}
	memcpy(cbuf + clen, s, n);
	clen += n;
}

/* one field: NULL is \N, backslash, tab and newlines escaped */
static void
copy_field(const char *s, int first)
{
	if (!first)
		copy_raw("\t", 1);
	if (s == NULL) {
		copy_raw("\\N", 2);
		return;
	}
	for (const char *p = s; *p; p++) {
		const char *run = p;
		while (*p && *p != '\\' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		copy_raw(run, (size_t)(p - run));
		if (*p == 0)
			break;
		copy_raw(*p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : "\\r", 2);
	}
}

/* a row of n fields (NULL: \N) */
static void
copy_row(int n, const char *const *f)
{
	for (int i = 0; i < n; i++)
		copy_field(f[i], i == 0);
	copy_raw("\n", 1);
	crows++;
}

/* end a COPY; t0 < 0: without printing its figures */
static void
copy_end(const char *table, double t0)
{
	PGresult *res;

	copy_flush();
	if (PQputCopyEnd(conn, NULL) != 1)
		die("COPY end");
	res = PQgetResult(conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "vhgen: COPY %s: %s", table, PQresultErrorMessage(res));
		exit(1);
	}
	PQclear(res);
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	if (t0 < 0)
		return;
	printf("  %-18s %10lld rows  %7.1f s\n", table, crows, now_s() - t0);
	fflush(stdout);
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

static void
gen_units(double scale)
{
	/* the four levels keep their shape at every scale; fewer provinces
	 * below scale 1 */
	int prov = (int)(63 * (scale < 1 ? (scale < 0.05 ? 0.05 : scale) : 1));
	char id[24], parent[24], name[64];
	double t0 = now_s();

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
	copy_begin("COPY vhcv.units (id, code, name, parent_id, valid_from) FROM STDIN");
	for (long i = 0; i < nunits; i++) {
		snprintf(id, sizeof(id), "%ld", units[i].id);
		snprintf(parent, sizeof(parent), "%ld", units[i].parent);
		snprintf(name, sizeof(name), "Đơn vị %s", units[i].code);
		copy_row(5, (const char *[]){ id, units[i].code, name,
					      units[i].parent ? parent : NULL, "2010-01-01" });
	}
	copy_end("units", t0);
	t0 = now_s();
	copy_begin("COPY vhcv.unit_history (unit_id, change, name, parent_id, effective_on, actor)"
		   " FROM STDIN");
	for (long i = 0; i < nunits; i++) {
		snprintf(id, sizeof(id), "%ld", units[i].id);
		snprintf(parent, sizeof(parent), "%ld", units[i].parent);
		snprintf(name, sizeof(name), "Đơn vị %s", units[i].code);
		copy_row(6, (const char *[]){ id, "created", name, units[i].parent ? parent : NULL,
					      "2010-01-01", "bench" });
	}
	copy_end("unit_history", t0);
}

/* officials: unit (index into units) and category of each, 1-based ids */
static long nofficials;
static int *off_unit;
static unsigned char *off_cat;

static void
gen_officials(double scale)
{
	char id[24], code[24], name[96], unit[24], from[16];
	double t0 = now_s();
	long nv = 0;

	nofficials = (long)(2500000 * scale);
	if (nofficials < 200)
		nofficials = 200;
	off_unit = calloc((size_t)nofficials + 1, sizeof(*off_unit));
	off_cat = calloc((size_t)nofficials + 1, 1);
	if (off_unit == NULL || off_cat == NULL)
		exit(2);
	copy_begin("COPY vhcv.officials (id, code, full_name, category, leader, unit_id, position,"
		   " status) FROM STDIN");
	for (long i = 1; i <= nofficials; i++) {
		long r = rndn(100);
		off_unit[i] = (int)leaves[rndn(nleaves)];
		off_cat[i] = r < 10 ? 0 : r < 45 ? 1 : r < 95 ? 2 : 3;
		snprintf(id, sizeof(id), "%ld", i);
		snprintf(code, sizeof(code), "CB-%07ld", i);
		snprintf(name, sizeof(name), "%s %s %s", family[rndn(VH_NELEM(family))],
			 middle[rndn(VH_NELEM(middle))], given[rndn(VH_NELEM(given))]);
		snprintf(unit, sizeof(unit), "%d", off_unit[i]);
		copy_row(8, (const char *[]){ id, code, name, categories[off_cat[i]],
					      rndn(100) < 8 ? "t" : "f", unit,
					      "Chuyên viên", rndn(100) < 3 ? "retired" : "active" });
	}
	copy_end("officials", t0);
	t0 = now_s();
	/* every official's first version, and a second for a fifth of them
	 * (regenerated from the same seed: the names need not match) */
	copy_begin("COPY vhcv.official_versions (official_id, valid_from, full_name, category,"
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
			copy_row(9, (const char *[]){ id, from, name, categories[off_cat[i]],
						      v ? "t" : "f", unit, "Chuyên viên", "active",
						      "bench" });
			nv++;
		}
	}
	copy_end("official_versions", t0);
}

/* ---- cases, events, councils, decisions ---- */

struct rv {
	char id[24], code[72], hash[72];
};
static struct rv *rvs;
static int nrvs;

static void
load_rules(void)
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
/* per cent of each state by the age of the year (0: this year) */
static const int mix[3][S_N] = {
	{ 20, 20, 3, 15, 15, 0, 7, 8, 12 },
	{ 0, 4, 2, 4, 15, 3, 12, 20, 40 },
	{ 0, 0, 0, 0, 4, 1, 15, 25, 55 },
};

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

/* the events of a case, appended as the daemon appends them */
struct chain {
	const char *number, *case_id;
	char prev[VH_SHA256_HEX];
	int seq;
	time_t at;
};

static void
event(struct chain *c, const char *kind, const char *actor, json_t *data)
{
	char at[40], hash[VH_SHA256_HEX], seq[16], *text;

	time_t t = c->at + 3600 + rndn(86400 * 12);

	/* never after yesterday's end, always after the event before */
	c->at = t > today0 - 600 ? c->at + 1 + rndn(5) : t;
	c->seq++;
	time_str(at, c->at, (int)rndn(1000000));
	if (vhd_event_hash(hash, c->prev, c->number, c->seq, kind, actor, at, data, NULL) < 0 ||
	    (text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		exit(2);
	snprintf(seq, sizeof(seq), "%d", c->seq);
	copy_row(8, (const char *[]){ c->case_id, seq, kind, actor, at, text, c->prev, hash });
	free(text);
	memcpy(c->prev, hash, sizeof(hash));
	json_decref(data);
}

static json_t *
move(const char *from, const char *to)
{
	return json_pack("{s:s, s:s}", "from", from, "to", to);
}

/* the dates of a case, the same in its row and in its first event */
static void
case_dates(long id, time_t reported, char occ[16], char det[16], char lim[16], char due[16])
{
	day_str(occ, reported - 86400 * (20 + (id % 40)));
	day_str(det, reported - 86400 * (id % 10));
	day_str(lim, reported + 86400 * 700);
	day_str(due, reported + 86400 * 90);
}

/*
 * Cases are written in two passes over the same random stream: events
 * first (they give each case its head hash), then the cases with their
 * heads, councils and decisions. Everything per case is kept in arrays.
 */
struct kase {
	int official, rv, year, seq;
	unsigned char st, nev;
	char head[VH_SHA256_HEX];
	time_t created, last, signed_at; /* reported, last event, decision */
	int members[3];
};

static void
gen_cases(double scale, int council_min)
{
	long ncases = (long)(1000000 * scale), id = 0;
	int this_year, per_year[YEARS];
	struct kase *k;
	struct tm tm;
	char cid[24], num[40], off[24], unit[24], rv[24], year[16], seq[16], occ[16], det[16],
		lim[16], due[16], created[40], evc[8], at[40], sgn[16], eff[16],
		until[16], dnum[40], symbol[48];
	double t0;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	this_year = tm.tm_year + 1900;
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
			for (int m = 0; m < 3; m++)
				do
					c->members[m] = (int)(1 + rndn(nofficials));
				while (c->members[m] == c->official ||
				       (m > 0 && c->members[m] == c->members[m - 1]) ||
				       (m > 1 && c->members[m] == c->members[0]));
		}
	}
	ncases = id;

	/* pass 1: events */
	t0 = now_s();
	copy_begin("COPY vhcv.case_events (case_id, seq, kind, actor, at, data, prev_hash, hash)"
		   " FROM STDIN");
	for (id = 1; id <= ncases; id++) {
		struct kase *c = &k[id];
		struct chain ch = { .number = num, .case_id = cid, .prev = VHD_ZERO_HASH };
		int t = c->official, st = c->st;
		const char *reporter = "thanhtra", *head = "lanhdao";

		snprintf(cid, sizeof(cid), "%ld", id);
		snprintf(num, sizeof(num), "VP-%d-%d", c->year, c->seq);
		snprintf(off, sizeof(off), "CB-%07d", t);
		case_dates(id, c->created, occ, det, lim, due);
		ch.at = c->created;
		event(&ch, "reported", reporter,
		      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "source", "inspection",
				"official", off, "rule", rvs[c->rv].code, "rule_hash",
				rvs[c->rv].hash, "occurred_on", occ, "detected_on", det,
				"limitation_expires_on", lim, "handling_deadline", due));
		if (st == S_REJECTED) {
			json_t *d = move("reported", "rejected");
			json_object_set_new(d, "reason", json_string("unfounded"));
			event(&ch, "rejected", head, d);
		} else if (st != S_REPORTED) {
			event(&ch, "accepted", head, move("reported", "under_review"));
			if (st == S_DEFERRED) {
				json_t *d = move("under_review", "deferred");
				json_object_set_new(d, "ground", json_string("illness"));
				event(&ch, "deferred", head, d);
			} else if (st != S_REVIEW) {
				json_t *d = move("under_review", "council"), *m = json_array();
				for (int i = 0; i < 3; i++) {
					char mc[24];
					snprintf(mc, sizeof(mc), "CB-%07d", c->members[i]);
					json_array_append_new(m, json_string(mc));
				}
				json_object_set_new(d, "members", m);
				json_object_set_new(d, "recommend", json_string("khien_trach"));
				event(&ch, "council", head, d);
				if (st != S_COUNCIL) {
					bool none = st == S_CLOSED_NONE;
					json_t *x = move("council", none ? "closed_no_sanction"
									 : "decided");
					/* signed the day it is recorded */
					c->signed_at = ch.at + 3600 + rndn(86400 * 12);
					if (c->signed_at > today0 - 600)
						c->signed_at = ch.at + 1;
					day_str(sgn, c->signed_at);
					snprintf(dnum, sizeof(dnum), "%ld/QĐ-KL", id);
					json_object_set_new(x, "number", json_string(dnum));
					json_object_set_new(x, "form",
							    json_string(none ? "none" : "khien_trach"));
					json_object_set_new(x, "severity", json_string("it_nghiem_trong"));
					json_object_set_new(x, "signed_on", json_string(sgn));
					json_object_set_new(x, "effective_on", json_string(sgn));
					event(&ch, "decided", head, x);
					if (st == S_APPEALED)
						event(&ch, "appealed", "canbo", move("decided", "appealed"));
					else if (st == S_CLOSED)
						event(&ch, "closed", head, move("decided", "closed"));
				}
			}
		}
		c->nev = (unsigned char)ch.seq;
		memcpy(c->head, ch.prev, sizeof(c->head));
		c->last = ch.at;
	}
	copy_end("case_events", t0);
	/* a schema with a Merkle log (issue 10) queues every event for the next
	 * seal through a trigger, which replica mode skips: queue them here */
	exec("DO $$ BEGIN IF to_regclass('vhcv.audit_pending') IS NOT NULL THEN"
	     " INSERT INTO vhcv.audit_pending (event_id) SELECT id FROM vhcv.case_events"
	     " ON CONFLICT DO NOTHING; END IF; END $$");

	/* pass 2: cases, then councils and decisions */
	t0 = now_s();
	copy_begin("COPY vhcv.cases (id, year, seq, official_id, unit_id, rule_version_id, source,"
		   " reporter, occurred_on, detected_on, description, status, severity,"
		   " limitation_expires_on, handling_deadline, paused_since, event_count,"
		   " event_head, created_at, updated_at) FROM STDIN");
	for (id = 1; id <= ncases; id++) {
		struct kase *c = &k[id];
		char last[40];
		int st = c->st;

		snprintf(cid, sizeof(cid), "%ld", id);
		snprintf(year, sizeof(year), "%d", c->year);
		snprintf(seq, sizeof(seq), "%d", c->seq);
		snprintf(off, sizeof(off), "%d", c->official);
		snprintf(unit, sizeof(unit), "%d", off_unit[c->official]);
		snprintf(rv, sizeof(rv), "%s", rvs[c->rv].id);
		snprintf(evc, sizeof(evc), "%d", c->nev);
		case_dates(id, c->created, occ, det, lim, due);
		time_str(created, c->created, 0);
		time_str(last, c->last, 0);
		copy_row(20, (const char *[]){ cid, year, seq, off, unit, rv, "inspection",
					       "thanhtra", occ, det,
					       "Vi phạm quy tắc ứng xử (dữ liệu thử)",
					       st_name[st],
					       st >= S_DECIDED && st != S_REJECTED ? "it_nghiem_trong"
										     : NULL,
					       lim, due, st == S_DEFERRED ? det : NULL, evc, c->head,
					       created, last });
	}
	copy_end("cases", t0);
	t0 = now_s();
	copy_begin("COPY vhcv.council_members (case_id, official_id) FROM STDIN");
	for (id = 1; id <= ncases; id++) {
		int st = k[id].st;
		if (st < S_COUNCIL || st == S_REJECTED)
			continue;
		snprintf(cid, sizeof(cid), "%ld", id);
		for (int m = 0; m < 3; m++) {
			snprintf(off, sizeof(off), "%d", k[id].members[m]);
			copy_row(2, (const char *[]){ cid, off });
		}
	}
	copy_end("council_members", t0);
	t0 = now_s();
	copy_begin("COPY vhcv.decisions (case_id, kind, form, severity, issuer, year, number,"
		   " symbol, signed_on, effective_on, effect_until, regime, actor, at) FROM STDIN");
	for (id = 1; id <= ncases; id++) {
		int st = k[id].st;
		bool none = st == S_CLOSED_NONE;
		time_t s = k[id].signed_at;
		struct tm stm;
		if (!(st == S_DECIDED || st == S_APPEALED || st == S_CLOSED || none))
			continue;
		gmtime_r(&s, &stm);
		snprintf(cid, sizeof(cid), "%ld", id);
		snprintf(year, sizeof(year), "%d", stm.tm_year + 1900);
		snprintf(dnum, sizeof(dnum), "%ld", id);
		snprintf(symbol, sizeof(symbol), "%ld/QĐ-KL", id);
		day_str(sgn, s);
		day_str(eff, s);
		day_str(until, s + 86400 * 365);
		time_str(at, s, 0);
		copy_row(14, (const char *[]){ cid, "decision", none ? "none" : "khien_trach",
					       "it_nghiem_trong", "QĐ-KL", year, dnum, symbol, sgn,
					       eff, none ? NULL : until, "regime-b", "lanhdao", at });
	}
	copy_end("decisions", t0);
	/* effects that ended before today, as vhcvd's scheduler records them
	 * (src/daemon/store/scheduler.c), so that its first tick finds nothing to do
	 * during the benchmark; skipped on a schema without them */
	exec("DO $$ BEGIN IF to_regclass('vhcv.effect_endings') IS NOT NULL THEN"
	     " INSERT INTO vhcv.effect_endings (decision_id, kind, ended_on, actor)"
	     " SELECT d.id, 'effect_ended', d.effect_until + 1, 'vhcvd' FROM vhcv.decisions d"
	     " WHERE d.form <> 'none' AND d.effect_until < current_date;"
	     " END IF; END $$");
	free(k);
}

/*
 * The state vhcvd records (migration 0020): each case's last event carries
 * all its history rows as its first recorded state, rehashed, so that
 * `audit verify` replays and compares every row as it does for cases
 * written through vhcvd. Read through a cursor and written back through a
 * temporary table, a batch at a time.
 */
static void
gen_states(void)
{
	PGresult *res;
	long long n = 0;
	double t0 = now_s();

	exec("BEGIN");
	res = PQexec(conn, "SELECT to_regprocedure('vhcv.case_state(bigint)') IS NOT NULL");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQgetvalue(res, 0, 0)[0] != 't') {
		PQclear(res);
		exec("ROLLBACK"); /* a schema before recorded states */
		return;
	}
	PQclear(res);
	exec("SET LOCAL search_path = vhcv, pg_catalog");
	/* the tables were just loaded, without their secondary indexes: give
	 * the planner their sizes, and plan the cursor for all of its rows
	 * (a fast-start plan for a cursor rescans the grouped rows per case) */
	exec("ANALYZE cases, case_events, decisions, council_members");
	exec("SET LOCAL cursor_tuple_fraction = 1.0");
	exec("CREATE TEMP TABLE gen_states (id bigint, state text, hash text) ON COMMIT DROP");
	exec("DECLARE gs NO SCROLL CURSOR FOR SELECT e.id, c.number, e.seq, e.kind, e.actor, "
	     VHD_SQL_TIME("e.at") ", e.data::text, e.prev_hash, s.state::text"
	     " FROM cases c JOIN case_events e ON e.case_id = c.id AND e.seq = c.event_count"
	     " JOIN (SELECT r.case_id, jsonb_object_agg(r.key, r.row) AS state"
	     "  FROM (" VHD_SQL_CASE_ROWS ") r GROUP BY r.case_id) s ON s.case_id = c.id");
	for (;;) {
		int rows;

		res = PQexec(conn, "FETCH 10000 FROM gs");
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			die("FETCH states");
		if ((rows = PQntuples(res)) == 0) {
			PQclear(res);
			break;
		}
		copy_begin("COPY gen_states (id, state, hash) FROM STDIN");
		for (int i = 0; i < rows; i++) {
			char hash[VH_SHA256_HEX];
			json_t *data = json_loads(PQgetvalue(res, i, 6), 0, NULL);
			json_t *state = json_loads(PQgetvalue(res, i, 8), 0, NULL);

			if (data == NULL || state == NULL ||
			    vhd_event_hash(hash, PQgetvalue(res, i, 7), PQgetvalue(res, i, 1),
					   strtoll(PQgetvalue(res, i, 2), NULL, 10),
					   PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
					   PQgetvalue(res, i, 5), data, state) < 0)
				exit(2);
			copy_row(3, (const char *[]){ PQgetvalue(res, i, 0), PQgetvalue(res, i, 8),
						      hash });
			json_decref(data);
			json_decref(state);
		}
		copy_end("states", -1);
		n += rows;
		PQclear(res);
	}
	exec("CLOSE gs");
	exec("UPDATE case_events e SET state = g.state::jsonb, hash = g.hash FROM gen_states g"
	     " WHERE e.id = g.id");
	exec("UPDATE cases c SET event_head = e.hash FROM case_events e"
	     " WHERE e.case_id = c.id AND e.seq = c.event_count");
	exec("COMMIT");
	printf("  %-18s %10lld rows  %7.1f s\n", "event states", n, now_s() - t0);
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
drop_indexes(void)
{
	exec("CREATE TEMP TABLE gen_indexes (rel regclass, name text, def text, con boolean)");
	{
		char sql[2048];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO gen_indexes"
			 " SELECT conrelid, conname, pg_get_constraintdef(oid), true FROM pg_constraint"
			 "  WHERE conrelid = ANY(%s) AND contype IN ('u', 'x')"
			 " UNION ALL SELECT i.indrelid, c.relname, pg_get_indexdef(i.indexrelid), false"
			 "  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
			 "  WHERE i.indrelid = ANY(%s) AND NOT i.indisprimary"
			 "  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
			 gen_tables, gen_tables);
		exec(sql);
	}
	/* drop each, keeping what cannot be dropped (something depends on it) */
	exec("DO $$ DECLARE r record; BEGIN FOR r IN SELECT * FROM gen_indexes LOOP"
	     " BEGIN"
	     "  IF r.con THEN EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.rel, r.name);"
	     "  ELSE EXECUTE format('DROP INDEX vhcv.%I', r.name); END IF;"
	     " EXCEPTION WHEN dependent_objects_still_exist THEN"
	     "  DELETE FROM gen_indexes WHERE rel = r.rel AND name = r.name;"
	     " END; END LOOP; END $$");
}

static void
restore_indexes(void)
{
	double t0 = now_s();

	exec("SET maintenance_work_mem = '512MB'");
	exec("DO $$ DECLARE r record; BEGIN FOR r IN SELECT * FROM gen_indexes LOOP"
	     "  IF r.con THEN EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.rel, r.name,"
	     "   r.def);"
	     "  ELSE EXECUTE r.def; END IF; END LOOP; END $$");
	exec("DROP TABLE gen_indexes");
	printf("  %-18s %10s       %7.1f s\n", "indexes rebuilt", "", now_s() - t0);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { { "dsn", required_argument, NULL, 'd' },
					      { "scale", required_argument, NULL, 's' },
					      { "seed", required_argument, NULL, 'r' },
					      { "council-min", required_argument, NULL, 'c' },
					      { NULL, 0, NULL, 0 } };
	const char *dsn = NULL;
	double scale = 1, t0 = now_s();
	int o, council_min = 4000;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd':
			dsn = optarg;
			break;
		case 's':
			scale = strtod(optarg, NULL);
			break;
		case 'r':
			rng ^= strtoull(optarg, NULL, 10) * 0x2545F4914F6CDD1Dull;
			break;
		case 'c':
			council_min = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: vhgen --dsn DSN [--scale S] [--seed N]"
					" [--council-min N]\n");
			return 2;
		}
	}
	if (dsn == NULL || !(scale > 0 && scale <= 4)) {
		fprintf(stderr, "vhgen: --dsn is required; --scale is in (0, 4]\n");
		return 2;
	}
	today0 = time(NULL) / 86400 * 86400;
	conn = PQconnectdb(dsn);
	if (PQstatus(conn) != CONNECTION_OK)
		die("connect");
	printf("vhgen: scale %g\n", scale);
	exec("SET session_replication_role = replica");
	exec("SET synchronous_commit = off");
	exec("SET maintenance_work_mem = '256MB'");
	load_rules();
	exec("BEGIN");
	drop_indexes();
	gen_units(scale);
	gen_officials(scale);
	gen_cases(scale, (int)(council_min * (scale < 1 ? 1 : scale)));
	/* identities and case numbers continue after the data */
	exec("SELECT setval(pg_get_serial_sequence('vhcv.' || t, 'id'),"
	     " (SELECT coalesce(max(id), 0) + 1 FROM vhcv.units), false)"
	     " FROM (VALUES ('units')) v(t)");
	exec("SELECT setval(pg_get_serial_sequence('vhcv.officials', 'id'),"
	     " (SELECT max(id) FROM vhcv.officials))");
	exec("SELECT setval(pg_get_serial_sequence('vhcv.cases', 'id'),"
	     " (SELECT max(id) FROM vhcv.cases))");
	/* the numbering of either schema: sequences per year (0050), or the
	 * counter rows before them */
	exec("SELECT setval(to_regclass(format('vhcv.case_seq_%s', year)), max(seq))"
	     " FROM vhcv.cases GROUP BY year"
	     " HAVING to_regclass(format('vhcv.case_seq_%s', year)) IS NOT NULL");
	/* the events wait for the next seal (migration 0021; the trigger that
	 * queues them is off while loading) */
	exec("DO $$ BEGIN IF to_regclass('vhcv.audit_pending') IS NOT NULL THEN"
	     " INSERT INTO vhcv.audit_pending (event_id) SELECT id FROM vhcv.case_events"
	     " ON CONFLICT DO NOTHING; END IF; END $$");
	exec("INSERT INTO vhcv.case_counters (year, last) SELECT year, max(seq)"
	     " FROM vhcv.cases GROUP BY year"
	     " ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last");
	exec("COMMIT");
	gen_states();
	restore_indexes();
	{
		double t1 = now_s();
		exec("VACUUM (ANALYZE) vhcv.units, vhcv.officials, vhcv.official_versions,"
		     " vhcv.cases, vhcv.case_events, vhcv.council_members, vhcv.decisions");
		printf("  %-18s %10s       %7.1f s\n", "vacuum analyze", "", now_s() - t1);
	}
	printf("vhgen: %ld units, %ld officials, %.0f s in all\n", nunits, nofficials, now_s() - t0);
	PQfinish(conn);
	return 0;
}
