/*
 * libvhcv without a daemon: error codes, endpoints, transport failures
 * (daemon down, timeout), and every conversion and request shape against a
 * scripted HTTP server (fake_server.c) on a Unix socket.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include <vhcv.h>

#include "fake_server.h"

static const char case_json[] =
	"{\"case\": \"VP-2026-12\", \"status\": \"under_review\", \"status_name\": \"Đang xem xét\","
	" \"official\": {\"code\": \"CC-0042\", \"full_name\": \"Nguyễn Văn An\","
	" \"category\": \"cong_chuc\", \"leader\": true},"
	" \"unit\": \"UBND-VY\", \"rule\": {\"code\": \"TD-01\", \"title_vi\": \"Đi muộn\", \"version\": 7},"
	" \"source\": \"inspection\", \"reporter\": \"thanhtra\", \"occurred_on\": \"2026-10-02\","
	" \"detected_on\": \"2026-10-05\", \"place\": null, \"description\": \"Đi muộn\","
	" \"severity\": null, \"complex\": true, \"limitation_expires_on\": null,"
	" \"handling_deadline\": \"2027-01-03\", \"paused_days\": 4, \"overdue\": true,"
	" \"links\": [\"VP-2026-9\"], \"council\": {\"members\": [\"CC-1\", \"CC-2\", \"CC-3\"],"
	" \"recommended_form\": \"khien_trach\"},"
	" \"events\": [{\"seq\": 1, \"kind\": \"reported\", \"actor\": \"thanhtra\","
	" \"at\": \"2026-11-28T02:41:03.123456Z\", \"data\": {\"a\": 1}, \"hash\": \"ab\"},"
	" {\"seq\": 2, \"kind\": \"accepted\", \"actor\": \"truong\", \"at\": \"2026-11-28T03:00:00Z\","
	" \"hash\": \"cd\"}],"
	" \"decisions\": [{\"number\": 12, \"issuer\": \"QĐ-UBND\", \"year\": 2026, \"kind\": \"decision\","
	" \"form\": \"khien_trach\", \"form_name\": \"Khiển trách\", \"severity\": \"it_nghiem_trong\","
	" \"signed_on\": \"2026-11-02\", \"effective_on\": \"2026-11-02\", \"effect_until\": \"2027-11-02\","
	" \"freeze_until\": \"2027-11-02\", \"recommended_form\": \"khien_trach\","
	" \"ladder_form\": \"khien_trach\", \"regime\": \"B\", \"reason\": null, \"warning\": null,"
	" \"supersedes\": null, \"state\": \"in_effect\"}],"
	" \"evidence\": [{\"name\": \"biên bản.pdf\", \"media_type\": \"application/pdf\", \"size\": 48213,"
	" \"sha256\": \"00\", \"added_by\": \"thanhtra\", \"added_at\": \"2026-11-28T02:41:03Z\"}]}";

/* a client on a fake server answering the given bodies (status, body) */
struct script {
	struct fake fake;
	char *answers[FAKE_MAX];
	size_t n;
	vhcv_client *c;
};

static void
script_start(struct script *s, size_t n, ...)
{
	vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
	char ep[128];
	va_list ap;

	memset(s, 0, sizeof(*s));
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		int status = va_arg(ap, int);
		const char *body = va_arg(ap, const char *);
		s->answers[i] = status ? fake_answer(status, NULL, body, strlen(body)) : NULL;
	}
	va_end(ap);
	s->n = n;
	fake_start(&s->fake, (const char *const *)s->answers, n);
	snprintf(ep, sizeof(ep), "unix:%s", s->fake.path);
	o.token = "secret-token";
	o.timeout_ms = 5000;
	assert_int_equal(vhcv_client_open(&s->c, ep, &o), 0);
}

static void
script_stop(struct script *s)
{
	vhcv_client_close(s->c);
	fake_stop(&s->fake);
	for (size_t i = 0; i < s->n; i++)
		free(s->answers[i]);
}

/* the body of request i as JSON */
static json_t *
body_of(struct script *s, size_t i)
{
	json_t *j;

	assert_true(i < s->fake.nreqs);
	assert_non_null(s->fake.bodies[i]);
	j = json_loads(s->fake.bodies[i], 0, NULL);
	assert_non_null(j);
	return j;
}

static void
assert_head(const struct fake *f, size_t i, const char *start)
{
	assert_true(i < f->nreqs);
	if (strncmp(f->heads[i], start, strlen(start)) != 0)
		fail_msg("request %zu starts '%.80s', want '%s'", i, f->heads[i], start);
}

static void
test_strerror(void **state)
{
	const char *ids[32];
	size_t n = 0;

	(void)state;
	for (int code = VHCV_OK; code >= VHCV_ERROR_LAST; code--) {
		const char *s = vhcv_strerror(code), *id = vhcv_error_id(code);
		assert_non_null(s);
		assert_non_null(id);
		assert_string_not_equal(s, "unknown error");
		for (size_t i = 0; i < n; i++)
			assert_string_not_equal(ids[i], id);
		ids[n++] = id;
	}
	assert_int_equal(n, 1 - VHCV_ERROR_LAST);
	assert_string_equal(vhcv_strerror(VHCV_ERROR_LAST - 1), "unknown error");
	assert_string_equal(vhcv_strerror(1), "unknown error");
	assert_string_equal(vhcv_error_id(12345), "error");
	assert_string_equal(vhcv_error_id(VHCV_ENOTFOUND), "not_found");
}

static void
test_free_null(void **state)
{
	(void)state;
	vhcv_client_close(NULL);
	vhcv_health_free(NULL);
	vhcv_rule_free(NULL);
	vhcv_rule_page_free(NULL);
	vhcv_unit_free(NULL);
	vhcv_unit_page_free(NULL);
	vhcv_official_free(NULL);
	vhcv_case_free(NULL);
	vhcv_case_page_free(NULL);
	vhcv_evidence_free(NULL);
	vhcv_evidence_data_free(NULL);
	vhcv_audit_report_free(NULL);
	vhcv_seal_free(NULL);
	assert_string_equal(vhcv_client_errfield(NULL), "");
	assert_string_equal(vhcv_client_errjson(NULL), "");
	assert_string_equal(vhcv_client_endpoint(NULL), "");
	assert_non_null(vhcv_client_errmsg(NULL));
}

static void
test_endpoints(void **state)
{
	/* plain http off loopback would send the token in clear */
	static const char *const bad[] = { "", "gopher://x", "unix:", "http://", "https://",
					   "127.0.0.1:80", "http://a b", "http://10.0.0.5:8470",
					   "http://vhcv.example:8470", "http://127.0.0.1.example:80" };
	static const char *const good[] = { "unix:/run/vhcvd/vhcvd.sock", "http://127.0.0.1:8470",
					    "http://localhost:8470", "http://[::1]:8470",
					    "https://vhcv.example:8443/" };
	vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
	vhcv_client *c = (vhcv_client *)&o;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vhcv_client_open(&c, bad[i], NULL), VHCV_EINVALID);
		assert_null(c);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(vhcv_client_open(&c, good[i], NULL), 0);
		assert_string_equal(vhcv_client_endpoint(c), good[i]);
		assert_string_equal(vhcv_client_errmsg(c), "");
		vhcv_client_close(c);
	}
	assert_int_equal(vhcv_client_open(NULL, good[0], NULL), VHCV_EINVALID);
	o.version = 0;
	assert_int_equal(vhcv_client_open(&c, good[0], &o), VHCV_EINVALID);
	o.version = VHCV_CLIENT_OPTIONS_VERSION + 1;
	assert_int_equal(vhcv_client_open(&c, good[0], &o), VHCV_EINVALID);
	o.version = VHCV_CLIENT_OPTIONS_VERSION;
	o.token = "two\nlines";
	assert_int_equal(vhcv_client_open(&c, good[0], &o), VHCV_EINVALID);
	setenv("VHCV_ENDPOINT", "http://127.0.0.1:9", 1);
	assert_int_equal(vhcv_client_open(&c, NULL, NULL), 0);
	assert_string_equal(vhcv_client_endpoint(c), "http://127.0.0.1:9");
	vhcv_client_close(c);
	unsetenv("VHCV_ENDPOINT");
	setenv("VHCV_ENDPOINT", "nonsense", 1);
	assert_int_equal(vhcv_client_open(&c, NULL, NULL), VHCV_EINVALID);
	unsetenv("VHCV_ENDPOINT");
}

static void
test_unavailable(void **state)
{
	vhcv_health *h = NULL;
	vhcv_client *c;

	(void)state;
	assert_int_equal(vhcv_client_open(&c, "unix:/nonexistent/vhcvd.sock", NULL), 0);
	assert_int_equal(vhcv_health_get(&h, c), VHCV_EUNAVAILABLE);
	assert_null(h);
	assert_non_null(strstr(vhcv_client_errmsg(c), "cannot reach vhcvd"));
	assert_non_null(strstr(vhcv_client_errjson(c), "\"error\": \"unavailable\""));
	vhcv_client_close(c);
	/* port 9 (discard) on loopback: nothing listens */
	assert_int_equal(vhcv_client_open(&c, "http://127.0.0.1:9", NULL), 0);
	assert_int_equal(vhcv_health_get(&h, c), VHCV_EUNAVAILABLE);
	vhcv_client_close(c);
}

static void
test_timeout(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	vhcv_client_options o = VHCV_CLIENT_OPTIONS_INIT;
	vhcv_health *h = NULL;
	vhcv_client *c;
	char ep[128];
	int fd;

	(void)state;
	/* a socket that accepts (in the backlog) and never answers */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/vhcv-mute-%d.sock", (int)getpid());
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	snprintf(ep, sizeof(ep), "unix:%s", sa.sun_path);
	o.timeout_ms = 300;
	assert_int_equal(vhcv_client_open(&c, ep, &o), 0);
	assert_int_equal(vhcv_health_get(&h, c), VHCV_ETIMEOUT);
	assert_null(h);
	assert_non_null(strstr(vhcv_client_errjson(c), "\"timeout\""));
	vhcv_client_close(c);
	close(fd);
	unlink(sa.sun_path);
}

/* required arguments are checked before anything is sent */
static void
test_required(void **state)
{
	vhcv_report_options ro = VHCV_REPORT_OPTIONS_INIT;
	vhcv_decide_options dopt = VHCV_DECIDE_OPTIONS_INIT;
	vhcv_reject_options rj = VHCV_REJECT_OPTIONS_INIT;
	vhcv_official_spec spec = VHCV_OFFICIAL_SPEC_INIT;
	vhcv_case *k = NULL;
	vhcv_rule *r = NULL;
	vhcv_client *c;

	(void)state;
	assert_int_equal(vhcv_client_open(&c, "unix:/nonexistent/vhcvd.sock", NULL), 0);
#define FIELD(call, field)                                               \
	do {                                                             \
		assert_int_equal(call, VHCV_EINVALID);                   \
		assert_string_equal(vhcv_client_errfield(c), field);     \
	} while (0)
	FIELD(vhcv_case_get(&k, c, NULL), "case");
	assert_null(k);
	FIELD(vhcv_case_accept(&k, c, "", NULL), "case");
	FIELD(vhcv_case_defer(NULL, c, "VP-1", NULL, NULL, NULL), "ground");
	FIELD(vhcv_case_appeal(NULL, c, "VP-1", NULL, NULL), "filed_on");
	FIELD(vhcv_case_annul(NULL, c, "VP-1", "1/QĐ", NULL, NULL), "signed_on");
	FIELD(vhcv_case_waive(NULL, c, "VP-1", NULL, NULL), "ground");
	FIELD(vhcv_case_note(NULL, c, "VP-1", ""), "text");
	FIELD(vhcv_case_link(NULL, c, "VP-1", NULL), "other");
	FIELD(vhcv_case_council(NULL, c, "VP-1", NULL, 0, NULL), "members");
	FIELD(vhcv_case_reject(NULL, c, "VP-1", &rj), "reason");
	FIELD(vhcv_case_decide(NULL, c, "VP-1", &dopt), "severity");
	ro.official = "CC-1";
	FIELD(vhcv_case_report(&k, c, &ro), "rule");
	FIELD(vhcv_official_put(NULL, c, &spec), "code");
	FIELD(vhcv_unit_add(NULL, c, "U", NULL, NULL, NULL), "name");
	FIELD(vhcv_unit_merge(NULL, c, "U", NULL, NULL), "into");
	FIELD(vhcv_evidence_add(NULL, c, "VP-1", NULL, NULL, "x", 1), "name");
	FIELD(vhcv_evidence_add(NULL, c, "VP-1", "bad\xff", NULL, "x", 1), "name");
	FIELD(vhcv_rule_get(&r, c, NULL, NULL), "code");
	assert_null(r);
	ro.rule = "TD-01";
	ro.occurred_on = "2026-01-01";
	ro.source = "citizen";
	ro.description = "not UTF-8: \xc3\x28";
	FIELD(vhcv_case_report(&k, c, &ro), "description");
	assert_int_equal(vhcv_case_reject(NULL, c, "VP-1", NULL), VHCV_EINVALID);
	ro.version = 99;
	assert_int_equal(vhcv_case_report(&k, c, &ro), VHCV_EINVALID);
	/* a call refused for its own arguments says so, not the last error */
	FIELD(vhcv_case_get(&k, c, NULL), "case");
	assert_int_equal(vhcv_case_list(NULL, c, NULL), VHCV_EINVALID);
	assert_string_equal(vhcv_client_errmsg(c), "out: NULL argument");
	assert_string_equal(vhcv_client_errfield(c), "");
	assert_int_equal(vhcv_health_get(NULL, c), VHCV_EINVALID);
	assert_string_equal(vhcv_client_errmsg(c), "out: NULL argument");
	assert_int_equal(vhcv_audit_verify(NULL, c), VHCV_EINVALID);
	assert_string_equal(vhcv_client_errmsg(c), "out: NULL argument");
	assert_int_equal(vhcv_case_get(&k, NULL, "VP-1"), VHCV_EINVALID);
#undef FIELD
	vhcv_client_close(c);
}

static void
test_errors(void **state)
{
	struct script s;
	vhcv_case *k = NULL;
	json_t *j;

	(void)state;
	script_start(&s, 6, 404, "{\"error\": \"not_found\", \"message\": \"no case VP-1\"}",
		     422, "{\"error\": \"refused\", \"message\": \"time-barred\", \"rule\": "
			  "\"time_barred\", \"basis\": \"Nghị định 172/2025\"}",
		     400, "{\"error\": \"invalid\", \"message\": \"bad date\", \"field\": \"occurred_on\"}",
		     409, "{\"error\": \"conflict\", \"message\": \"case is decided\", \"status\": \"decided\"}",
		     503, "", 401, "{\"error\": \"unauthorized\", \"message\": \"who are you\"}");
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), VHCV_ENOTFOUND);
	assert_null(k);
	assert_string_equal(vhcv_client_errmsg(s.c), "no case VP-1");
	assert_int_equal(vhcv_case_accept(&k, s.c, "VP-1", NULL), VHCV_EREFUSED);
	j = json_loads(vhcv_client_errjson(s.c), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "rule")), "time_barred");
	assert_string_equal(json_string_value(json_object_get(j, "basis")), "Nghị định 172/2025");
	json_decref(j);
	assert_int_equal(vhcv_case_accept(&k, s.c, "VP-1", NULL), VHCV_EINVALID);
	assert_string_equal(vhcv_client_errfield(s.c), "occurred_on");
	assert_int_equal(vhcv_case_accept(&k, s.c, "VP-1", NULL), VHCV_ECONFLICT);
	assert_non_null(strstr(vhcv_client_errjson(s.c), "\"status\": \"decided\""));
	assert_int_equal(vhcv_case_accept(&k, s.c, "VP-1", NULL), VHCV_EUNAVAILABLE);
	assert_string_equal(vhcv_client_errmsg(s.c), "vhcvd answered HTTP 503");
	assert_int_equal(vhcv_case_accept(&k, s.c, "VP-1", NULL), VHCV_EUNAUTHORIZED);
	script_stop(&s);
}

/* text as jansson writes the document (flags 0): what every json member
 * holds, whether written whole or from its items' texts */
static void
assert_jansson_text(const char *got, const char *doc)
{
	json_t *j = json_loads(doc, 0, NULL);
	char *want;

	assert_non_null(j);
	want = json_dumps(j, JSON_ENCODE_ANY);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
	json_decref(j);
}

static void
test_case(void **state)
{
	struct script s;
	vhcv_case *k = NULL;
	json_t *j, *b;

	(void)state;
	script_start(&s, 2, 200, case_json, 200, case_json);
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-2026-12"), 0);
	assert_head(&s.fake, 0, "GET /v1/cases/VP-2026-12 HTTP/1.1");
	assert_non_null(strstr(s.fake.heads[0], "Authorization: Bearer secret-token"));
	assert_string_equal(vhcv_client_errmsg(s.c), "");
	assert_string_equal(vhcv_client_errjson(s.c), "");
	assert_string_equal(k->number, "VP-2026-12");
	assert_string_equal(k->status, "under_review");
	assert_string_equal(k->status_name, "Đang xem xét");
	assert_string_equal(k->official_code, "CC-0042");
	assert_string_equal(k->official_name, "Nguyễn Văn An");
	assert_string_equal(k->official_category, "cong_chuc");
	assert_int_equal(k->official_leader, 1);
	assert_string_equal(k->rule_code, "TD-01");
	assert_int_equal(k->rule_version, 7);
	assert_null(k->place);
	assert_null(k->severity);
	assert_null(k->limitation_expires_on);
	assert_int_equal(k->is_complex, 1);
	assert_int_equal(k->paused_days, 4);
	assert_int_equal(k->overdue, 1);
	assert_int_equal(k->nlinks, 1);
	assert_string_equal(k->links[0], "VP-2026-9");
	assert_int_equal(k->ncouncil_members, 3);
	assert_string_equal(k->council_recommended_form, "khien_trach");
	assert_int_equal(k->nevents, 2);
	assert_int_equal(k->events[1]->seq, 2);
	assert_string_equal(k->events[0]->data, "{\"a\": 1}");
	assert_string_equal(k->events[1]->data, "{}");
	assert_int_equal(k->ndecisions, 1);
	assert_string_equal(k->decisions[0]->number, "12");
	assert_string_equal(k->decisions[0]->issuer, "QĐ-UBND");
	assert_int_equal(k->decisions[0]->year, 2026);
	assert_string_equal(k->decisions[0]->state, "in_effect");
	assert_null(k->decisions[0]->supersedes);
	assert_int_equal(k->nevidence, 1);
	assert_int_equal(k->evidence[0]->size, 48213);
	j = json_loads(k->json, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "case")), "VP-2026-12");
	json_decref(j);
	/* the case's text and its parts' texts, as jansson writes them */
	assert_jansson_text(k->json, case_json);
	j = json_loads(case_json, 0, NULL);
	for (size_t i = 0; i < 2; i++) {
		char *e = json_dumps(json_array_get(json_object_get(j, "events"), i), 0);
		assert_string_equal(k->events[i]->json, e);
		free(e);
	}
	json_decref(j);
	vhcv_case_free(k);
	/* a transition with out NULL: sent and checked, nothing returned */
	assert_int_equal(vhcv_case_accept(NULL, s.c, "VP-2026-12", "Tiếp nhận"), 0);
	assert_head(&s.fake, 1, "POST /v1/cases/VP-2026-12/accept HTTP/1.1");
	assert_non_null(strstr(s.fake.heads[1], "Content-Type: application/json"));
	b = body_of(&s, 1);
	assert_string_equal(json_string_value(json_object_get(b, "note")), "Tiếp nhận");
	assert_int_equal(json_object_size(b), 1);
	json_decref(b);
	script_stop(&s);
}

/* every transition sends its path and only the fields given */
static void
test_bodies(void **state)
{
	vhcv_report_options ro = VHCV_REPORT_OPTIONS_INIT;
	vhcv_decide_options dopt = VHCV_DECIDE_OPTIONS_INIT;
	vhcv_reject_options rj = VHCV_REJECT_OPTIONS_INIT;
	const char *members[] = { "CC-1", "CC-2", "CC-3" };
	struct script s;
	vhcv_case *k = NULL;
	json_t *b;

	(void)state;
	script_start(&s, 8, 201, case_json, 200, case_json, 200, case_json, 200, case_json, 200,
		     case_json, 200, case_json, 200, case_json, 200, case_json);
	ro.official = "CC-1";
	ro.rule = "TD-01";
	ro.occurred_on = "2026-10-02";
	ro.source = "inspection";
	ro.description = "Đi muộn";
	assert_int_equal(vhcv_case_report(&k, s.c, &ro), 0);
	assert_non_null(k);
	vhcv_case_free(k);
	assert_head(&s.fake, 0, "POST /v1/cases HTTP/1.1");
	b = body_of(&s, 0);
	assert_int_equal(json_object_size(b), 5);
	assert_null(json_object_get(b, "idempotency_key"));
	json_decref(b);
	dopt.severity = "it_nghiem_trong";
	dopt.form = "khien_trach";
	dopt.number = "12/QĐ-UBND";
	dopt.signed_on = "2026-11-02";
	dopt.is_complex = 1;
	dopt.idempotency_key = "d-1";
	assert_int_equal(vhcv_case_decide(NULL, s.c, "VP-2026-12", &dopt), 0);
	assert_head(&s.fake, 1, "POST /v1/cases/VP-2026-12/decide ");
	b = body_of(&s, 1);
	assert_string_equal(json_string_value(json_object_get(b, "number")), "12/QĐ-UBND");
	assert_true(json_is_true(json_object_get(b, "complex")));
	assert_string_equal(json_string_value(json_object_get(b, "idempotency_key")), "d-1");
	json_decref(b);
	assert_int_equal(vhcv_case_council(NULL, s.c, "VP-2026-12", members, 3, "khien_trach"), 0);
	b = body_of(&s, 2);
	assert_int_equal(json_array_size(json_object_get(b, "members")), 3);
	assert_string_equal(json_string_value(json_object_get(b, "recommend")), "khien_trach");
	json_decref(b);
	rj.reason = "duplicate";
	rj.of = "VP-2026-1";
	assert_int_equal(vhcv_case_reject(NULL, s.c, "VP-2026-12", &rj), 0);
	assert_head(&s.fake, 3, "POST /v1/cases/VP-2026-12/reject ");
	b = body_of(&s, 3);
	assert_int_equal(json_object_size(b), 2);
	json_decref(b);
	assert_int_equal(vhcv_case_defer(NULL, s.c, "VP-2026-12", "illness", "2027-01-01", NULL), 0);
	assert_head(&s.fake, 4, "POST /v1/cases/VP-2026-12/defer ");
	assert_int_equal(vhcv_case_close(NULL, s.c, "VP-2026-12", NULL), 0);
	assert_head(&s.fake, 5, "POST /v1/cases/VP-2026-12/close ");
	assert_string_equal(s.fake.bodies[5], "{}");
	assert_int_equal(vhcv_case_note(NULL, s.c, "VP-2026-12", "Ghi chú"), 0);
	assert_head(&s.fake, 6, "POST /v1/cases/VP-2026-12/notes ");
	assert_int_equal(vhcv_case_link(NULL, s.c, "VP-2026-12", "VP-2026-9"), 0);
	assert_head(&s.fake, 7, "POST /v1/cases/VP-2026-12/links ");
	b = body_of(&s, 7);
	assert_string_equal(json_string_value(json_object_get(b, "other")), "VP-2026-9");
	json_decref(b);
	script_stop(&s);

	script_start(&s, 6, 200, case_json, 200, case_json, 200, case_json, 200, case_json, 200,
		     case_json, 200, case_json);
	assert_int_equal(vhcv_case_resume(NULL, s.c, "VP-1", NULL), 0);
	assert_int_equal(vhcv_case_appeal(NULL, s.c, "VP-1", "2026-11-20", NULL), 0);
	assert_int_equal(vhcv_case_uphold(NULL, s.c, "VP-1", NULL), 0);
	assert_int_equal(vhcv_case_annul(NULL, s.c, "VP-1", "3/QĐ-UBND", "2026-11-21", "Sai"), 0);
	assert_int_equal(vhcv_case_waive(NULL, s.c, "VP-1", "force_majeure", NULL), 0);
	assert_int_equal(vhcv_case_accept(NULL, s.c, "VP 1/2", NULL), 0);
	assert_head(&s.fake, 0, "POST /v1/cases/VP-1/resume ");
	assert_head(&s.fake, 1, "POST /v1/cases/VP-1/appeal ");
	assert_head(&s.fake, 2, "POST /v1/cases/VP-1/uphold ");
	assert_head(&s.fake, 3, "POST /v1/cases/VP-1/annul ");
	assert_head(&s.fake, 4, "POST /v1/cases/VP-1/waive ");
	assert_head(&s.fake, 5, "POST /v1/cases/VP%201%2F2/accept ");
	script_stop(&s);
}

static void
test_lists(void **state)
{
	vhcv_case_filter f = VHCV_CASE_FILTER_INIT;
	vhcv_case_page *cp = NULL;
	vhcv_unit_page *up = NULL;
	vhcv_rule_page *rp = NULL;
	struct script s;
	char page[8192];

	(void)state;
	snprintf(page, sizeof(page), "{\"items\": [%s, %s], \"next\": \"c2==\"}", case_json, case_json);
	script_start(&s, 4, 200, page, 200, "{\"items\": [], \"next\": null}", 200,
		     "{\"items\": [{\"code\": \"PT\", \"name\": \"UBND tỉnh Phú Thọ\", \"parent\": null,"
		     " \"valid_from\": \"2019-01-01\", \"valid_to\": null, \"merged_into\": null}]}",
		     200, "{\"items\": [{\"code\": \"TD-01\", \"group\": \"thai_do\", \"title_vi\": \"x\","
			  " \"legal_basis\": [\"QĐ 1847\", \"KH 130\"], \"categories\": [\"can_bo\"],"
			  " \"no_limitation\": true}]}");
	f.unit = "UBND-VY";
	f.status = "under_review";
	f.overdue = 1;
	f.limit = 2;
	f.after = "abc==";
	assert_int_equal(vhcv_case_list(&cp, s.c, &f), 0);
	assert_head(&s.fake, 0, "GET /v1/cases?unit=UBND-VY&status=under_review&overdue=true&limit=2&after=abc%3D%3D ");
	assert_int_equal(cp->count, 2);
	assert_string_equal(cp->items[1]->number, "VP-2026-12");
	assert_string_equal(cp->next, "c2==");
	/* the page's text, written from its cases' texts, is jansson's */
	assert_jansson_text(cp->json, page);
	assert_jansson_text(cp->items[0]->json, case_json);
	vhcv_case_page_free(cp);
	assert_int_equal(vhcv_case_list(&cp, s.c, NULL), 0);
	assert_head(&s.fake, 1, "GET /v1/cases HTTP/1.1");
	assert_int_equal(cp->count, 0);
	assert_null(cp->items);
	assert_null(cp->next);
	assert_string_equal(cp->json, "{\"items\": [], \"next\": null}");
	vhcv_case_page_free(cp);
	assert_int_equal(vhcv_unit_list(&up, s.c, "PT"), 0);
	assert_head(&s.fake, 2, "GET /v1/units?under=PT ");
	assert_int_equal(up->count, 1);
	assert_string_equal(up->items[0]->name, "UBND tỉnh Phú Thọ");
	/* every list document has "next" */
	assert_non_null(strstr(up->json, "\"next\": null"));
	assert_jansson_text(up->json, "{\"items\": [{\"code\": \"PT\", \"name\": \"UBND tỉnh Phú Thọ\","
			    " \"parent\": null, \"valid_from\": \"2019-01-01\", \"valid_to\": null,"
			    " \"merged_into\": null}], \"next\": null}");
	vhcv_unit_page_free(up);
	assert_int_equal(vhcv_rule_list(&rp, s.c, "thai_do"), 0);
	assert_head(&s.fake, 3, "GET /v1/rules?group=thai_do ");
	assert_int_equal(rp->items[0]->nlegal_basis, 2);
	assert_string_equal(rp->items[0]->legal_basis[1], "KH 130");
	assert_int_equal(rp->items[0]->no_limitation, 1);
	vhcv_rule_page_free(rp);
	script_stop(&s);
}

static void
test_objects(void **state)
{
	vhcv_official_spec spec = VHCV_OFFICIAL_SPEC_INIT;
	vhcv_audit_report *ar = NULL;
	vhcv_official *o = NULL;
	vhcv_health *h = NULL;
	vhcv_unit *u = NULL;
	vhcv_rule *r = NULL;
	vhcv_seal *se = NULL;
	struct script s;
	json_t *b;

	(void)state;
	script_start(&s, 8,
		     200, "{\"status\": \"ok\", \"database\": true, \"schema_version\": 3,"
			  " \"version\": \"0.1.0\", \"rules_version\": \"abc\"}",
		     200, "{\"code\": \"TD-01\", \"versions\": [{\"id\": 7, \"content_hash\": \"h\","
			  " \"valid_from\": \"2019-08-06\", \"valid_to\": null, \"loaded_at\": \"t\"}]}",
		     201, "{\"code\": \"VY\", \"name\": \"UBND huyện Vĩnh Yên\", \"parent\": \"PT\"}",
		     200, "{\"code\": \"VY\", \"name\": \"x\", \"merged_into\": \"PT\"}",
		     201, "{\"code\": \"CC-1\", \"full_name\": \"Nguyễn Văn An\", \"category\": \"cong_chuc\","
			  " \"category_name\": \"Công chức\", \"leader\": false, \"unit\": \"VY\","
			  " \"sanctions\": [{\"form\": \"canh_cao\", \"state\": \"in_effect\"}],"
			  " \"open_cases\": [\"VP-2026-3\"]}",
		     200, "{\"ok\": false, \"cases\": 2, \"events\": 9, \"seals\": 1, \"problems\":"
			  " [{\"case\": \"VP-2026-1\", \"seq\": 3, \"event_id\": 17, \"problem\": \"hash\"}]}",
		     200, "{\"seal\": 4, \"cases\": 2, \"events\": 9, \"hash\": \"ff\"}",
		     200, "{\"code\": \"PT\"}");
	assert_int_equal(vhcv_health_get(&h, s.c), 0);
	assert_int_equal(h->database_ok, 1);
	assert_int_equal(h->schema_version, 3);
	assert_string_equal(h->daemon_version, "0.1.0");
	assert_non_null(strstr(h->json, "\"database\": true"));
	vhcv_health_free(h);
	assert_int_equal(vhcv_rule_get(&r, s.c, "TD-01", "2026-01-01"), 0);
	assert_head(&s.fake, 1, "GET /v1/rules/TD-01?on=2026-01-01 ");
	assert_int_equal(r->nversions, 1);
	assert_int_equal(r->versions[0]->id, 7);
	assert_null(r->versions[0]->valid_to);
	vhcv_rule_free(r);
	assert_int_equal(vhcv_unit_add(&u, s.c, "VY", "UBND huyện Vĩnh Yên", "PT", NULL), 0);
	b = body_of(&s, 2);
	assert_int_equal(json_object_size(b), 3);
	json_decref(b);
	assert_string_equal(u->parent, "PT");
	vhcv_unit_free(u);
	assert_int_equal(vhcv_unit_merge(&u, s.c, "VY", "PT", "2025-07-01"), 0);
	assert_head(&s.fake, 3, "POST /v1/units/VY/merge ");
	assert_string_equal(u->merged_into, "PT");
	vhcv_unit_free(u);
	spec.code = "CC-1";
	spec.full_name = "Nguyễn Văn An";
	spec.category = "cong_chuc";
	spec.unit = "VY";
	assert_int_equal(vhcv_official_put(&o, s.c, &spec), 0);
	assert_head(&s.fake, 4, "PUT /v1/officials/CC-1 ");
	b = body_of(&s, 4);
	assert_null(json_object_get(b, "code"));
	assert_true(json_is_false(json_object_get(b, "leader")));
	json_decref(b);
	assert_int_equal(o->nsanctions, 1);
	assert_string_equal(o->sanctions[0]->form, "canh_cao");
	assert_string_equal(o->open_cases[0], "VP-2026-3");
	assert_string_equal(o->category_name, "Công chức");
	vhcv_official_free(o);
	assert_int_equal(vhcv_audit_verify(&ar, s.c), 0);
	assert_int_equal(ar->ok, 0);
	assert_int_equal(ar->nproblems, 1);
	assert_string_equal(ar->problems[0]->case_number, "VP-2026-1");
	assert_int_equal(ar->problems[0]->event_id, 17);
	vhcv_audit_report_free(ar);
	assert_int_equal(vhcv_audit_seal(&se, s.c), 0);
	assert_head(&s.fake, 6, "POST /v1/audit/seal ");
	assert_int_equal(se->seal, 4);
	assert_string_equal(se->hash, "ff");
	vhcv_seal_free(se);
	assert_int_equal(vhcv_unit_get(&u, s.c, "PT"), 0);
	assert_head(&s.fake, 7, "GET /v1/units/PT ");
	vhcv_unit_free(u);
	script_stop(&s);
}

static void
test_official_get(void **state)
{
	vhcv_official *o = NULL;
	struct script s;

	(void)state;
	script_start(&s, 1, 200, "{\"code\": \"CC 1\"}");
	assert_int_equal(vhcv_official_get(&o, s.c, "CC 1", "2026-01-01"), 0);
	assert_head(&s.fake, 0, "GET /v1/officials/CC%201?on=2026-01-01 ");
	assert_int_equal(o->nsanctions, 0);
	vhcv_official_free(o);
	script_stop(&s);
}

static void
test_evidence(void **state)
{
	const char body[] = "bi\xc3\xaan b\xe1\xba\xa3n";
	char *answers[3], hdr[256];
	vhcv_evidence_data *d = NULL;
	vhcv_evidence *e = NULL;
	struct fake f;
	vhcv_client *c;
	char ep[128];

	(void)state;
	/* a wrong digest, then none: both are protocol errors */
	snprintf(hdr, sizeof(hdr), "Content-Type: text/plain\r\nX-Content-SHA256: %064d\r\n", 0);
	answers[0] = fake_answer(200, hdr, body, strlen(body));
	answers[1] = fake_answer(200, "Content-Type: text/plain\r\n", body, strlen(body));
	answers[2] = fake_answer(201, NULL,
				 "{\"name\": \"biên bản 1.txt\", \"media_type\": \"text/plain\", \"size\": 11,"
				 " \"sha256\": \"x\", \"added_by\": \"a\", \"added_at\": \"t\"}",
				 strlen("{\"name\": \"biên bản 1.txt\", \"media_type\": \"text/plain\", \"size\": 11,"
					" \"sha256\": \"x\", \"added_by\": \"a\", \"added_at\": \"t\"}"));
	fake_start(&f, (const char *const *)answers, 3);
	snprintf(ep, sizeof(ep), "unix:%s", f.path);
	assert_int_equal(vhcv_client_open(&c, ep, NULL), 0);
	assert_int_equal(vhcv_evidence_get(&d, c, "VP-2026-1", "biên bản 1.txt"), VHCV_EPROTOCOL);
	assert_null(d);
	assert_non_null(strstr(vhcv_client_errmsg(c), "SHA-256"));
	assert_int_equal(vhcv_evidence_get(&d, c, "VP-2026-1", "biên bản 1.txt"), VHCV_EPROTOCOL);
	assert_non_null(strstr(vhcv_client_errmsg(c), "X-Content-SHA256"));
	assert_int_equal(vhcv_evidence_add(&e, c, "VP-2026-1", "biên bản 1.txt", "text/plain", body,
					   strlen(body)),
			 0);
	assert_string_equal(e->name, "biên bản 1.txt");
	assert_int_equal(e->size, 11);
	vhcv_evidence_free(e);
	vhcv_client_close(c);
	assert_head(&f, 2, "PUT /v1/cases/VP-2026-1/evidence/bi%C3%AAn%20b%E1%BA%A3n%201.txt ");
	assert_non_null(strstr(f.heads[2], "Content-Type: text/plain"));
	assert_string_equal(f.bodies[2], body);
	fake_stop(&f);
	for (int i = 0; i < 3; i++)
		free(answers[i]);
}

/* the digest of the bytes, taken from the library's mismatch message */
static void
test_evidence_roundtrip(void **state)
{
	const char body[] = "bi\xc3\xaan b\xe1\xba\xa3n\0binary";
	const size_t len = sizeof(body) - 1;
	char *answers[3], hdr[256], sha[65];
	vhcv_evidence_data *d = NULL;
	const char *p;
	struct fake f;
	vhcv_client *c;
	char ep[128];

	(void)state;
	snprintf(hdr, sizeof(hdr), "Content-Type: text/plain\r\nX-Content-SHA256: %064d\r\n", 1);
	answers[0] = fake_answer(200, hdr, body, len);
	answers[1] = NULL;
	fake_start(&f, (const char *const *)answers, 1);
	snprintf(ep, sizeof(ep), "unix:%s", f.path);
	assert_int_equal(vhcv_client_open(&c, ep, NULL), 0);
	assert_int_equal(vhcv_evidence_get(&d, c, "VP-2026-1", "a b"), VHCV_EPROTOCOL);
	assert_head(&f, 0, "GET /v1/cases/VP-2026-1/evidence/a%20b ");
	p = strstr(vhcv_client_errmsg(c), "bytes is ");
	assert_non_null(p);
	memcpy(sha, p + 9, 64);
	sha[64] = '\0';
	fake_stop(&f);
	free(answers[0]);
	/* now with the right digest, in upper case: accepted */
	for (char *q = sha; *q; q++)
		if (*q >= 'a' && *q <= 'f')
			*q = (char)(*q - 'a' + 'A');
	snprintf(hdr, sizeof(hdr), "Content-Type: application/octet-stream\r\nX-Content-SHA256: %s\r\n",
		 sha);
	answers[0] = fake_answer(200, hdr, body, len);
	fake_start(&f, (const char *const *)answers, 1);
	vhcv_client_close(c);
	snprintf(ep, sizeof(ep), "unix:%s", f.path);
	assert_int_equal(vhcv_client_open(&c, ep, NULL), 0);
	assert_int_equal(vhcv_evidence_get(&d, c, "VP-2026-1", "biên bản 1.txt"), 0);
	assert_head(&f, 0,
		    "GET /v1/cases/VP-2026-1/evidence/bi%C3%AAn%20b%E1%BA%A3n%201.txt ");
	assert_int_equal(d->size, len);
	assert_memory_equal(d->data, body, len);
	assert_string_equal(d->media_type, "application/octet-stream");
	assert_non_null(strstr(d->json, "\"name\": \"biên bản 1.txt\""));
	vhcv_evidence_data_free(d);
	vhcv_client_close(c);
	fake_stop(&f);
	free(answers[0]);
}

static void
test_protocol(void **state)
{
	struct script s;
	vhcv_case *k = NULL;
	vhcv_case_page *p = NULL;
	vhcv_audit_report *ar = NULL;

	(void)state;
	script_start(&s, 5, 200, "{not json", 200, "[1, 2]", 200, "{\"status\": \"x\"}", 200,
		     "{\"next\": null}", 200, "{\"cases\": 1}");
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), VHCV_EPROTOCOL);
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), VHCV_EPROTOCOL);
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), VHCV_EPROTOCOL);
	assert_non_null(strstr(vhcv_client_errmsg(s.c), "case"));
	assert_null(k);
	assert_int_equal(vhcv_case_list(&p, s.c, NULL), VHCV_EPROTOCOL);
	assert_null(p);
	assert_int_equal(vhcv_audit_verify(&ar, s.c), VHCV_EPROTOCOL);
	script_stop(&s);
}

/* the table-driven conversion: codes where objects may be, wrong shapes named */
static void
test_shapes(void **state)
{
	struct script s;
	vhcv_case *k = NULL;
	vhcv_audit_report *ar = NULL;

	(void)state;
	script_start(&s, 5, 200,
		     "{\"case\": \"VP-1\", \"status\": \"reported\", \"official\": \"CC-1\", "
		     "\"rule\": \"TD-01\", \"council\": {\"members\": [\"A\"]}, \"paused_days\": \"3\"}",
		     200, "{\"case\": \"VP-1\", \"status\": \"reported\", \"links\": \"VP-2\"}",
		     200, "{\"case\": \"VP-1\", \"status\": \"reported\", \"events\": [{\"seq\": 1}, 2]}",
		     200, "{\"case\": \"VP-1\", \"status\": \"reported\", \"unit\": [1]}",
		     200, "{\"ok\": \"yes\", \"cases\": 1}");
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), 0);
	assert_string_equal(k->official_code, "CC-1");
	assert_null(k->official_name);
	assert_string_equal(k->rule_code, "TD-01");
	assert_int_equal(k->rule_version, 0);
	assert_int_equal(k->ncouncil_members, 1);
	assert_string_equal(k->council_members[0], "A");
	assert_null(k->council_recommended_form);
	assert_int_equal(k->paused_days, 3);
	assert_int_equal(k->nevents, 0);
	assert_null(k->events);
	vhcv_case_free(k);
	k = NULL;
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), VHCV_EPROTOCOL);
	assert_non_null(strstr(vhcv_client_errmsg(s.c), "(links)"));
	assert_null(k);
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), VHCV_EPROTOCOL);
	assert_non_null(strstr(vhcv_client_errmsg(s.c), "wrong shape"));
	assert_null(k);
	assert_int_equal(vhcv_case_get(&k, s.c, "VP-1"), VHCV_EPROTOCOL);
	assert_non_null(strstr(vhcv_client_errmsg(s.c), "(unit)"));
	assert_int_equal(vhcv_audit_verify(&ar, s.c), VHCV_EPROTOCOL);
	assert_non_null(strstr(vhcv_client_errmsg(s.c), "(ok)"));
	assert_null(ar);
	script_stop(&s);
}

/* only requests safe to repeat are sent again after a lost connection */
static void
test_retry(void **state)
{
	vhcv_report_options ro = VHCV_REPORT_OPTIONS_INIT;
	vhcv_health *h = NULL;
	vhcv_case *k = NULL;
	struct script s;

	(void)state;
	script_start(&s, 2, 0, "", 200, "{\"database\": true}");
	assert_int_equal(vhcv_health_get(&h, s.c), 0);
	assert_int_equal(s.fake.nreqs, 2);
	vhcv_health_free(h);
	script_stop(&s);

	ro.official = "CC-1";
	ro.rule = "TD-01";
	ro.occurred_on = "2026-10-02";
	ro.source = "inspection";
	ro.description = "x";
	script_start(&s, 1, 0, "");
	assert_int_equal(vhcv_case_report(&k, s.c, &ro), VHCV_EUNAVAILABLE);
	fake_stop(&s.fake);
	assert_int_equal(s.fake.nreqs, 1);
	vhcv_client_close(s.c);

	ro.idempotency_key = "k-1";
	script_start(&s, 2, 0, "", 201, case_json);
	assert_int_equal(vhcv_case_report(&k, s.c, &ro), 0);
	assert_int_equal(s.fake.nreqs, 2);
	vhcv_case_free(k);
	script_stop(&s);

	script_start(&s, 1, 0, "");
	assert_int_equal(vhcv_evidence_add(NULL, s.c, "VP-1", "a.txt", NULL, "a", 1),
			 VHCV_EUNAVAILABLE);
	fake_stop(&s.fake);
	assert_int_equal(s.fake.nreqs, 1);
	vhcv_client_close(s.c);
}

/* several endpoints: a vhcvd that is down is passed over without an error;
 * a request that may have reached one goes to the next only if safe */
static void
test_endpoint_list(void **state)
{
	static const char *const bad[] = { "unix:/a.sock,", ",unix:/a.sock",
					   "unix:/a.sock,,unix:/b.sock", "unix:/a.sock,gopher://x",
					   "unix:/a.sock,http://10.0.0.5:8470" };
	vhcv_report_options ro = VHCV_REPORT_OPTIONS_INIT;
	struct fake first, second;
	char *ok[3], ep[300];
	const char *closes[1] = { NULL };
	vhcv_health *h = NULL;
	vhcv_case *k = NULL;
	vhcv_client *c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vhcv_client_open(&c, bad[i], NULL), VHCV_EINVALID);
		assert_null(c);
	}
	ok[0] = fake_answer(200, NULL, "{\"database\": true}", 18);
	ok[1] = fake_answer(201, NULL, case_json, strlen(case_json));
	ok[2] = fake_answer(200, NULL, "{\"database\": true}", 18);
	ro.official = "CC-1";
	ro.rule = "TD-01";
	ro.occurred_on = "2026-10-02";
	ro.source = "inspection";
	ro.description = "x";

	/* the first is down: health, then a report without a key (nothing was
	 * sent to the first), then health again straight to the second */
	fake_start(&second, (const char *const *)ok, 3);
	snprintf(ep, sizeof(ep), "unix:/nonexistent/vhcvd.sock,unix:%s", second.path);
	assert_int_equal(vhcv_client_open(&c, ep, NULL), 0);
	assert_string_equal(vhcv_client_endpoint(c), ep);
	assert_int_equal(vhcv_health_get(&h, c), 0);
	assert_string_equal(vhcv_client_errmsg(c), "");
	vhcv_health_free(h);
	assert_int_equal(vhcv_case_report(&k, c, &ro), 0);
	vhcv_case_free(k);
	assert_int_equal(vhcv_health_get(&h, c), 0);
	vhcv_health_free(h);
	fake_stop(&second);
	assert_int_equal(second.nreqs, 3);
	vhcv_client_close(c);

	/* every endpoint down: unavailable, naming the list */
	assert_int_equal(vhcv_client_open(&c, "unix:/nonexistent/a.sock,unix:/nonexistent/b.sock",
					  NULL), 0);
	assert_int_equal(vhcv_health_get(&h, c), VHCV_EUNAVAILABLE);
	assert_non_null(strstr(vhcv_client_errmsg(c), "unix:/nonexistent/a.sock,unix:/nonexistent/b.sock"));
	vhcv_client_close(c);

	/* the first takes the request and breaks the connection: a report
	 * without a key may have been written there, so it is not resent */
	fake_start(&first, closes, 1);
	fake_start(&second, (const char *const *)ok, 1);
	snprintf(ep, sizeof(ep), "unix:%s,unix:%s", first.path, second.path);
	assert_int_equal(vhcv_client_open(&c, ep, NULL), 0);
	assert_int_equal(vhcv_case_report(&k, c, &ro), VHCV_EUNAVAILABLE);
	assert_null(k);
	fake_stop(&first);
	assert_int_equal(first.nreqs, 1);
	/* a GET is: the second answers it */
	assert_int_equal(vhcv_health_get(&h, c), 0);
	vhcv_health_free(h);
	assert_int_equal(second.nreqs, 1);
	assert_non_null(strstr(second.heads[0], "GET /v1/health"));
	fake_stop(&second);
	vhcv_client_close(c);

	/* and so is a keyed report, with the same body */
	ro.idempotency_key = "k-list";
	fake_start(&first, closes, 1);
	fake_start(&second, (const char *const *)ok + 1, 1);
	snprintf(ep, sizeof(ep), "unix:%s,unix:%s", first.path, second.path);
	assert_int_equal(vhcv_client_open(&c, ep, NULL), 0);
	assert_int_equal(vhcv_case_report(&k, c, &ro), 0);
	vhcv_case_free(k);
	assert_int_equal(first.nreqs, 1);
	assert_int_equal(second.nreqs, 1);
	assert_string_equal(first.bodies[0], second.bodies[0]);
	assert_non_null(strstr(second.bodies[0], "\"k-list\""));
	fake_stop(&first);
	fake_stop(&second);
	vhcv_client_close(c);
	for (size_t i = 0; i < 3; i++)
		free(ok[i]);
}

/* ---- a page read from the tape (jsontape.c) against a case read by jansson ---- */

static unsigned tape_seed = 12345;
static int tape_wild; /* any type anywhere: most pages are then refused */

static unsigned
tape_rand(unsigned n)
{
	tape_seed = tape_seed * 1103515245u + 12345u;
	return (tape_seed >> 8) % n;
}

static json_t *
tape_str(void)
{
	static const char *const parts[] = { "a", "Z", "0", "9", " ", "\"", "\\", "/", "\n",
					     "\t", "\x01", "\x1f", "\x7f", "ệ", "Đ", "𝄞", "{",
					     ":", ",", "u0041", "null", "-", "12" };
	char s[128] = "";
	size_t n = tape_rand(8);

	for (size_t i = 0; i < n; i++)
		strcat(s, parts[tape_rand(sizeof(parts) / sizeof(parts[0]))]);
	return json_string(s);
}

static json_t *
tape_scalar(void)
{
	static const json_int_t ints[] = { 0, 1, -1, 7, 42, -42, 999999999999999999LL,
					   -999999999999999999LL, 1000000000000000000LL,
					   INT64_MAX, INT64_MIN, 2147483648LL };

	switch (tape_rand(12)) {
	case 0: return json_null();
	case 1: return json_true();
	case 2: return json_false();
	case 3: case 4: return json_integer(ints[tape_rand(sizeof(ints) / sizeof(ints[0]))]);
	case 5: return tape_rand(4) ? json_integer((json_int_t)tape_rand(100000) - 500) :
				      json_real(0.5);
	default: return tape_str();
	}
}

static json_t *
tape_any(int depth)
{
	json_t *v;

	switch (depth < 3 ? tape_rand(6) : 5) {
	case 0:
		v = json_array();
		for (unsigned i = tape_rand(4); i > 0; i--)
			json_array_append_new(v, tape_any(depth + 1));
		return v;
	case 1:
		v = json_object();
		for (unsigned i = tape_rand(4); i > 0; i--) {
			char k[16];
			snprintf(k, sizeof(k), "k%u", tape_rand(6));
			json_object_set_new(v, k, tape_any(depth + 1));
		}
		return v;
	default:
		return tape_scalar();
	}
}

/* mostly a string, sometimes any scalar (an integer or null unless wild) */
static json_t *
tape_text(void)
{
	if (tape_rand(5))
		return tape_str();
	if (tape_wild)
		return tape_scalar();
	return tape_rand(2) ? json_null() : json_integer((json_int_t)tape_rand(1000) - 10);
}

static void
tape_maybe(json_t *o, const char *key, json_t *v)
{
	if (tape_rand(8))
		json_object_set_new(o, key, v);
	else
		json_decref(v);
}

static json_t *
tape_strings(void)
{
	json_t *a;

	if (tape_rand(6) == 0)
		return tape_wild ? tape_scalar() : json_null();
	a = json_array();
	for (unsigned i = tape_rand(4); i > 0; i--)
		json_array_append_new(a, tape_rand(15) || !tape_wild ? tape_str() : tape_scalar());
	return a;
}

static json_t *
tape_objects(const char *const *keys, size_t nkeys)
{
	json_t *a;

	if (tape_rand(8) == 0)
		return tape_wild ? tape_scalar() : json_null();
	a = json_array();
	for (unsigned i = tape_rand(3); i > 0; i--) {
		json_t *o = tape_rand(20) || !tape_wild ? json_object() : tape_scalar();
		for (size_t k = 0; json_is_object(o) && k < nkeys; k++)
			tape_maybe(o, keys[k], strcmp(keys[k], "data") == 0 ? tape_any(0) :
					       tape_text());
		/* an evidence's name is required */
		if (!tape_wild && json_is_object(o) && strcmp(keys[0], "name") == 0)
			json_object_set_new(o, "name", tape_str());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
tape_case(void)
{
	static const char *const strs[] = { "case", "status", "status_name", "unit", "source",
					    "reporter", "occurred_on", "detected_on", "place",
					    "description", "severity", "limitation_expires_on",
					    "handling_deadline", "paused_since", "reported_at" };
	static const char *const ev[] = { "seq", "kind", "actor", "at", "data", "hash" };
	static const char *const dec[] = { "number", "issuer", "year", "kind", "form",
					   "severity", "signed_on", "state", "supersedes" };
	static const char *const evi[] = { "name", "media_type", "size", "sha256", "added_by" };
	json_t *c = json_object(), *o;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (i < 2 && !tape_wild) /* case, status: required */
			json_object_set_new(c, strs[i], tape_str());
		else
			tape_maybe(c, strs[i], i == 0 && tape_rand(30) ? tape_str() : tape_text());
	if (tape_rand(4)) {
		/* (an object without a code is read as the code: wrong shape) */
		o = json_object();
		tape_maybe(o, "code", tape_wild ? tape_text() : tape_str());
		if (!tape_wild && json_object_get(o, "code") == NULL)
			json_object_set_new(o, "code", tape_str());
		tape_maybe(o, "full_name", tape_text());
		tape_maybe(o, "category", tape_text());
		tape_maybe(o, "leader", tape_rand(4) ? json_boolean(tape_rand(2)) : tape_scalar());
		tape_maybe(c, "official", o);
	} else {
		tape_maybe(c, "official", tape_text());
	}
	if (tape_rand(4)) {
		o = json_object();
		tape_maybe(o, "code", tape_wild ? tape_text() : tape_str());
		if (!tape_wild && json_object_get(o, "code") == NULL)
			json_object_set_new(o, "code", tape_str());
		tape_maybe(o, "title_vi", tape_text());
		tape_maybe(o, "version", tape_rand(3) ? json_integer(tape_rand(9)) : tape_scalar());
		tape_maybe(c, "rule", o);
	} else {
		tape_maybe(c, "rule", tape_text());
	}
	tape_maybe(c, "complex", json_boolean(tape_rand(2)));
	tape_maybe(c, "overdue", tape_rand(6) ? json_boolean(tape_rand(2)) : tape_scalar());
	tape_maybe(c, "paused_days", tape_rand(3) ? json_integer(tape_rand(50)) : tape_scalar());
	tape_maybe(c, "links", tape_strings());
	o = json_object();
	tape_maybe(o, "members", tape_strings());
	tape_maybe(o, "recommended_form", tape_text());
	tape_maybe(c, "council", tape_rand(5) ? o : (json_decref(o), tape_wild ? tape_scalar() :
									json_null()));
	tape_maybe(c, "events", tape_objects(ev, 6));
	tape_maybe(c, "decisions", tape_objects(dec, 9));
	tape_maybe(c, "evidence", tape_objects(evi, 5));
	tape_maybe(c, "days_left", tape_any(1));
	return c;
}

static void
tape_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
tape_same_case(const vhcv_case *a, const vhcv_case *b)
{
	const char *const sa[] = { a->json, a->number, a->status, a->status_name,
				   a->official_code, a->official_name, a->official_category,
				   a->unit, a->rule_code, a->rule_title, a->source, a->reporter,
				   a->occurred_on, a->detected_on, a->place, a->description,
				   a->severity, a->limitation_expires_on, a->handling_deadline,
				   a->council_recommended_form };
	const char *const sb[] = { b->json, b->number, b->status, b->status_name,
				   b->official_code, b->official_name, b->official_category,
				   b->unit, b->rule_code, b->rule_title, b->source, b->reporter,
				   b->occurred_on, b->detected_on, b->place, b->description,
				   b->severity, b->limitation_expires_on, b->handling_deadline,
				   b->council_recommended_form };

	for (size_t i = 0; i < sizeof(sa) / sizeof(sa[0]); i++)
		tape_same_str(sa[i], sb[i]);
	assert_int_equal(a->official_leader, b->official_leader);
	assert_int_equal(a->rule_version, b->rule_version);
	assert_int_equal(a->is_complex, b->is_complex);
	assert_int_equal(a->paused_days, b->paused_days);
	assert_int_equal(a->overdue, b->overdue);
	assert_int_equal(a->nlinks, b->nlinks);
	for (size_t i = 0; i < a->nlinks; i++)
		tape_same_str(a->links[i], b->links[i]);
	assert_int_equal(a->ncouncil_members, b->ncouncil_members);
	for (size_t i = 0; i < a->ncouncil_members; i++)
		tape_same_str(a->council_members[i], b->council_members[i]);
	assert_int_equal(a->nevents, b->nevents);
	for (size_t i = 0; i < a->nevents; i++) {
		const vhcv_event *x = a->events[i], *y = b->events[i];
		assert_int_equal(x->seq, y->seq);
		tape_same_str(x->json, y->json);
		tape_same_str(x->kind, y->kind);
		tape_same_str(x->actor, y->actor);
		tape_same_str(x->at, y->at);
		tape_same_str(x->data, y->data);
		tape_same_str(x->hash, y->hash);
	}
	assert_int_equal(a->ndecisions, b->ndecisions);
	for (size_t i = 0; i < a->ndecisions; i++) {
		const vhcv_decision *x = a->decisions[i], *y = b->decisions[i];
		assert_int_equal(x->year, y->year);
		tape_same_str(x->json, y->json);
		tape_same_str(x->number, y->number);
		tape_same_str(x->issuer, y->issuer);
		tape_same_str(x->kind, y->kind);
		tape_same_str(x->form, y->form);
		tape_same_str(x->severity, y->severity);
		tape_same_str(x->signed_on, y->signed_on);
		tape_same_str(x->state, y->state);
		tape_same_str(x->supersedes, y->supersedes);
	}
	assert_int_equal(a->nevidence, b->nevidence);
	for (size_t i = 0; i < a->nevidence; i++) {
		const vhcv_evidence *x = a->evidence[i], *y = b->evidence[i];
		assert_int_equal(x->size, y->size);
		tape_same_str(x->json, y->json);
		tape_same_str(x->name, y->name);
		tape_same_str(x->media_type, y->media_type);
		tape_same_str(x->sha256, y->sha256);
		tape_same_str(x->added_by, y->added_by);
	}
}

/*
 * The same document in a text the tape refuses, so that libvhcv reads it
 * with jansson's tree (its path before the tape, and still its fallback):
 * the first key's first character written as a \u escape (the tape takes
 * no escape in a key; jansson reads the same key). A document without a
 * key is returned as it is.
 */
static char *
jansson_text(const char *text)
{
	const char *q = strchr(text, '{');
	char *out;
	size_t at;

	assert_non_null(q);
	for (q++; *q == ' ' || *q == '\n' || *q == '\t' || *q == '\r'; q++)
		;
	if (*q != '"' || q[1] == '"' || q[1] == '\\' || (unsigned char)q[1] >= 0x80)
		return strdup(text);
	at = (size_t)(q + 1 - text);
	out = malloc(strlen(text) + 6);
	assert_non_null(out);
	memcpy(out, text, at);
	sprintf(out + at, "\\u%04x", (unsigned char)text[at]);
	strcpy(out + at + 6, text + at + 1);
	return out;
}

/*
 * One case in the styles jansson writes, read by vhcv_case_get and by a
 * transition's answer (the tape, or jansson where the tape refuses), and by
 * vhcv_case_get from jansson's tree: the same code, message, struct and
 * text, member by member; the text is json_dumps of the case.
 */
static void
test_case_tape(void **state)
{
	static const size_t flags[] = { 0, JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII,
					JSON_ESCAPE_SLASH, JSON_COMPACT | JSON_ENSURE_ASCII };
	int ok = 0;

	(void)state;
	for (int round = 0; round < 400; round++) {
		size_t fl = flags[tape_rand(sizeof(flags) / sizeof(flags[0]))];
		vhcv_case *k[3] = { NULL, NULL, NULL };
		char *text, *jtext, *want, msg[3][1024];
		json_t *c, *back;
		struct script s;
		int r[3];

		tape_wild = tape_rand(5) == 0;
		c = tape_case();
		text = json_dumps(c, fl);
		jtext = jansson_text(text);
		script_start(&s, 3, 200, text, 200, text, 200, jtext);
		r[0] = vhcv_case_get(&k[0], s.c, "VP-1");
		snprintf(msg[0], sizeof(msg[0]), "%s", vhcv_client_errmsg(s.c));
		r[1] = vhcv_case_accept(&k[1], s.c, "VP-1", NULL);
		snprintf(msg[1], sizeof(msg[1]), "%s", vhcv_client_errmsg(s.c));
		r[2] = vhcv_case_get(&k[2], s.c, "VP-1");
		snprintf(msg[2], sizeof(msg[2]), "%s", vhcv_client_errmsg(s.c));
		script_stop(&s);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(r[i], r[2]);
			assert_string_equal(msg[i], msg[2]);
			if (r[2] == 0)
				tape_same_case(k[i], k[2]);
			else
				assert_null(k[i]);
		}
		if (r[2] == 0) {
			ok++;
			back = json_loads(text, 0, NULL);
			want = json_dumps(back, 0);
			assert_string_equal(k[0]->json, want);
			free(want);
			json_decref(back);
		}
		for (int i = 0; i < 3; i++)
			vhcv_case_free(k[i]);
		free(text);
		free(jtext);
		json_decref(c);
	}
	/* (most are read, some refused: both paths are compared) */
	assert_true(ok > 200 && ok < 400);
}

/* an error's answer that happens to have a page's fields is the error,
 * not an empty page (vhcv__exchange answers an error status before the
 * tape reads anything) */
static void
test_page_error(void **state)
{
	struct script s;
	vhcv_case_page *p = NULL;

	(void)state;
	script_start(&s, 1, 403,
		     "{\"error\": \"forbidden\", \"message\": \"outside your scope\","
		     " \"items\": [], \"next\": null}");
	assert_int_equal(vhcv_case_list(&p, s.c, NULL), VHCV_EFORBIDDEN);
	assert_null(p);
	assert_string_equal(vhcv_client_errmsg(s.c), "outside your scope");
	script_stop(&s);
}

/*
 * Random pages in the styles jansson writes (compact, spaced, indented,
 * ASCII-only with \u escapes and surrogate pairs, "\/"): vhcv_case_list
 * (the tape, or jansson where the tape refuses) gives each case the struct
 * and text vhcv_case_get gives the same object alone in a text the tape
 * refuses (jansson's tree, jansson_text),
 * and fails exactly when one of them does; the page's text is jansson's.
 */
static void
test_page_tape(void **state)
{
	static const size_t flags[] = { 0, JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII,
					JSON_ESCAPE_SLASH, JSON_COMPACT | JSON_ENSURE_ASCII };

	(void)state;
	for (int round = 0; round < 150; round++) {
		size_t fl = flags[tape_rand(sizeof(flags) / sizeof(flags[0]))];
		json_t *page = json_object(), *items = json_array(), *back;
		char *texts[3], *jtexts[3], *ptext, *want;
		vhcv_case *k[3] = { NULL, NULL, NULL };
		vhcv_case_page *p = NULL;
		struct script s;
		int rp, bad = 0;

		tape_wild = tape_rand(5) == 0;
		for (int i = 0; i < 3; i++) {
			json_t *c = tape_case();
			texts[i] = json_dumps(c, fl);
			jtexts[i] = jansson_text(texts[i]);
			json_array_append_new(items, c);
		}
		json_object_set_new(page, "items", items);
		json_object_set_new(page, "next", tape_rand(3) ? json_null() :
				    tape_rand(2) ? tape_str() : json_integer(77));
		ptext = json_dumps(page, fl);
		script_start(&s, 4, 200, ptext, 200, jtexts[0], 200, jtexts[1], 200, jtexts[2]);
		rp = vhcv_case_list(&p, s.c, NULL);
		for (int i = 0; i < 3; i++)
			bad |= vhcv_case_get(&k[i], s.c, "VP-1") != 0;
		script_stop(&s);
		assert_int_equal(rp != 0, bad);
		if (rp == 0) {
			assert_int_equal(p->count, 3);
			for (int i = 0; i < 3; i++)
				tape_same_case(p->items[i], k[i]);
			back = json_loads(ptext, 0, NULL);
			want = json_dumps(back, 0);
			assert_string_equal(p->json, want);
			free(want);
			json_decref(back);
			if (json_is_null(json_object_get(page, "next")))
				assert_null(p->next);
			else
				assert_non_null(p->next);
		}
		vhcv_case_page_free(p);
		for (int i = 0; i < 3; i++) {
			vhcv_case_free(k[i]);
			free(texts[i]);
			free(jtexts[i]);
		}
		free(ptext);
		json_decref(page);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strerror),    cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_endpoints),   cmocka_unit_test(test_unavailable),
		cmocka_unit_test(test_timeout),     cmocka_unit_test(test_required),
		cmocka_unit_test(test_errors),      cmocka_unit_test(test_case),
		cmocka_unit_test(test_bodies),      cmocka_unit_test(test_lists),
		cmocka_unit_test(test_objects),     cmocka_unit_test(test_official_get),
		cmocka_unit_test(test_evidence),    cmocka_unit_test(test_evidence_roundtrip),
		cmocka_unit_test(test_protocol),    cmocka_unit_test(test_retry),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_page_tape),
		cmocka_unit_test(test_case_tape),
		cmocka_unit_test(test_page_error),
		cmocka_unit_test(test_endpoint_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
