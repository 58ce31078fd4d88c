/*
 * The legal tables loader against one fixture (a file or a folder).
 *
 *   legal_fixture valid PATH             the set loads, with no message
 *   legal_fixture invalid FILE           it is refused, nothing is returned,
 *                                        and every "# expect: L:C text"
 *                                        comment of FILE matches a message
 *                                        (and no message is unexpected)
 *   legal_fixture invalid FILE L:C TEXT  the same, with the expectation given
 *                                        here (for files that cannot hold a
 *                                        comment: empty, generated)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"
#include "legal.h"

static const char *mode, *path, *pos, *text;

static void
test_fixture(void **state)
{
	struct vh_legal *l = NULL;
	struct vh_diag d;
	int r;

	(void)state;
	vh_diag_init(&d);
	r = vh_legal_load_path(&l, path, &d);
	if (strcmp(mode, "valid") == 0) {
		for (size_t i = 0; i < d.n; i++)
			print_message("unexpected: %s\n", d.msgs[i]);
		assert_int_equal(r, 0);
		assert_non_null(l);
		assert_int_equal(vh_diag_count(&d), 0);
		assert_int_equal(strlen(vh_legal_hash(l)), 64);
	} else if (pos) {
		char want[1024];
		assert_int_equal(r, -1);
		assert_null(l);
		snprintf(want, sizeof(want), "%s:%s: ", path, pos);
		for (size_t i = 0; i < d.n; i++)
			print_message("got: %s\n", d.msgs[i]);
		assert_int_equal(d.n, 1);
		assert_memory_equal(d.msgs[0], want, strlen(want));
		assert_non_null(strstr(d.msgs[0] + strlen(want), text));
	} else {
		assert_int_equal(r, -1);
		assert_null(l);
		assert_int_equal(vh_expect_diag(path, &d), 0);
	}
	vh_legal_free(l);
	vh_diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
	};

	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: legal_fixture valid|invalid PATH [L:C TEXT]\n");
		return 2;
	}
	mode = argv[1];
	path = argv[2];
	if (argc == 5) {
		pos = argv[3];
		text = argv[4];
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
