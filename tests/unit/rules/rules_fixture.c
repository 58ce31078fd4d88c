/*
 * One fixture, one test: load a rules file or folder and compare the
 * outcome with what the fixture expects.
 *
 *   rules_fixture PATH [EXPECT...]
 *
 * EXPECT is "LINE:COL:FRAGMENT" (an error at that position of PATH whose
 * message holds FRAGMENT) or "valid:N" (loads, with N rule versions).
 * Without EXPECT arguments, the expectations are read from comment lines
 * of the fixture files themselves:
 *
 *   # expect: LINE:COL FRAGMENT
 *   # expect-valid: N
 *
 * An invalid fixture must produce exactly the expected errors, each as
 * "file:line:col: message", and nothing more.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules.h"

struct expect {
	char *file;
	size_t line, col;
	char *frag;
	bool seen;
};

static struct expect *expects;
static size_t nexpects;
static long valid_rules = -1;

static const char *const categories[] = {
	"can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong", NULL,
};
static const char *const severities[] = {
	"it_nghiem_trong", "nghiem_trong", "rat_nghiem_trong",
	"dac_biet_nghiem_trong", NULL,
};

static void
add_expect(const char *file, size_t line, size_t col, const char *frag)
{
	struct expect *e = realloc(expects, (nexpects + 1) * sizeof(*e));

	if (e == NULL)
		abort();
	expects = e;
	e[nexpects].file = strdup(file);
	e[nexpects].line = line;
	e[nexpects].col = col;
	e[nexpects].frag = strdup(frag);
	e[nexpects].seen = false;
	nexpects++;
}

/* "LINE:COL<sep>FRAGMENT"; 0 or -1 */
static int
parse_expect(const char *file, const char *s, char sep)
{
	char *end;
	unsigned long line, col;

	line = strtoul(s, &end, 10);
	if (*end != ':')
		return -1;
	col = strtoul(end + 1, &end, 10);
	if (*end != sep)
		return -1;
	add_expect(file, line, col, end + 1);
	return 0;
}

static int
scan_file(const char *file)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;

	if (f == NULL) {
		perror(file);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strncmp(line, "# expect: ", 10) == 0) {
			if (parse_expect(file, line + 10, ' ') < 0) {
				fprintf(stderr, "%s: bad expectation '%s'\n", file, line);
				r = -1;
			}
		} else if (strncmp(line, "# expect-valid: ", 16) == 0) {
			valid_rules = strtol(line + 16, NULL, 10);
		}
	}
	free(line);
	fclose(f);
	return r;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
scan_path(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *e;
	char *names[64];
	size_t n = 0;
	int r = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return scan_file(path);
	if ((dir = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((e = readdir(dir)) != NULL && n < VH_NELEM(names)) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
			names[n++] = vh_asprintf("%s/%s", path, e->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (scan_file(names[i]) < 0)
			r = -1;
		free(names[i]);
	}
	return r;
}

/* does msg say "file:line:col: ...frag..."? */
static bool
matches(const struct expect *e, const char *msg)
{
	char prefix[4096];

	snprintf(prefix, sizeof(prefix), "%s:%zu:%zu: ", e->file, e->line, e->col);
	return strncmp(msg, prefix, strlen(prefix)) == 0 &&
	       strstr(msg + strlen(prefix), e->frag) != NULL;
}

int
main(int argc, char **argv)
{
	struct vh_vocab vocab = { categories, severities };
	struct vh_ruleset *rs = NULL;
	struct vh_diag d;
	int failed = 0, r;

	if (argc < 2) {
		fprintf(stderr, "usage: rules_fixture PATH [LINE:COL:FRAGMENT | valid:N]...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "valid:", 6) == 0)
			valid_rules = strtol(argv[i] + 6, NULL, 10);
		else if (parse_expect(argv[1], argv[i], ':') < 0) {
			fprintf(stderr, "bad expectation '%s'\n", argv[i]);
			return 2;
		}
	}
	if (argc == 2 && scan_path(argv[1]) < 0)
		return 2;
	if ((valid_rules >= 0) == (nexpects > 0)) {
		fprintf(stderr, "%s: expect either errors or valid, not %s\n", argv[1],
			nexpects ? "both" : "neither");
		return 2;
	}
	vh_diag_init(&d);
	r = vh_rules_load_path(&rs, argv[1], &vocab, &d);
	for (size_t i = 0; i < d.n; i++)
		printf("diag: %s\n", d.msgs[i]);
	if (valid_rules >= 0) {
		if (r != 0 || rs == NULL || d.n != 0) {
			printf("FAIL: expected to load\n");
			failed = 1;
		} else if (vh_rules_count(rs) != (size_t)valid_rules) {
			printf("FAIL: %zu rules loaded, expected %ld\n", vh_rules_count(rs),
			       valid_rules);
			failed = 1;
		} else {
			for (size_t i = 0; i < vh_rules_count(rs); i++)
				printf("rule %s\n", vh_rules_get(rs, i)->canonical);
			printf("hash %s\n", vh_rules_hash(rs));
		}
	} else {
		if (r != -1 || rs != NULL) {
			printf("FAIL: loaded, expected errors\n");
			failed = 1;
		}
		for (size_t i = 0; i < d.n; i++) {
			bool used = false;
			for (size_t k = 0; k < nexpects && !used; k++)
				if (!expects[k].seen && matches(&expects[k], d.msgs[i]))
					used = expects[k].seen = true;
			if (!used) {
				printf("FAIL: unexpected: %s\n", d.msgs[i]);
				failed = 1;
			}
		}
		for (size_t k = 0; k < nexpects; k++)
			if (!expects[k].seen) {
				printf("FAIL: missing: %s:%zu:%zu: ...%s...\n", expects[k].file,
				       expects[k].line, expects[k].col, expects[k].frag);
				failed = 1;
			}
	}
	vh_rules_free(rs);
	vh_diag_free(&d);
	for (size_t k = 0; k < nexpects; k++) {
		free(expects[k].file);
		free(expects[k].frag);
	}
	free(expects);
	if (!failed)
		printf("ok\n");
	return failed;
}
