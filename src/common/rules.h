/*
 * The conduct code (config/rules/ (YAML)): rulesets of rules, loaded and
 * validated. OWNER: the conduct-code issue (#3); vhcvd uses these entry
 * points, keep their signatures.
 */
#ifndef VH_RULES_H
#define VH_RULES_H

#include "common.h"
#include "date.h"
#include "legal.h"

struct vh_ruleset;

#define VH_RULES_MAX_BYTES (1024 * 1024)

/*
 * Load a file, or every *.yaml of a folder (in name order). Categories and
 * severities are checked against vocab (from vh_legal_vocab(); NULL or a
 * NULL list: only their syntax is checked). 0, or -1 with every error in d.
 */
int vh_rules_load_path(struct vh_ruleset **out, const char *path,
		       const struct vh_vocab *vocab, struct vh_diag *d);
int vh_rules_load_buffers(struct vh_ruleset **out, size_t n, const char *const *names,
			  const char *const *bufs, const size_t *lens,
			  const struct vh_vocab *vocab, struct vh_diag *d);
void vh_rules_free(struct vh_ruleset *rs);
/* SHA-256 (hex) over the loaded content: the conduct code's version */
const char *vh_rules_hash(const struct vh_ruleset *rs);
size_t vh_rules_count(const struct vh_ruleset *rs);

#endif
