/*
 * A case written as text (the case shown, the pages of a list) is the same
 * bytes as its jansson object sent compact (the answers of writes): rows
 * made with libpq's own result builder, with every value null and not,
 * escapes and Vietnamese text, each status, the lists of a full view
 * (events with a council's recommendation, evidence, links, council,
 * decisions, probable duplicates) as PostgreSQL writes them (rewritten
 * without parsing, or parsed when that is not sure), with and without the
 * legal tables (names of categories, severities and forms).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "cases.h"
#include "http.h"
#include "jsontext.h"
#include "legal.h"
#include "vhcvd.h"

#define NCOLS 32 /* the case's 25 columns, its 6 lists, the council's recommendation (cases.c) */

static const char *const statuses[] = { "reported", "under_review", "deferred", "council",
					"decided", "appealed", "rejected",
					"closed_no_sanction", "closed", "unknown" };

/* one row: the given values, or NULL for SQL null */
static PGresult *
result_of(const char *const v[NCOLS])
{
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	PGresAttDesc att[NCOLS];

	assert_non_null(res);
	memset(att, 0, sizeof(att));
	for (int i = 0; i < NCOLS; i++) {
		att[i].name = (char *)"c";
		att[i].typid = 25;
		att[i].typlen = -1;
		att[i].atttypmod = -1;
	}
	assert_true(PQsetResultAttrs(res, NCOLS, att));
	for (int i = 0; i < NCOLS; i++)
		assert_true(PQsetvalue(res, 0, i, (char *)v[i], v[i] ? (int)strlen(v[i]) : -1));
	return res;
}

/* jansson's compact text of the object, as vhcvd sends a json_t */
static char *
jansson_text(json_t *j)
{
	char *t;

	assert_non_null(j);
	t = json_dumps(j, JSON_COMPACT);
	assert_non_null(t);
	json_decref(j);
	return t;
}

static void
check(struct vhd_request *req, const char *const v[NCOLS])
{
	PGresult *res = result_of(v);
	struct vh_buf b = { 0 };
	char *want;

	/* a row, as a list writes it */
	want = jansson_text(vhd_case_row_json(req, res, 0));
	vhd_case_row_text(&b, req, res, 0);
	assert_false(b.nomem);
	assert_string_equal(b.p, want);
	free(want);
	vh_buf_free(&b);
	/* the full view, as GET /v1/cases/{case} writes it */
	want = jansson_text(vhd_case_view_json(req, res));
	vhd_case_view_text(&b, req, res);
	assert_false(b.nomem);
	assert_string_equal(b.p, want);
	/* what a client reads is the same object */
	json_t *j = json_loads(b.p, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "case")), v[1]);
	json_decref(j);
	free(want);
	vh_buf_free(&b);
	PQclear(res);
}

static void
run_cases(struct vhd_request *req)
{
	const char *full[NCOLS] = {
		"17", "VP-2026-17", "under_review", "CC-0042", "Nguyễn Văn \"An\" \\ tab\t",
		"cong_chuc", "t", "UBND-VY", "TD-01", "Đi muộn\nvề sớm", "3", "inspection",
		"thanhtra", "2026-10-02", "2026-10-05", "Phòng 2\x01", "mô tả / ≥ 𝄞", "it_nghiem_trong",
		"f", "2027-10-02", "2020-01-03", "4", "2026-11-28T02:41:03.123456Z", "Late",
		"2026-11-01",
		/* the lists, as PostgreSQL's json_agg and json_build_object write them */
		"[{\"seq\" : 1, \"kind\" : \"reported\", \"actor\" : \"thanhtra\", \"at\" : "
		"\"2026-11-28T02:41:03.123456Z\", \"data\" : {\"note\": \"\\u0001 \\\"x\\\"\", "
		"\"n\": 7}, \"hash\" : \"ab\"}, \n {\"seq\" : 2, \"kind\" : \"council\", \"actor\" : "
		"\"truong\", \"at\" : \"2026-11-29T00:00:00Z\", \"data\" : {\"recommend\": "
		"\"khien_trach\"}, \"hash\" : \"cd\"}]",
		"[{\"name\" : \"biên bản.pdf\", \"media_type\" : \"application/pdf\", \"size\" : "
		"48213, \"sha256\" : \"00\", \"added_by\" : \"thanhtra\", \"added_at\" : "
		"\"2026-11-28T02:41:03Z\"}]",
		"[\"VP-2026-9\", \"VP-2026-3\"]", "[\"CC-1\", \"CC-2\", \"CC-3\"]",
		"[[\"12/QĐ-UBND\", \"UBND-VY\", \"2026\", \"12\", \"decision\", \"khien_trach\", "
		"\"it_nghiem_trong\", \"2026-11-02\", \"2026-11-02\", \"2027-11-02\", "
		"\"2027-11-02\", \"khien_trach\", \"canh_cao\", \"B\", null, null, \"in_effect\", "
		"\"VP-2026-17\", null, \"2026-11-01\", \"6\"]]",
		"[\"VP-2026-9\"]",
		/* the last council event's recommendation, as jsonb writes it */
		"\"khien_trach\"",
	};
	const char *bare[NCOLS] = {
		"18", "VP-2026-18", "closed", "CC-0043", "Lê Thị Hoa", "vien_chuc", NULL,
		"UBND-VY", "TD-02", "Vắng", "1", "complaint", "inspector-2", "2026-09-01", NULL,
		NULL, "x", NULL, NULL, NULL, NULL, NULL, "2026-09-02T00:00:00Z", NULL, NULL,
		NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	};

	check(req, full);
	check(req, bare);
	for (size_t i = 0; i < VH_NELEM(statuses); i++) {
		full[2] = bare[2] = statuses[i];
		check(req, full);
		check(req, bare);
	}
	/* a deadline still ahead, and the clock stopped while deferred */
	full[20] = "2099-01-01";
	full[24] = NULL;
	check(req, full);
	/* a council whose last council event recommends nothing, or an
	 * object */
	full[31] = NULL;
	check(req, full);
	full[31] = "{\"form\": \"canh_cao\", \"n\": [1, 2]}";
	check(req, full);
	/* no council: the events are not parsed, but rewritten (escapes as
	 * PostgreSQL writes them, \/, a real and a key twice that only a
	 * parse handles) */
	full[28] = NULL;
	check(req, full);
	full[25] = "[{\"seq\" : 1, \"data\" : {\"a\\/b\": \"\\u001f\\u00e9\\ud834\\udd1e\"}}]";
	check(req, full);
	full[25] = "[{\"seq\" : 1, \"data\" : {\"days\": 1.5}}]";
	check(req, full);
	full[25] = "[{\"seq\" : 1, \"data\" : {\"a\": 1, \"a\": 2}}]";
	check(req, full);
	full[26] = "not json";
	check(req, full);
}

static void
test_without_law(void **state)
{
	struct vhd_request req;

	(void)state;
	memset(&req, 0, sizeof(req));
	run_cases(&req);
}

static void
test_with_law(void **state)
{
	struct vh_legal *legal = NULL;
	struct vhd_lawset law;
	struct vhd_request req;
	struct vh_diag d;

	(void)state;
	vh_diag_init(&d);
	assert_int_equal(vh_legal_load_path(&legal, LEGAL_DIR, &d), 0);
	vh_diag_free(&d);
	memset(&law, 0, sizeof(law));
	law.legal = legal;
	memset(&req, 0, sizeof(req));
	req.law = &law;
	run_cases(&req);
	vh_legal_free(legal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_without_law),
		cmocka_unit_test(test_with_law),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
