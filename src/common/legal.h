/*
 * Discipline law as data (config/legal/ (YAML)) and the legal engine that
 * reads it. The engine is pure: no I/O, no clock; every date is an
 * argument. Nothing of the law is a constant in C.
 *
 * OWNER: the conduct-code issue (#3). The entry points below are used by
 * vhcvd and the rules loader; keep their signatures.
 */
#ifndef VH_LEGAL_H
#define VH_LEGAL_H

#include "common.h"
#include "date.h"

struct vh_legal;

/* Largest legal table file read. */
#define VH_LEGAL_MAX_BYTES (1024 * 1024)

/*
 * Load a file, or every *.yaml of a folder (in name order), as one set of
 * tables. 0, or -1 with every error in d as "file:line:col: message"; a
 * set with any error is not returned.
 */
int vh_legal_load_path(struct vh_legal **out, const char *path, struct vh_diag *d);
/* The same from buffers (tests, fuzzing): n files named names[i]. */
int vh_legal_load_buffers(struct vh_legal **out, size_t n, const char *const *names,
			  const char *const *bufs, const size_t *lens, struct vh_diag *d);
void vh_legal_free(struct vh_legal *l);
/* SHA-256 (hex) over the loaded files' contents: the tables' version */
const char *vh_legal_hash(const struct vh_legal *l);

/*
 * Codes the conduct code may use, as NULL-terminated lists; a NULL list
 * is not checked. The rules loader takes one of these, so it does not
 * depend on how the legal tables are stored.
 */
struct vh_vocab {
	const char *const *categories;
	const char *const *severities;
};

/* The vocabulary of the loaded tables; the lists are borrowed from l. */
void vh_legal_vocab(const struct vh_legal *l, struct vh_vocab *out);

bool vh_legal_has_category(const struct vh_legal *l, const char *code);
bool vh_legal_has_severity(const struct vh_legal *l, const char *code);
bool vh_legal_has_form(const struct vh_legal *l, const char *code);

#endif
