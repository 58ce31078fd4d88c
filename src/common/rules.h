/*
 * The conduct code (config/rules/ (YAML)): rulesets of rules, loaded and
 * validated. OWNER: the conduct-code issue (#3); vhcvd uses these entry
 * points, keep their signatures. The format is documented in
 * docs/rules-format.md.
 *
 * A loaded set is immutable: every pointer handed out below is borrowed
 * from the set and stays valid until vh_rules_free() on it, so a reload
 * can swap sets while requests still read the old one.
 */
#ifndef VH_RULES_H
#define VH_RULES_H

#include "common.h"
#include "date.h"
#include "legal.h"

struct vh_ruleset;

#define VH_RULES_MAX_BYTES (1024 * 1024)

/* The header of one rules file: who issued the code, and when. */
struct vh_rules_header {
	const char *id;                  /* ruleset id, e.g. "vp-130-2019" */
	const char *title;
	const char *issuer;
	const char *const *legal_basis;  /* NULL-terminated */
	size_t n_legal_basis;
	vh_date valid_from;
	vh_date valid_to;                /* last day in force, or VH_DATE_NONE */
	const char *file;                /* the file it came from */
};

/* A rule group (Decision 1847: thai_do, giao_tiep, dao_duc, ...). */
struct vh_rule_group {
	const char *code;
	const char *name_vi;
	const char *name_en;
};

/*
 * One version of one rule. A code has several versions when its text
 * changed in time; their validity periods never overlap. Text fields are
 * whitespace-folded (runs of spaces and line breaks are one space).
 */
struct vh_rule {
	const char *ruleset;             /* id of the header it belongs to */
	const char *code;                /* "TD-01": upper-case, typed by inspectors */
	const char *group;               /* a declared group's code */
	const char *title_vi;
	const char *title_en;
	const char *description;
	const char *const *legal_basis;  /* NULL-terminated, as written */
	size_t n_legal_basis;
	const char *default_severity;
	const char *const *categories;   /* NULL-terminated, sorted */
	size_t n_categories;
	bool no_limitation;              /* no limitation period (LEGAL.md §4) */
	vh_date valid_from;
	vh_date valid_to;                /* last day in force, or VH_DATE_NONE */
	/*
	 * The version's content as one line of JSON with a fixed key order
	 * (everything above except valid_to, which closes a version without
	 * changing it), and its SHA-256. Independent of YAML layout, key
	 * order, comments and the other rules: vhcvd stores a new version
	 * only when content_hash is new.
	 */
	const char *canonical;
	char content_hash[VH_SHA256_HEX];
	const char *file;                /* where it was written, for messages */
	size_t line, col;
};

/*
 * Load a file, or every *.yaml of a folder (in name order). Categories and
 * severities are checked against vocab (from vh_legal_vocab(); NULL or a
 * NULL list: only their syntax is checked). 0, or -1 with every error in d.
 */
int vh_rules_load_path(struct vh_ruleset **out, const char *path,
		       const struct vh_vocab *vocab, struct vh_diag *d);
/*
 * The same from n buffers named names[i] (any bytes, not NUL-terminated),
 * taken as the files of one folder in the order given. A set with any
 * error is not returned: *out is NULL.
 */
int vh_rules_load_buffers(struct vh_ruleset **out, size_t n, const char *const *names,
			  const char *const *bufs, const size_t *lens,
			  const struct vh_vocab *vocab, struct vh_diag *d);
/* accepts NULL */
void vh_rules_free(struct vh_ruleset *rs);
/*
 * SHA-256 (hex) over the loaded content: the conduct code's version. It
 * covers every header, group and rule version (valid_to included), in a
 * canonical order, so that comments, layout, key order and the split into
 * files do not change it, and any change of content does.
 */
const char *vh_rules_hash(const struct vh_ruleset *rs);
/* the number of rule versions (a code with two versions counts twice) */
size_t vh_rules_count(const struct vh_ruleset *rs);

/* Rule versions in the order written (files in name order): i < count. */
const struct vh_rule *vh_rules_get(const struct vh_ruleset *rs, size_t i);
/*
 * The version of code in force on on_date (valid_from <= on_date <=
 * valid_to), or NULL. Codes match without regard to ASCII case, so "td-01"
 * finds TD-01.
 */
const struct vh_rule *vh_rules_find(const struct vh_ruleset *rs, const char *code,
				    vh_date on_date);
/*
 * The versions of code in valid_from order: the i-th, or NULL past the
 * last. O(log n) each, through the index by code.
 */
const struct vh_rule *vh_rules_version(const struct vh_ruleset *rs, const char *code,
				       size_t i);
/* The version of code with the latest valid_from (in force or not), or NULL. */
const struct vh_rule *vh_rules_latest(const struct vh_ruleset *rs, const char *code);

/* Groups in the order first declared: i < vh_rules_group_count(). */
size_t vh_rules_group_count(const struct vh_ruleset *rs);
const struct vh_rule_group *vh_rules_group_get(const struct vh_ruleset *rs, size_t i);
/* the group with this code, or NULL */
const struct vh_rule_group *vh_rules_group_find(const struct vh_ruleset *rs,
						const char *code);

/* One header per file, in load order: i < vh_rules_header_count(). */
size_t vh_rules_header_count(const struct vh_ruleset *rs);
const struct vh_rules_header *vh_rules_header_get(const struct vh_ruleset *rs, size_t i);

#endif
