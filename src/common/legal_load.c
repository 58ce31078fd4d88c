/* placeholder until the conduct-code issue (#3) lands the legal loader */
#include <stdlib.h>

#include "legal.h"

struct vh_legal {
	char hash[VH_SHA256_HEX];
};

int
vh_legal_load_path(struct vh_legal **out, const char *path, struct vh_diag *d)
{
	(void)path;
	(void)d;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -1;
}

int
vh_legal_load_buffers(struct vh_legal **out, size_t n, const char *const *names,
		      const char *const *bufs, const size_t *lens, struct vh_diag *d)
{
	(void)n, (void)names, (void)bufs, (void)lens, (void)d;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -1;
}

void
vh_legal_free(struct vh_legal *l)
{
	free(l);
}

const char *
vh_legal_hash(const struct vh_legal *l)
{
	return l->hash;
}

bool vh_legal_has_category(const struct vh_legal *l, const char *code) { (void)l; (void)code; return true; }
bool vh_legal_has_severity(const struct vh_legal *l, const char *code) { (void)l; (void)code; return true; }
bool vh_legal_has_form(const struct vh_legal *l, const char *code) { (void)l; (void)code; return true; }

void
vh_legal_vocab(const struct vh_legal *l, struct vh_vocab *out)
{
	(void)l;
	out->categories = NULL;
	out->severities = NULL;
}
