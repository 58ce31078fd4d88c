/*
 * The legal tables loader: the YAML files of config/legal (docs/legal-format.md) into
 * struct vh_legal. Every error is reported with its position and decoding
 * goes on, so that one run shows them all; a set with any error is freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define VH_LEGAL_INTERNAL
#include "legal.h"
#include "yamldoc.h"

/* bounds that keep the tables small and arithmetic far from overflow */
#define MAX_CODES 64      /* categories, severities, forms, grounds */
#define MAX_REGIMES 64
#define MAX_PERIODS 16
#define MAX_NAME 400      /* bytes of a display name or a basis line */
#define MAX_MONTHS 1200
#define MAX_DAYS 36500

/* Everything of a loaded set is allocated here and freed at once. */
struct vh_legal_arena {
	void **ptrs;
	size_t n, cap;
};

static const char *const part_names[] = {
	"forms", "ladder", "effects", "limitation", "procedure", NULL,
};

static const char *const datekind_names[] = {
	"violation_date", "detection_date", "decision_date", "effective_date", NULL,
};

static const char *const status_keys[] = { "active", "retired", "left", NULL };
static const char *const leader_keys[] = { "staff", "leader", "elected", NULL };
static const char *const holding_req[] = { "staff", "leader", NULL };

struct loader {
	struct vh_legal *l;
	struct vh_diag *d;
	bool oom;
	bool vocab_seen[3];         /* categories, severities, forms */
	const struct vh_ynode *select_node;
	const char *select_file;
};

static void *
arena_alloc(struct loader *ld, size_t n, size_t size)
{
	struct vh_legal_arena *a = ld->l->arena;
	void *p;

	if (n == 0)
		n = 1;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		void **np = realloc(a->ptrs, cap * sizeof(*np));
		if (np == NULL)
			goto oom;
		a->ptrs = np;
		a->cap = cap;
	}
	if ((p = calloc(n, size)) == NULL)
		goto oom;
	a->ptrs[a->n++] = p;
	return p;
oom:
	ld->oom = true;
	return NULL;
}

static const char *
arena_strdup(struct loader *ld, const char *s)
{
	size_t len = strlen(s);
	char *p = arena_alloc(ld, len + 1, 1);

	if (p)
		memcpy(p, s, len + 1);
	return p;
}

static void
arena_free(struct vh_legal_arena *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->ptrs[i]);
	free(a->ptrs);
	free(a);
}

int
vh_legal_index(const struct vh_legal_entry *e, size_t n, const char *code)
{
	if (code == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* a display text: a non-empty string of at most MAX_NAME bytes */
static const char *
get_text(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *n,
	 const char *what)
{
	const char *s;

	if (vh_ystr(c, n, what, &s) < 0)
		return NULL;
	if (n->len > MAX_NAME) {
		vh_yerr(c, n, "%s: longer than %d bytes", what, MAX_NAME);
		return NULL;
	}
	return arena_strdup(ld, s);
}

/* a list of document names, at least one: NULL-terminated */
static const char **
get_basis(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *n)
{
	const char **out;
	size_t k = 0;

	if (vh_yexpect(c, n, VH_YSEQ, "basis") < 0)
		return NULL;
	if (n->n == 0) {
		vh_yerr(c, n, "basis: name at least one legal document");
		return NULL;
	}
	if (n->n > MAX_CODES) {
		vh_yerr(c, n, "basis: more than %d documents", MAX_CODES);
		return NULL;
	}
	if ((out = arena_alloc(ld, n->n + 1, sizeof(*out))) == NULL)
		return NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *s = get_text(ld, c, n->items[i], "basis");
		if (s)
			out[k++] = s;
	}
	return out;
}

/* a non-empty list of distinct codes: NULL-terminated, or NULL after an error */
static const char **
get_codes(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *n, const char *what)
{
	const char **out;
	size_t k = 0;

	if (vh_yexpect(c, n, VH_YSEQ, what) < 0)
		return NULL;
	if (n->n == 0 || n->n > MAX_CODES) {
		vh_yerr(c, n, "%s: give 1 to %d codes", what, MAX_CODES);
		return NULL;
	}
	if ((out = arena_alloc(ld, n->n + 1, sizeof(*out))) == NULL)
		return NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *s;
		bool dup = false;
		if (vh_ycode(c, n->items[i], what, &s) < 0)
			return NULL;
		for (size_t j = 0; j < k; j++)
			dup |= strcmp(out[j], s) == 0;
		if (dup) {
			vh_yerr(c, n->items[i], "%s: '%s' listed twice", what, s);
			return NULL;
		}
		if ((out[k++] = arena_strdup(ld, s)) == NULL)
			return NULL;
	}
	return out;
}

/* a code that must be in e[0..n): its index, or -1 after an error */
static int
get_ref(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	const struct vh_legal_entry *e, size_t ne)
{
	const char *s;
	int i;

	if (vh_ycode(c, n, what, &s) < 0)
		return -1;
	if ((i = vh_legal_index(e, ne, s)) < 0)
		vh_yerr(c, n, "%s: unknown %s '%s'", what, what, s);
	return i;
}

/*
 * A list of codes of e: their indices in idx (room for ne), no duplicates;
 * returns how many, or -1 when the node is not a list.
 */
static int
get_refs(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	 const struct vh_legal_entry *e, size_t ne, int *idx)
{
	int k = 0;

	if (vh_yexpect(c, n, VH_YSEQ, what) < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		int x = get_ref(c, n->items[i], what, e, ne);
		bool dup = false;
		if (x < 0)
			continue;
		for (int j = 0; j < k; j++)
			dup |= idx[j] == x;
		if (dup)
			vh_yerr(c, n->items[i], "%s: '%s' listed twice", what, e[x].code);
		else if ((size_t)k < ne)
			idx[k++] = x;
	}
	return k;
}

/* ---- vocabulary ---- */

static void
parse_vocab(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *seq,
	    int which)
{
	static const char *const what[] = { "category", "severity", "form" };
	static const char *const known[] = { "code", "name", "name_en", "weight", NULL };
	static const char *const required[] = { "code", "name", "name_en", NULL };
	static const char *const required_w[] = { "code", "name", "name_en", "weight", NULL };
	struct vh_legal *l = ld->l;
	struct vh_legal_entry **arr = which == 0 ? &l->categories
				      : which == 1 ? &l->severities : &l->forms;
	size_t *np = which == 0 ? &l->ncategories
		     : which == 1 ? &l->nseverities : &l->nforms;

	ld->vocab_seen[which] = true;
	if (vh_yexpect(c, seq, VH_YSEQ, what[which]) < 0)
		return;
	if (*arr == NULL &&
	    (*arr = arena_alloc(ld, MAX_CODES, sizeof(**arr))) == NULL)
		return;
	for (size_t i = 0; i < seq->n; i++) {
		const struct vh_ynode *m = seq->items[i], *n;
		struct vh_legal_entry e = { NULL, NULL, NULL, 0 };
		const char *code = NULL;
		long long w;

		if (vh_yexpect(c, m, VH_YMAP, what[which]) < 0)
			continue;
		if (which == 2)
			vh_ymap_check(c, m, known, required_w);
		else
			vh_ymap_check(c, m, known + 0, required);
		if (which != 2 && (n = vh_ymap_get(m, "weight")))
			vh_yerr(c, n, "weight: only forms have a weight (severities are ordered as listed)");
		if ((n = vh_ymap_get(m, "code")) && vh_ycode(c, n, "code", &code) == 0 &&
		    vh_legal_index(*arr, *np, code) >= 0) {
			vh_yerr(c, n, "%s '%s' is defined twice", what[which], code);
			code = NULL;
		}
		if ((n = vh_ymap_get(m, "name")))
			e.name = get_text(ld, c, n, "name");
		if ((n = vh_ymap_get(m, "name_en")))
			e.name_en = get_text(ld, c, n, "name_en");
		if (which == 2 && (n = vh_ymap_get(m, "weight")) &&
		    vh_yint(c, n, "weight", 1, 1000000, &w) == 0) {
			e.weight = (int)w;
			for (size_t k = 0; k < *np; k++)
				if ((*arr)[k].weight == e.weight) {
					vh_yerr(c, n, "weight: %d is also the weight of '%s'",
						e.weight, (*arr)[k].code);
					e.weight = 0;
				}
		}
		if (which == 1)
			e.weight = (int)*np;
		if (code == NULL || e.name == NULL || e.name_en == NULL ||
		    (which == 2 && e.weight == 0))
			continue;
		if (*np >= MAX_CODES) {
			vh_yerr(c, m, "more than %d entries of this kind", MAX_CODES);
			continue;
		}
		if ((e.code = arena_strdup(ld, code)) == NULL)
			continue;
		(*arr)[(*np)++] = e;
	}
}

static void
parse_selection(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m)
{
	struct vh_legal *l = ld->l;

	if (ld->select_node) {
		vh_yerr(c, m, "regime_selection is already given at %s:%zu:%zu",
			ld->select_file, ld->select_node->line, ld->select_node->col);
		return;
	}
	ld->select_node = m;
	ld->select_file = c->file;
	if (vh_yexpect(c, m, VH_YMAP, "regime_selection") < 0)
		return;
	vh_ymap_check(c, m, part_names, part_names);
	for (int p = 0; p < VH_LEGAL_NPARTS; p++) {
		const struct vh_ynode *v = vh_ymap_get(m, part_names[p]);
		if (v == NULL)
			continue;
		if (v->type == VH_YSCALAR) { /* one date: a list of one */
			int k;
			if (vh_yenum(c, v, part_names[p], datekind_names, &k) == 0)
				l->select[p][l->nselect[p]++] = k;
			continue;
		}
		if (vh_yexpect(c, v, VH_YSEQ, part_names[p]) < 0)
			continue;
		if (v->n == 0)
			vh_yerr(c, v, "%s: name at least one date", part_names[p]);
		for (size_t i = 0; i < v->n; i++) {
			int k;
			bool dup = false;
			if (vh_yenum(c, v->items[i], part_names[p], datekind_names, &k) < 0)
				continue;
			for (size_t j = 0; j < l->nselect[p]; j++)
				dup |= l->select[p][j] == k;
			if (dup)
				vh_yerr(c, v->items[i], "%s: '%s' listed twice",
					part_names[p], datekind_names[k]);
			else if (l->nselect[p] < VH_LEGAL_MAX_SELECT)
				l->select[p][l->nselect[p]++] = k;
		}
	}
}

/* ---- regimes ---- */

static int
form_cmp_weight(const struct vh_legal *l, int a, int b)
{
	return l->forms[a].weight - l->forms[b].weight;
}

static void
parse_formset(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *n,
	      struct vh_legal_formset *fs)
{
	struct vh_legal *l = ld->l;
	int idx[MAX_CODES];
	int k = get_refs(c, n, "form", l->forms, l->nforms, idx);

	if (k < 0)
		return;
	/* insertion sort, lightest first */
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && form_cmp_weight(l, idx[j - 1], idx[j]) > 0; j--) {
			int t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	if ((fs->forms = arena_alloc(ld, (size_t)k, sizeof(int))) == NULL ||
	    (fs->codes = arena_alloc(ld, (size_t)k + 1, sizeof(char *))) == NULL)
		return;
	for (int i = 0; i < k; i++) {
		fs->forms[i] = idx[i];
		fs->codes[i] = l->forms[idx[i]].code;
	}
	fs->n = (size_t)k;
}

static void
parse_forms(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m,
	    struct vh_legal_regime *r)
{
	static const char *const known[] = { "basis", "double_sanction_basis",
					     "by_category", "severities", NULL };
	static const char *const required[] = { "basis", "double_sanction_basis",
						"by_category", NULL };
	struct vh_legal *l = ld->l;
	const struct vh_ynode *n, *bc;

	if (vh_yexpect(c, m, VH_YMAP, "forms") < 0)
		return;
	vh_ymap_check(c, m, known, required);
	/* the severity levels of the regime (Decree 172/2025 has three) */
	if ((n = vh_ymap_get(m, "severities"))) {
		int idx[MAX_CODES], k = get_refs(c, n, "severity", l->severities,
						 l->nseverities, idx);
		if (k == 0)
			vh_yerr(c, n, "severities: name at least one severity");
		if (k > 0 && (r->sev_ok = arena_alloc(ld, l->nseverities, sizeof(bool))) &&
		    (r->sev_codes = arena_alloc(ld, (size_t)k + 1, sizeof(char *)))) {
			for (int i = 0; i < k; i++)
				r->sev_ok[idx[i]] = true;
			k = 0;
			for (size_t i = 0; i < l->nseverities; i++)
				if (r->sev_ok[i])
					r->sev_codes[k++] = l->severities[i].code;
		}
	}
	if ((n = vh_ymap_get(m, "basis")))
		r->forms_basis = get_basis(ld, c, n);
	if ((n = vh_ymap_get(m, "double_sanction_basis")))
		r->double_basis = get_basis(ld, c, n);
	r->sets = arena_alloc(ld, l->ncategories * VH_LEGAL_STATUSES * VH_LEGAL_HOLDINGS,
			      sizeof(*r->sets));
	if ((bc = vh_ymap_get(m, "by_category")) == NULL || r->sets == NULL ||
	    vh_yexpect(c, bc, VH_YMAP, "by_category") < 0)
		return;
	for (size_t i = 0; i + 1 < bc->n; i += 2) {
		const struct vh_ynode *key = bc->items[i], *st = bc->items[i + 1];
		int cat = vh_legal_index(l->categories, l->ncategories, key->value);
		if (cat < 0) {
			vh_yerr(c, key, "by_category: unknown category '%s'", key->value);
			continue;
		}
		if (r->cats && !r->cats[cat]) {
			vh_yerr(c, key, "by_category: '%s' is not among the regime's categories",
				key->value);
			continue;
		}
		if (vh_yexpect(c, st, VH_YMAP, "category forms") < 0)
			continue;
		vh_ymap_check(c, st, status_keys, status_keys);
		for (int s = 0; s < VH_LEGAL_STATUSES; s++) {
			const struct vh_ynode *lm = vh_ymap_get(st, status_keys[s]);
			if (lm == NULL || vh_yexpect(c, lm, VH_YMAP, status_keys[s]) < 0)
				continue;
			/* elected (cán bộ holding an elected office) is optional */
			vh_ymap_check(c, lm, leader_keys, holding_req);
			for (int h = 0; h < VH_LEGAL_HOLDINGS; h++) {
				const struct vh_ynode *fl = vh_ymap_get(lm, leader_keys[h]);
				struct vh_legal_formset *fs =
					&r->sets[((size_t)cat * VH_LEGAL_STATUSES + (size_t)s) *
							 VH_LEGAL_HOLDINGS + (size_t)h];
				if (fl) {
					parse_formset(ld, c, fl, fs);
					fs->given = true;
				}
			}
		}
	}
	for (size_t k = 0; k < l->ncategories; k++)
		if ((r->cats == NULL || r->cats[k]) &&
		    vh_ymap_get(bc, l->categories[k].code) == NULL)
			vh_yerr(c, bc, "by_category: missing category '%s'",
				l->categories[k].code);
}

/* months, or "none" (-1): 0 or -1 after an error */
static int
get_months(struct vh_yctx *c, const struct vh_ynode *n, const char *what, int *out)
{
	long long v;

	if (n->type == VH_YSCALAR && !n->quoted && strcmp(n->value, "none") == 0) {
		*out = -1;
		return 0;
	}
	if (vh_yint(c, n, what, 1, MAX_MONTHS, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static void
parse_effects(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m,
	      struct vh_legal_regime *r)
{
	static const char *const known[] = { "basis", "table", NULL };
	static const char *const row_keys[] = { "categories", "forms", "effect_months",
						"freeze_months", "raise_delay_months", NULL };
	static const char *const row_req[] = { "categories", "forms", "effect_months",
					       "freeze_months", NULL };
	struct vh_legal *l = ld->l;
	const struct vh_ynode *n, *t;
	size_t cells = l->ncategories * l->nforms;

	if (vh_yexpect(c, m, VH_YMAP, "effects") < 0)
		return;
	vh_ymap_check(c, m, known, known);
	if ((n = vh_ymap_get(m, "basis")))
		r->effects_basis = get_basis(ld, c, n);
	r->effect_months = arena_alloc(ld, cells, sizeof(int));
	r->freeze_months = arena_alloc(ld, cells, sizeof(int));
	r->raise_months = arena_alloc(ld, cells, sizeof(int));
	r->effect_set = arena_alloc(ld, cells, sizeof(bool));
	if ((t = vh_ymap_get(m, "table")) == NULL || r->effect_set == NULL ||
	    r->raise_months == NULL ||
	    r->effect_months == NULL || r->freeze_months == NULL ||
	    vh_yexpect(c, t, VH_YSEQ, "table") < 0)
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct vh_ynode *row = t->items[i], *cn, *fn, *en, *zn, *xn;
		int cats[MAX_CODES], forms[MAX_CODES], nc = -1, nf = -1;
		int em = 0, fm = 0, rm = 0;
		bool ok = true;

		if (vh_yexpect(c, row, VH_YMAP, "effects row") < 0)
			continue;
		vh_ymap_check(c, row, row_keys, row_req);
		/* Circular 08/2013 art. 2(3): the regular salary raise delayed */
		if ((xn = vh_ymap_get(row, "raise_delay_months")) &&
		    get_months(c, xn, "raise_delay_months", &rm) < 0)
			ok = false;
		if ((cn = vh_ymap_get(row, "categories")))
			nc = get_refs(c, cn, "category", l->categories, l->ncategories, cats);
		if ((fn = vh_ymap_get(row, "forms")))
			nf = get_refs(c, fn, "form", l->forms, l->nforms, forms);
		if ((en = vh_ymap_get(row, "effect_months")))
			ok &= get_months(c, en, "effect_months", &em) == 0;
		if ((zn = vh_ymap_get(row, "freeze_months")))
			ok &= get_months(c, zn, "freeze_months", &fm) == 0;
		if (!ok || nc < 0 || nf < 0 || en == NULL || zn == NULL)
			continue;
		for (int a = 0; a < nc; a++)
			for (int b = 0; b < nf; b++) {
				size_t x = (size_t)cats[a] * l->nforms + (size_t)forms[b];
				if (r->effect_set[x]) {
					vh_yerr(c, row, "effects: form '%s' of category '%s' already has a row",
						l->forms[forms[b]].code, l->categories[cats[a]].code);
					continue;
				}
				r->effect_set[x] = true;
				r->effect_months[x] = em;
				r->freeze_months[x] = fm;
				r->raise_months[x] = rm > 0 ? rm : 0;
			}
	}
}

/*
 * form, or staff and leader (and optionally elected): into out[0] (staff),
 * out[1] (leader), out[2] (elected; -1: as leader)
 */
static void
ladder_forms(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *row,
	     bool need_both, int out[VH_LEGAL_HOLDINGS])
{
	struct vh_legal *l = ld->l;
	const struct vh_ynode *f = vh_ymap_get(row, "form"), *e;

	out[0] = out[1] = out[2] = -1;
	if ((e = vh_ymap_get(row, "elected")))
		out[2] = get_ref(c, e, "form", l->forms, l->nforms);
	if (f) {
		if (vh_ymap_get(row, "staff") || vh_ymap_get(row, "leader")) {
			vh_yerr(c, f, "ladder row: give either 'form' or 'staff'/'leader'");
			return;
		}
		out[0] = out[1] = get_ref(c, f, "form", l->forms, l->nforms);
		return;
	}
	for (int k = 0; k < 2; k++) {
		const struct vh_ynode *n = vh_ymap_get(row, leader_keys[k]);
		if (n)
			out[k] = get_ref(c, n, "form", l->forms, l->nforms);
	}
	if (need_both && (vh_ymap_get(row, "staff") == NULL ||
			  vh_ymap_get(row, "leader") == NULL))
		vh_yerr(c, row, "ladder row: give 'form', or both 'staff' and 'leader'");
	else if (!vh_ymap_get(row, "staff") && !vh_ymap_get(row, "leader") && e == NULL)
		vh_yerr(c, row, "ladder row: give 'form', 'staff', 'leader' or 'elected'");
}

/* statuses: a bit per status of status_keys */
static unsigned int
get_statuses(struct vh_yctx *c, const struct vh_ynode *n)
{
	unsigned int bits = 0;
	int k;

	if (vh_yexpect(c, n, VH_YSEQ, "statuses") < 0)
		return 0;
	if (n->n == 0)
		vh_yerr(c, n, "statuses: name at least one status");
	for (size_t i = 0; i < n->n; i++)
		if (vh_yenum(c, n->items[i], "statuses", status_keys, &k) == 0)
			bits |= 1u << k;
	return bits;
}

static bool
same_cats(const bool *a, const bool *b, size_t n)
{
	if (a == NULL || b == NULL)
		return a == b;
	return memcmp(a, b, n * sizeof(bool)) == 0;
}

static void
parse_ladder(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m,
	     struct vh_legal_regime *r)
{
	static const char *const known[] = { "basis", "first", "after", "otherwise",
					     "if_not_allowed", "repeat_step_from", NULL };
	static const char *const required[] = { "basis", "first", "otherwise",
						"if_not_allowed", NULL };
	static const char *const first_keys[] = { "severity", "form", "staff", "leader",
						  "elected", "categories", "statuses", NULL };
	static const char *const first_req[] = { "severity", NULL };
	static const char *const after_keys[] = { "in_effect", "form", "staff", "leader",
						  "elected", NULL };
	static const char *const after_req[] = { "in_effect", NULL };
	static const char *const otherwise_names[] = { "one_heavier", "no_step", NULL };
	static const char *const fit_names[] = { "nearest_lighter", "nearest_heavier", NULL };
	static const char *const step_names[] = { "in_effect", "heavier", NULL };
	struct vh_legal *l = ld->l;
	const struct vh_ynode *n;
	int k;

	if (vh_yexpect(c, m, VH_YMAP, "ladder") < 0)
		return;
	vh_ymap_check(c, m, known, required);
	if ((n = vh_ymap_get(m, "basis")))
		r->ladder_basis = get_basis(ld, c, n);
	if ((n = vh_ymap_get(m, "otherwise")) &&
	    vh_yenum(c, n, "otherwise", otherwise_names, &k) == 0)
		r->one_heavier = k == 0;
	if ((n = vh_ymap_get(m, "if_not_allowed")) &&
	    vh_yenum(c, n, "if_not_allowed", fit_names, &k) == 0)
		r->nearest_heavier = k == 1;
	/* default in_effect: the step is from the sanction in effect (Decree 112) */
	if ((n = vh_ymap_get(m, "repeat_step_from")) &&
	    vh_yenum(c, n, "repeat_step_from", step_names, &k) == 0)
		r->step_from_heavier = k == 1;
	r->after = arena_alloc(ld, l->nforms * VH_LEGAL_HOLDINGS, sizeof(int));
	if (r->after == NULL)
		return;
	for (size_t i = 0; i < l->nforms * VH_LEGAL_HOLDINGS; i++)
		r->after[i] = -1;
	if ((n = vh_ymap_get(m, "first")) && vh_yexpect(c, n, VH_YSEQ, "first") == 0) {
		bool *general = arena_alloc(ld, l->nseverities, sizeof(bool));
		if ((r->lrows = arena_alloc(ld, n->n, sizeof(*r->lrows))) == NULL || !general)
			return;
		for (size_t i = 0; i < n->n; i++) {
			const struct vh_ynode *row = n->items[i], *s, *x;
			struct vh_legal_lrow lr = { -1, NULL, 0, { -1, -1, -1 } };
			bool dup = false;
			if (vh_yexpect(c, row, VH_YMAP, "ladder row") < 0)
				continue;
			vh_ymap_check(c, row, first_keys, first_req);
			if ((s = vh_ymap_get(row, "severity")))
				lr.sev = get_ref(c, s, "severity", l->severities, l->nseverities);
			if ((x = vh_ymap_get(row, "categories"))) {
				int idx[MAX_CODES], nc = get_refs(c, x, "category", l->categories,
								  l->ncategories, idx);
				if (nc == 0)
					vh_yerr(c, x, "categories: name at least one category");
				if (nc > 0 &&
				    (lr.cats = arena_alloc(ld, l->ncategories, sizeof(bool))))
					for (int j = 0; j < nc; j++)
						lr.cats[idx[j]] = true;
			}
			if ((x = vh_ymap_get(row, "statuses")) &&
			    (lr.statuses = get_statuses(c, x)) == 0)
				continue; /* an error was reported */
			/* a general row gives staff and leader; a narrower one may give fewer */
			ladder_forms(ld, c, row, lr.cats == NULL && lr.statuses == 0, lr.form);
			if (lr.sev < 0)
				continue;
			if (r->sev_ok && !r->sev_ok[lr.sev]) {
				vh_yerr(c, s, "first: severity '%s' is not a level of this regime",
					l->severities[lr.sev].code);
				continue;
			}
			for (size_t j = 0; j < r->nlrows; j++)
				dup |= r->lrows[j].sev == lr.sev &&
				       r->lrows[j].statuses == lr.statuses &&
				       same_cats(r->lrows[j].cats, lr.cats, l->ncategories);
			if (dup) {
				vh_yerr(c, s, "first: severity '%s' listed twice for the same officials",
					l->severities[lr.sev].code);
				continue;
			}
			if (lr.cats == NULL && lr.statuses == 0)
				general[lr.sev] = true;
			r->lrows[r->nlrows++] = lr;
		}
		for (size_t i = 0; i < l->nseverities; i++)
			if (!general[i] && (r->sev_ok == NULL || r->sev_ok[i]))
				vh_yerr(c, n, "first: missing severity '%s'",
					l->severities[i].code);
	}
	if ((n = vh_ymap_get(m, "after")) && vh_yexpect(c, n, VH_YSEQ, "after") == 0) {
		for (size_t i = 0; i < n->n; i++) {
			const struct vh_ynode *row = n->items[i], *s;
			int in = -1, f[VH_LEGAL_HOLDINGS];
			if (vh_yexpect(c, row, VH_YMAP, "ladder row") < 0)
				continue;
			vh_ymap_check(c, row, after_keys, after_req);
			if ((s = vh_ymap_get(row, "in_effect")))
				in = get_ref(c, s, "form", l->forms, l->nforms);
			ladder_forms(ld, c, row, false, f);
			if (in < 0)
				continue;
			if (r->after[in * VH_LEGAL_HOLDINGS] >= 0 ||
			    r->after[in * VH_LEGAL_HOLDINGS + 1] >= 0 ||
			    r->after[in * VH_LEGAL_HOLDINGS + 2] >= 0) {
				vh_yerr(c, s, "after: in_effect '%s' listed twice",
					l->forms[in].code);
				continue;
			}
			for (int h = 0; h < VH_LEGAL_HOLDINGS; h++)
				r->after[in * VH_LEGAL_HOLDINGS + h] = f[h];
		}
	}
}

static struct vh_legal_gnd *
parse_grounds(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *n,
	      const char *what, size_t *count)
{
	static const char *const keys[] = { "code", "name", NULL };
	struct vh_legal_gnd *g;

	*count = 0;
	if (vh_yexpect(c, n, VH_YSEQ, what) < 0)
		return NULL;
	if (n->n > MAX_CODES) {
		vh_yerr(c, n, "%s: more than %d grounds", what, MAX_CODES);
		return NULL;
	}
	if ((g = arena_alloc(ld, n->n, sizeof(*g))) == NULL)
		return NULL;
	for (size_t i = 0; i < n->n; i++) {
		const struct vh_ynode *m = n->items[i], *x;
		const char *code = NULL, *name = NULL;
		if (vh_yexpect(c, m, VH_YMAP, what) < 0)
			continue;
		vh_ymap_check(c, m, keys, keys);
		if ((x = vh_ymap_get(m, "code")) && vh_ycode(c, x, "code", &code) == 0)
			for (size_t k = 0; k < *count; k++)
				if (strcmp(g[k].code, code) == 0) {
					vh_yerr(c, x, "%s: '%s' listed twice", what, code);
					code = NULL;
					break;
				}
		if ((x = vh_ymap_get(m, "name")))
			name = get_text(ld, c, x, "name");
		if (code == NULL || name == NULL || (code = arena_strdup(ld, code)) == NULL)
			continue;
		g[*count].code = code;
		g[(*count)++].name = name;
	}
	return g;
}

static void
parse_limitation(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m,
		 struct vh_legal_regime *r)
{
	static const char *const known[] = { "basis", "periods", "no_limitation_grounds",
					     "pauses_extend", "after_deferral_days",
					     "applies_to_running", "new_violation_restarts", NULL };
	static const char *const required[] = { "basis", "periods", "no_limitation_grounds",
						NULL };
	static const char *const pkeys[] = { "name", "forms", "classes", "years", "months", NULL };
	static const char *const preq[] = { "name", NULL };
	struct vh_legal *l = ld->l;
	const struct vh_ynode *n, *ps;
	int dflt = -1;
	long long v;

	if (vh_yexpect(c, m, VH_YMAP, "limitation") < 0)
		return;
	vh_ymap_check(c, m, known, required);
	if ((n = vh_ymap_get(m, "basis")))
		r->limitation_basis = get_basis(ld, c, n);
	if ((n = vh_ymap_get(m, "no_limitation_grounds")))
		r->no_limitation = parse_grounds(ld, c, n, "no_limitation_grounds",
						 &r->nno_limitation);
	/* [check] settings, each with its default when left out */
	if ((n = vh_ymap_get(m, "pauses_extend")))
		vh_ybool(c, n, "pauses_extend", &r->pauses_extend);
	r->restarts = true;
	if ((n = vh_ymap_get(m, "new_violation_restarts")))
		vh_ybool(c, n, "new_violation_restarts", &r->restarts);
	if ((n = vh_ymap_get(m, "applies_to_running")))
		vh_ybool(c, n, "applies_to_running", &r->applies_to_running);
	if ((n = vh_ymap_get(m, "after_deferral_days")) &&
	    vh_yint(c, n, "after_deferral_days", 0, MAX_DAYS, &v) == 0)
		r->after_deferral_days = (int)v;
	r->period_of_form = arena_alloc(ld, l->nforms, sizeof(int));
	r->periods = arena_alloc(ld, MAX_PERIODS, sizeof(*r->periods));
	if ((ps = vh_ymap_get(m, "periods")) == NULL || r->periods == NULL ||
	    r->period_of_form == NULL || vh_yexpect(c, ps, VH_YSEQ, "periods") < 0)
		return;
	for (size_t i = 0; i < l->nforms; i++)
		r->period_of_form[i] = -1;
	if (ps->n == 0 || ps->n > MAX_PERIODS) {
		vh_yerr(c, ps, "periods: give 1 to %d periods", MAX_PERIODS);
		return;
	}
	for (size_t i = 0; i < ps->n; i++) {
		const struct vh_ynode *p = ps->items[i], *y, *mo, *fs, *cl;
		struct vh_legal_period per = { NULL, 0, NULL };
		const char *name = NULL;
		int idx[MAX_CODES], nf = 0;

		if (vh_yexpect(c, p, VH_YMAP, "period") < 0)
			continue;
		vh_ymap_check(c, p, pkeys, preq);
		if ((n = vh_ymap_get(p, "name")) && vh_ycode(c, n, "name", &name) == 0)
			for (size_t k = 0; k < r->nperiods; k++)
				if (strcmp(r->periods[k].name, name) == 0) {
					vh_yerr(c, n, "periods: name '%s' listed twice", name);
					name = NULL;
					break;
				}
		y = vh_ymap_get(p, "years");
		mo = vh_ymap_get(p, "months");
		if ((y == NULL) == (mo == NULL))
			vh_yerr(c, p, "period: give exactly one of 'years' or 'months'");
		else if (y && vh_yint(c, y, "years", 1, MAX_MONTHS / 12, &v) == 0)
			per.months = (int)v * 12;
		else if (mo && vh_yint(c, mo, "months", 1, MAX_MONTHS, &v) == 0)
			per.months = (int)v;
		if ((fs = vh_ymap_get(p, "forms")) &&
		    (nf = get_refs(c, fs, "form", l->forms, l->nforms, idx)) < 0)
			continue;
		if ((cl = vh_ymap_get(p, "classes"))) {
			/* a period for rules of these classes, whatever the level */
			if (fs) {
				vh_yerr(c, cl, "period: give 'forms' or 'classes', not both");
				continue;
			}
			if ((per.classes = get_codes(ld, c, cl, "classes")) == NULL)
				continue;
		}
		if (fs == NULL && cl == NULL && dflt >= 0) {
			vh_yerr(c, p, "periods: only one period may leave out 'forms' (the default)");
			continue;
		}
		if (name == NULL || per.months == 0 || (per.name = arena_strdup(ld, name)) == NULL)
			continue;
		for (int k = 0; k < nf; k++) {
			if (r->period_of_form[idx[k]] >= 0) {
				vh_yerr(c, fs, "periods: form '%s' is already in period '%s'",
					l->forms[idx[k]].code,
					r->periods[r->period_of_form[idx[k]]].name);
				continue;
			}
			r->period_of_form[idx[k]] = (int)r->nperiods;
		}
		if (fs == NULL && cl == NULL)
			dflt = (int)r->nperiods;
		r->periods[r->nperiods++] = per;
	}
	for (size_t i = 0; i < l->nforms; i++)
		if (r->period_of_form[i] < 0) {
			if (dflt >= 0)
				r->period_of_form[i] = dflt;
			else if (r->nperiods > 0)
				vh_yerr(c, ps, "periods: form '%s' has no period (add it, or a period without 'forms')",
					l->forms[i].code);
		}
}

/* windows: [{forms?, days|months}], at most one without forms */
static struct vh_legal_window_row *
parse_windows(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *n,
	      const char *what, size_t *count)
{
	static const char *const keys[] = { "forms", "days", "months", NULL };
	struct vh_legal *l = ld->l;
	struct vh_legal_window_row *w;
	bool dflt = false;

	*count = 0;
	if (vh_yexpect(c, n, VH_YSEQ, what) < 0 || n->n > MAX_CODES)
		return NULL;
	if ((w = arena_alloc(ld, n->n, sizeof(*w))) == NULL)
		return NULL;
	for (size_t i = 0; i < n->n; i++) {
		const struct vh_ynode *row = n->items[i], *f, *d, *mo;
		struct vh_legal_window_row x = { NULL, 0, 0 };
		long long v;
		if (vh_yexpect(c, row, VH_YMAP, what) < 0)
			continue;
		vh_ymap_check(c, row, keys, NULL);
		d = vh_ymap_get(row, "days");
		mo = vh_ymap_get(row, "months");
		if ((d == NULL) == (mo == NULL)) {
			vh_yerr(c, row, "%s: give exactly one of 'days' or 'months'", what);
			continue;
		}
		if (d && vh_yint(c, d, "days", 1, MAX_DAYS, &v) == 0)
			x.days = (int)v;
		if (mo && vh_yint(c, mo, "months", 1, MAX_MONTHS, &v) == 0)
			x.months = (int)v;
		if ((f = vh_ymap_get(row, "forms"))) {
			int idx[MAX_CODES], k = get_refs(c, f, "form", l->forms, l->nforms, idx);
			if (k <= 0 || (x.forms = arena_alloc(ld, l->nforms, sizeof(bool))) == NULL)
				continue;
			for (int j = 0; j < k; j++)
				x.forms[idx[j]] = true;
		} else if (dflt) {
			vh_yerr(c, row, "%s: only one row may leave out 'forms'", what);
			continue;
		} else {
			dflt = true;
		}
		if (x.days || x.months)
			w[(*count)++] = x;
	}
	return w;
}

/* the settings of a procedure part added for issue #9, each optional */
static void
parse_procedure_more(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m,
		     struct vh_legal_regime *r)
{
	static const char *const pkeys[] = { "code", "name", "form", NULL };
	struct vh_legal *l = ld->l;
	const struct vh_ynode *n;
	long long v;

	if ((n = vh_ymap_get(m, "complaint_basis")))
		r->complaint_basis = get_basis(ld, c, n);
	if ((n = vh_ymap_get(m, "second_complaint")))
		r->second = parse_windows(ld, c, n, "second_complaint", &r->nsecond);
	if ((n = vh_ymap_get(m, "court_action")))
		r->court = parse_windows(ld, c, n, "court_action", &r->ncourt);
	if ((n = vh_ymap_get(m, "without_council"))) {
		int idx[MAX_CODES], k = get_refs(c, n, "category", l->categories,
						 l->ncategories, idx);
		if (k > 0 && (r->without_council = arena_alloc(ld, l->ncategories, sizeof(bool))))
			for (int i = 0; i < k; i++)
				r->without_council[idx[i]] = true;
	}
	if ((n = vh_ymap_get(m, "no_council_grounds")))
		r->no_council = parse_grounds(ld, c, n, "no_council_grounds", &r->nno_council);
	if ((n = vh_ymap_get(m, "party_decision_days")) &&
	    vh_yint(c, n, "party_decision_days", 1, MAX_DAYS, &v) == 0)
		r->party_days = (int)v;
	if ((n = vh_ymap_get(m, "party_forms")) && vh_yexpect(c, n, VH_YSEQ, "party_forms") == 0 &&
	    (r->party = arena_alloc(ld, n->n, sizeof(*r->party)))) {
		for (size_t i = 0; i < n->n; i++) {
			const struct vh_ynode *row = n->items[i], *x;
			struct vh_legal_party pf = { NULL, NULL, -1 };
			const char *code = NULL;
			if (vh_yexpect(c, row, VH_YMAP, "party_forms") < 0)
				continue;
			vh_ymap_check(c, row, pkeys, pkeys);
			if ((x = vh_ymap_get(row, "code")) && vh_ycode(c, x, "code", &code) == 0)
				pf.code = arena_strdup(ld, code);
			if ((x = vh_ymap_get(row, "name")))
				pf.name = get_text(ld, c, x, "name");
			/* "heaviest": the heaviest form the official can receive */
			if ((x = vh_ymap_get(row, "form")) &&
			    !(x->type == VH_YSCALAR && strcmp(x->value, "heaviest") == 0) &&
			    (pf.form = get_ref(c, x, "form", l->forms, l->nforms)) < 0)
				continue;
			if (pf.code && pf.name)
				r->party[r->nparty++] = pf;
		}
	}
	if ((n = vh_ymap_get(m, "open_case_blocks")))
		r->blocks = parse_grounds(ld, c, n, "open_case_blocks", &r->nblocks);
	if ((n = vh_ymap_get(m, "open_case_basis")))
		r->blocks_basis = get_basis(ld, c, n);
	/* [check] Civil Code art. 148: default off */
	if ((n = vh_ymap_get(m, "next_working_day")))
		vh_ybool(c, n, "next_working_day", &r->next_working_day);
	if ((n = vh_ymap_get(m, "holidays")) && vh_yexpect(c, n, VH_YSEQ, "holidays") == 0 &&
	    (r->holidays = arena_alloc(ld, n->n, sizeof(vh_date)))) {
		for (size_t i = 0; i < n->n; i++) {
			vh_date d;
			if (vh_ydate(c, n->items[i], "holidays", &d) == 0)
				r->holidays[r->nholidays++] = d;
		}
	}
}

static void
parse_procedure(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m,
		struct vh_legal_regime *r)
{
	static const char *const known[] = { "basis", "handling_days", "complex_handling_days",
					     "deferral_grounds", "waiver_grounds",
					     "complaint_days", "complaint_basis",
					     "second_complaint", "court_action", "without_council",
					     "no_council_grounds", "party_decision_days",
					     "party_forms", "next_working_day", "holidays",
					     "open_case_blocks", "open_case_basis", NULL };
	static const char *const required[] = { "basis", "handling_days",
						"complex_handling_days", "deferral_grounds",
						"waiver_grounds", NULL };
	const struct vh_ynode *n, *cx;
	long long v;

	if (vh_yexpect(c, m, VH_YMAP, "procedure") < 0)
		return;
	vh_ymap_check(c, m, known, required);
	/* optional: without it the tables set no window for complaints */
	if ((n = vh_ymap_get(m, "complaint_days")) &&
	    vh_yint(c, n, "complaint_days", 1, MAX_DAYS, &v) == 0)
		r->complaint_days = (int)v;
	if ((n = vh_ymap_get(m, "basis")))
		r->procedure_basis = get_basis(ld, c, n);
	if ((n = vh_ymap_get(m, "handling_days")) &&
	    vh_yint(c, n, "handling_days", 1, MAX_DAYS, &v) == 0)
		r->handling_days = (int)v;
	if ((cx = vh_ymap_get(m, "complex_handling_days")) &&
	    vh_yint(c, cx, "complex_handling_days", 1, MAX_DAYS, &v) == 0) {
		r->complex_days = (int)v;
		if (r->handling_days && r->complex_days < r->handling_days)
			vh_yerr(c, cx, "complex_handling_days: %d is less than handling_days (%d)",
				r->complex_days, r->handling_days);
	}
	if ((n = vh_ymap_get(m, "deferral_grounds")))
		r->deferral = parse_grounds(ld, c, n, "deferral_grounds", &r->ndeferral);
	if ((n = vh_ymap_get(m, "waiver_grounds")))
		r->waiver = parse_grounds(ld, c, n, "waiver_grounds", &r->nwaiver);
	parse_procedure_more(ld, c, m, r);
}

static void
parse_regime(struct loader *ld, struct vh_yctx *c, const struct vh_ynode *m)
{
	static const char *const known[] = { "id", "name", "valid_from", "valid_to", "basis",
					     "categories", "forms", "ladder", "effects",
					     "limitation", "procedure", NULL };
	static const char *const required[] = { "id", "name", "valid_from", "basis", NULL };
	typedef void (*part_fn)(struct loader *, struct vh_yctx *, const struct vh_ynode *,
				struct vh_legal_regime *);
	static const part_fn parts[VH_LEGAL_NPARTS] = {
		parse_forms, parse_ladder, parse_effects, parse_limitation, parse_procedure,
	};
	struct vh_legal *l = ld->l;
	struct vh_legal_regime *r;
	const struct vh_ynode *n, *to = NULL;
	const char *id;
	bool any = false;

	if (vh_yexpect(c, m, VH_YMAP, "regime") < 0)
		return;
	if (l->nregimes >= MAX_REGIMES) {
		vh_yerr(c, m, "more than %d regimes", MAX_REGIMES);
		return;
	}
	r = &l->regimes[l->nregimes];
	memset(r, 0, sizeof(*r));
	r->file = c->file;
	r->to = VH_DATE_NONE;
	vh_ymap_check(c, m, known, required);
	if ((n = vh_ymap_get(m, "id")) && vh_ycode(c, n, "id", &id) == 0) {
		for (size_t k = 0; k < l->nregimes; k++)
			if (strcmp(l->regimes[k].id, id) == 0) {
				vh_yerr(c, n, "regime '%s' is defined twice", id);
				id = NULL;
				break;
			}
		if (id)
			r->id = arena_strdup(ld, id);
	}
	if ((n = vh_ymap_get(m, "name")))
		r->name = get_text(ld, c, n, "name");
	if ((n = vh_ymap_get(m, "basis")))
		r->basis = get_basis(ld, c, n);
	if ((n = vh_ymap_get(m, "valid_from")) && vh_ydate(c, n, "valid_from", &r->from) < 0)
		n = NULL;
	if (n) {
		r->from_line = n->line;
		r->from_col = n->col;
	}
	if ((to = vh_ymap_get(m, "valid_to")) && vh_ydate(c, to, "valid_to", &r->to) == 0 &&
	    n && r->to < r->from) {
		char a[VH_DATE_STRLEN], b[VH_DATE_STRLEN];
		vh_date_format(a, r->from);
		vh_date_format(b, r->to);
		vh_yerr(c, to, "valid_to: %s is before valid_from %s", b, a);
		to = NULL;
		n = NULL;
	} else if (to && r->to == VH_DATE_NONE) {
		n = NULL; /* a bad valid_to */
	}
	r->dates_ok = n != NULL;
	/* a regime for some categories only: it wins over one for all of them */
	if ((n = vh_ymap_get(m, "categories"))) {
		int idx[MAX_CODES], k = get_refs(c, n, "category", l->categories,
						 l->ncategories, idx);
		if (n->type == VH_YSEQ && n->n == 0)
			vh_yerr(c, n, "categories: name at least one category");
		/* even after an error the regime is for some categories only */
		if ((r->cats = arena_alloc(ld, l->ncategories, sizeof(bool))))
			for (int i = 0; i < k; i++)
				r->cats[idx[i]] = true;
	}
	for (int p = 0; p < VH_LEGAL_NPARTS; p++) {
		const struct vh_ynode *pn = vh_ymap_get(m, part_names[p]);
		if (pn == NULL)
			continue;
		any = true;
		r->has[p] = true;
		parts[p](ld, c, pn, r);
	}
	if (!any)
		vh_yerr(c, m, "regime: give at least one of forms, ladder, effects, limitation, procedure");
	/* every form a category may receive needs its effects */
	if (r->has[VH_LEGAL_FORMS] && r->has[VH_LEGAL_EFFECTS] && r->sets && r->effect_set) {
		const struct vh_ynode *en = vh_ymap_get(m, "effects");
		for (size_t cat = 0; cat < l->ncategories; cat++) {
			bool *told = arena_alloc(ld, l->nforms, sizeof(bool));
			for (size_t s = 0; told && s < VH_LEGAL_STATUSES * VH_LEGAL_HOLDINGS; s++) {
				const struct vh_legal_formset *fs =
					&r->sets[cat * VH_LEGAL_STATUSES * VH_LEGAL_HOLDINGS + s];
				for (size_t k = 0; k < fs->n; k++) {
					int f = fs->forms[k];
					if (r->effect_set[cat * l->nforms + (size_t)f] || told[f])
						continue;
					told[f] = true;
					vh_yerr(c, en, "effects: no row for form '%s' of category '%s'",
						l->forms[f].code, l->categories[cat].code);
				}
			}
		}
	}
	if (r->id)
		l->nregimes++;
}

/* ---- the set ---- */

struct file {
	const char *name;
	struct vh_ydoc *doc;
};

static void
check_overlaps(struct loader *ld)
{
	struct vh_legal *l = ld->l;

	for (int p = 0; p < VH_LEGAL_NPARTS; p++) {
		bool found = false;
		for (size_t j = 0; j < l->nregimes; j++) {
			const struct vh_legal_regime *b = &l->regimes[j];
			if (!b->has[p])
				continue;
			found = true;
			for (size_t i = 0; i < j; i++) {
				const struct vh_legal_regime *a = &l->regimes[i];
				char f[VH_DATE_STRLEN], t[VH_DATE_STRLEN];
				bool shared = (a->cats == NULL) == (b->cats == NULL);
				/* two regimes for some categories clash on a shared one */
				if (a->cats && b->cats) {
					shared = false;
					for (size_t k = 0; k < l->ncategories; k++)
						shared |= a->cats[k] && b->cats[k];
				}
				if (!shared || !a->has[p] || !a->dates_ok || !b->dates_ok ||
				    a->from > b->to || b->from > a->to)
					continue;
				vh_date_format(f, a->from);
				if (a->to == VH_DATE_NONE)
					snprintf(t, sizeof(t), "open");
				else
					vh_date_format(t, a->to);
				vh_diag_add(ld->d, b->file, b->from_line, b->from_col,
					    "%s: regime '%s' overlaps regime '%s' (%s..%s)",
					    part_names[p], b->id, a->id, f, t);
			}
		}
		if (!found && l->nregimes > 0)
			vh_diag_add(ld->d, l->regimes[0].file, 1, 1,
				    "no regime gives '%s'", part_names[p]);
	}
}

static const char **
codes_of(struct loader *ld, const struct vh_legal_entry *e, size_t n)
{
	const char **out = arena_alloc(ld, n + 1, sizeof(*out));

	for (size_t i = 0; out && i < n; i++)
		out[i] = e[i].code;
	return out;
}

static int
load_set(struct vh_legal **out, size_t n, const char *const *names,
	 const char *const *bufs, const size_t *lens, bool complete,
	 struct vh_diag *d)
{
	static const char *const top[] = { "description", "categories", "severities",
					   "forms", "regime_selection", "regimes", NULL };
	struct loader ld;
	struct file *files = NULL;
	struct vh_legal *l = NULL;
	size_t before = vh_diag_count(d);
	vh_sha256 *h = NULL;
	int r = -1;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.d = d;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->arena = calloc(1, sizeof(*l->arena))) == NULL ||
	    (files = calloc(n ? n : 1, sizeof(*files))) == NULL)
		goto oom;
	ld.l = l;
	if ((l->regimes = arena_alloc(&ld, MAX_REGIMES, sizeof(*l->regimes))) == NULL)
		goto oom;
	if ((h = vh_sha256_new()) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		files[i].name = names[i];
		vh_sha256_update(h, bufs[i], lens[i]);
		if (lens[i] > VH_LEGAL_MAX_BYTES) {
			vh_diag_add(d, names[i], 1, 1, "file is larger than %d bytes",
				    VH_LEGAL_MAX_BYTES);
			complete = false;
			continue;
		}
		if (vh_ydoc_parse(&files[i].doc, names[i], bufs[i], lens[i], NULL, d) < 0) {
			complete = false;
			continue;
		}
		if (files[i].doc->root == NULL) {
			vh_diag_add(d, names[i], 1, 1,
				    "empty file: expected a mapping of categories, severities, forms, regime_selection, regimes");
			complete = false;
		} else if (files[i].doc->root->type != VH_YMAP) {
			struct vh_yctx c = { names[i], d };
			vh_yexpect(&c, files[i].doc->root, VH_YMAP, "legal tables");
			complete = false;
		} else {
			struct vh_yctx c = { names[i], d };
			vh_ymap_check(&c, files[i].doc->root, top, NULL);
		}
	}
	if (n == 0)
		vh_diag_add(d, NULL, 0, 0, "no legal table files");
	/* the vocabulary first: regimes refer to it across files */
	for (size_t i = 0; i < n; i++) {
		struct vh_yctx c = { names[i], d };
		const struct vh_ynode *root = files[i].doc ? files[i].doc->root : NULL, *x;
		if (root == NULL || root->type != VH_YMAP)
			continue;
		if ((x = vh_ymap_get(root, "categories")))
			parse_vocab(&ld, &c, x, 0);
		if ((x = vh_ymap_get(root, "severities")))
			parse_vocab(&ld, &c, x, 1);
		if ((x = vh_ymap_get(root, "forms")))
			parse_vocab(&ld, &c, x, 2);
		if ((x = vh_ymap_get(root, "regime_selection")))
			parse_selection(&ld, &c, x);
	}
	if (complete && n > 0) {
		static const char *const what[] = { "categories", "severities", "forms" };
		for (int k = 0; k < 3; k++)
			if (!ld.vocab_seen[k])
				vh_diag_add(d, names[0], 1, 1, "no file defines '%s'", what[k]);
		if (ld.select_node == NULL)
			vh_diag_add(d, names[0], 1, 1, "no file gives 'regime_selection'");
	}
	for (size_t i = 0; i < n; i++) {
		struct vh_yctx c = { names[i], d };
		const struct vh_ynode *root = files[i].doc ? files[i].doc->root : NULL, *x;
		if (root == NULL || root->type != VH_YMAP ||
		    (x = vh_ymap_get(root, "regimes")) == NULL ||
		    vh_yexpect(&c, x, VH_YSEQ, "regimes") < 0)
			continue;
		for (size_t k = 0; k < x->n; k++)
			parse_regime(&ld, &c, x->items[k]);
	}
	if (complete && n > 0 && l->nregimes == 0)
		vh_diag_add(d, names[0], 1, 1, "no file defines 'regimes'");
	if (complete)
		check_overlaps(&ld);
	l->category_codes = codes_of(&ld, l->categories, l->ncategories);
	l->severity_codes = codes_of(&ld, l->severities, l->nseverities);
	if (vh_sha256_final(h, l->hash) < 0)
		ld.oom = true;
	if (ld.oom)
		goto oom;
	if (vh_diag_count(d) != before)
		goto out;
	*out = l;
	l = NULL;
	r = 0;
	goto out;
oom:
	vh_diag_add(d, n ? names[0] : NULL, 0, 0, "out of memory");
out:
	vh_sha256_free(h);
	for (size_t i = 0; files && i < n; i++)
		vh_ydoc_free(files[i].doc);
	free(files);
	vh_legal_free(l);
	return r;
}

int
vh_legal_load_buffers(struct vh_legal **out, size_t n, const char *const *names,
		      const char *const *bufs, const size_t *lens, struct vh_diag *d)
{
	*out = NULL;
	for (size_t i = 0; i < n; i++)
		if (names == NULL || bufs == NULL || lens == NULL || names[i] == NULL ||
		    bufs[i] == NULL) {
			vh_diag_add(d, names && names[i] ? names[i] : NULL, 0, 0,
				    "no content");
			return -1;
		}
	return load_set(out, n, names, bufs, lens, true, d);
}

int
vh_legal_load_path(struct vh_legal **out, const char *path, struct vh_diag *d)
{
	struct vh_legal *l = NULL;
	struct vh_files f;
	int r = -1;

	*out = NULL;
	if (vh_files_read(&f, path, VH_LEGAL_MAX_BYTES, d) == 0) {
		r = load_set(out, f.n, (const char *const *)f.names,
			     (const char *const *)f.bufs, f.lens, true, d);
	} else if (f.n > 0) {
		/* still report every error of the files that could be read */
		load_set(&l, f.n, (const char *const *)f.names, (const char *const *)f.bufs,
			 f.lens, false, d);
		vh_legal_free(l);
	}
	vh_files_free(&f);
	return r;
}

void
vh_legal_free(struct vh_legal *l)
{
	if (l == NULL)
		return;
	arena_free(l->arena);
	free(l);
}

const char *
vh_legal_hash(const struct vh_legal *l)
{
	return l->hash;
}

void
vh_legal_vocab(const struct vh_legal *l, struct vh_vocab *out)
{
	out->categories = l->category_codes;
	out->severities = l->severity_codes;
}

bool
vh_legal_has_category(const struct vh_legal *l, const char *code)
{
	return vh_legal_index(l->categories, l->ncategories, code) >= 0;
}

bool
vh_legal_has_severity(const struct vh_legal *l, const char *code)
{
	return vh_legal_index(l->severities, l->nseverities, code) >= 0;
}

bool
vh_legal_has_form(const struct vh_legal *l, const char *code)
{
	return vh_legal_index(l->forms, l->nforms, code) >= 0;
}
