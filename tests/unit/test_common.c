/* Pure helpers of the common library: dates, UTF-8, diagnostics, YAML, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "common.h"
#include "date.h"
#include "yamldoc.h"

static vh_date
d(const char *s)
{
	vh_date v = 0;

	assert_int_equal(vh_date_parse(&v, s), 0);
	return v;
}

static void
test_date_parse(void **state)
{
	static const char *bad[] = { "2025-02-30", "2025-2-3", "2025-13-01", "1899-12-31",
				     "2025-00-10", "20250101", "2025-01-01x", "", "2025-01-0a",
				     "+025-01-01", "2024-02-30", "2023-02-29" };
	char buf[VH_DATE_STRLEN];
	vh_date v;

	(void)state;
	for (size_t i = 0; i < VH_NELEM(bad); i++)
		assert_int_equal(vh_date_parse(&v, bad[i]), -1);
	assert_int_equal(vh_date_parse(&v, NULL), -1);
	assert_int_equal(d("1970-01-01"), 0);
	assert_int_equal(d("2024-02-29") + 1, d("2024-03-01"));
	vh_date_format(buf, d("2025-07-01"));
	assert_string_equal(buf, "2025-07-01");
	for (vh_date x = d("1900-01-01"); x < d("2100-12-31"); x += 37) {
		vh_date_format(buf, x);
		assert_int_equal(d(buf), x);
	}
}

/* the register's day is Hà Nội's, whatever the host's zone (issue 8.1) */
static void
test_date_zone(void **state)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 30, .tm_hour = 16, .tm_min = 59 };
	time_t before = timegm(&tm), after = before + 120; /* 16:59 and 17:01 UTC */

	(void)state;
	assert_int_equal(vh_date_set_zone("UTC"), 0);
	assert_int_equal(vh_date_of_time(after), d("2026-11-30"));
	assert_int_equal(vh_date_set_zone(VH_DATE_DEFAULT_ZONE), 0);
	assert_int_equal(vh_date_of_time(before), d("2026-11-30"));
	assert_int_equal(vh_date_of_time(after), d("2026-12-01"));
	/* the new year of case numbers at 17:00 UTC on 31 December */
	assert_int_equal(vh_date_of_time(after + 31 * 86400), d("2027-01-01"));
	assert_false(vh_date_zone_valid("Asia/Ha_Noi_Nowhere"));
	assert_false(vh_date_zone_valid("../../etc/passwd"));
	assert_false(vh_date_zone_valid("/etc/localtime"));
	assert_false(vh_date_zone_valid(""));
	assert_int_equal(vh_date_set_zone("Nowhere"), -1);
	/* a failed set keeps the zone */
	assert_int_equal(vh_date_of_time(after), d("2026-12-01"));
}

static void
test_date_months(void **state)
{
	char buf[VH_DATE_STRLEN];

	(void)state;
	vh_date_format(buf, vh_date_add_months(d("2025-01-31"), 1));
	assert_string_equal(buf, "2025-02-28");
	vh_date_format(buf, vh_date_add_months(d("2024-01-31"), 1));
	assert_string_equal(buf, "2024-02-29");
	vh_date_format(buf, vh_date_add_years(d("2024-02-29"), 1));
	assert_string_equal(buf, "2025-02-28");
	vh_date_format(buf, vh_date_add_years(d("2024-02-29"), 4));
	assert_string_equal(buf, "2028-02-29");
	vh_date_format(buf, vh_date_add_months(d("2025-03-31"), -1));
	assert_string_equal(buf, "2025-02-28");
	vh_date_format(buf, vh_date_add_months(d("2025-12-15"), 1));
	assert_string_equal(buf, "2026-01-15");
	vh_date_format(buf, vh_date_add_months(d("2025-08-31"), 10));
	assert_string_equal(buf, "2026-06-30");
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(vh_utf8_valid("Hách dịch, cửa quyền", strlen("Hách dịch, cửa quyền")));
	assert_true(vh_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(vh_utf8_valid("\xc3\x28", 2));       /* bad continuation */
	assert_false(vh_utf8_valid("\xc0\xaf", 2));       /* overlong '/' */
	assert_false(vh_utf8_valid("\xed\xa0\x80", 3));   /* surrogate */
	assert_false(vh_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(vh_utf8_valid("a\0b", 3));           /* NUL */
	assert_false(vh_utf8_valid("\xe1\xba", 2));       /* truncated */
	assert_int_equal(vh_utf8_prefix("ab\xff", 3), 2);
}

static void
test_diag_limit(void **state)
{
	struct vh_diag dg;

	(void)state;
	vh_diag_init(&dg);
	dg.limit = 3;
	for (int i = 0; i < 5; i++)
		vh_diag_add(&dg, "f.yaml", (size_t)i + 1, 2, "error %d", i);
	assert_int_equal(dg.n, 3);
	assert_int_equal(vh_diag_count(&dg), 5);
	assert_string_equal(dg.msgs[0], "f.yaml:1:2: error 0");
	vh_diag_free(&dg);
}

static void
test_yaml_positions(void **state)
{
	static const char src[] = "a: 1\nb:\n  - x\n  - 'y'\n";
	struct vh_ydoc *doc = NULL;
	struct vh_diag dg;
	const struct vh_ynode *b;

	(void)state;
	vh_diag_init(&dg);
	assert_int_equal(vh_ydoc_parse(&doc, "t.yaml", src, strlen(src), NULL, &dg), 0);
	assert_int_equal(vh_diag_count(&dg), 0);
	b = vh_ymap_get(doc->root, "b");
	assert_non_null(b);
	assert_int_equal(b->type, VH_YSEQ);
	assert_int_equal(b->n, 2);
	assert_int_equal(b->items[1]->line, 4);
	assert_int_equal(b->items[1]->col, 5);
	assert_true(b->items[1]->quoted);
	assert_false(b->items[0]->quoted);
	vh_ydoc_free(doc);
	vh_diag_free(&dg);
}

static void
test_yaml_alias_budget(void **state)
{
	static const char src[] = "a: &a [1, 2]\nb: *a\n";
	struct vh_ylimits lim = { 5, 0 };
	struct vh_ydoc *doc = NULL;
	struct vh_diag dg;

	(void)state;
	vh_diag_init(&dg);
	/* 1 map + 2 keys + 3 for the list + 3 for its copy = 9 > 5 */
	assert_int_equal(vh_ydoc_parse(&doc, "t.yaml", src, strlen(src), &lim, &dg), -1);
	assert_null(doc);
	assert_non_null(strstr(dg.msgs[0], "more than 5 nodes"));
	vh_diag_free(&dg);
	vh_diag_init(&dg);
	assert_int_equal(vh_ydoc_parse(&doc, "t.yaml", src, strlen(src), NULL, &dg), 0);
	assert_int_equal(vh_ymap_get(doc->root, "b")->n, 2);
	vh_ydoc_free(doc);
	vh_diag_free(&dg);
}

static void
test_yaml_depth(void **state)
{
	char src[400];
	struct vh_ylimits lim = { 0, 64 };
	struct vh_ydoc *doc = NULL;
	struct vh_diag dg;

	(void)state;
	memset(src, '[', 200);
	memset(src + 200, ']', 200);
	vh_diag_init(&dg);
	assert_int_equal(vh_ydoc_parse(&doc, "t.yaml", src, sizeof(src), &lim, &dg), -1);
	assert_non_null(strstr(dg.msgs[0], "nesting deeper than 64"));
	vh_diag_free(&dg);
}

/* a "\0" in a quoted key used to leave a short buffer that the duplicate
 * key check read past; dates and enums with a NUL are refused */
static void
test_yaml_nul(void **state)
{
	static const char src[] = "k: 1\n\"a\\0b\": 1\n\"axb\": 2\nd: \"2021-06-17\\0x\"\n"
				  "e: \"one\\0\"\n";
	static const char *const names[] = { "one", NULL };
	struct vh_ydoc *doc = NULL;
	struct vh_diag dg;
	struct vh_yctx c = { "t.yaml", &dg };
	vh_date date;
	int e;

	(void)state;
	vh_diag_init(&dg);
	assert_int_equal(vh_ydoc_parse(&doc, "t.yaml", src, strlen(src), NULL, &dg), -1);
	assert_non_null(strstr(dg.msgs[0], "NUL"));
	vh_diag_free(&dg);
	vh_diag_init(&dg);
	{
		const char *tail = strstr(src, "d: ");
		assert_int_equal(vh_ydoc_parse(&doc, "t.yaml", tail, strlen(tail), NULL, &dg), 0);
	}
	assert_int_equal(vh_ydate(&c, vh_ymap_get(doc->root, "d"), "d", &date), -1);
	assert_int_equal(vh_yenum(&c, vh_ymap_get(doc->root, "e"), "e", names, &e), -1);
	assert_int_equal(vh_diag_count(&dg), 2);
	vh_ydoc_free(doc);
	vh_diag_free(&dg);
}

static void
test_errcodes(void **state)
{
	(void)state;
	/* every code from OK down to the last has an id, a message, a status,
	 * and the id maps back to the code */
	for (int c = VHCV_OK; c >= VHCV_ERROR_LAST; c--) {
		const struct vh_errcode *ec = vh_errcode_get(c);
		assert_non_null(ec);
		assert_true(ec->http >= 200 && ec->http < 600);
		assert_ptr_equal(vh_errcode_by_id(ec->id), ec);
		for (int o = VHCV_OK; o > c; o--)
			assert_string_not_equal(vh_errcode_get(o)->id, ec->id);
	}
	assert_null(vh_errcode_get(VHCV_ERROR_LAST - 1));
	assert_int_equal(vh_errcode_from_http(404), VHCV_ENOTFOUND);
	assert_int_equal(vh_errcode_from_http(503), VHCV_EUNAVAILABLE);
}

static void
test_sha256(void **state)
{
	char hex[VH_SHA256_HEX];

	(void)state;
	assert_int_equal(vh_sha256_hex(hex, "abc", 3), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* one context for many hashes (audit verify's events): each is the hash
 * of its own text alone, whatever was hashed before, the empty text too */
static void
test_sha256_reused(void **state)
{
	static const char *const texts[] = { "abc", "", "abc", "a longer text, hashed after the empty one" };
	char hex[VH_SHA256_HEX], want[VH_SHA256_HEX];
	vh_sha256 *h = vh_sha256_new();

	(void)state;
	assert_non_null(h);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(vh_sha256_hex_with(h, hex, texts[i], strlen(texts[i])), 0);
		assert_int_equal(vh_sha256_hex(want, texts[i], strlen(texts[i])), 0);
		assert_string_equal(hex, want);
	}
	assert_int_equal(vh_sha256_hex_with(h, hex, "", 0), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* a started hash left unfinished does not leak into the next */
	assert_int_equal(vh_sha256_update(h, "xyz", 3), 0);
	assert_int_equal(vh_sha256_hex_with(h, hex, "abc", 3), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	vh_sha256_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_months),
		cmocka_unit_test(test_date_zone),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_diag_limit),
		cmocka_unit_test(test_yaml_positions),
		cmocka_unit_test(test_yaml_alias_budget),
		cmocka_unit_test(test_yaml_depth),
		cmocka_unit_test(test_yaml_nul),
		cmocka_unit_test(test_errcodes),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_sha256_reused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
