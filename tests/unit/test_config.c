/*
 * The service configuration loader against one fixture file.
 *
 *   test_config valid FILE     the file loads
 *   test_config invalid FILE   it is refused, and every "# expect: L:C text"
 *                              comment of the fixture matches one message
 *                              "FILE:L:C: ...text..." (and no message is
 *                              unexpected)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "expect.h"

static const char *mode, *path;

static void
test_fixture(void **state)
{
	struct vhd_config *cfg = NULL;
	struct vh_diag d;
	int r;

	(void)state;
	vh_diag_init(&d);
	r = vhd_config_load(&cfg, path, &d);
	if (strcmp(mode, "valid") == 0) {
		for (size_t i = 0; i < d.n; i++)
			print_message("unexpected: %s\n", d.msgs[i]);
		assert_int_equal(r, 0);
		assert_non_null(cfg);
		assert_int_equal(vh_diag_count(&d), 0);
		assert_true(cfg->nlisten > 0);
		assert_non_null(cfg->dsn);
		assert_non_null(cfg->rules_path);
	} else {
		assert_int_equal(r, -1);
		assert_null(cfg);
		assert_int_equal(vh_expect_diag(path, &d), 0);
	}
	vhd_config_free(cfg);
	vh_diag_free(&d);
}

/* the parser works on buffers too: a NUL byte and a truncated document */
static void
test_buffers(void **state)
{
	static const char nul[] = "listen:\n  - unix: a\0b\n";
	struct vhd_config *cfg = NULL;
	struct vh_diag d;

	(void)state;
	vh_diag_init(&d);
	assert_int_equal(vhd_config_parse(&cfg, "mem.yaml", nul, sizeof(nul) - 1, &d), -1);
	assert_null(cfg);
	assert_string_equal(d.msgs[0], "mem.yaml:2:12: invalid UTF-8 (or a NUL byte)");
	vh_diag_free(&d);
	vh_diag_init(&d);
	assert_int_equal(vhd_config_parse(&cfg, "mem.yaml", "listen: [", 9, &d), -1);
	assert_int_equal(vh_diag_count(&d), 1);
	assert_non_null(strstr(d.msgs[0], "did not find expected node content"));
	assert_int_equal(strncmp(d.msgs[0], "mem.yaml:", 9), 0);
	vh_diag_free(&d);
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
	};
	const struct CMUnitTest buffer_tests[] = {
		cmocka_unit_test(test_buffers),
	};

	if (argc == 2 && strcmp(argv[1], "buffers") == 0)
		return cmocka_run_group_tests(buffer_tests, NULL, NULL);
	if (argc != 3) {
		fprintf(stderr, "usage: test_config valid|invalid FILE | buffers\n");
		return 2;
	}
	mode = argv[1];
	path = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
