/*
 * Every function of libvhcv against a live vhcvd, as an admin on the Unix
 * socket: the endpoint is argv[1]. Checks count; any failure exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vhcv.h>

static int failures, checks;
static vhcv_client *c;

#define CHECK(cond)                                                               \
	do {                                                                      \
		checks++;                                                         \
		if (!(cond)) {                                                    \
			failures++;                                               \
			fprintf(stderr, "FAIL %s:%d: %s (last error: %s)\n", __FILE__, \
				__LINE__, #cond, vhcv_client_errmsg(c));          \
		}                                                                 \
	} while (0)
#define CHECK_RC(call, want)                                                        \
	do {                                                                        \
		int rc_ = (call);                                                   \
		checks++;                                                           \
		if (rc_ != (want)) {                                                \
			failures++;                                                 \
			fprintf(stderr, "FAIL %s:%d: %s = %d (%s), want %d; %s\n", __FILE__, \
				__LINE__, #call, rc_, vhcv_strerror(rc_), (want),    \
				vhcv_client_errmsg(c));                             \
		}                                                                   \
	} while (0)

static char today[11], occurred[11];

static int
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* report a case about an official; returns its number (caller frees) */
static char *
report(const char *official, const char *key)
{
	vhcv_report_options o = VHCV_REPORT_OPTIONS_INIT;
	vhcv_case *k = NULL;
	char *number = NULL;

	o.official = official;
	o.rule = "TD-01";
	o.occurred_on = occurred;
	o.source = "inspection";
	o.description = "Đi muộn, về sớm";
	o.place = "Phòng Nội vụ";
	o.idempotency_key = key;
	CHECK_RC(vhcv_case_report(&k, c, &o), 0);
	if (k) {
		CHECK(streq(k->status, "reported"));
		CHECK(streq(k->official_code, official));
		number = strdup(k->number);
	}
	vhcv_case_free(k);
	return number;
}

/* report, accept and convene the council; returns the case number */
static char *
to_council(const char *official)
{
	static const char *const pool[] = { "CC-1", "CC-2", "CC-3", "CC-4", "LD-1" };
	const char *members[3];
	char *n = report(official, NULL);
	size_t m = 0;

	/* nobody sits on the council of a case about themselves */
	for (size_t i = 0; i < 5 && m < 3; i++)
		if (strcmp(pool[i], official) != 0)
			members[m++] = pool[i];
	CHECK_RC(vhcv_case_accept(NULL, c, n, NULL), 0);
	CHECK_RC(vhcv_case_council(NULL, c, n, members, 3, NULL), 0);
	return n;
}

static void
decide(const char *n, const char *severity, const char *form, const char *number,
       const char *reason, const char *key, int want)
{
	vhcv_decide_options d = VHCV_DECIDE_OPTIONS_INIT;

	d.severity = severity;
	d.form = form;
	d.number = number;
	d.signed_on = today;
	d.reason = reason;
	d.idempotency_key = key;
	CHECK_RC(vhcv_case_decide(NULL, c, n, &d), want);
}

static void
units_and_officials(void)
{
	static const char *const people[][2] = {
		{ "CC-1", "Nguyễn Văn An" }, { "CC-2", "Trần Thị Bình" }, { "CC-3", "Lê Văn Cường" },
		{ "CC-4", "Phạm Thị Dung" }, { "LD-1", "Hoàng Văn Em" },
	};
	vhcv_official_spec spec = VHCV_OFFICIAL_SPEC_INIT;
	vhcv_unit_page *up = NULL;
	vhcv_official *o = NULL;
	vhcv_unit *u = NULL;

	CHECK_RC(vhcv_unit_add(&u, c, "PT", "UBND tỉnh Phú Thọ", NULL, "2019-01-01"), 0);
	CHECK(u && streq(u->name, "UBND tỉnh Phú Thọ") && u->parent == NULL);
	vhcv_unit_free(u);
	CHECK_RC(vhcv_unit_add(NULL, c, "VY", "UBND huyện Vĩnh Yên", "PT", "2019-01-01"), 0);
	CHECK_RC(vhcv_unit_add(NULL, c, "VY", "again", NULL, NULL), VHCV_ECONFLICT);
	CHECK_RC(vhcv_unit_add(NULL, c, "OLD", "Phòng cũ", "PT", "2019-01-01"), 0);
	CHECK_RC(vhcv_unit_merge(&u, c, "OLD", "VY", NULL), 0);
	CHECK(u && streq(u->merged_into, "VY"));
	vhcv_unit_free(u);
	CHECK_RC(vhcv_unit_get(&u, c, "VY"), 0);
	CHECK(u && streq(u->parent, "PT") && u->json && strstr(u->json, "Vĩnh Yên"));
	vhcv_unit_free(u);
	CHECK_RC(vhcv_unit_get(&u, c, "NOPE"), VHCV_ENOTFOUND);
	CHECK(u == NULL);
	CHECK_RC(vhcv_unit_list(&up, c, "PT"), 0);
	CHECK(up && up->count == 3 && up->next == NULL && strstr(up->json, "\"next\": null"));
	vhcv_unit_page_free(up);
	CHECK_RC(vhcv_unit_list(&up, c, NULL), 0);
	CHECK(up && up->count == 3);
	vhcv_unit_page_free(up);

	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		spec.code = people[i][0];
		spec.full_name = people[i][1];
		spec.category = "cong_chuc";
		spec.unit = "VY";
		spec.leader = people[i][0][0] == 'L';
		spec.position = spec.leader ? "Trưởng phòng" : "Chuyên viên";
		CHECK_RC(vhcv_official_put(&o, c, &spec), 0);
		CHECK(o && streq(o->code, people[i][0]) && o->leader == spec.leader);
		vhcv_official_free(o);
		o = NULL;
	}
	spec.code = "CC-9";
	spec.category = "khong_co";
	CHECK_RC(vhcv_official_put(NULL, c, &spec), VHCV_EINVALID);
	CHECK(streq(vhcv_client_errfield(c), "category"));
	CHECK_RC(vhcv_official_get(&o, c, "CC-1", today), 0);
	CHECK(o && streq(o->full_name, "Nguyễn Văn An") && o->category_name && o->nsanctions == 0);
	vhcv_official_free(o);
	CHECK_RC(vhcv_official_get(&o, c, "NOBODY", NULL), VHCV_ENOTFOUND);
}

static void
rules(void)
{
	vhcv_rule_page *p = NULL;
	vhcv_rule *r = NULL;

	CHECK_RC(vhcv_rule_list(&p, c, NULL), 0);
	CHECK(p && p->count > 0 && p->next == NULL);
	vhcv_rule_page_free(p);
	CHECK_RC(vhcv_rule_list(&p, c, "thai_do"), 0);
	for (size_t i = 0; p && i < p->count; i++)
		CHECK(streq(p->items[i]->group, "thai_do"));
	vhcv_rule_page_free(p);
	CHECK_RC(vhcv_rule_get(&r, c, "TD-01", NULL), 0);
	CHECK(r && r->nversions >= 1 && r->title_vi && r->versions[0]->content_hash);
	vhcv_rule_free(r);
	CHECK_RC(vhcv_rule_get(&r, c, "NOPE-1", NULL), VHCV_ENOTFOUND);
}

static void
workflow(void)
{
	const char *members[] = { "CC-2", "CC-3", "CC-4" };
	vhcv_reject_options rj = VHCV_REJECT_OPTIONS_INIT;
	vhcv_case_filter f = VHCV_CASE_FILTER_INIT;
	vhcv_evidence_data *d = NULL;
	vhcv_case_page *p = NULL;
	vhcv_evidence *e = NULL;
	vhcv_official *o = NULL;
	vhcv_case *k = NULL;
	char *n1, *n1b, *n2, *n3, *n4, *n5, *n6, *first;
	const char bytes[] = "Biên bản làm việc\n";

	n1 = report("CC-1", "live-1");
	n1b = report("CC-1", "live-1");
	CHECK(streq(n1, n1b));
	CHECK_RC(vhcv_case_get(&k, c, n1), 0);
	CHECK(k && k->nevents == 1 && streq(k->events[0]->kind, "reported") && k->handling_deadline);
	vhcv_case_free(k);
	CHECK_RC(vhcv_case_get(&k, c, "VP-1999-1"), VHCV_ENOTFOUND);
	CHECK_RC(vhcv_case_accept(&k, c, n1, "Tiếp nhận"), 0);
	CHECK(k && streq(k->status, "under_review"));
	vhcv_case_free(k);
	CHECK_RC(vhcv_case_accept(NULL, c, n1, NULL), VHCV_ECONFLICT);
	CHECK_RC(vhcv_case_defer(&k, c, n1, "illness", NULL, "Nằm viện"), 0);
	CHECK(k && streq(k->status, "deferred"));
	vhcv_case_free(k);
	CHECK_RC(vhcv_case_resume(NULL, c, n1, NULL), 0);
	CHECK_RC(vhcv_case_council(&k, c, n1, members, 3, "khien_trach"), 0);
	CHECK(k && k->ncouncil_members == 3 && streq(k->council_recommended_form, "khien_trach"));
	vhcv_case_free(k);
	decide(n1, "it_nghiem_trong", "ha_bac_luong", "11/QĐ-UBND", NULL, NULL, VHCV_EREFUSED);
	decide(n1, "it_nghiem_trong", "khien_trach", "12/QĐ-UBND", NULL, "dec-1", 0);
	decide(n1, "it_nghiem_trong", "khien_trach", "12/QĐ-UBND", NULL, "dec-1", 0);
	CHECK_RC(vhcv_case_appeal(NULL, c, n1, today, "Khiếu nại"), 0);
	decide(n1, "nghiem_trong", "canh_cao", "13/QĐ-UBND", "Tình tiết mới", NULL, 0);
	CHECK_RC(vhcv_case_get(&k, c, n1), 0);
	CHECK(k && streq(k->status, "decided") && k->ndecisions == 2);
	if (k && k->ndecisions == 2) {
		CHECK(streq(k->decisions[0]->state, "superseded"));
		CHECK(streq(k->decisions[1]->state, "in_effect"));
		CHECK(streq(k->decisions[1]->form, "canh_cao"));
		CHECK(k->decisions[1]->issuer && strstr(k->decisions[1]->issuer, "QĐ-UBND"));
	}
	vhcv_case_free(k);
	CHECK_RC(vhcv_official_get(&o, c, "CC-1", NULL), 0);
	CHECK(o && o->nsanctions == 1 && streq(o->sanctions[0]->form, "canh_cao"));
	vhcv_official_free(o);

	CHECK_RC(vhcv_case_note(&k, c, n1, "Đã lập biên bản"), 0);
	CHECK(k && k->nevents > 0 && streq(k->events[k->nevents - 1]->kind, "note"));
	vhcv_case_free(k);
	n2 = to_council("CC-2");
	decide(n2, "it_nghiem_trong", "khien_trach", "14/QĐ-UBND", NULL, NULL, 0);
	CHECK_RC(vhcv_case_appeal(NULL, c, n2, today, NULL), 0);
	CHECK_RC(vhcv_case_uphold(&k, c, n2, NULL), 0);
	CHECK(k && streq(k->status, "closed"));
	vhcv_case_free(k);
	n3 = to_council("CC-3");
	decide(n3, "it_nghiem_trong", "khien_trach", "15/QĐ-UBND", NULL, NULL, 0);
	CHECK_RC(vhcv_case_appeal(NULL, c, n3, today, NULL), 0);
	CHECK_RC(vhcv_case_annul(&k, c, n3, "16/QĐ-UBND", today, "Sai đối tượng"), 0);
	CHECK(k && streq(k->status, "closed"));
	vhcv_case_free(k);
	n4 = report("CC-4", NULL);
	rj.reason = "duplicate";
	rj.of = n1;
	CHECK_RC(vhcv_case_reject(&k, c, n4, &rj), 0);
	CHECK(k && streq(k->status, "rejected"));
	vhcv_case_free(k);
	n5 = report("CC-4", NULL);
	CHECK_RC(vhcv_case_accept(NULL, c, n5, NULL), 0);
	CHECK_RC(vhcv_case_waive(&k, c, n5, "force_majeure", NULL), 0);
	CHECK(k && streq(k->status, "closed_no_sanction"));
	vhcv_case_free(k);
	n6 = report("LD-1", NULL);
	CHECK_RC(vhcv_case_accept(NULL, c, n6, NULL), 0);
	CHECK_RC(vhcv_case_close(&k, c, n6, "no_sanction"), 0);
	CHECK(k && streq(k->status, "closed_no_sanction"));
	vhcv_case_free(k);
	CHECK_RC(vhcv_case_link(&k, c, n6, n1), 0);
	CHECK(k && k->nlinks == 1 && streq(k->links[0], n1));
	vhcv_case_free(k);

	CHECK_RC(vhcv_evidence_add(&e, c, n1, "biên bản 1.txt", "text/plain", bytes,
				   sizeof(bytes) - 1),
		 0);
	CHECK(e && e->size == (int64_t)(sizeof(bytes) - 1) && e->sha256 && strlen(e->sha256) == 64);
	CHECK_RC(vhcv_evidence_get(&d, c, n1, "biên bản 1.txt"), 0);
	CHECK(d && d->size == sizeof(bytes) - 1 && memcmp(d->data, bytes, d->size) == 0);
	CHECK(d && e && streq(d->sha256, e->sha256) && strncmp(d->media_type, "text/plain", 10) == 0);
	vhcv_evidence_free(e);
	vhcv_evidence_data_free(d);
	CHECK_RC(vhcv_evidence_get(&d, c, n1, "không có.pdf"), VHCV_ENOTFOUND);
	CHECK_RC(vhcv_case_get(&k, c, n1), 0);
	CHECK(k && k->nevidence == 1 && streq(k->evidence[0]->name, "biên bản 1.txt"));
	vhcv_case_free(k);

	/* pages of two until the end: every case once */
	f.limit = 2;
	first = NULL;
	for (int pages = 0, seen = 0; pages < 10; pages++) {
		CHECK_RC(vhcv_case_list(&p, c, &f), 0);
		if (p == NULL)
			break;
		CHECK(p->count <= 2);
		seen += (int)p->count;
		if (pages == 0 && p->count)
			first = strdup(p->items[0]->number);
		free((char *)f.after);
		f.after = p->next ? strdup(p->next) : NULL;
		vhcv_case_page_free(p);
		if (f.after == NULL) {
			CHECK(seen == 6);
			break;
		}
	}
	CHECK(first != NULL);
	free(first);
	f = (vhcv_case_filter)VHCV_CASE_FILTER_INIT;
	f.status = "decided";
	CHECK_RC(vhcv_case_list(&p, c, &f), 0);
	CHECK(p && p->count == 1 && streq(p->items[0]->number, n1) && p->next == NULL);
	vhcv_case_page_free(p);
	free(n1);
	free(n1b);
	free(n2);
	free(n3);
	free(n4);
	free(n5);
	free(n6);
}

static void
audit(void)
{
	vhcv_audit_report *r = NULL;
	vhcv_seal *s = NULL;

	CHECK_RC(vhcv_audit_seal(&s, c), 0);
	CHECK(s && s->seal > 0 && s->events > 0 && s->hash);
	vhcv_seal_free(s);
	CHECK_RC(vhcv_audit_verify(&r, c), 0);
	CHECK(r && r->ok == 1 && r->nproblems == 0 && r->cases == 6 && r->seals == 1);
	vhcv_audit_report_free(r);
}

int
main(int argc, char **argv)
{
	vhcv_health *h = NULL;
	time_t now = time(NULL);
	struct tm tm;

	if (argc != 2) {
		fprintf(stderr, "usage: test_lib_live ENDPOINT\n");
		return 2;
	}
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	now -= 20 * 86400;
	localtime_r(&now, &tm);
	strftime(occurred, sizeof(occurred), "%Y-%m-%d", &tm);
	if (vhcv_client_open(&c, argv[1], NULL) != 0) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	CHECK_RC(vhcv_health_get(&h, c), 0);
	CHECK(h && h->database_ok && h->schema_version > 0 && h->daemon_version);
	vhcv_health_free(h);
	rules();
	units_and_officials();
	workflow();
	audit();
	vhcv_client_close(c);
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
