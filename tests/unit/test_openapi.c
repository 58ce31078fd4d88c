/*
 * docs/openapi.yaml against the daemon's route table: every route vhcvd
 * serves (src/daemon/api/routes.c) is documented, and every documented
 * operation is served. Operations are compared by method and path, with
 * path parameters compared by position ({code} and {unit} are the same
 * segment); every mismatch is listed before the test fails.
 *
 *   test_openapi DOCS/openapi.yaml
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routes.h"
#include "yamldoc.h"

#define MAX_OPS 256
#define PATH_MAX_LEN 512

/* one operation of the document */
struct doc_op {
	char method[8];           /* upper case, as in vhd_routes */
	char key[PATH_MAX_LEN];   /* the path with every {name} as {} */
	const char *path;         /* as written, borrowed from the document */
	size_t line;
};

static const char *doc_file;
static struct vh_ydoc *doc;
static struct doc_op ops[MAX_OPS];
static size_t nops;

/* OpenAPI 3.0 path item fields: the operations, then the others */
static const char *const methods[] = { "get", "put", "post", "delete", "options",
				       "head", "patch", "trace", NULL };
static const char *const item_fields[] = { "summary", "description", "servers",
					   "parameters", NULL };

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/*
 * The comparison key of a path: each "{name}" becomes "{}", so that
 * parameters compare by position. -1 for a malformed template.
 */
static int
path_key(const char *path, char *out, size_t outlen)
{
	size_t o = 0;

	for (const char *p = path; *p; p++) {
		if (*p == '}')
			return -1;
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (close == NULL || close == p + 1 || memchr(p + 1, '{', (size_t)(close - p - 1)))
				return -1;
			if (o + 2 >= outlen)
				return -1;
			out[o++] = '{';
			out[o++] = '}';
			p = close;
			continue;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = *p;
	}
	out[o] = '\0';
	return 0;
}

static void
upper(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') ? (char)(src[i] - 'a' + 'A') : src[i];
	dst[i] = '\0';
}

/* Load the document and collect its operations; problems are printed. */
static int
setup(void **state)
{
	const struct vh_ynode *root, *paths, *v;
	struct vh_diag d;
	char *buf = NULL;
	size_t len, problems = 0;
	int r;

	(void)state;
	if ((r = vh_file_read(doc_file, 4u << 20, &buf, &len)) < 0) {
		print_error("cannot read %s: %s\n", doc_file, strerror(-r));
		return -1;
	}
	vh_diag_init(&d);
	r = vh_ydoc_parse(&doc, doc_file, buf, len, NULL, &d);
	free(buf);
	for (size_t i = 0; i < d.n; i++)
		print_error("%s\n", d.msgs[i]);
	problems += vh_diag_count(&d);
	vh_diag_free(&d);
	if (r < 0 || doc == NULL || (root = doc->root) == NULL || root->type != VH_YMAP) {
		print_error("%s: not a YAML mapping\n", doc_file);
		return -1;
	}
	v = vh_ymap_get(root, "openapi");
	if (v == NULL || v->type != VH_YSCALAR || strncmp(v->value, "3.", 2) != 0) {
		print_error("%s: 'openapi' must be a version 3.x\n", doc_file);
		problems++;
	}
	paths = vh_ymap_get(root, "paths");
	if (paths == NULL || paths->type != VH_YMAP) {
		print_error("%s: no 'paths' mapping\n", doc_file);
		return -1;
	}
	/* a map's n counts keys and values: items[i] key, items[i + 1] value */
	for (size_t i = 0; i + 1 < paths->n; i += 2) {
		const struct vh_ynode *k = paths->items[i], *item = paths->items[i + 1];
		char key[PATH_MAX_LEN];

		if (k->value[0] != '/' || path_key(k->value, key, sizeof(key)) < 0) {
			print_error("%s:%zu: '%s' is not a path template\n", doc_file, k->line,
				    k->value);
			problems++;
			continue;
		}
		if (item->type != VH_YMAP) {
			print_error("%s:%zu: %s: a path item is a mapping\n", doc_file, k->line,
				    k->value);
			problems++;
			continue;
		}
		for (size_t j = 0; j + 1 < item->n; j += 2) {
			const struct vh_ynode *m = item->items[j];
			struct doc_op *op;

			if (!in_list(m->value, methods)) {
				/* a typo ("gett", "GET") would hide an operation */
				if (!in_list(m->value, item_fields) && strncmp(m->value, "x-", 2) != 0) {
					print_error("%s:%zu: %s: '%s' is not a path item field"
						    " (operations are lower case; $ref is not"
						    " followed by this test)\n",
						    doc_file, m->line, k->value, m->value);
					problems++;
				}
				continue;
			}
			if (nops == MAX_OPS) {
				print_error("%s: more than %d operations\n", doc_file, MAX_OPS);
				return -1;
			}
			op = &ops[nops++];
			upper(op->method, m->value, sizeof(op->method));
			snprintf(op->key, sizeof(op->key), "%s", key);
			op->path = k->value;
			op->line = m->line;
			/* the same operation under two parameter spellings */
			for (size_t o = 0; o + 1 < nops; o++)
				if (strcmp(ops[o].method, op->method) == 0 &&
				    strcmp(ops[o].key, op->key) == 0) {
					print_error("%s:%zu: %s %s is documented twice (also as %s,"
						    " line %zu)\n",
						    doc_file, op->line, op->method, op->path,
						    ops[o].path, ops[o].line);
					problems++;
				}
		}
	}
	if (problems > 0) {
		print_error("%s: %zu problem(s) in the document\n", doc_file, problems);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	vh_ydoc_free(doc);
	doc = NULL;
	return 0;
}

static const struct doc_op *
doc_find(const char *method, const char *key)
{
	for (size_t i = 0; i < nops; i++)
		if (strcmp(ops[i].method, method) == 0 && strcmp(ops[i].key, key) == 0)
			return &ops[i];
	return NULL;
}

/* every route the daemon serves is in the document */
static void
test_served_routes_are_documented(void **state)
{
	size_t missing = 0;

	(void)state;
	assert_true(vhd_nroutes > 0);
	for (size_t i = 0; i < vhd_nroutes; i++) {
		char key[PATH_MAX_LEN];

		assert_int_equal(path_key(vhd_routes[i].pattern, key, sizeof(key)), 0);
		if (doc_find(vhd_routes[i].method, key) == NULL) {
			print_error("served but not documented in %s: %s %s\n", doc_file,
				    vhd_routes[i].method, vhd_routes[i].pattern);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

/* every documented operation is served */
static void
test_documented_operations_are_served(void **state)
{
	size_t extra = 0;

	(void)state;
	assert_true(nops > 0);
	for (size_t i = 0; i < nops; i++) {
		bool found = false;

		for (size_t r = 0; r < vhd_nroutes && !found; r++) {
			char key[PATH_MAX_LEN];

			assert_int_equal(path_key(vhd_routes[r].pattern, key, sizeof(key)), 0);
			found = strcmp(vhd_routes[r].method, ops[i].method) == 0 &&
				strcmp(key, ops[i].key) == 0;
		}
		if (!found) {
			print_error("%s:%zu: documented but not served: %s %s\n", doc_file,
				    ops[i].line, ops[i].method, ops[i].path);
			extra++;
		}
	}
	assert_int_equal(extra, 0);
}

/* the comparison itself: parameters by position, not by name */
static void
test_path_key(void **state)
{
	char a[64], b[64];

	(void)state;
	assert_int_equal(path_key("/v1/cases/{case}/evidence/{name}", a, sizeof(a)), 0);
	assert_string_equal(a, "/v1/cases/{}/evidence/{}");
	assert_int_equal(path_key("/v1/cases/{number}/evidence/{file}", b, sizeof(b)), 0);
	assert_string_equal(a, b);
	assert_int_equal(path_key("/v1/units/{code}/merge", a, sizeof(a)), 0);
	assert_int_equal(path_key("/v1/units/{code}", b, sizeof(b)), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(path_key("/v1/x/{}", a, sizeof(a)), -1);
	assert_int_equal(path_key("/v1/x/{a", a, sizeof(a)), -1);
	assert_int_equal(path_key("/v1/x/a}", a, sizeof(a)), -1);
	assert_int_equal(path_key("/v1/x/{a{b}", a, sizeof(a)), -1);
	assert_int_equal(path_key("/v1/a-long-path", a, 8), -1);
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_key),
		cmocka_unit_test(test_served_routes_are_documented),
		cmocka_unit_test(test_documented_operations_are_served),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_openapi DOCS/openapi.yaml\n");
		return 2;
	}
	doc_file = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
