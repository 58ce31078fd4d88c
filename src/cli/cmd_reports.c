/*
 * vhcv eligibility, stats, warnings, export, changes; official show (the
 * record), official import, official export: the commands over
 * vhcv/reports.h (libvhcv 1.1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* print the document with --json, or parse it for the human output */
struct cj *
doc_or_json(struct cli *cli, char *json)
{
	struct cj *d = NULL;

	if (cli->json)
		cli_print_json(json);
	else if ((d = cj_parse(json)) == NULL)
		fprintf(stderr, "vhcv: vhcvd sent a document this vhcv cannot read\n");
	vhcv_string_free(json);
	return d;
}

static int
atoi_opt(struct cli *cli, const struct cli_spec *spec, const struct cli_args *a,
	 const char *name, int min, int max, int *out)
{
	const char *v = cli_val(a, name);
	char *end;
	long n;

	if (v == NULL)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end || errno || n < min || n > max)
		return cli_usage_error(cli, spec, "--%s must be a number %d..%d", name, min, max);
	*out = (int)n;
	return 0;
}

static const struct cli_spec elig_spec = {
	"eligibility", "Commendation eligibility of a year: every official of the unit and below "
		       "as on 31 December (roles hr, unit_head, auditor, admin).",
	{ NULL },
	{ { "year", "Y", true, "the year" },
	  { "unit", "U", false, "this unit and the units below (default: your units)" },
	  { "limit", "N", false, "officials per page, 1..1000 (default 100)" },
	  { "after", "CODE", false, "the next page, from a previous answer" } },
};

int
cmd_eligibility(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { "OFFICIAL", "NAME", "UNIT", "STATUS", "BECAUSE OF" };
	struct cli_args a;
	struct cli_table t;
	struct cj *d;
	char *json = NULL;
	int r, year = 0, limit = 0;

	if ((r = cli_parse(cli, &elig_spec, argc, argv, &a)) != CLI_CONTINUE)
		return r;
	if ((r = atoi_opt(cli, &elig_spec, &a, "year", 1900, 9999, &year)) ||
	    (r = atoi_opt(cli, &elig_spec, &a, "limit", 1, 1000, &limit)) ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_eligibility(&json, cli->client, year, cli_val(&a, "unit"),
				  cli_val(&a, "after"), limit)) < 0)
		return cli_fail(cli, r);
	if ((d = doc_or_json(cli, json)) == NULL)
		return cli->json ? EXIT_OK : EXIT_OTHER;
	printf("eligibility %s (units as on %s, judged on %s)\n", cj_str(d, "year"),
	       cj_str(d, "as_of"), cj_str(d, "on"));
	cli_table_init(&t, 5, heads);
	for (size_t i = 0; i < cj_len(cj_get(d, "items")); i++) {
		const struct cj *it = cj_at(cj_get(d, "items"), i), *dec = cj_get(it, "decision");
		char why[256] = "";
		if (cj_str(dec, "number"))
			snprintf(why, sizeof(why), "%s %s signed %s (%s)", cj_str(dec, "form"),
				 cj_str(dec, "number"), cj_str(dec, "signed_on"), cj_str(dec, "case"));
		else if (cj_str(it, "case"))
			snprintf(why, sizeof(why), "open case %s", cj_str(it, "case"));
		cli_table_add(&t, cj_str(it, "official"), cj_str(it, "full_name"), cj_str(it, "unit"),
			      cj_str(it, "status"), why[0] ? why : NULL);
	}
	cli_table_print(&t, stdout, "");
	cli_table_free(&t);
	if (cj_str(d, "next"))
		printf("more: vhcv eligibility --year %d%s%s --after %s\n", year,
		       cli_val(&a, "unit") ? " --unit " : "", cli_val(&a, "unit") ? cli_val(&a, "unit") : "",
		       cj_str(d, "next"));
	cj_free(d);
	return EXIT_OK;
}

static const struct cli_spec stats_spec = {
	"stats", "Statistics for monitoring the plan (roles unit_head, auditor, admin).",
	{ NULL },
	{ { "from", "DATE", false, "first day (default: 1 January)" },
	  { "to", "DATE", false, "last day (default: today)" },
	  { "unit", "U", false, "this unit and the units below (default: your units)" },
	  { "by", "KEY", false, "rule, group, unit, month, source or form" },
	  { "public", NULL, false, "anonymised figures: counts under 5 shown as <5" } },
};

/* a figure as the daemon wrote it, with at most one decimal (1.6000000000000001 -> 1.6) */
static const char *
figure(const struct cj *o, const char *key, char buf[32])
{
	const char *s = cj_str(o, key);
	char *end;
	double v;

	if (s == NULL || strchr(s, '.') == NULL)
		return s;
	v = strtod(s, &end);
	if (*end != '\0')
		return s;
	snprintf(buf, 32, "%.1f", v);
	return buf;
}

static void
stats_rows(const char *title, const struct cj *rows)
{
	static const char *const heads[] = { "", N_("REPORTED"), N_("DECIDED"), N_("CHANGED"),
					     N_("ANNULLED"), N_("REJECTED"), N_("APPEALED"),
					     N_("CLOSED"), N_("MEDIAN D"), N_("P90 D"), N_("IN TIME") };
	struct cli_table t;

	if (cj_len(rows) == 0)
		return;
	printf("%s:\n", _(title));
	cli_table_init(&t, 11, heads);
	for (size_t i = 0; i < cj_len(rows); i++) {
		const struct cj *g = cj_at(rows, i);
		char m[32], p90[32], in[32];
		cli_table_add(&t, cj_str(g, "key"), cj_str(g, "reported"), cj_str(g, "decided"),
			      cj_str(g, "changed"), cj_str(g, "annulled"), cj_str(g, "rejected"),
			      cj_str(g, "appealed"), cj_str(g, "closed"),
			      figure(g, "median_days_to_decision", m),
			      figure(g, "p90_days_to_decision", p90),
			      figure(g, "decided_within_deadline", in));
	}
	cli_table_print(&t, stdout, "  ");
	cli_table_free(&t);
}

int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	/* the JSON member and its label */
	static const char *const metrics[][2] = {
		{ "reported", N_("reported") }, { "decided", N_("decided") },
		{ "changed", N_("changed") }, { "annulled", N_("annulled") },
		{ "rejected", N_("rejected") }, { "appealed", N_("appealed") },
		{ "closed", N_("closed") }, { "median_days_to_decision", N_("median days") },
		{ "p90_days_to_decision", N_("p90 days") },
		{ "decided_within_deadline", N_("in time") },
	};
	char buf[32];
	const char *by;
	struct cli_args a;
	struct cj *d;
	char *json = NULL;
	int r;

	if ((r = cli_parse(cli, &stats_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_stats(&json, cli->client, cli_val(&a, "from"), cli_val(&a, "to"),
			    cli_val(&a, "unit"), cli_val(&a, "by"), cli_flag(&a, "public"))) < 0)
		return cli_fail(cli, r);
	if ((d = doc_or_json(cli, json)) == NULL)
		return cli->json ? EXIT_OK : EXIT_OTHER;
	cli_kvf("period", "%s .. %s", cj_str(d, "from"), cj_str(d, "to"));
	cli_kv("unit", cj_str(d, "unit") ? cj_str(d, "unit") : _("your units"));
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++)
		cli_kv(metrics[i][1], figure(cj_get(d, "totals"), metrics[i][0], buf));
	by = cj_str(d, "by");
	/* --by source and --by form are those two tables: printed once */
	if (by == NULL || strcmp(by, "source") != 0)
		stats_rows(N_("by source"), cj_get(d, "reports_by_source"));
	if (by == NULL || strcmp(by, "form") != 0)
		stats_rows(N_("by form"), cj_get(d, "outcomes_by_form"));
	if (by)
		stats_rows(by, cj_get(d, "groups"));
	cj_free(d);
	return EXIT_OK;
}

static const struct cli_spec warn_spec = {
	"warnings", "Officials and units with many cases of one rule group lately "
		    "(warnings: in vhcvd.yaml; roles unit_head, auditor, admin).",
	{ NULL },
	{ { "unit", "U", false, "this unit and the units below (default: your units)" } },
};

int
cmd_warnings(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { "KIND", "CODE", "NAME", "GROUP", "CASES" };
	struct cli_args a;
	struct cli_table t;
	struct cj *d;
	char *json = NULL;
	int r;

	if ((r = cli_parse(cli, &warn_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_warnings(&json, cli->client, cli_val(&a, "unit"))) < 0)
		return cli_fail(cli, r);
	if ((d = doc_or_json(cli, json)) == NULL)
		return cli->json ? EXIT_OK : EXIT_OTHER;
	printf("at least %s cases of one group since %s\n", cj_str(d, "threshold"),
	       cj_str(d, "since"));
	cli_table_init(&t, 5, heads);
	for (size_t i = 0; i < cj_len(cj_get(d, "items")); i++) {
		const struct cj *it = cj_at(cj_get(d, "items"), i);
		cli_table_add(&t, cj_str(it, "kind"), cj_str(it, "code"), cj_str(it, "name"),
			      cj_str(it, "group"), cj_str(it, "cases"));
	}
	cli_table_print(&t, stdout, "");
	cli_table_free(&t);
	cj_free(d);
	return EXIT_OK;
}

static const struct cli_spec export_spec = {
	"export", "Export cases, decisions or eligibility as CSV (RFC 4180, UTF-8 with BOM) "
		  "on standard output.",
	{ "cases|decisions|eligibility" },
	{ { "from", "DATE", false, "first day (cases: detected; decisions: signed)" },
	  { "to", "DATE", false, "last day (default: today)" },
	  { "unit", "U", false, "this unit and the units below (default: your units)" },
	  { "year", "Y", false, "eligibility: the year (required)" } },
};

static size_t
to_stdout(const void *buf, size_t len, void *arg)
{
	(void)arg;
	return fwrite(buf, 1, len, stdout);
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	int r, year = 0;

	if ((r = cli_parse(cli, &export_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = atoi_opt(cli, &export_spec, &a, "year", 1900, 9999, &year)))
		return r;
	if (cli->json)
		return cli_usage_error(cli, &export_spec,
				       "export prints CSV; --json does not apply (the subject"
				       " access export is 'vhcv official export CODE')");
	if (strcmp(a.pos[0], "cases") != 0 && strcmp(a.pos[0], "decisions") != 0 &&
	    strcmp(a.pos[0], "eligibility") != 0)
		return cli_usage_error(cli, &export_spec,
				       "'%s' cannot be exported: cases, decisions or eligibility",
				       a.pos[0]);
	if ((r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_export(cli->client, a.pos[0], cli_val(&a, "from"), cli_val(&a, "to"),
			     cli_val(&a, "unit"), year, to_stdout, NULL)) < 0)
		return cli_fail(cli, r);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_OTHER;
}

static const struct cli_spec changes_spec = {
	"changes", "The change feed for HR: decisions made, changed, annulled; effects and "
		   "career freezes ended; officials created, changed, moved (roles hr, auditor, "
		   "admin). Each line ends with its cursor.",
	{ NULL },
	{ { "after", "CURSOR", false, "the events after this cursor (default: from the start)" },
	  { "follow", NULL, false, "keep waiting for new events (long poll)" },
	  { "limit", "N", false, "events per request, 1..1000" } },
};

int
cmd_changes(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	char after[32];
	int r, limit = 0;
	bool follow;

	if ((r = cli_parse(cli, &changes_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = atoi_opt(cli, &changes_spec, &a, "limit", 1, 1000, &limit)) ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	follow = cli_flag(&a, "follow");
	snprintf(after, sizeof(after), "%s", cli_val(&a, "after") ? cli_val(&a, "after") : "0");
	for (;;) {
		char *json = NULL;
		struct cj *d;
		const struct cj *items;

		if ((r = vhcv_changes(&json, cli->client, after, follow ? 25 : 0, limit)) < 0)
			return cli_fail(cli, r);
		if ((d = cj_parse(json)) == NULL) {
			vhcv_string_free(json);
			fprintf(stderr, "vhcv: vhcvd sent a document this vhcv cannot read\n");
			return EXIT_OTHER;
		}
		/* without --follow one document; with it one event per line */
		if (cli->json && !follow)
			cli_print_json(json);
		vhcv_string_free(json);
		items = cj_get(d, "items");
		for (size_t i = 0; i < cj_len(items) && (!cli->json || follow); i++) {
			const struct cj *e = cj_at(items, i);
			if (cli->json) {
				printf("{\"cursor\": \"%s\", \"kind\": \"%s\", \"official\": ",
				       cj_str(e, "cursor"), cj_str(e, "kind"));
				cli_json_string(stdout, cj_str(e, "official"));
				printf(", \"unit\": ");
				cli_json_string(stdout, cj_str(e, "unit"));
				printf(", \"case\": ");
				if (cj_str(e, "case"))
					cli_json_string(stdout, cj_str(e, "case"));
				else
					printf("null");
				printf(", \"number\": ");
				if (cj_str(cj_get(e, "data"), "number"))
					cli_json_string(stdout, cj_str(cj_get(e, "data"), "number"));
				else
					printf("null");
				printf(", \"at\": \"%s\"}\n", cj_str(e, "at"));
			} else {
				char when[32];
				printf("%s  %-18s %-12s %-10s %-14s %s  %s\n", cli_time(when, cj_str(e, "at")),
				       cj_str(e, "kind"), cj_str(e, "official"), cj_str(e, "unit"),
				       cli_s(cj_str(e, "case")), cli_s(cj_str(cj_get(e, "data"), "number")),
				       cj_str(e, "cursor"));
			}
		}
		snprintf(after, sizeof(after), "%s", cli_s(cj_str(d, "next")));
		cj_free(d);
		fflush(stdout);
		if (!follow)
			break;
	}
	if (!cli->json)
		printf("next: vhcv changes --after %s\n", after);
	return EXIT_OK;
}

/* the human record */
int
cli_official_record(struct cli *cli, const char *code, const char *on)
{
	char *json = NULL;
	struct cj *d;
	const struct cj *o, *l;
	int r;

	if ((r = vhcv_official_record(&json, cli->client, code, on)) < 0)
		return r == VHCV_EFORBIDDEN ? CLI_CONTINUE : cli_fail(cli, r);
	if ((d = doc_or_json(cli, json)) == NULL)
		return cli->json ? EXIT_OK : EXIT_OTHER;
	o = d;
	cli_kv("official", cj_str(o, "code"));
	cli_kv("name", cj_str(o, "full_name"));
	cli_kvf("category", "%s (%s)", cli_s(cj_str(o, "category")), cli_s(cj_str(o, "category_name")));
	cli_kv("leader", cj_str(o, "leader") && strcmp(cj_str(o, "leader"), "true") == 0 ? "yes" : "no");
	cli_kv("unit", cj_str(o, "unit"));
	cli_kv("status", cj_str(o, "status"));
	cli_kv("as on", cj_str(d, "on"));
	l = cj_get(o, "sanctions");
	if (cj_len(l) == 0)
		cli_kv("sanctions", "none in effect");
	for (size_t i = 0; i < cj_len(l); i++)
		cli_kvf(i ? "" : "sanctions", "%s %s signed %s, effect until %s, freeze until %s",
			cj_str(cj_at(l, i), "form"), cj_str(cj_at(l, i), "number"),
			cj_str(cj_at(l, i), "signed_on"), cli_s(cj_str(cj_at(l, i), "effect_until")),
			cli_s(cj_str(cj_at(l, i), "freeze_until")));
	cli_kv("career freeze", cj_str(cj_get(d, "career_freeze"), "until")
					? cj_str(cj_get(d, "career_freeze"), "until")
					: "none");
	l = cj_get(d, "assessments");
	for (size_t i = 0; i < cj_len(l); i++)
		cli_kvf(i ? "" : "assessments", "%s: %s (%s)", cj_str(cj_at(l, i), "year"),
			cj_str(cj_at(l, i), "rating_name"),
			cj_str(cj_get(cj_at(l, i), "decision"), "number"));
	l = cj_get(d, "decisions");
	for (size_t i = 0; i < cj_len(l); i++)
		cli_kvf(i ? "" : "decisions", "%s %s %s signed %s: %s", cj_str(cj_at(l, i), "case"),
			cj_str(cj_at(l, i), "number"), cj_str(cj_at(l, i), "form"),
			cj_str(cj_at(l, i), "signed_on"), cj_str(cj_at(l, i), "state"));
	l = cj_get(d, "open_cases_page");
	cli_kvf("open cases", "%s", cj_str(d, "open_cases_count"));
	for (size_t i = 0; i < cj_len(l); i++)
		cli_kvf("", "%s %s %s, handling deadline %s", cj_str(cj_at(l, i), "case"),
			cj_str(cj_at(l, i), "rule"), cj_str(cj_at(l, i), "status"),
			cli_s(cj_str(cj_at(l, i), "handling_deadline")));
	l = cj_get(d, "cases");
	for (size_t i = 0; i < cj_len(l); i++)
		cli_kvf(i ? "" : "closed cases", "%s %s %s", cj_str(cj_at(l, i), "case"),
			cj_str(cj_at(l, i), "rule"), cj_str(cj_at(l, i), "status"));
	cj_free(d);
	return EXIT_OK;
}

static const struct cli_spec oexport_spec = {
	"official export", "Everything held about one official, as one JSON document "
			   "(subject access).",
	{ "CODE" },
	{ { NULL, NULL, false, NULL } },
};

int
cli_official_export(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	char *json = NULL;
	int r;

	if ((r = cli_parse(cli, &oexport_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_official_export(&json, cli->client, a.pos[0])) < 0)
		return cli_fail(cli, r);
	cli_print_json(json);
	vhcv_string_free(json);
	return EXIT_OK;
}

/* ---- official and unit import: CSV (header row) or JSON lines, in requests
 * of the kind's chunk of rows */

typedef int (*sync_fn)(char **json, vhcv_client *client, const char *body, size_t len,
		       int batch);

struct import_kind {
	const struct cli_spec *spec;
	sync_fn sync;
	/* rows per request; 0: the whole file in one request (units: vhcvd
	 * orders a request's rows by their tree) */
	long long chunk;
};

struct buf {
	char *s;
	size_t len, cap;
};

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *nb;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((nb = realloc(b->s, cap)) == NULL)
			return -1;
		b->s = nb;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* one RFC 4180 record from *p into fields (malloc'd); its count, -1 bad */
static int
csv_record(const char **p, char **fields, int max)
{
	int n = 0;
	const char *s = *p;

	if (*s == '\0')
		return 0;
	for (;;) {
		struct buf f = { 0 };
		if (*s == '"') {
			for (s++;; s++) {
				if (*s == '\0')
					return -1;
				if (*s == '"' && s[1] == '"') {
					buf_add(&f, "\"", 1);
					s++;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					buf_add(&f, s, 1);
				}
			}
		} else {
			size_t k = strcspn(s, ",\r\n");
			buf_add(&f, s, k);
			s += k;
		}
		if (n == max)
			return -1;
		fields[n++] = f.s ? f.s : strdup("");
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
		else if (*s != '\0')
			return -1;
		break;
	}
	*p = s;
	return n;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char tmp[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (buf_add(&b, tmp, n) < 0)
			break;
	fclose(f);
	if (b.s == NULL)
		b.s = strdup("");
	*len = b.len;
	return b.s;
}

struct tally {
	long long rows, created, updated, unchanged, errors, rejected;
	struct buf problems; /* JSON array members */
};

/* send one chunk of NDJSON; rows are numbered from first */
static int
send_chunk(struct cli *cli, sync_fn sync, struct buf *nd, long long first, int batch,
	   struct tally *t)
{
	static const char *const keys[] = { "created", "updated", "unchanged", "errors",
					    "rejected" };
	long long *dst[] = { &t->created, &t->updated, &t->unchanged, &t->errors, &t->rejected };
	char *json = NULL;
	struct cj *d;
	int r;

	if (nd->len == 0)
		return 0;
	if ((r = sync(&json, cli->client, nd->s, nd->len, batch)) < 0)
		return cli_fail(cli, r);
	d = cj_parse(json);
	vhcv_string_free(json);
	nd->len = 0;
	if (d == NULL)
		return EXIT_OTHER;
	for (size_t i = 0; i < 5; i++)
		*dst[i] += cj_str(d, keys[i]) ? atoll(cj_str(d, keys[i])) : 0;
	for (size_t i = 0; i < cj_len(cj_get(d, "results")); i++) {
		const struct cj *x = cj_at(cj_get(d, "results"), i);
		const char *res = cj_str(x, "result");
		char line[32];
		if (strcmp(res, "error") != 0)
			continue;
		snprintf(line, sizeof(line), "%lld", first + atoll(cj_str(x, "row")) - 1);
		if (cli->json) {
			buf_add(&t->problems, t->problems.len ? ", " : "", t->problems.len ? 2 : 0);
			char head[96];
			snprintf(head, sizeof(head), "{\"row\": %s, \"field\": ", line);
			buf_add(&t->problems, head, strlen(head));
			char *q = NULL;
			size_t ql = 0;
			FILE *m = open_memstream(&q, &ql);
			cli_json_string(m, cli_s(cj_str(x, "field")));
			fprintf(m, ", \"message\": ");
			cli_json_string(m, cli_s(cj_str(x, "message")));
			fprintf(m, "}");
			fclose(m);
			buf_add(&t->problems, q, ql);
			free(q);
		} else {
			fprintf(stderr, "vhcv: row %s (%s): %s: %s; its batch was not written\n", line,
				cli_s(cj_str(x, "code")), cli_s(cj_str(x, "field")),
				cli_s(cj_str(x, "message")));
		}
	}
	cj_free(d);
	return 0;
}

static const struct cli_spec import_spec = {
	"official import", "Create or update many officials from a CSV file (a header row: "
			   "code,full_name,category,unit,leader,position,status,valid_from) or "
			   "JSON lines (.jsonl), in transactions of --batch rows (roles hr, admin).",
	{ "FILE" },
	{ { "batch", "N", false, "rows per transaction, 1..10000 (default 1000)" } },
};

static const struct cli_spec unit_import_spec = {
	"unit import", "Create, rename and move many units from a CSV file (a header row: "
		       "code,name,parent,valid_from) or JSON lines (.jsonl), in one request "
		       "whose rows vhcvd orders by the tree (a parent may come after its "
		       "children), in transactions of --batch rows (roles hr, admin).",
	{ "FILE" },
	{ { "batch", "N", false, "rows per transaction, 1..10000 (default 1000)" } },
};

static int
import(struct cli *cli, const struct import_kind *kind, int argc, char **argv)
{
	const struct cli_spec *spec = kind->spec;
	struct cli_args a;
	struct tally t = { 0 };
	struct buf nd = { 0 };
	char *text, *fields[16], *head[16];
	const char *p, *path;
	size_t len, l;
	long long first = 1, inchunk = 0;
	int r, batch = 0, nh = 0;

	if ((r = cli_parse(cli, spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = atoi_opt(cli, spec, &a, "batch", 1, 10000, &batch)))
		return r;
	path = a.pos[0];
	if ((text = read_file(path, &len)) == NULL) {
		fprintf(stderr, "vhcv: %s: %s\n", path, strerror(errno));
		return EXIT_OTHER;
	}
	if ((r = cli_connect(cli)) != EXIT_OK)
		goto out;
	p = text;
	if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	l = strlen(path);
	bool csv = l > 4 && strcasecmp(path + l - 4, ".csv") == 0;
	if (csv && (nh = csv_record(&p, head, 16)) <= 0) {
		r = cli_usage_error(cli, spec, "%s: no header row", path);
		goto out;
	}
	while (*p) {
		if (csv) {
			int n = csv_record(&p, fields, 16);
			if (n == 0)
				break;
			if (n != nh) {
				fprintf(stderr, "vhcv: %s: row %lld has %d fields, the header %d\n", path,
					t.rows + 1, n, nh);
				for (int i = 0; i < n && n > 0; i++)
					free(fields[i]);
				r = EXIT_REFUSED;
				goto out;
			}
			/* one JSON object per row; empty cells are absent */
			char *q = NULL;
			size_t ql = 0;
			FILE *m = open_memstream(&q, &ql);
			bool firstf = true;
			fputc('{', m);
			for (int i = 0; i < n; i++) {
				if (fields[i][0] != '\0') {
					fprintf(m, "%s", firstf ? "" : ", ");
					cli_json_string(m, head[i]);
					fputs(": ", m);
					if (strcmp(head[i], "leader") == 0)
						fputs(strcmp(fields[i], "true") == 0 || strcmp(fields[i], "1") == 0
							      ? "true" : "false", m);
					else
						cli_json_string(m, fields[i]);
					firstf = false;
				}
				free(fields[i]);
			}
			fputs("}\n", m);
			fclose(m);
			buf_add(&nd, q, ql);
			free(q);
		} else {
			size_t k = strcspn(p, "\n");
			if (k > 0 && strspn(p, " \t\r") < k) {
				buf_add(&nd, p, k);
				buf_add(&nd, "\n", 1);
			} else {
				p += k + (p[k] == '\n');
				continue;
			}
			p += k + (p[k] == '\n');
		}
		t.rows++;
		if (++inchunk == kind->chunk) {
			if ((r = send_chunk(cli, kind->sync, &nd, first, batch, &t)) != 0)
				goto out;
			first += inchunk;
			inchunk = 0;
		}
	}
	if ((r = send_chunk(cli, kind->sync, &nd, first, batch, &t)) != 0)
		goto out;
	if (cli->json)
		printf("{\"rows\": %lld, \"created\": %lld, \"updated\": %lld, \"unchanged\": %lld, "
		       "\"errors\": %lld, \"rejected\": %lld, \"problems\": [%s]}\n",
		       t.rows, t.created, t.updated, t.unchanged, t.errors, t.rejected,
		       t.problems.s ? t.problems.s : "");
	else
		printf("%lld rows: %lld created, %lld updated, %lld unchanged, %lld in error, "
		       "%lld rejected with their batch\n",
		       t.rows, t.created, t.updated, t.unchanged, t.errors, t.rejected);
	r = t.errors ? EXIT_REFUSED : EXIT_OK;
out:
	for (int i = 0; i < nh; i++)
		free(head[i]);
	free(text);
	free(nd.s);
	free(t.problems.s);
	return r;
}

int
cli_official_import(struct cli *cli, int argc, char **argv)
{
	static const struct import_kind k = { &import_spec, vhcv_officials_sync, 2000 };
	return import(cli, &k, argc, argv);
}

int
cli_unit_import(struct cli *cli, int argc, char **argv)
{
	static const struct import_kind k = { &unit_import_spec, vhcv_units_sync, 0 };
	return import(cli, &k, argc, argv);
}
