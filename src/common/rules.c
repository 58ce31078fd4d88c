/*
 * The conduct code loader: rules files (docs/rules-format.md) into an
 * immutable set. Every file is decoded to the end so that every error is
 * reported; a set with any error is thrown away whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "rules.h"
#include "yamldoc.h"

#define RULES_FORMAT 1
#define CODE_MAX 32          /* a rule code, typed by inspectors */
#define TITLE_MAX 512        /* bytes of a title, a name or a legal basis */
#define TEXT_MAX 8192        /* bytes of a description */
#define LIST_MAX 32          /* legal bases, categories: keeps checks cheap */
#define GROUPS_MAX 64        /* groups declared in one file */

/* Every string and array of a set, freed together. */
struct pool {
	void **p;
	size_t n, cap;
};

struct rule_int {
	struct vh_rule r;
	size_t code_line, code_col;  /* where the code is written */
	bool ok;                     /* code and dates decoded: overlap check */
};

struct group_int {
	struct vh_rule_group g;
	const char *file;
	size_t line;
};

struct header_int {
	struct vh_rules_header h;
	size_t line, col;            /* of its id */
};

struct vh_ruleset {
	struct rule_int *rules;
	size_t nrules, caprules;
	size_t *byname;              /* rule indexes by (code, valid_from) */
	struct group_int *groups;
	size_t ngroups, capgroups;
	struct header_int *headers;
	size_t nheaders, capheaders;
	char hash[VH_SHA256_HEX];
	struct pool pool;
};

struct loader {
	struct vh_ruleset *rs;
	const struct vh_vocab *vocab;
	struct vh_diag *diag;
	bool oom;
};


static void *
pool_keep(struct loader *l, void *p)
{
	struct pool *pl = &l->rs->pool;

	if (p == NULL) {
		l->oom = true;
		return NULL;
	}
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 64;
		void **np = realloc(pl->p, cap * sizeof(*np));
		if (np == NULL) {
			free(p);
			l->oom = true;
			return NULL;
		}
		pl->p = np;
		pl->cap = cap;
	}
	pl->p[pl->n++] = p;
	return p;
}

static const char *
pool_strdup(struct loader *l, const char *s)
{
	return pool_keep(l, vh_strdup(s));
}

/* room for one more element in *arr (of size el), 0 or -1 */
static int
grow(struct loader *l, void **arr, size_t *cap, size_t n, size_t el)
{
	size_t ncap;
	void *a;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if ((a = realloc(*arr, ncap * el)) == NULL) {
		l->oom = true;
		return -1;
	}
	memset((char *)a + *cap * el, 0, (ncap - *cap) * el);
	*arr = a;
	*cap = ncap;
	return 0;
}

/* a JSON string; text fields hold no control characters (text_check) */
static void
sb_json(struct vh_buf *b, const char *s)
{
	vh_buf_put(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			vh_buf_put(b, "\\", 1);
		vh_buf_put(b, p, 1);
	}
	vh_buf_put(b, "\"", 1);
}

static void
sb_key(struct vh_buf *b, const char *key, bool first)
{
	if (!first)
		vh_buf_put(b, ",", 1);
	sb_json(b, key);
	vh_buf_put(b, ":", 1);
}

static void
sb_json_list(struct vh_buf *b, const char *const *list)
{
	vh_buf_put(b, "[", 1);
	for (size_t i = 0; list[i]; i++) {
		if (i)
			vh_buf_put(b, ",", 1);
		sb_json(b, list[i]);
	}
	vh_buf_put(b, "]", 1);
}

static void
sb_date(struct vh_buf *b, vh_date d)
{
	char buf[VH_DATE_STRLEN];

	if (d == VH_DATE_NONE) {
		vh_buf_puts(b, "null");
		return;
	}
	vh_date_format(buf, d);
	sb_json(b, buf);
}

/*
 * Text for people to read: no control characters, and Vietnamese in
 * precomposed form (NFC), since the same word in decomposed form would
 * look identical and hash differently. Returns 0 or -1 after an error.
 */
static int
text_check(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	   const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; p[i]; i++) {
		if ((p[i] < 0x20 && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' &&
		     p[i] != '\r') || p[i] == 0x7f) {
			vh_yerr(c, n, "%s: control character 0x%02x in the text", what,
				p[i]);
			return -1;
		}
		/* U+0300..U+036F, combining diacritical marks */
		if ((p[i] == 0xcc && p[i + 1] >= 0x80 && p[i + 1] <= 0xbf) ||
		    (p[i] == 0xcd && p[i + 1] >= 0x80 && p[i + 1] <= 0xaf)) {
			vh_yerr(c, n, "%s: combining mark U+%04X: write letters with their diacritics precomposed (Unicode NFC)",
				what, 0x300u + (unsigned)(p[i] - 0xcc) * 0x40u +
					      (unsigned)(p[i + 1] - 0x80));
			return -1;
		}
	}
	return 0;
}

/*
 * A text field: a non-empty string, whitespace folded (so that the YAML
 * style a text is written in does not change it), at most max bytes.
 */
static int
ytext(struct loader *l, struct vh_yctx *c, const struct vh_ynode *n,
      const char *what, size_t max, const char **out)
{
	const char *s;
	char *t;
	size_t k = 0;
	bool space = false;

	if (vh_ystr(c, n, what, &s) < 0 || text_check(c, n, what, s) < 0)
		return -1;
	if ((t = malloc(strlen(s) + 1)) == NULL) {
		l->oom = true;
		return -1;
	}
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = k > 0;
			continue;
		}
		if (space)
			t[k++] = ' ';
		space = false;
		t[k++] = *s;
	}
	t[k] = '\0';
	if (k == 0) {
		vh_yerr(c, n, "%s: must not be empty", what);
		free(t);
		return -1;
	}
	if (k > max) {
		vh_yerr(c, n, "%s: longer than %zu bytes", what, max);
		free(t);
		return -1;
	}
	return (*out = pool_keep(l, t)) ? 0 : -1;
}

/* a NULL-terminated array of n + 1 pointers, kept in the pool */
static const char **
pool_list(struct loader *l, size_t n)
{
	return pool_keep(l, calloc(n + 1, sizeof(char *)));
}

/* a non-empty list of texts, none twice */
static int
ytext_list(struct loader *l, struct vh_yctx *c, const struct vh_ynode *n,
	   const char *what, const char *const **out, size_t *count)
{
	const char **list;
	size_t k = 0;
	int r = 0;

	if (vh_yexpect(c, n, VH_YSEQ, what) < 0)
		return -1;
	if (n->n == 0 || n->n > LIST_MAX) {
		vh_yerr(c, n, "%s: list 1 to %d items", what, LIST_MAX);
		return -1;
	}
	if ((list = pool_list(l, n->n)) == NULL)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		const char *s;
		if (ytext(l, c, n->items[i], what, TITLE_MAX, &s) < 0) {
			r = -1;
			continue;
		}
		for (size_t j = 0; j < k; j++)
			if (strcmp(list[j], s) == 0) {
				vh_yerr(c, n->items[i], "%s: '%s' listed twice", what, s);
				r = -1;
				s = NULL;
				break;
			}
		if (s)
			list[k++] = s;
	}
	*out = list;
	*count = k;
	return r;
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* "one, two, three" for a message; NULL when out of memory */
static char *
join(const char *const *list)
{
	struct vh_buf b = { 0 };

	for (size_t i = 0; list[i]; i++) {
		if (i)
			vh_buf_puts(&b, ", ");
		vh_buf_puts(&b, list[i]);
	}
	if (b.nomem) {
		free(b.p);
		return NULL;
	}
	return b.p ? b.p : vh_strdup("none");
}

/* a code from the vocabulary (or, without one, any code) */
static int
yvocab(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
       const char *const *vocab, const char **out)
{
	char *known;

	if (vh_ycode(c, n, what, out) < 0)
		return -1;
	if (vocab == NULL || in_list(vocab, *out))
		return 0;
	known = join(vocab);
	vh_yerr(c, n, "%s: unknown value '%s' (known: %s)", what, *out,
		known ? known : "?");
	free(known);
	return -1;
}

/* TD-01: upper-case letters and digits, in parts joined by '-' */
static int
yrule_code(struct vh_yctx *c, const struct vh_ynode *n, const char **out)
{
	const char *s;
	bool ok;

	if (vh_ystr(c, n, "code", &s) < 0)
		return -1;
	ok = n->len <= CODE_MAX && s[0] >= 'A' && s[0] <= 'Z';
	for (size_t i = 0; ok && s[i]; i++) {
		if (s[i] == '-')
			ok = s[i + 1] != '\0' && s[i + 1] != '-';
		else
			ok = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9');
	}
	if (!ok) {
		vh_yerr(c, n, "code: '%s' is not a rule code: upper-case ASCII letters and digits in parts joined by '-', at most %d bytes, like TD-01",
			s, CODE_MAX);
		return -1;
	}
	*out = s;
	return 0;
}

static const char *
fmt_date(char buf[VH_DATE_STRLEN], vh_date d)
{
	if (d == VH_DATE_NONE)
		return "open";
	vh_date_format(buf, d);
	return buf;
}

static void
parse_header(struct loader *l, struct vh_yctx *c, const struct vh_ynode *root,
	     struct header_int *hi, bool *dates_ok)
{
	struct vh_rules_header *h = &hi->h;
	const struct vh_ynode *n;
	const char *s;
	char a[VH_DATE_STRLEN], b[VH_DATE_STRLEN];

	h->valid_from = VH_DATE_NONE;
	h->valid_to = VH_DATE_NONE;
	*dates_ok = false;
	if ((n = vh_ymap_get(root, "id")) && vh_ycode(c, n, "id", &s) == 0) {
		h->id = pool_strdup(l, s);
		hi->line = n->line;
		hi->col = n->col;
		for (size_t i = 0; h->id && i < l->rs->nheaders; i++) {
			const struct header_int *o = &l->rs->headers[i];
			if (o->h.id && strcmp(o->h.id, h->id) == 0) {
				vh_yerr(c, n, "id: ruleset '%s' is already loaded from %s:%zu",
					h->id, o->h.file, o->line);
				break;
			}
		}
	}
	if ((n = vh_ymap_get(root, "title")))
		ytext(l, c, n, "title", TITLE_MAX, &h->title);
	if ((n = vh_ymap_get(root, "issuer")))
		ytext(l, c, n, "issuer", TITLE_MAX, &h->issuer);
	if ((n = vh_ymap_get(root, "legal_basis")))
		ytext_list(l, c, n, "legal_basis", &h->legal_basis, &h->n_legal_basis);
	if ((n = vh_ymap_get(root, "valid_from")) &&
	    vh_ydate(c, n, "valid_from", &h->valid_from) == 0)
		*dates_ok = true;
	if ((n = vh_ymap_get(root, "valid_to"))) {
		if (vh_ydate(c, n, "valid_to", &h->valid_to) < 0) {
			*dates_ok = false;
		} else if (*dates_ok && h->valid_to < h->valid_from) {
			vh_yerr(c, n, "valid_to: %s is before valid_from %s",
				fmt_date(a, h->valid_to), fmt_date(b, h->valid_from));
			*dates_ok = false;
		}
	}
}

/*
 * Declare the groups of one file into *declared (codes, NULL-terminated).
 * A group declared by an earlier file must carry the same names.
 */
static void
parse_groups(struct loader *l, struct vh_yctx *c, const struct vh_ynode *seq,
	     const char ***declared)
{
	static const char *const known[] = { "code", "name_vi", "name_en", NULL };
	struct vh_ruleset *rs = l->rs;
	const char **decl;
	size_t k = 0;

	if (vh_yexpect(c, seq, VH_YSEQ, "groups") < 0)
		return;
	if (seq->n == 0 || seq->n > GROUPS_MAX) {
		vh_yerr(c, seq, "groups: declare 1 to %d groups", GROUPS_MAX);
		return;
	}
	if ((decl = pool_list(l, seq->n)) == NULL)
		return;
	*declared = decl;
	for (size_t i = 0; i < seq->n; i++) {
		const struct vh_ynode *m = seq->items[i], *n;
		struct vh_rule_group g = { NULL, NULL, NULL };
		const char *code = NULL;
		bool dup = false;

		if (vh_yexpect(c, m, VH_YMAP, "group") < 0)
			continue;
		vh_ymap_check(c, m, known, known);
		if ((n = vh_ymap_get(m, "name_vi")))
			ytext(l, c, n, "name_vi", TITLE_MAX, &g.name_vi);
		if ((n = vh_ymap_get(m, "name_en")))
			ytext(l, c, n, "name_en", TITLE_MAX, &g.name_en);
		if ((n = vh_ymap_get(m, "code")) == NULL ||
		    vh_ycode(c, n, "code", &code) < 0)
			continue;
		for (size_t j = 0; j < k; j++)
			if (strcmp(decl[j], code) == 0) {
				vh_yerr(c, n, "group '%s' is declared twice in this file",
					code);
				dup = true;
			}
		if (dup || (code = pool_strdup(l, code)) == NULL)
			continue;
		decl[k++] = code;
		for (size_t j = 0; j < rs->ngroups; j++) {
			const struct group_int *o = &rs->groups[j];
			if (strcmp(o->g.code, code) != 0)
				continue;
			dup = true;
			if (g.name_vi && g.name_en &&
			    (strcmp(o->g.name_vi, g.name_vi) != 0 ||
			     strcmp(o->g.name_en, g.name_en) != 0))
				vh_yerr(c, n, "group '%s': names differ from its declaration at %s:%zu",
					code, o->file, o->line);
			break;
		}
		if (dup || g.name_vi == NULL || g.name_en == NULL)
			continue;
		if (grow(l, (void **)&rs->groups, &rs->capgroups, rs->ngroups,
			 sizeof(*rs->groups)) < 0)
			return;
		g.code = code;
		rs->groups[rs->ngroups].g = g;
		rs->groups[rs->ngroups].file = c->file;
		rs->groups[rs->ngroups++].line = n->line;
	}
}

static void
parse_categories(struct loader *l, struct vh_yctx *c, const struct vh_ynode *seq,
		 struct vh_rule *r)
{
	const char *const *vocab = l->vocab ? l->vocab->categories : NULL;
	const char **list;
	size_t k = 0;

	if (vh_yexpect(c, seq, VH_YSEQ, "categories") < 0)
		return;
	if (seq->n == 0 || seq->n > LIST_MAX) {
		vh_yerr(c, seq, "categories: list 1 to %d categories", LIST_MAX);
		return;
	}
	if ((list = pool_list(l, seq->n)) == NULL)
		return;
	for (size_t i = 0; i < seq->n; i++) {
		const char *s;
		size_t at;
		if (yvocab(c, seq->items[i], "categories", vocab, &s) < 0)
			continue;
		if (in_list(list, s)) {
			vh_yerr(c, seq->items[i], "categories: '%s' listed twice", s);
			continue;
		}
		if ((s = pool_strdup(l, s)) == NULL)
			return;
		/* sorted: the order written is not content */
		for (at = k; at > 0 && strcmp(list[at - 1], s) > 0; at--)
			list[at] = list[at - 1];
		list[at] = s;
		k++;
	}
	r->categories = list;
	r->n_categories = k;
}

/* valid_from and valid_to of a rule, within its header's period */
static bool
parse_rule_dates(struct vh_yctx *c, const struct vh_ynode *m,
		 const struct vh_rules_header *h, bool header_ok, struct vh_rule *r)
{
	const struct vh_ynode *from = vh_ymap_get(m, "valid_from");
	const struct vh_ynode *to = vh_ymap_get(m, "valid_to");
	char a[VH_DATE_STRLEN], b[VH_DATE_STRLEN];
	bool ok = true;

	r->valid_from = h->valid_from;
	r->valid_to = h->valid_to;
	if (from && vh_ydate(c, from, "valid_from", &r->valid_from) < 0)
		ok = false;
	if (to && vh_ydate(c, to, "valid_to", &r->valid_to) < 0)
		ok = false;
	/* without the header's dates, only the rule's own can be compared */
	if (!header_ok && (from == NULL || to == NULL))
		return false;
	if (!ok)
		return false;
	if (header_ok && from && r->valid_from < h->valid_from) {
		vh_yerr(c, from, "valid_from: %s is before the ruleset's valid_from %s",
			fmt_date(a, r->valid_from), fmt_date(b, h->valid_from));
		return false;
	}
	if (header_ok && to && r->valid_to > h->valid_to) {
		vh_yerr(c, to, "valid_to: %s is after the ruleset's valid_to %s",
			fmt_date(a, r->valid_to), fmt_date(b, h->valid_to));
		return false;
	}
	if (r->valid_to < r->valid_from) {
		if (to)
			vh_yerr(c, to, "valid_to: %s is before valid_from %s",
				fmt_date(a, r->valid_to), fmt_date(b, r->valid_from));
		else
			vh_yerr(c, from ? from : m,
				"valid_from: %s is after the ruleset's valid_to %s",
				fmt_date(a, r->valid_from), fmt_date(b, r->valid_to));
		return false;
	}
	return true;
}

static void
parse_rule(struct loader *l, struct vh_yctx *c, const struct vh_ynode *m,
	   const struct header_int *hi, bool header_ok, const char *const *declared)
{
	static const char *const known[] = {
		"code", "group", "title_vi", "title_en", "description",
		"legal_basis", "default_severity", "categories", "no_limitation",
		"valid_from", "valid_to", NULL,
	};
	static const char *const required[] = {
		"code", "group", "title_vi", "title_en", "description",
		"legal_basis", "default_severity", "categories", NULL,
	};
	struct vh_ruleset *rs = l->rs;
	struct rule_int *ri;
	struct vh_rule *r;
	const struct vh_ynode *n;
	const char *s;
	bool code_ok = false;

	if (vh_yexpect(c, m, VH_YMAP, "rule") < 0)
		return;
	if (grow(l, (void **)&rs->rules, &rs->caprules, rs->nrules,
		 sizeof(*rs->rules)) < 0)
		return;
	ri = &rs->rules[rs->nrules++];
	r = &ri->r;
	r->ruleset = hi->h.id;
	r->file = c->file;
	r->line = m->line;
	r->col = m->col;
	vh_ymap_check(c, m, known, required);
	if ((n = vh_ymap_get(m, "code")) && yrule_code(c, n, &s) == 0 &&
	    (r->code = pool_strdup(l, s)) != NULL) {
		code_ok = true;
		ri->code_line = n->line;
		ri->code_col = n->col;
	}
	if ((n = vh_ymap_get(m, "group")) && vh_ycode(c, n, "group", &s) == 0) {
		if (declared && !in_list(declared, s))
			vh_yerr(c, n, "group: '%s' is not declared in this file's groups", s);
		else
			r->group = pool_strdup(l, s);
	}
	if ((n = vh_ymap_get(m, "title_vi")))
		ytext(l, c, n, "title_vi", TITLE_MAX, &r->title_vi);
	if ((n = vh_ymap_get(m, "title_en")))
		ytext(l, c, n, "title_en", TITLE_MAX, &r->title_en);
	if ((n = vh_ymap_get(m, "description")))
		ytext(l, c, n, "description", TEXT_MAX, &r->description);
	if ((n = vh_ymap_get(m, "legal_basis")))
		ytext_list(l, c, n, "legal_basis", &r->legal_basis, &r->n_legal_basis);
	if ((n = vh_ymap_get(m, "default_severity")) &&
	    yvocab(c, n, "default_severity", l->vocab ? l->vocab->severities : NULL,
		   &s) == 0)
		r->default_severity = pool_strdup(l, s);
	if ((n = vh_ymap_get(m, "categories")))
		parse_categories(l, c, n, r);
	if ((n = vh_ymap_get(m, "no_limitation")))
		vh_ybool(c, n, "no_limitation", &r->no_limitation);
	ri->ok = parse_rule_dates(c, m, &hi->h, header_ok, r) && code_ok;
}

static void
load_file(struct loader *l, const char *file, const char *buf, size_t len)
{
	static const char *const known[] = {
		"format", "id", "title", "issuer", "legal_basis", "valid_from",
		"valid_to", "groups", "rules", NULL,
	};
	static const char *const required[] = {
		"format", "id", "title", "issuer", "legal_basis", "valid_from",
		"groups", "rules", NULL,
	};
	static const struct vh_ylimits lim = { 100000, 16 };
	struct vh_ruleset *rs = l->rs;
	struct vh_ydoc *doc = NULL;
	struct vh_yctx c = { NULL, l->diag };
	const struct vh_ynode *root, *n;
	const char **declared = NULL;
	struct header_int *hi;
	long long format;
	bool header_ok;

	/* messages and rules keep the name after the caller's copy is gone */
	if ((c.file = pool_strdup(l, file)) == NULL)
		return;
	if (len > VH_RULES_MAX_BYTES) {
		vh_diag_add(l->diag, c.file, 1, 1, "larger than %d bytes",
			    VH_RULES_MAX_BYTES);
		return;
	}
	if (vh_ydoc_parse(&doc, c.file, buf, len, &lim, l->diag) < 0)
		return;
	if ((root = doc->root) == NULL) {
		vh_diag_add(l->diag, c.file, 1, 1, "the file is empty");
		goto out;
	}
	if (vh_yexpect(&c, root, VH_YMAP, "rules file") < 0)
		goto out;
	vh_ymap_check(&c, root, known, required);
	if ((n = vh_ymap_get(root, "format")))
		vh_yint(&c, n, "format", RULES_FORMAT, RULES_FORMAT, &format);
	if (grow(l, (void **)&rs->headers, &rs->capheaders, rs->nheaders,
		 sizeof(*rs->headers)) < 0)
		goto out;
	hi = &rs->headers[rs->nheaders];
	hi->h.file = c.file;
	parse_header(l, &c, root, hi, &header_ok);
	rs->nheaders++;
	if ((n = vh_ymap_get(root, "groups")))
		parse_groups(l, &c, n, &declared);
	if ((n = vh_ymap_get(root, "rules")) && vh_yexpect(&c, n, VH_YSEQ, "rules") == 0) {
		if (n->n == 0)
			vh_yerr(&c, n, "rules: list at least one rule");
		for (size_t i = 0; i < n->n; i++) {
			/* rules is an array that moves: find the header again */
			parse_rule(l, &c, n->items[i], &rs->headers[rs->nheaders - 1],
				   header_ok, declared);
		}
	}
out:
	vh_ydoc_free(doc);
}

static int
cmp_version(const struct vh_rule *a, const struct vh_rule *b)
{
	int r = strcmp(a->code, b->code);

	if (r)
		return r;
	return a->valid_from < b->valid_from ? -1 : a->valid_from > b->valid_from;
}

/*
 * Sort rule indexes by (code, valid_from), equal ones as written: a merge
 * sort, stable and with the set as context (qsort has none).
 */
static void
sort_indexes(const struct vh_ruleset *rs, size_t *idx, size_t *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j, k = 0;

	if (n < 2)
		return;
	sort_indexes(rs, idx, tmp, mid);
	sort_indexes(rs, idx + mid, tmp, n - mid);
	j = mid;
	while (i < mid && j < n) {
		if (cmp_version(&rs->rules[idx[j]].r, &rs->rules[idx[i]].r) < 0)
			tmp[k++] = idx[j++];
		else
			tmp[k++] = idx[i++];
	}
	while (i < mid)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, n * sizeof(*idx));
}

/* Versions of one code must not overlap: report each one that does. */
static void
check_versions(struct loader *l, size_t *idx, size_t *tmp)
{
	const struct vh_ruleset *rs = l->rs;
	char a[VH_DATE_STRLEN], b[VH_DATE_STRLEN], e[VH_DATE_STRLEN], f[VH_DATE_STRLEN];
	size_t n = 0;

	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].ok)
			idx[n++] = i;
	sort_indexes(rs, idx, tmp, n);
	for (size_t i = 0; i < n;) {
		/* last: the version seen so far that ends latest */
		const struct rule_int *last = &rs->rules[idx[i]];
		size_t j;
		for (j = i + 1; j < n && strcmp(rs->rules[idx[j]].r.code, last->r.code) == 0; j++) {
			const struct rule_int *cur = &rs->rules[idx[j]];
			if (cur->r.valid_from > last->r.valid_to) {
				last = cur;
				continue;
			}
			if (cur->r.valid_from == last->r.valid_from)
				vh_diag_add(l->diag, cur->r.file, cur->code_line, cur->code_col,
					    "duplicate rule code '%s' (also at %s:%zu:%zu); a new version needs a valid_from after the valid_to of the one before",
					    cur->r.code, last->r.file, last->code_line,
					    last->code_col);
			else
				vh_diag_add(l->diag, cur->r.file, cur->code_line, cur->code_col,
					    "rule '%s': this version (%s to %s) overlaps the version at %s:%zu:%zu (%s to %s)",
					    cur->r.code, fmt_date(a, cur->r.valid_from),
					    fmt_date(b, cur->r.valid_to), last->r.file,
					    last->code_line, last->code_col,
					    fmt_date(e, last->r.valid_from),
					    fmt_date(f, last->r.valid_to));
			if (cur->r.valid_to > last->r.valid_to)
				last = cur;
		}
		i = j;
	}
}

/* the rule's canonical form (see rules.h) and its hash */
static int
rule_canonical(struct loader *l, struct vh_rule *r)
{
	struct vh_buf b = { 0 };

	vh_buf_put(&b, "{", 1);
	sb_key(&b, "ruleset", true);
	sb_json(&b, r->ruleset);
	sb_key(&b, "code", false);
	sb_json(&b, r->code);
	sb_key(&b, "group", false);
	sb_json(&b, r->group);
	sb_key(&b, "title_vi", false);
	sb_json(&b, r->title_vi);
	sb_key(&b, "title_en", false);
	sb_json(&b, r->title_en);
	sb_key(&b, "description", false);
	sb_json(&b, r->description);
	sb_key(&b, "legal_basis", false);
	sb_json_list(&b, r->legal_basis);
	sb_key(&b, "default_severity", false);
	sb_json(&b, r->default_severity);
	sb_key(&b, "categories", false);
	sb_json_list(&b, r->categories);
	sb_key(&b, "no_limitation", false);
	vh_buf_puts(&b, r->no_limitation ? "true" : "false");
	sb_key(&b, "valid_from", false);
	sb_date(&b, r->valid_from);
	vh_buf_put(&b, "}", 1);
	if (b.nomem || vh_sha256_hex(r->content_hash, b.p, b.len) < 0) {
		free(b.p);
		l->oom = true;
		return -1;
	}
	return (r->canonical = pool_keep(l, b.p)) ? 0 : -1;
}

static int
cmp_header(const void *pa, const void *pb)
{
	const struct header_int *a = *(const struct header_int *const *)pa;
	const struct header_int *b = *(const struct header_int *const *)pb;

	return strcmp(a->h.id, b->h.id);
}

static int
cmp_group(const void *pa, const void *pb)
{
	const struct group_int *a = *(const struct group_int *const *)pa;
	const struct group_int *b = *(const struct group_int *const *)pb;

	return strcmp(a->g.code, b->g.code);
}

/*
 * The set's version: headers by id, groups by code, rule versions by
 * (code, valid_from), each in a canonical form, so that only content
 * counts.
 */
static int
set_hash(struct loader *l)
{
	struct vh_ruleset *rs = l->rs;
	struct vh_buf b = { 0 };
	const void **sorted;
	size_t most = rs->nheaders > rs->ngroups ? rs->nheaders : rs->ngroups;
	int r = -1;

	if ((sorted = calloc(most + 1, sizeof(*sorted))) == NULL)
		goto out;
	vh_buf_puts(&b, "vhcv-rules 1\n");
	for (size_t i = 0; i < rs->nheaders; i++)
		sorted[i] = &rs->headers[i];
	qsort(sorted, rs->nheaders, sizeof(*sorted), cmp_header);
	for (size_t i = 0; i < rs->nheaders; i++) {
		const struct vh_rules_header *h = &((const struct header_int *)sorted[i])->h;
		vh_buf_puts(&b, "ruleset {");
		sb_key(&b, "id", true);
		sb_json(&b, h->id);
		sb_key(&b, "title", false);
		sb_json(&b, h->title);
		sb_key(&b, "issuer", false);
		sb_json(&b, h->issuer);
		sb_key(&b, "legal_basis", false);
		sb_json_list(&b, h->legal_basis);
		sb_key(&b, "valid_from", false);
		sb_date(&b, h->valid_from);
		sb_key(&b, "valid_to", false);
		sb_date(&b, h->valid_to);
		vh_buf_puts(&b, "}\n");
	}
	for (size_t i = 0; i < rs->ngroups; i++)
		sorted[i] = &rs->groups[i];
	qsort(sorted, rs->ngroups, sizeof(*sorted), cmp_group);
	for (size_t i = 0; i < rs->ngroups; i++) {
		const struct vh_rule_group *g = &((const struct group_int *)sorted[i])->g;
		vh_buf_puts(&b, "group {");
		sb_key(&b, "code", true);
		sb_json(&b, g->code);
		sb_key(&b, "name_vi", false);
		sb_json(&b, g->name_vi);
		sb_key(&b, "name_en", false);
		sb_json(&b, g->name_en);
		vh_buf_puts(&b, "}\n");
	}
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct vh_rule *x = &rs->rules[rs->byname[i]].r;
		vh_buf_puts(&b, "rule ");
		vh_buf_puts(&b, x->canonical);
		vh_buf_puts(&b, " valid_to ");
		sb_date(&b, x->valid_to);
		vh_buf_puts(&b, "\n");
	}
	if (!b.nomem && vh_sha256_hex(rs->hash, b.p, b.len) == 0)
		r = 0;
out:
	if (r < 0)
		l->oom = true;
	free(sorted);
	free(b.p);
	return r;
}

/* After every file: the checks across files, then the derived data. */
static int
finish(struct loader *l, size_t before)
{
	struct vh_ruleset *rs = l->rs;
	size_t *tmp = NULL;
	int r = -1;

	if ((rs->byname = calloc(rs->nrules + 1, sizeof(*rs->byname))) == NULL ||
	    (tmp = calloc(rs->nrules + 1, sizeof(*tmp))) == NULL) {
		l->oom = true;
		goto out;
	}
	check_versions(l, rs->byname, tmp);
	if (l->oom || vh_diag_count(l->diag) != before)
		goto out;
	/* no errors: every rule is complete and ok */
	for (size_t i = 0; i < rs->nrules; i++)
		rs->byname[i] = i;
	sort_indexes(rs, rs->byname, tmp, rs->nrules);
	for (size_t i = 0; i < rs->nrules; i++)
		if (rule_canonical(l, &rs->rules[i].r) < 0)
			goto out;
	if (set_hash(l) < 0)
		goto out;
	r = 0;
out:
	free(tmp);
	return r;
}

static struct vh_ruleset *
rules_new(struct loader *l, const struct vh_vocab *vocab, struct vh_diag *d)
{
	memset(l, 0, sizeof(*l));
	l->vocab = vocab;
	l->diag = d;
	return l->rs = calloc(1, sizeof(*l->rs));
}

/* bufs[i] NULL: the file could not be read, already reported */
static int
load_set(struct vh_ruleset **out, size_t n, const char *const *names,
	 const char *const *bufs, const size_t *lens, const struct vh_vocab *vocab,
	 struct vh_diag *d, size_t before)
{
	struct loader l;

	*out = NULL;
	if (rules_new(&l, vocab, d) == NULL) {
		vh_diag_add(d, NULL, 0, 0, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (bufs[i])
			load_file(&l, names[i] ? names[i] : "-", bufs[i], lens[i]);
	if (finish(&l, before) < 0 || l.oom || vh_diag_count(d) != before) {
		if (l.oom)
			vh_diag_add(d, NULL, 0, 0, "out of memory while loading the rules");
		vh_rules_free(l.rs);
		return -1;
	}
	*out = l.rs;
	return 0;
}

int
vh_rules_load_buffers(struct vh_ruleset **out, size_t n, const char *const *names,
		      const char *const *bufs, const size_t *lens,
		      const struct vh_vocab *vocab, struct vh_diag *d)
{
	size_t before = vh_diag_count(d);

	*out = NULL;
	if (n == 0) {
		vh_diag_add(d, NULL, 0, 0, "no rules files");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (bufs[i] == NULL) {
			vh_diag_add(d, names[i], 0, 0, "no content");
			return -1;
		}
	return load_set(out, n, names, bufs, lens, vocab, d, before);
}

int
vh_rules_load_path(struct vh_ruleset **out, const char *path,
		   const struct vh_vocab *vocab, struct vh_diag *d)
{
	size_t before = vh_diag_count(d);
	struct vh_files f;
	int r;

	*out = NULL;
	vh_files_read(&f, path, VH_RULES_MAX_BYTES, d);
	/* files that could not be read already count against the set */
	r = f.n ? load_set(out, f.n, (const char *const *)f.names,
			   (const char *const *)f.bufs, f.lens, vocab, d, before)
		: -1;
	vh_files_free(&f);
	return r;
}

void
vh_rules_free(struct vh_ruleset *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->pool.n; i++)
		free(rs->pool.p[i]);
	free(rs->pool.p);
	free(rs->rules);
	free(rs->byname);
	free(rs->groups);
	free(rs->headers);
	free(rs);
}

const char *
vh_rules_hash(const struct vh_ruleset *rs)
{
	return rs ? rs->hash : "";
}

size_t
vh_rules_count(const struct vh_ruleset *rs)
{
	return rs ? rs->nrules : 0;
}

const struct vh_rule *
vh_rules_get(const struct vh_ruleset *rs, size_t i)
{
	return rs && i < rs->nrules ? &rs->rules[i].r : NULL;
}

/* the first index in byname whose code is not below code, or nrules */
static size_t
lower_bound(const struct vh_ruleset *rs, const char *code)
{
	size_t lo = 0, hi = rs->nrules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(rs->rules[rs->byname[mid]].r.code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* code in upper case into buf; false when it cannot be a rule code */
static bool
upper_code(char buf[CODE_MAX + 1], const char *code)
{
	size_t i;

	for (i = 0; code[i]; i++) {
		if (i == CODE_MAX)
			return false;
		buf[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 'a' + 'A')
							     : code[i];
	}
	buf[i] = '\0';
	return i > 0;
}

const struct vh_rule *
vh_rules_find(const struct vh_ruleset *rs, const char *code, vh_date on_date)
{
	char key[CODE_MAX + 1];

	if (rs == NULL || code == NULL || !upper_code(key, code))
		return NULL;
	for (size_t i = lower_bound(rs, key); i < rs->nrules; i++) {
		const struct vh_rule *r = &rs->rules[rs->byname[i]].r;
		if (strcmp(r->code, key) != 0 || r->valid_from > on_date)
			break;
		if (on_date <= r->valid_to)
			return r;
	}
	return NULL;
}

const struct vh_rule *
vh_rules_version(const struct vh_ruleset *rs, const char *code, size_t i)
{
	char key[CODE_MAX + 1];
	const struct vh_rule *r;
	size_t at;

	if (rs == NULL || code == NULL || !upper_code(key, code))
		return NULL;
	at = lower_bound(rs, key) + i;
	if (at >= rs->nrules)
		return NULL;
	r = &rs->rules[rs->byname[at]].r;
	return strcmp(r->code, key) == 0 ? r : NULL;
}

const struct vh_rule *
vh_rules_latest(const struct vh_ruleset *rs, const char *code)
{
	char key[CODE_MAX + 1];
	const struct vh_rule *last = NULL;

	if (rs == NULL || code == NULL || !upper_code(key, code))
		return NULL;
	for (size_t i = lower_bound(rs, key); i < rs->nrules; i++) {
		const struct vh_rule *r = &rs->rules[rs->byname[i]].r;
		if (strcmp(r->code, key) != 0)
			break;
		last = r;
	}
	return last;
}

size_t
vh_rules_group_count(const struct vh_ruleset *rs)
{
	return rs ? rs->ngroups : 0;
}

const struct vh_rule_group *
vh_rules_group_get(const struct vh_ruleset *rs, size_t i)
{
	return rs && i < rs->ngroups ? &rs->groups[i].g : NULL;
}

const struct vh_rule_group *
vh_rules_group_find(const struct vh_ruleset *rs, const char *code)
{
	for (size_t i = 0; rs && code && i < rs->ngroups; i++)
		if (strcmp(rs->groups[i].g.code, code) == 0)
			return &rs->groups[i].g;
	return NULL;
}

size_t
vh_rules_header_count(const struct vh_ruleset *rs)
{
	return rs ? rs->nheaders : 0;
}

const struct vh_rules_header *
vh_rules_header_get(const struct vh_ruleset *rs, size_t i)
{
	return rs && i < rs->nheaders ? &rs->headers[i].h : NULL;
}
