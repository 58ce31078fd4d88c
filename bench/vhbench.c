/*
 * vhbench: vhcvd measured through libvhcv, beside pgbench on the same
 * cluster (docs/performance.md; bench/run prepares everything).
 *
 *   vhbench --endpoint E --dsn DSN --scripts DIR [--clients "1 4 16 64"]
 *           [--seconds S] [--ops report,show,list,decide] [--pgbench PATH]
 *           [--json FILE] [--scale S] [--vhcvd-pid PID --rules-dir DIR]
 *
 * For each operation and each client count, N threads each open their own
 * client and repeat the operation until the time is up; every request's
 * latency is kept, so p50/p95/p99 are exact. The baselines run right
 * before and after with the same number of clients (interleaved): pgbench
 * on DIR/report.sql (the SQL vhcvd sent for one report, captured by
 * bench/capture.py) and DIR/bare.sql (its two inserts) for `report`,
 * DIR/show.sql (the case row and its events) for `show`. The table gives
 * the ratios, and the CPU time each request cost vhcvd (with its pid) and
 * the client threads (libvhcv); --json writes every figure. The DSN (a superuser's) is used
 * only to pick the officials, cases, units and waiting cases the
 * operations work on.
 *
 * With vhcvd's pid, two more measures (in --ops as "rss" and "reload"):
 * vhcvd's resident memory with 64 connections open and busy, and the time
 * of a reload of 1,000 rules (a file written into --rules-dir, vhcvd's
 * rules folder, then SIGHUP) while 4 clients report, with their failures.
 */
#include <dirent.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <vhcv.h>

struct list {
	char **v;
	int n;
};

static struct list officials, cases, provinces, council, sync_rows, staff;
static char big_province[32];
static int this_year;
static atomic_int council_next;
static atomic_long decision_serial;
static long bench_run;
static char occurred[16], today[16], occurred_prep[16];
static const char *endpoint;

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the first column of `sql`'s rows, with one parameter $1 (or none) */
static void
fetch_with(PGconn *conn, const char *sql, const char *param, struct list *l)
{
	PGresult *res = PQexecParams(conn, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "vhbench: %s\n%s", sql, PQresultErrorMessage(res));
		exit(1);
	}
	l->n = PQntuples(res);
	l->v = calloc((size_t)l->n + 1, sizeof(char *));
	for (int i = 0; i < l->n; i++)
		l->v[i] = strdup(PQgetvalue(res, i, 0));
	PQclear(res);
}

static void
fetch(PGconn *conn, const char *sql, struct list *l)
{
	fetch_with(conn, sql, NULL, l);
}

static const char *
pick(const struct list *l, unsigned *seed)
{
	return l->v[rand_r(seed) % (unsigned)l->n];
}

/* ---- the operations: 0 done, <0 failed, 1 nothing left to do ---- */

struct worker {
	vhcv_client *client;
	unsigned seed;
	double *lat, *at; /* each request's latency, and its start (with VHCV_BENCH_TRACE) */
	size_t n, cap;
	long errors;
	char error[256];
	double until, end;
	int (*op)(struct worker *);
};

static int
op_report(struct worker *w)
{
	vhcv_report_options o = VHCV_REPORT_OPTIONS_INIT;
	vhcv_case *c = NULL;
	int r;

	o.official = pick(&officials, &w->seed);
	o.rule = "TD-01";
	o.occurred_on = occurred;
	o.source = "inspection";
	o.description = "Đi muộn (benchmark)";
	r = vhcv_case_report(&c, w->client, &o);
	vhcv_case_free(c);
	return r;
}

static int
op_show(struct worker *w)
{
	vhcv_case *c = NULL;
	int r = vhcv_case_get(&c, w->client, pick(&cases, &w->seed));

	vhcv_case_free(c);
	return r;
}

static int
op_list(struct worker *w)
{
	vhcv_case_filter f = VHCV_CASE_FILTER_INIT;
	vhcv_case_page *p = NULL;
	int r;

	f.unit = pick(&provinces, &w->seed);
	f.limit = 50;
	r = vhcv_case_list(&p, w->client, &f);
	vhcv_case_page_free(p);
	return r;
}

static int
op_decide(struct worker *w)
{
	vhcv_decide_options o = VHCV_DECIDE_OPTIONS_INIT;
	vhcv_case *c = NULL;
	char number[48];
	int i = atomic_fetch_add(&council_next, 1), r;

	if (i >= council.n)
		return 1;
	snprintf(number, sizeof(number), "%ld/QĐ-B%ld", atomic_fetch_add(&decision_serial, 1),
		 bench_run);
	o.severity = "it_nghiem_trong";
	o.form = "khien_trach";
	o.number = number;
	o.signed_on = today;
	/* the ladder may suggest a heavier form for an official sanctioned
	 * before: the reason keeps the decision valid either way */
	o.reason = "benchmark";
	r = vhcv_case_decide(&c, w->client, council.v[i], &o);
	vhcv_case_free(c);
	return r;
}

/*
 * Cases for decide: every run decides the cases it finds waiting at a
 * council, so a dataset has none left after a run or two. Before decide is
 * measured, this takes `want` new cases through the workflow as users
 * would (report, accept, council of three), on `threads` clients, untimed,
 * and appends them to `council`. Officials of the categories that have the
 * reprimand only (`staff`), as the dataset's own are chosen.
 */
struct prep {
	int want;
	unsigned seed;
	atomic_int *made, *subject;
};

static void *
prep_worker(void *arg)
{
	struct prep *p = arg;
	vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
	vhcv_client *client;

	if (vhcv_client_open(&client, endpoint, &o) < 0)
		return NULL;
	for (int i = 0; i < p->want; i++) {
		vhcv_report_options r = VHCV_REPORT_OPTIONS_INIT;
		const char *members[3];
		vhcv_case *c = NULL;

		/* each case about another official: two reports of one act
		 * would be probable duplicates, decided once */
		r.official = staff.v[atomic_fetch_add(p->subject, 1) % staff.n];
		r.rule = "TD-01";
		r.occurred_on = occurred_prep;
		r.source = "inspection";
		r.description = "Đi muộn (benchmark: for decide)";
		for (int m = 0; m < 3; m++)
			members[m] = pick(&staff, &p->seed);
		if (strcmp(members[0], r.official) == 0 || strcmp(members[1], r.official) == 0 ||
		    strcmp(members[2], r.official) == 0 || strcmp(members[0], members[1]) == 0 ||
		    strcmp(members[0], members[2]) == 0 || strcmp(members[1], members[2]) == 0)
			continue;
		if (vhcv_case_report(&c, client, &r) == 0 &&
		    vhcv_case_accept(NULL, client, c->number, NULL) == 0 &&
		    vhcv_case_council(NULL, client, c->number, members, 3, NULL) == 0)
			council.v[atomic_fetch_add(p->made, 1)] = strdup(c->number);
		vhcv_case_free(c);
	}
	vhcv_client_close(client);
	return NULL;
}

static void
prepare_council(int want, int threads)
{
	struct prep p[8];
	pthread_t th[8];
	atomic_int made, subject;
	double t0 = now_s();
	int n0 = council.n;

	if (threads > 8)
		threads = 8;
	if ((council.v = realloc(council.v, ((size_t)council.n + (size_t)want + 1) *
						sizeof(char *))) == NULL)
		exit(2);
	atomic_init(&made, council.n);
	atomic_init(&subject, 0);
	for (int i = 0; i < threads; i++) {
		p[i] = (struct prep){ want / threads + (i < want % threads), (unsigned)(i * 31 + 7),
				      &made, &subject };
		pthread_create(&th[i], NULL, prep_worker, &p[i]);
	}
	for (int i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	council.n = atomic_load(&made);
	council.v[council.n] = NULL;
	printf("vhbench: %d cases taken to a council for decide (of %d asked) in %.1f s,"
	       " untimed\n", council.n - n0, want, now_s() - t0);
}

/* the operations of issue 11, whose answers libvhcv gives as JSON text
 * (the call is made before its text is freed) */
static int
done_json(int r, char **json)
{
	vhcv_string_free(*json);
	return r;
}

static int
op_record(struct worker *w)
{
	char *json = NULL;

	return done_json(vhcv_official_record(&json, w->client, pick(&officials, &w->seed), NULL),
			 &json);
}

static int
op_eligibility(struct worker *w)
{
	char *json = NULL;

	/* the first page of the largest province */
	return done_json(vhcv_eligibility(&json, w->client, this_year - 1, big_province, NULL, 0),
			 &json);
}

static int
op_stats(struct worker *w)
{
	char from[32], to[32], *json = NULL;

	/* a whole year for the whole country */
	snprintf(from, sizeof(from), "%d-01-01", this_year - 1);
	snprintf(to, sizeof(to), "%d-12-31", this_year - 1);
	return done_json(vhcv_stats(&json, w->client, from, to, NULL, "unit", 0), &json);
}

static int
op_feed(struct worker *w)
{
	char *json = NULL;

	return done_json(vhcv_changes(&json, w->client, NULL, 0, 100), &json);
}

/* official search (issue #12): a name typed without diacritics, the first
 * page among a province's officials (one index range per unit) */
static int
op_search(struct worker *w)
{
	static const char *const typed[] = { "nguyen van", "tran thi", "le", "pham van a",
					     "hoang", "dang thi h", "vu", "bui van" };
	char *json = NULL;

	return done_json(vhcv_official_search(&json, w->client,
					      typed[rand_r(&w->seed) % NELEM(typed)],
					      pick(&provinces, &w->seed), NULL, 20),
			 &json);
}

static int
op_sync(struct worker *w)
{
	/* 100 officials as they stand (the common nightly case: unchanged) */
	char *body = malloc(100 * 512 + 2), *json = NULL;
	size_t len = 0;
	int r;

	if (body == NULL)
		return -1;
	body[len++] = '[';
	for (int i = 0; i < 100; i++)
		len += (size_t)snprintf(body + len, 512, "%s%s", i ? "," : "",
					pick(&sync_rows, &w->seed));
	body[len++] = ']';
	body[len] = 0;
	r = vhcv_officials_sync(&json, w->client, body, len, 0);
	free(body);
	return done_json(r, &json);
}

static long vhcvd_pid;
static const char *rules_dir;

/* a field of /proc/PID/status in KiB (VmRSS, VmHWM) of vhcvd (pid 0:
 * vhbench itself), or -1 */
static long
proc_kib_of(long pid, const char *field)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0 && line[strlen(field)] == ':')
			v = strtol(line + strlen(field) + 1, NULL, 10);
	fclose(f);
	return v;
}

static long
proc_kib(const char *field)
{
	return proc_kib_of(vhcvd_pid, field);
}

/* the peak resident memory (VmHWM) starts again from the current one
 * (proc(5), clear_refs "5"); false if the kernel refuses */
static bool
peak_reset(long pid)
{
	char path[64];
	FILE *f;
	bool ok;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%ld/clear_refs", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/clear_refs");
	if ((f = fopen(path, "w")) == NULL)
		return false;
	ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok;
}

/* a province-wide CSV export, streamed: rows and bytes counted */
struct sink {
	size_t bytes, rows;
};

static size_t
count_rows(const void *buf, size_t len, void *arg)
{
	struct sink *k = arg;

	k->bytes += len;
	for (const char *p = buf, *e = p + len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		k->rows++;
	return len;
}

/* a peak (KiB) as printed: "-" when unknown */
static const char *
kib_str(char *buf, size_t n, long kib)
{
	if (kib < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f MiB", (double)kib / 1024);
	return buf;
}

static json_t *
export_once(const char *what)
{
	vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
	vhcv_client *c;
	struct sink k = { 0, 0 };
	long daemon_kib = -1, own_kib;
	char b1[32], b2[32];
	double t0;
	int r;

	o.timeout_ms = 600000;
	if (vhcv_client_open(&c, endpoint, &o) < 0)
		return NULL;
	/* the peaks of this export alone: vhcvd's (with its pid) and ours */
	bool daemon_peak = vhcvd_pid && peak_reset(vhcvd_pid), own_peak = peak_reset(0);
	t0 = now_s();
	r = vhcv_export(c, what, NULL, NULL, big_province,
			strcmp(what, "eligibility") == 0 ? this_year - 1 : 0, count_rows, &k);
	t0 = now_s() - t0;
	if (daemon_peak)
		daemon_kib = proc_kib("VmHWM");
	own_kib = own_peak ? proc_kib_of(0, "VmHWM") : -1;
	printf("export %s of %s: %s, %zu rows, %.1f MB in %.2f s (%.0f rows/s);"
	       " peak RSS vhcvd %s, vhbench %s\n",
	       what, big_province, r < 0 ? vhcv_client_errmsg(c) : "ok", k.rows,
	       (double)k.bytes / 1e6, t0, (double)k.rows / t0,
	       kib_str(b1, sizeof(b1), daemon_kib), kib_str(b2, sizeof(b2), own_kib));
	vhcv_client_close(c);
	return json_pack("{s:s, s:s, s:b, s:I, s:f, s:f, s:I, s:I}", "export", what, "unit",
			 big_province, "ok", r >= 0, "rows", (json_int_t)k.rows, "seconds", t0,
			 "rows_per_s", (double)k.rows / t0, "vhcvd_peak_kib", (json_int_t)daemon_kib,
			 "vhbench_peak_kib", (json_int_t)own_kib);
}

static const struct op {
	const char *name, *what;
	int (*fn)(struct worker *);
	const char *baseline[2]; /* pgbench scripts in --scripts */
} ops[] = {
	{ "report", "POST /v1/cases", op_report, { "report.sql", "bare.sql" } },
	{ "show", "GET /v1/cases/{case}", op_show, { "show.sql", NULL } },
	{ "list", "GET /v1/cases?unit=PROVINCE&limit=50", op_list, { NULL, NULL } },
	{ "decide", "POST /v1/cases/{case}/decide", op_decide, { NULL, NULL } },
	{ "record", "GET /v1/officials/{code}/record", op_record, { NULL, NULL } },
	{ "eligibility", "GET /v1/eligibility?year=Y&unit=LARGEST_PROVINCE", op_eligibility,
	  { NULL, NULL } },
	{ "stats", "GET /v1/stats?from=Y-01-01&to=Y-12-31&by=unit", op_stats, { NULL, NULL } },
	{ "feed", "GET /v1/changes?limit=100", op_feed, { NULL, NULL } },
	{ "sync", "PUT /v1/officials (100 unchanged officials)", op_sync, { NULL, NULL } },
	{ "search", "GET /v1/officials?q=NAME&unit=PROVINCE&limit=20", op_search, { NULL, NULL } },
	/* "export" (in --ops): one province-wide CSV export of cases, of
	 * eligibility and of decisions, timed once after the runs, with the
	 * peak resident memory of vhcvd and of vhbench during each */
};

static void *
run_worker(void *arg)
{
	struct worker *w = arg;
	double t;

	while ((t = now_s()) < w->until) {
		int r = w->op(w);
		double d = now_s() - t;
		if (r == 1)
			break;
		if (r < 0) {
			if (w->errors++ == 0)
				snprintf(w->error, sizeof(w->error), "%s",
					 vhcv_client_errmsg(w->client));
			continue;
		}
		if (w->n == w->cap) {
			w->cap = w->cap * 2 + 1024;
			if ((w->lat = realloc(w->lat, w->cap * sizeof(double))) == NULL ||
			    (w->at = realloc(w->at, w->cap * sizeof(double))) == NULL)
				exit(2);
		}
		w->at[w->n] = t;
		w->lat[w->n++] = d;
	}
	w->end = now_s();
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct figures {
	double rate, p50, p95, p99; /* per second; milliseconds */
	long n, errors;
	/* CPU time per request (or transaction) in ms, of the cluster's
	 * processes, of vhcvd, of the client (vhbench's threads or pgbench):
	 * unlike the rates, hardly moved by the other work of a shared
	 * machine; -1 not known */
	double cpu_db, cpu_daemon, cpu_client;
};

/*
 * CPU time in clock ticks of a process (/proc/PID/stat: utime, stime, and
 * with `reaped` the children's it has waited for), and of a PostgreSQL
 * cluster: its postmaster with the ended backends it reaped, and every live
 * child (backends, walwriter, checkpointer, autovacuum).
 */
static long pg_postmaster; /* (the cluster of --dsn; 0: not known) */

static long long
proc_ticks(long pid, bool reaped, long *ppid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	long long cut, cst;
	long pp;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = 0;
	/* after the command's name (which may hold spaces): state ppid ... */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld", &pp,
		   &ut, &st, &cut, &cst) != 5)
		return -1;
	if (ppid)
		*ppid = pp;
	return (long long)(ut + st) + (reaped ? cut + cst : 0);
}

static long long
cluster_ticks(void)
{
	long long t;
	struct dirent *e;
	DIR *d;

	if (pg_postmaster <= 0 || (t = proc_ticks(pg_postmaster, true, NULL)) < 0 ||
	    (d = opendir("/proc")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		long pid = strtol(e->d_name, NULL, 10), pp = 0;
		long long c;

		if (pid > 0 && (c = proc_ticks(pid, false, &pp)) >= 0 && pp == pg_postmaster)
			t += c;
	}
	closedir(d);
	return t;
}

static double
usage_ms(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* the CPU used since `c` was taken, per op, into f */
struct cpu_mark {
	long long db, daemon;
	double client;
};

static struct cpu_mark
cpu_mark(int who, long daemon)
{
	struct cpu_mark c = { cluster_ticks(), daemon > 0 ? proc_ticks(daemon, false, NULL) : -1,
			      usage_ms(who) };
	return c;
}

static void
cpu_since(struct figures *f, const struct cpu_mark *c0, int who, long daemon)
{
	struct cpu_mark c1 = cpu_mark(who, daemon);
	double tick = 1000.0 / (double)sysconf(_SC_CLK_TCK), n = f->n > 0 ? (double)f->n : 1;

	f->cpu_db = c0->db >= 0 && c1.db >= 0 ? (double)(c1.db - c0->db) * tick / n : -1;
	f->cpu_daemon =
		c0->daemon >= 0 && c1.daemon >= 0 ? (double)(c1.daemon - c0->daemon) * tick / n : -1;
	f->cpu_client = (c1.client - c0->client) / n;
}

static double
pct(const double *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)n);

	return n ? v[i >= n ? n - 1 : i] * 1000 : 0;
}

/*
 * VHCV_BENCH_TRACE=DIR: every request of a run in DIR/OP-CLIENTS.tsv, its
 * start (seconds since the epoch, as the server logs' timestamps) and its
 * latency in ms, to lay the slow ones beside PostgreSQL's and vhcvd's logs
 */
static void
trace(const char *op, int clients, const struct worker *w)
{
	const char *dir = getenv("VHCV_BENCH_TRACE");
	char path[4096];
	struct timespec rt;
	double off;
	FILE *f;

	if (dir == NULL || *dir == 0)
		return;
	clock_gettime(CLOCK_REALTIME, &rt);
	off = (double)rt.tv_sec + (double)rt.tv_nsec / 1e9 - now_s();
	snprintf(path, sizeof(path), "%s/%s-%d.tsv", dir, op, clients);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "vhbench: cannot write %s\n", path);
		return;
	}
	for (int i = 0; i < clients; i++)
		for (size_t k = 0; k < w[i].n; k++)
			fprintf(f, "%.6f\t%.3f\t%d\n", w[i].at[k] + off, w[i].lat[k] * 1000, i);
	fclose(f);
}

static struct figures
measure(const struct op *op, int clients, double seconds, char *error, size_t errlen)
{
	struct worker *w = calloc((size_t)clients, sizeof(*w));
	pthread_t *th = calloc((size_t)clients, sizeof(*th));
	struct figures f = { 0 };
	struct cpu_mark c0;
	double t0, end = 0, *all;
	size_t n = 0;

	error[0] = 0;
	for (int i = 0; i < clients; i++) {
		vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
		if (vhcv_client_open(&w[i].client, endpoint, &o) < 0) {
			fprintf(stderr, "vhbench: cannot open a client on %s\n", endpoint);
			exit(1);
		}
		w[i].seed = (unsigned)(i * 7919 + 17);
		w[i].op = op->fn;
	}
	c0 = cpu_mark(RUSAGE_SELF, vhcvd_pid);
	t0 = now_s();
	for (int i = 0; i < clients; i++) {
		w[i].until = t0 + seconds;
		pthread_create(&th[i], NULL, run_worker, &w[i]);
	}
	for (int i = 0; i < clients; i++) {
		pthread_join(th[i], NULL);
		n += w[i].n;
		f.errors += w[i].errors;
		if (w[i].end > end)
			end = w[i].end;
		if (w[i].errors && !error[0])
			snprintf(error, errlen, "%s", w[i].error);
	}
	f.n = (long)n;
	cpu_since(&f, &c0, RUSAGE_SELF, vhcvd_pid);
	all = malloc((n + 1) * sizeof(double));
	n = 0;
	for (int i = 0; i < clients; i++) {
		if (w[i].n) /* (a client that finished no request in time has none) */
			memcpy(all + n, w[i].lat, w[i].n * sizeof(double));
		n += w[i].n;
		vhcv_client_close(w[i].client);
	}
	trace(op->name, clients, w);
	for (int i = 0; i < clients; i++) {
		free(w[i].lat);
		free(w[i].at);
	}
	qsort(all, n, sizeof(double), cmp_double);
	f.n = (long)n;
	f.rate = end > t0 ? (double)n / (end - t0) : 0;
	f.p50 = pct(all, n, 0.50);
	f.p95 = pct(all, n, 0.95);
	f.p99 = pct(all, n, 0.99);
	free(all);
	free(w);
	free(th);
	return f;
}

/* ---- vhcvd's memory with 64 open connections; a reload of 1,000 rules ---- */

struct sampler {
	atomic_bool stop;
	long max_kib;
	pthread_t th;
};

static void *
sample_rss(void *arg)
{
	struct sampler *s = arg;

	while (!atomic_load(&s->stop)) {
		long v = proc_kib("VmRSS");
		if (v > s->max_kib)
			s->max_kib = v;
		nanosleep(&(struct timespec){ 0, 20 * 1000000L }, NULL);
	}
	return NULL;
}

/*
 * vhcvd's resident memory at rest (2 s after the last request), with 64 connections open (each has
 * read a case and stays connected), and its highest while 64 clients read
 * cases for `seconds`.
 */
static json_t *
rss_run(double seconds)
{
	static const struct op show = { "show", "", op_show, { NULL, NULL } };
	enum { N = 64 };
	vhcv_client *c[N];
	struct sampler s = { .max_kib = 0 };
	struct timespec idle = { 2, 0 };
	long rest, open_kib;
	unsigned seed = 42;
	struct figures f;
	char error[256];
	int failed = 0;

	/* at rest: idle for 2 s (vhcvd gives freed memory back once a second) */
	nanosleep(&idle, NULL);
	rest = proc_kib("VmRSS");
	for (int i = 0; i < N; i++) {
		vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
		vhcv_case *k = NULL;
		if (vhcv_client_open(&c[i], endpoint, &o) < 0)
			return NULL;
		failed += vhcv_case_get(&k, c[i], pick(&cases, &seed)) < 0;
		vhcv_case_free(k);
	}
	open_kib = proc_kib("VmRSS");
	for (int i = 0; i < N; i++)
		vhcv_client_close(c[i]);
	pthread_create(&s.th, NULL, sample_rss, &s);
	f = measure(&show, N, seconds, error, sizeof(error));
	atomic_store(&s.stop, true);
	pthread_join(s.th, NULL);
	printf("vhcvd RSS: %.1f MiB at rest, %.1f MiB with %d connections open (%d failed),"
	       " at most %.1f MiB while %d clients read cases (%.0f req/s, %ld failed)\n",
	       (double)rest / 1024, (double)open_kib / 1024, N, failed, (double)s.max_kib / 1024,
	       N, f.rate, f.errors);
	return json_pack("{s:i, s:f, s:f, s:f, s:i, s:I}", "connections", N, "rest_mib",
			 (double)rest / 1024, "open_mib", (double)open_kib / 1024, "busy_max_mib",
			 (double)s.max_kib / 1024, "failed", failed + (int)f.errors, "busy_req",
			 (json_int_t)f.n);
}

/* DIR/90-bench-reload.yaml with `n` rules BR-<run>-0001..., as the format wants */
static int
write_rules(int n)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/90-bench-reload.yaml", rules_dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "format: 1\nid: bench-reload-%ld\ntitle: Benchmark rules\n"
		   "issuer: vhbench\nlegal_basis: [vhbench]\nvalid_from: 2020-01-01\n"
		   "groups:\n  - code: bench\n    name_vi: Benchmark\n    name_en: Benchmark\n"
		   "rules:\n", bench_run);
	for (int i = 1; i <= n; i++)
		fprintf(f, "  - code: BR-%ld-%04d\n    group: bench\n"
			   "    title_vi: Quy tắc thử %d\n    title_en: Benchmark rule %d\n"
			   "    description: Một quy tắc để đo thời gian nạp lại (%d).\n"
			   "    legal_basis: [vhbench]\n    default_severity: it_nghiem_trong\n"
			   "    categories: [can_bo, cong_chuc, vien_chuc, nguoi_lao_dong]\n",
			bench_run, i, i, i, i);
	return fclose(f);
}

struct reporting {
	struct figures f;
	double seconds;
	char error[256];
	pthread_t th;
};

static void *
report_meanwhile(void *arg)
{
	static const struct op report = { "report", "", op_report, { NULL, NULL } };
	struct reporting *r = arg;

	r->f = measure(&report, 4, r->seconds, r->error, sizeof(r->error));
	return NULL;
}

/* SIGHUP, then the time until rule `code` is served: -1 when it never is */
static double
reload_until_served(vhcv_client *c, const char *code)
{
	double t0 = now_s();

	kill((pid_t)vhcvd_pid, SIGHUP);
	while (now_s() - t0 < 30) {
		vhcv_rule *r = NULL;
		int rc = vhcv_rule_get(&r, c, code, NULL);
		vhcv_rule_free(r);
		if (rc == 0)
			return now_s() - t0;
		nanosleep(&(struct timespec){ 0, 1000000L }, NULL);
	}
	return -1;
}

/*
 * Reloads of 1,000 rules while 4 clients report: the first stores 1,000
 * new rule versions, the second finds them stored (one more rule, so that
 * its end is seen). Timed from SIGHUP until the last rule is served.
 */
static json_t *
reload_run(void)
{
	vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
	struct reporting rep = { .seconds = 4 };
	vhcv_client *c;
	char code[2][48];
	double t[2];

	snprintf(code[0], sizeof(code[0]), "BR-%ld-%04d", bench_run, 1000);
	snprintf(code[1], sizeof(code[1]), "BR-%ld-%04d", bench_run, 1001);
	if (vhcv_client_open(&c, endpoint, &o) < 0 || write_rules(1000) < 0)
		return NULL;
	pthread_create(&rep.th, NULL, report_meanwhile, &rep);
	nanosleep(&(struct timespec){ 0, 500 * 1000000L }, NULL);
	t[0] = reload_until_served(c, code[0]);
	nanosleep(&(struct timespec){ 0, 500 * 1000000L }, NULL);
	t[1] = write_rules(1001) < 0 ? -1 : reload_until_served(c, code[1]);
	pthread_join(rep.th, NULL);
	vhcv_client_close(c);
	printf("reload of 1,000 new rules: %.0f ms; of the same 1,000 and one more: %.0f ms;"
	       " %ld reports meanwhile (4 clients), %ld failed%s%s\n",
	       t[0] * 1000, t[1] * 1000, rep.f.n, rep.f.errors, rep.f.errors ? ": " : "",
	       rep.f.errors ? rep.error : "");
	return json_pack("{s:i, s:f, s:f, s:I, s:I}", "rules", 1000, "new_ms", t[0] * 1000,
			 "unchanged_ms", t[1] * 1000, "reports", (json_int_t)rep.f.n,
			 "failed", (json_int_t)rep.f.errors);
}

/* ---- pgbench ---- */

static const char *pgbench, *scripts, *dsn;
static long ncases, nofficials;

/*
 * The write debt of the ops before, settled before the next op is
 * measured, as pgbench vacuums its tables before a run: every table of the
 * register written since its last vacuum or analyze (pg_stat_user_tables)
 * is vacuumed and analyzed, then a checkpoint writes the dirty pages.
 * Without it, autovacuum and autoanalyze of the reports' and decisions'
 * rows and the checkpoint of their pages run during whichever op comes
 * next (the official record, after decide), and the next op's figures
 * carry the previous op's costs. The work is the register's own and is
 * not hidden: its time is printed and kept in the JSON ("settle"), and
 * VHCV_BENCH_NO_SETTLE=1 measures without it. Before the first op too
 * (the previous run's reports, and bench/run's removal of the replays).
 */
static json_t *
settle(const char *after)
{
	double t0 = now_s(), t1;
	PGconn *conn;
	PGresult *res;
	int ntables = 0;

	if (getenv("VHCV_BENCH_NO_SETTLE") && *getenv("VHCV_BENCH_NO_SETTLE"))
		return NULL;
	if (PQstatus(conn = PQconnectdb(dsn)) != CONNECTION_OK) {
		PQfinish(conn);
		return NULL;
	}
	/* (idle backends report their counts within a second) */
	usleep(1200 * 1000);
	res = PQexec(conn, "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables"
			   " WHERE schemaname = 'vhcv' AND (n_dead_tup > 0"
			   " OR n_mod_since_analyze > 0 OR n_ins_since_vacuum > 0) ORDER BY 1");
	for (int i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++) {
		char sql[300];
		PGresult *v;

		snprintf(sql, sizeof(sql), "VACUUM (ANALYZE) %s", PQgetvalue(res, i, 0));
		v = PQexec(conn, sql);
		ntables += PQresultStatus(v) == PGRES_COMMAND_OK;
		PQclear(v);
	}
	PQclear(res);
	t1 = now_s();
	PQclear(PQexec(conn, "CHECKPOINT"));
	PQfinish(conn);
	printf("        settled %s: VACUUM (ANALYZE) of %d tables %.1f s, CHECKPOINT %.1f s,"
	       " untimed\n", after, ntables, t1 - t0, now_s() - t1);
	return json_pack("{s:s, s:i, s:f, s:f}", "after", after, "tables", ntables, "vacuum_s",
			 t1 - t0, "checkpoint_s", now_s() - t1);
}

/* transactions per second of pgbench on one script, and its mean latency */
static struct figures
pgbench_run(const char *script, int clients, double seconds)
{
	char cmd[2048], line[512];
	struct figures f = { 0 };
	struct cpu_mark c0;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 /* the session settings vhcvd's connections have (db.c); the
		  * extended protocol with statements prepared once per
		  * connection, as vhcvd sends them (vhd_qprep): the simple
		  * protocol plans every statement again, which vhcvd does not
		  * (docs/performance.md, "Session 4") */
		 "PGOPTIONS='-c search_path=vhcv,pg_catalog -c statement_timeout=5000"
		 " -c TimeZone=UTC' '%s' -n -M prepared -c %d -j %d -T %d -D ncases=%ld"
		 " -D nofficials=%ld -f '%s/%s' '%s' 2>&1",
		 pgbench, clients, clients < 2 ? 1 : 2, seconds < 1 ? 1 : (int)(seconds + 0.5),
		 ncases, nofficials, scripts, script, dsn);
	c0 = cpu_mark(RUSAGE_CHILDREN, 0);
	if ((p = popen(cmd, "r")) == NULL)
		return f;
	while (fgets(line, sizeof(line), p)) {
		double v;
		long n;
		if (sscanf(line, "tps = %lf", &v) == 1)
			f.rate = v;
		else if (sscanf(line, "latency average = %lf", &v) == 1)
			f.p50 = v; /* the mean: pgbench gives no percentiles here */
		else if (sscanf(line, "number of transactions actually processed: %ld", &n) == 1)
			f.n = n;
		else if (sscanf(line, "number of failed transactions: %ld", &n) == 1)
			f.errors = n;
		else if (strstr(line, "error") || strstr(line, "ERROR"))
			fprintf(stderr, "  pgbench %s: %s", script, line);
	}
	pclose(p);
	cpu_since(&f, &c0, RUSAGE_CHILDREN, 0);
	return f;
}

/* the cluster's CPU ms per request of vhcvd's run (vhcvd's and the
 * client's are on the row), and per transaction of the baselines with
 * pgbench's own */
static void
print_cpu(const struct figures *f, const struct figures base[2])
{
	printf("        cpu ms/op: postgres %.2f", f->cpu_db);
	for (int b = 0; b < 2; b++)
		if (base[b].rate > 0)
			printf(" | %s: postgres %.2f (+ pgbench %.2f)", b ? "bare" : "pgbench",
			       base[b].cpu_db, base[b].cpu_client);
	printf("\n");
}

static json_t *
fig_json(const struct figures *f)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:I, s:I, s:f, s:f, s:f}", "per_s", f->rate,
			 "p50_ms", f->p50, "p95_ms", f->p95, "p99_ms", f->p99, "n",
			 (json_int_t)f->n, "errors", (json_int_t)f->errors, "cpu_db_ms", f->cpu_db,
			 "cpu_daemon_ms", f->cpu_daemon, "cpu_client_ms", f->cpu_client);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "endpoint", required_argument, NULL, 'e' }, { "dsn", required_argument, NULL, 'd' },
		{ "clients", required_argument, NULL, 'c' }, { "seconds", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'o' }, { "pgbench", required_argument, NULL, 'p' },
		{ "scripts", required_argument, NULL, 'S' }, { "json", required_argument, NULL, 'j' },
		{ "scale", required_argument, NULL, 'x' },
		{ "vhcvd-pid", required_argument, NULL, 'P' },
		{ "rules-dir", required_argument, NULL, 'R' }, { NULL, 0, NULL, 0 }
	};
	const char *clients_s = "1 4 16 64",
		   *ops_s = "report,show,list,decide,record,eligibility,stats,feed,sync,search,export,"
			    "rss,reload",
		   *json_path = NULL,
		   *scale = "?";
	double seconds = 5;
	int clients[16], nclients = 0, o;
	json_t *out = json_object(), *runs = json_array();
	PGconn *conn;
	PGresult *res;
	time_t now = time(NULL), past = now - 3 * 86400, prep;
	struct tm tm;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'e': endpoint = optarg; break;
		case 'd': dsn = optarg; break;
		case 'c': clients_s = optarg; break;
		case 's': seconds = strtod(optarg, NULL); break;
		case 'o': ops_s = optarg; break;
		case 'p': pgbench = optarg; break;
		case 'S': scripts = optarg; break;
		case 'j': json_path = optarg; break;
		case 'x': scale = optarg; break;
		case 'P': vhcvd_pid = atol(optarg); break;
		case 'R': rules_dir = optarg; break;
		default:
			fprintf(stderr, "usage: see the head of bench/vhbench.c\n");
			return 2;
		}
	}
	if (endpoint == NULL || dsn == NULL || scripts == NULL || !(seconds > 0)) {
		fprintf(stderr, "vhbench: --endpoint, --dsn and --scripts are required\n");
		return 2;
	}
	for (char *s = strdup(clients_s), *t = strtok(s, " ,"); t && nclients < 16;
	     t = strtok(NULL, " ,"))
		if ((clients[nclients] = atoi(t)) > 0)
			nclients++;
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	this_year = tm.tm_year + 1900;
	localtime_r(&past, &tm);
	strftime(occurred, sizeof(occurred), "%Y-%m-%d", &tm);
	prep = past - 86400;
	localtime_r(&prep, &tm);
	strftime(occurred_prep, sizeof(occurred_prep), "%Y-%m-%d", &tm);
	/* decision numbers: an issuer of this run, serials from 1 */
	atomic_store(&decision_serial, 1);
	bench_run = (long)(now % 1000000);

	if (PQstatus(conn = PQconnectdb(dsn)) != CONNECTION_OK) {
		fprintf(stderr, "vhbench: %s", PQerrorMessage(conn));
		return 1;
	}
	fetch(conn, "SELECT code FROM vhcv.officials WHERE status = 'active'"
		    " ORDER BY random() LIMIT 20000", &officials);
	fetch(conn, "SELECT number FROM vhcv.cases ORDER BY random() LIMIT 20000", &cases);
	fetch(conn, "SELECT code FROM vhcv.units WHERE parent_id = 1", &provinces);
	/* cases waiting for a decision, about officials whose category has
	 * the reprimand, and no other case of theirs about that day (which
	 * may be the same act, decided once) */
	fetch(conn, "SELECT c.number FROM vhcv.cases c JOIN vhcv.officials o"
		    " ON o.id = c.official_id WHERE c.status = 'council'"
		    " AND c.year = extract(year FROM now()) AND o.category <> 'nguoi_lao_dong'"
		    " AND NOT EXISTS (SELECT 1 FROM vhcv.cases d WHERE d.official_id = c.official_id"
		    "  AND d.occurred_on = c.occurred_on AND d.id <> c.id)"
		    " ORDER BY random()", &council);
	if (strstr(ops_s, "decide"))
		/* (without an act on the day of the cases made for decide: an
		 * earlier run's, which would make the new one a duplicate; the
		 * reports measured are of another day) */
		fetch_with(conn, "SELECT o.code FROM vhcv.officials o WHERE o.status = 'active'"
				 " AND o.category <> 'nguoi_lao_dong' AND NOT EXISTS (SELECT 1"
				 " FROM vhcv.cases c WHERE c.official_id = o.id"
				 " AND c.occurred_on = $1::date) ORDER BY random() LIMIT 20000",
			   occurred_prep, &staff);
	fetch(conn, "SELECT json_build_object('code', o.code, 'full_name', o.full_name,"
		    " 'category', o.category, 'leader', o.leader, 'unit', u.code, 'position',"
		    " o.position, 'status', o.status)::text"
		    " FROM vhcv.officials o JOIN vhcv.units u ON u.id = o.unit_id"
		    " ORDER BY random() LIMIT 5000", &sync_rows);
	/* the province with most officials (vhgen's codes: Tnn-...) */
	res = PQexec(conn, "SELECT left(u.code, 3) FROM vhcv.officials o JOIN vhcv.units u"
			   " ON u.id = o.unit_id WHERE u.code LIKE 'T%'"
			   " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		snprintf(big_province, sizeof(big_province), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = PQexec(conn, "SELECT (SELECT max(id) FROM vhcv.cases),"
			   " (SELECT max(id) FROM vhcv.officials)");
	ncases = PQresultStatus(res) == PGRES_TUPLES_OK ? atol(PQgetvalue(res, 0, 0)) : 1;
	nofficials = PQresultStatus(res) == PGRES_TUPLES_OK ? atol(PQgetvalue(res, 0, 1)) : 1;
	PQclear(res);
	/* the cluster's postmaster (its CPU and its children's: figures per
	 * request); the data directory is readable by its superuser only */
	res = PQexec(conn, "SELECT pg_read_file('postmaster.pid', 0, 32)");
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		pg_postmaster = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	PQfinish(conn);
	if (officials.n == 0 || cases.n == 0 || provinces.n == 0) {
		fprintf(stderr, "vhbench: the database holds no dataset (run bench/vhgen)\n");
		return 1;
	}
	if (strstr(ops_s, "decide") && staff.n > 3) {
		/* about what decide gets through at 1-64 clients (200-450 a second) */
		const char *e = getenv("VHCV_BENCH_DECIDE_CASES");
		int want = e ? atoi(e) : (int)(400 * seconds) * nclients;
		if (want > council.n)
			prepare_council(want - council.n, 4);
	}
	printf("vhbench: %s, %d s per run, %d officials / %d cases / %d provinces sampled,"
	       " %d cases waiting for a decision\n\n",
	       endpoint, (int)seconds, officials.n, cases.n, provinces.n, council.n);
	printf("%-7s %4s | %9s %8s %8s %8s %6s | %12s %7s | %12s %7s\n", "op", "cl", "req/s",
	       "p50 ms", "p95 ms", "p99 ms", "errors", "pgbench tx/s", "ratio", "bare tx/s",
	       "ratio");
	bool debt = true;
	const char *prev = "the previous run";
	/* VHCV_BENCH_NO_WARMUP=1: the reads measured from their first request */
	bool warmup = !(getenv("VHCV_BENCH_NO_WARMUP") && *getenv("VHCV_BENCH_NO_WARMUP"));
	double warm_s = warmup ? (seconds < 3 ? seconds / 3 : 1) : 0;

	if (warmup)
		printf("(reads other than stats measured after %.1f s of the same requests,"
		       " untimed, at each client count)\n", warm_s);
	json_object_set_new(out, "warmup_s", json_real(warm_s));
	json_t *settles = json_array();

	for (size_t k = 0; k < NELEM(ops); k++) {
		const struct op *op = &ops[k];
		char error[256];

		if (!strstr(ops_s, op->name))
			continue;
		if (op->fn == op_decide && council.n == 0) {
			/* (each run decides some: a row of zeros would read as a figure) */
			printf("%-7s not measured: no case of the dataset waits for a decision"
			       " (every run decides some, and none could be taken to a council)\n", op->name);
			continue;
		}
		if (debt) {
			json_t *st = settle(prev);
			if (st)
				json_array_append_new(settles, st);
		}
		/* the ops that write: the next one is measured after settling */
		debt = op->fn == op_report || op->fn == op_decide || op->fn == op_sync;
		prev = op->name;
		for (int c = 0; c < nclients; c++) {
			struct figures base[2] = { { 0 } }, f;
			json_t *run;

			/* interleaved: a baseline before, the other after */
			if (pgbench && op->baseline[0])
				base[0] = pgbench_run(op->baseline[0], clients[c], seconds);
			/* the reads measured warm, as the targets are stated: an
			 * untimed second of the same requests first, so that the
			 * first requests' statement preparation and planning on
			 * each pooled connection and a province's first pages read
			 * from disk are not in the figures (statistics excepted:
			 * one request is seconds; writes excepted: they consume) */
			if (warmup && op->fn != op_report && op->fn != op_decide &&
			    op->fn != op_sync && op->fn != op_stats)
				measure(op, clients[c], warm_s, error, sizeof(error));
			/* (with the CPU each request cost vhcvd, the client and the cluster) */
			f = measure(op, clients[c], seconds, error, sizeof(error));
			if (pgbench && op->baseline[1])
				base[1] = pgbench_run(op->baseline[1], clients[c], seconds);
			printf("%-7s %4d | %9.0f %8.2f %8.2f %8.2f %6ld |", op->name, clients[c],
			       f.rate, f.p50, f.p95, f.p99, f.errors);
			for (int b = 0; b < 2; b++)
				if (base[b].rate > 0)
					printf(" %12.0f %7.2f |", base[b].rate, f.rate / base[b].rate);
				else
					printf(" %12s %7s |", "-", "-");
			if (base[0].rate > 0 && base[1].rate > 0)
				printf(" sql/bare %.2f", base[0].rate / base[1].rate);
			if (f.cpu_daemon >= 0 && f.n > 0)
				printf(" cpu/req vhcvd %.3f client %.3f ms", f.cpu_daemon, f.cpu_client);
			printf("\n");
			if (f.errors)
				printf("        first error: %s\n", error);
			print_cpu(&f, base);
			fflush(stdout);
			run = json_pack("{s:s, s:s, s:i, s:o}", "op", op->name, "what", op->what,
					"clients", clients[c], "vhcvd", fig_json(&f));
			if (f.errors)
				json_object_set_new(run, "first_error", json_string(error));
			if (f.cpu_daemon >= 0 && f.n > 0)
				json_object_set_new(run, "cpu_ms_per_request",
						    json_pack("{s:f, s:f}", "vhcvd", f.cpu_daemon,
							      "client", f.cpu_client));
			if (base[0].rate > 0) {
				json_object_set_new(run, "pgbench", fig_json(&base[0]));
				json_object_set_new(run, "ratio", json_real(f.rate / base[0].rate));
			}
			if (base[1].rate > 0) {
				json_object_set_new(run, "pgbench_bare", fig_json(&base[1]));
				json_object_set_new(run, "ratio_bare", json_real(f.rate / base[1].rate));
			}
			json_array_append_new(runs, run);
			if (op->fn == op_decide && atomic_load(&council_next) >= council.n)
				break;
		}
	}
	if (strstr(ops_s, "rss") && vhcvd_pid > 0) {
		json_t *r = rss_run(seconds);
		if (r)
			json_object_set_new(out, "rss", r);
	}
	if (strstr(ops_s, "reload") && vhcvd_pid > 0 && rules_dir) {
		json_t *r = reload_run();
		if (r)
			json_object_set_new(out, "reload", r);
	}
	if (strstr(ops_s, "export")) {
		json_t *ex = json_array();
		json_array_append_new(ex, export_once("cases"));
		json_array_append_new(ex, export_once("eligibility"));
		json_array_append_new(ex, export_once("decisions"));
		json_object_set_new(out, "exports", ex);
	}
	json_object_set_new(out, "scale", json_string(scale));
	json_object_set_new(out, "seconds", json_real(seconds));
	json_object_set_new(out, "runs", runs);
	json_object_set_new(out, "settle", settles);
	if (json_path && json_dump_file(out, json_path, JSON_INDENT(1)) < 0) {
		fprintf(stderr, "vhbench: cannot write %s\n", json_path);
		return 1;
	}
	json_decref(out);
	return 0;
}
