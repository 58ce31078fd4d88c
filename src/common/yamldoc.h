/*
 * A YAML file as a small tree with positions, built with libyaml's event
 * parser, and strict decoding helpers on top of it.
 *
 * Parsing refuses: more than one document, duplicate keys, keys that are
 * not scalars, nesting deeper than a limit, and aliases whose expansion
 * would exceed a node budget (billion laughs). Decoding refuses unknown
 * keys, missing required keys and wrong types. Every problem is added to a
 * vh_diag as "file:line:col: message"; nothing stops at the first error.
 */
#ifndef VH_YAMLDOC_H
#define VH_YAMLDOC_H

#include "common.h"
#include "date.h"

enum vh_ytype { VH_YSCALAR, VH_YSEQ, VH_YMAP };

struct vh_ynode {
	enum vh_ytype type;
	size_t line, col;     /* 1-based */
	char *value;          /* scalar text (NUL-terminated), else NULL */
	size_t len;           /* scalar length */
	bool quoted;          /* scalar written in quotes or as a block */
	/* seq: n items; map: n/2 pairs, items[2i] the key, items[2i+1] the
	 * value (n counts keys and values: step by 2) */
	struct vh_ynode **items;
	size_t n;
};

struct vh_ylimits {
	size_t max_nodes;     /* nodes after alias expansion; 0: 100000 */
	size_t max_depth;     /* 0: 64 */
};

struct vh_ydoc {
	const char *file;     /* borrowed name for messages */
	struct vh_ynode *root;/* NULL for an empty document */
	size_t nodes;
};

/*
 * Parse buf (len bytes, any content). Returns -1 (and *out NULL) when the
 * input cannot be read as one YAML document, with the errors in d. Returns
 * 0 and a document otherwise, possibly after adding errors that do not
 * stop decoding (duplicate keys): callers compare vh_diag_count() before
 * and after to know whether the file as a whole is valid.
 */
int vh_ydoc_parse(struct vh_ydoc **out, const char *file, const char *buf,
		  size_t len, const struct vh_ylimits *lim, struct vh_diag *d);
void vh_ydoc_free(struct vh_ydoc *doc);

/* decoding context: the file name and where errors go */
struct vh_yctx {
	const char *file;
	struct vh_diag *diag;
};

void vh_yerr(struct vh_yctx *c, const struct vh_ynode *n, const char *fmt, ...)
	VH_PRINTF(3, 4);

const char *vh_ytype_name(enum vh_ytype t);
/* the value of key in map, or NULL */
const struct vh_ynode *vh_ymap_get(const struct vh_ynode *map, const char *key);
/*
 * Check a map's keys: each must be in known (NULL-terminated); each of
 * required must be present. Returns the number of errors added.
 */
int vh_ymap_check(struct vh_yctx *c, const struct vh_ynode *map,
		  const char *const *known, const char *const *required);

/* type checks; each returns 0 or -1 after adding an error naming what */
int vh_yexpect(struct vh_yctx *c, const struct vh_ynode *n, enum vh_ytype t,
	       const char *what);
/* a scalar that is valid UTF-8 and not empty: *out borrowed from the node */
int vh_ystr(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	    const char **out);
/* copies the string */
int vh_ystrdup(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	       char **out);
int vh_ybool(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	     bool *out);
int vh_yint(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	    long long min, long long max, long long *out);
int vh_ydate(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	     vh_date *out);
/* one of names (NULL-terminated): *out is its index */
int vh_yenum(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	     const char *const *names, int *out);
/* a code: ASCII letters, digits, '_', '-', '.', 1..64 bytes */
int vh_ycode(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	     const char **out);

#endif
