/* text.c: NFC at the API's boundary and document-number keys (issue 8.2, 8.3) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

static void
test_nfc(void **state)
{
	/* "biên" with U+0302 U+0065... decomposed: e + circumflex + ... */
	const char *nfd = "bie\xcc\x82n-ba\xcc\x89n", *nfc = "bi\xc3\xaan-b\xe1\xba\xa3n";
	char *r;
	json_t *j = json_pack("{s:s, s:[s, i]}", "a", nfd, "b", nfd, 1);

	(void)state;
	r = vhd_nfc(nfd, strlen(nfd));
	assert_string_equal(r, nfc);
	free(r);
	assert_int_equal(vhd_json_nfc(j), 0);
	assert_string_equal(json_string_value(json_object_get(j, "a")), nfc);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "b"), 0)), nfc);
	json_decref(j);
}

static void
test_docnum_key(void **state)
{
	static const char *const same[] = {
		"700/QĐ-UBND", "700/qđ-ubnd", "700/QĐ-UBND ", "700/ QĐ-UBND", " 700 / QĐ - UBND",
		"700/QĐ\xe2\x80\x93UBND", /* en dash */
		"700/QĐ\xe2\x88\x92UBND", /* minus */
		"700/QĐ\xef\xbc\x8dUBND", /* fullwidth hyphen-minus */
		"700/Q\xc4\x90\xe2\x80\x91UBND", /* non-breaking hyphen */
		"700/QĐ-UBND\xc2\xa0",            /* no-break space */
	};
	char *k;

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		k = vhd_docnum_key(same[i]);
		assert_string_equal(k, "700/q\xc4\x91-ubnd");
		free(k);
	}
	k = vhd_docnum_key("700/QD-UBND"); /* D is not Đ */
	assert_string_equal(k, "700/qd-ubnd");
	free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_docnum_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
