/*
 * Expected diagnostics written in a fixture as comments:
 *   # expect: 12:5 unknown key
 * Each must match one message "FILE:12:5: ...unknown key..."; a message
 * that no expectation matches is an error too. Shared by the fixture
 * drivers of every loader.
 */
#ifndef VH_TEST_EXPECT_H
#define VH_TEST_EXPECT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static inline int
vh_expect_diag(const char *file, const struct vh_diag *d)
{
	FILE *f = fopen(file, "rb");
	char line[1024];
	bool *used = calloc(d->n + 1, sizeof(bool));
	int failures = 0, expectations = 0;

	if (f == NULL || used == NULL) {
		fprintf(stderr, "cannot read %s\n", file);
		free(used);
		if (f)
			fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *e = strstr(line, "# expect: "), want[1100], *text;
		size_t ln, col;
		int n = 0;
		bool found = false;

		if (e == NULL || sscanf(e + 10, "%zu:%zu %n", &ln, &col, &n) < 2)
			continue;
		expectations++;
		text = e + 10 + n;
		text[strcspn(text, "\r\n")] = '\0';
		snprintf(want, sizeof(want), "%s:%zu:%zu: ", file, ln, col);
		for (size_t i = 0; i < d->n && !found; i++)
			if (!used[i] && strncmp(d->msgs[i], want, strlen(want)) == 0 &&
			    strstr(d->msgs[i] + strlen(want), text)) {
				used[i] = found = true;
			}
		if (!found) {
			fprintf(stderr, "expected %s%s\n", want, text);
			failures++;
		}
	}
	fclose(f);
	for (size_t i = 0; i < d->n; i++)
		if (!used[i]) {
			fprintf(stderr, "unexpected: %s\n", d->msgs[i]);
			failures++;
		}
	if (expectations == 0) {
		fprintf(stderr, "%s has no '# expect: L:C text' comment\n", file);
		failures++;
	}
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "got: %s\n", d->msgs[i]);
	free(used);
	return failures ? -1 : 0;
}

#endif
