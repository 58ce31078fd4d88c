/*
 * The fast check of one case for `audit verify`: see vfast.h. Values are
 * kept as their JSON text in PostgreSQL's escaping (jsonb output), so two
 * values are equal exactly when their texts are; objects are sorted by key
 * once, which gives jansson's canonical form (JSON_COMPACT |
 * JSON_SORT_KEYS) for hashing. Everything of a case lives in one arena,
 * emptied when the next case begins.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "vfast.h"

const char *const vhd_case_facts[] = { "year", "seq", "official_id", "unit_id",
				       "rule_version_id", "source", "reporter", "occurred_on",
				       "detected_on", "place", "description", NULL };

/* ---- the arena ---- */

struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

static void *
arena_alloc(struct block **a, size_t n)
{
	struct block *b = *a;

	n = (n + 7) & ~(size_t)7;
	if (b == NULL || b->used + n > b->cap) {
		size_t cap = n > 65536 ? n : 65536;
		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->next = *a;
		b->used = 0;
		b->cap = cap;
		*a = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

/* keep the first block, free the others */
static void
arena_reset(struct block **a)
{
	while (*a && (*a)->next) {
		struct block *n = (*a)->next;
		free(*a);
		*a = n;
	}
	if (*a)
		(*a)->used = 0;
}

static char *
arena_dup(struct block **a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* ---- values ---- */

/* o object, a array, s string (text with its quotes), # integer, t f z */
struct vn {
	char t;
	int nk;
	const char *s, *k; /* text of a scalar; key in an object (unescaped = raw) */
	size_t n, kn;
	struct vn *kids;
};

#define MAX_KIDS 128
#define MAX_DEPTH 8

struct field {
	const char *k;
	size_t kn;
	struct vn *v;
};

struct row {
	const char *k;
	size_t kn;
	int nf, cap;
	struct field *f;
	bool live_seen;
};

struct vf {
	struct block *arena;
	char *buf; /* the hashed text */
	size_t len, cap;
	bool bad;  /* not proven */
	const char *number, *head, *prev;
	long long count, expect;
	/* the rows as the events say, and as stored */
	struct row *replay, *live;
	int nreplay, nlive, capreplay, caplive;
	vh_sha256 *sha; /* one context for every event hashed */
};

static int
keycmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : an < bn ? -1 : an > bn ? 1 : 0;
}

static const char *
ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* a string at p (on its quote): its end after the closing quote, NULL when
 * outside the common form (a \u escape: jansson writes other hex digits) */
static const char *
str_end(const char *p, bool *escaped)
{
	*escaped = false;
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\') {
			*escaped = true;
			if (p[1] == 'u' || p[1] == 0)
				return NULL;
			p++;
		} else if ((unsigned char)*p < 0x20)
			return NULL;
	return *p == '"' ? p + 1 : NULL;
}

static const char *parse(struct vf *v, const char *p, struct vn *out, int depth);

static int
kid_cmp(const void *a, const void *b)
{
	const struct vn *x = a, *y = b;

	return keycmp(x->k, x->kn, y->k, y->kn);
}

static const char *
parse_container(struct vf *v, const char *p, struct vn *out, int depth)
{
	struct vn kids[MAX_KIDS];
	bool obj = *p == '{';
	char close = obj ? '}' : ']';
	int n = 0;

	out->t = obj ? 'o' : 'a';
	p = ws(p + 1);
	if (*p != close)
		for (;;) {
			bool esc;
			if (n == MAX_KIDS)
				return NULL;
			memset(&kids[n], 0, sizeof(kids[n]));
			if (obj) {
				const char *e;
				if (*p != '"' || (e = str_end(p, &esc)) == NULL || esc)
					return NULL;
				kids[n].k = p + 1;
				kids[n].kn = (size_t)(e - p - 2);
				p = ws(e);
				if (*p++ != ':')
					return NULL;
			}
			if ((p = parse(v, p, &kids[n], depth + 1)) == NULL)
				return NULL;
			n++;
			p = ws(p);
			if (*p == ',') {
				p = ws(p + 1);
				continue;
			}
			if (*p != close)
				return NULL;
			break;
		}
	out->nk = n;
	if (n && (out->kids = arena_alloc(&v->arena, sizeof(*kids) * (size_t)n)) == NULL)
		return NULL;
	if (n)
		memcpy(out->kids, kids, sizeof(*kids) * (size_t)n);
	if (obj && n > 1) {
		/* sorted by insertion: objects have few keys, mostly in order
		 * already (jsonb's: by length, then bytes), and glibc's qsort
		 * allocates its merge buffer past 1 KiB (qsort, malloc and free
		 * were 8 % of vhcvd's CPU in a verify); the order is the same */
		for (int i = 1; i < n; i++) {
			struct vn t = out->kids[i];
			int j = i;
			for (; j > 0 && kid_cmp(&out->kids[j - 1], &t) > 0; j--)
				out->kids[j] = out->kids[j - 1];
			out->kids[j] = t;
		}
		for (int i = 1; i < n; i++)
			if (kid_cmp(&out->kids[i - 1], &out->kids[i]) == 0)
				return NULL;
	}
	return p + 1;
}

/* parse one value of text that lives as long as the case (the arena) */
static const char *
parse(struct vf *v, const char *p, struct vn *out, int depth)
{
	const char *s;
	bool esc;

	if (depth > MAX_DEPTH)
		return NULL;
	p = ws(p);
	out->s = p;
	switch (*p) {
	case '{':
	case '[':
		return parse_container(v, p, out, depth);
	case '"':
		if ((s = str_end(p, &esc)) == NULL)
			return NULL;
		out->t = 's';
		break;
	case 't':
	case 'f':
	case 'n':
		s = p + (*p == 'f' ? 5 : 4);
		if (strncmp(p, *p == 't' ? "true" : *p == 'f' ? "false" : "null",
			    (size_t)(s - p)) != 0)
			return NULL;
		out->t = *p == 'n' ? 'z' : *p;
		break;
	default:
		/* integers only, as jansson writes them back: no -0, no leading 0,
		 * at most 18 digits; anything else is for the full check */
		s = p + (*p == '-');
		if (!isdigit((unsigned char)*s) || (s[0] == '0' && isdigit((unsigned char)s[1])) ||
		    (*p == '-' && s[0] == '0'))
			return NULL;
		while (isdigit((unsigned char)*s))
			s++;
		if (s - p > 18 || *s == '.' || *s == 'e' || *s == 'E')
			return NULL;
		out->t = '#';
	}
	out->n = (size_t)(s - p);
	return s;
}

static bool
eq(const struct vn *a, const struct vn *b)
{
	if (a->t != b->t)
		return false;
	if (a->t != 'o' && a->t != 'a')
		return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
	if (a->nk != b->nk)
		return false;
	for (int i = 0; i < a->nk; i++)
		if ((a->t == 'o' && keycmp(a->kids[i].k, a->kids[i].kn, b->kids[i].k,
					   b->kids[i].kn) != 0) ||
		    !eq(&a->kids[i], &b->kids[i]))
			return false;
	return true;
}

static const struct vn *
get(const struct vn *o, const char *k)
{
	size_t kn = strlen(k);

	for (int i = 0; o && o->t == 'o' && i < o->nk; i++)
		if (o->kids[i].kn == kn && memcmp(o->kids[i].k, k, kn) == 0)
			return &o->kids[i];
	return NULL;
}

/* ---- the canonical text, into v->buf ---- */

static bool
put(struct vf *v, const char *s, size_t n)
{
	if (v->len + n + 1 > v->cap) {
		size_t cap = v->cap ? v->cap : 4096;
		char *b;
		while (v->len + n + 1 > cap)
			cap *= 2;
		if ((b = realloc(v->buf, cap)) == NULL)
			return false;
		v->buf = b;
		v->cap = cap;
	}
	memcpy(v->buf + v->len, s, n);
	v->len += n;
	return true;
}

static bool
canon(struct vf *v, const struct vn *x)
{
	bool ok;

	if (x->t != 'o' && x->t != 'a')
		return put(v, x->s, x->n);
	ok = put(v, x->t == 'o' ? "{" : "[", 1);
	for (int i = 0; ok && i < x->nk; i++) {
		if (i)
			ok = put(v, ",", 1);
		if (ok && x->t == 'o')
			ok = put(v, "\"", 1) && put(v, x->kids[i].k, x->kids[i].kn) &&
			     put(v, "\":", 2);
		ok = ok && canon(v, &x->kids[i]);
	}
	return ok && put(v, x->t == 'o' ? "}" : "]", 1);
}

/* ---- rows ---- */

static struct row *
find_row(struct row *rows, int n, const char *k, size_t kn)
{
	for (int i = 0; i < n; i++)
		if (rows[i].kn == kn && memcmp(rows[i].k, k, kn) == 0)
			return &rows[i];
	return NULL;
}

static struct row *
add_row(struct vf *v, struct row **rows, int *n, int *cap, const char *k, size_t kn)
{
	struct row *r;

	if (*n == *cap) {
		int c = *cap ? *cap * 2 : 16;
		struct row *nr = realloc(*rows, sizeof(**rows) * (size_t)c);
		if (nr == NULL)
			return NULL;
		*rows = nr;
		*cap = c;
	}
	r = &(*rows)[(*n)++];
	memset(r, 0, sizeof(*r));
	if ((r->k = arena_dup(&v->arena, k, kn)) == NULL)
		return NULL;
	r->kn = kn;
	return r;
}

static struct field *
find_field(struct row *r, const char *k, size_t kn)
{
	for (int i = 0; i < r->nf; i++)
		if (r->f[i].kn == kn && memcmp(r->f[i].k, k, kn) == 0)
			return &r->f[i];
	return NULL;
}

/* add a field the row does not have (fields in the arena, grown by doubling) */
static bool
add_field(struct vf *v, struct row *r, const char *k, size_t kn, struct vn *val)
{
	if (r->nf == r->cap) {
		int c = r->cap ? r->cap * 2 : 32;
		struct field *nf = arena_alloc(&v->arena, sizeof(*nf) * (size_t)c);
		if (nf == NULL)
			return false;
		if (r->nf)
			memcpy(nf, r->f, sizeof(*nf) * (size_t)r->nf);
		r->f = nf;
		r->cap = c;
	}
	r->f[r->nf++] = (struct field){ k, kn, val };
	return true;
}

/* set a field of a row */
static bool
set_field(struct vf *v, struct row *r, const char *k, size_t kn, struct vn *val)
{
	struct field *f = find_field(r, k, kn);

	if (f) {
		f->v = val;
		return true;
	}
	return add_field(v, r, k, kn, val);
}

/* a value of a stored row as the JSON text to_jsonb() gives it */
static struct vn *
live_value(struct vf *v, char type, const char *s, size_t n, bool null)
{
	struct vn *x = arena_alloc(&v->arena, sizeof(*x));
	char *t;
	size_t j = 0;

	if (x == NULL)
		return NULL;
	memset(x, 0, sizeof(*x));
	if (null) {
		x->t = 'z';
		x->s = "null";
		x->n = 4;
		return x;
	}
	switch (type) {
	case 'n':
		x->t = '#';
		x->s = arena_dup(&v->arena, s, n);
		x->n = n;
		for (size_t i = s[0] == '-'; i < n; i++)
			if (!isdigit((unsigned char)s[i]))
				return NULL;
		return x->s && n > (size_t)(s[0] == '-') && n <= 18 ? x : NULL;
	case 'b':
		x->t = n == 1 && *s == 't' ? 't' : 'f';
		x->s = x->t == 't' ? "true" : "false";
		x->n = strlen(x->s);
		return n == 1 && (*s == 't' || *s == 'f') ? x : NULL;
	case 'd':
		if (n != 10 || s[4] != '-' || s[7] != '-')
			return NULL;
		/* a date is its ISO text */
		__attribute__((fallthrough));
	case 's':
		/* escaped as PostgreSQL's escape_json() does */
		if ((t = arena_alloc(&v->arena, n * 6 + 3)) == NULL)
			return NULL;
		t[j++] = '"';
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b"
				      : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
				      : c == '\t' ? "\\t" : NULL;
			if (e) {
				memcpy(t + j, e, 2);
				j += 2;
			} else if (c < 0x20) {
				return NULL; /* \u00XX: for the full check */
			} else {
				t[j++] = (char)c;
			}
		}
		t[j++] = '"';
		x->t = 's';
		x->s = t;
		x->n = j;
		return x;
	case 'j': {
		char *d = arena_dup(&v->arena, s, n);
		const char *e;
		if (d == NULL || (e = parse(v, d, x, 1)) == NULL || *ws(e))
			return NULL;
		return x;
	}
	}
	return NULL;
}

void
vf_row(struct vf *v, const char *key, const struct vf_table *t, const char *rec)
{
	struct row *r;
	const char *p = rec;
	char *tmp;
	size_t kn;

	if (v->bad)
		return;
	if (key == NULL || rec == NULL || find_row(v->live, v->nlive, key, kn = strlen(key)) ||
	    (r = add_row(v, &v->live, &v->nlive, &v->caplive, key, kn)) == NULL ||
	    *p++ != '(')
		goto bad;
	/* a record's text: fields by commas, empty for NULL, quoted with ""
	 * and \ escaping when needed (record_out) */
	for (int c = 0; c < t->ncols; c++) {
		struct vn *x;
		size_t n = 0;
		bool quoted = *p == '"';

		if (quoted) {
			if ((tmp = arena_alloc(&v->arena, strlen(p))) == NULL)
				goto bad;
			for (p++; *p; p++) {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				tmp[n++] = *p;
			}
			if (*p++ != '"')
				goto bad;
			x = live_value(v, t->types[c], tmp, n, false);
		} else {
			const char *s = p;
			while (*p && *p != ',' && *p != ')')
				p++;
			x = live_value(v, t->types[c], s, (size_t)(p - s), p == s);
		}
		/* (a new row, and a table's column names are distinct: no
		 * search for the field, which was a tenth of the walk's CPU) */
		if (x == NULL || !add_field(v, r, t->names[c], t->lens[c], x) ||
		    *p++ != (c == t->ncols - 1 ? ')' : ','))
			goto bad;
	}
	if (*p)
		goto bad;
	return;
bad:
	v->bad = true;
}

/* ---- events ---- */

/* timestamptz text in UTC ("2026-11-30 03:01:48.12+00") as events hash it */
static bool
event_time(char out[40], const char *at)
{
	size_t n = strlen(at), frac = 0;

	if (n < 22 || at[10] != ' ' || strcmp(at + n - 3, "+00") != 0 || at[4] != '-' ||
	    at[19] != (n == 22 ? '+' : '.'))
		return false;
	if (n > 22) {
		frac = n - 23;
		if (frac < 1 || frac > 6)
			return false;
	}
	memcpy(out, at, 19);
	out[10] = 'T';
	out[19] = '.';
	memcpy(out + 20, n > 22 ? at + 20 : "", frac);
	memset(out + 20 + frac, '0', 6 - frac);
	memcpy(out + 26, "Z", 2);
	return true;
}

static bool
listed(const char *k, size_t kn)
{
	for (const char *const *l = vhd_case_facts; *l; l++)
		if (strlen(*l) == kn && memcmp(*l, k, kn) == 0)
			return true;
	return false;
}

/* as check_change() in events.c, but only "is every change one vhcvd
 * makes", and stricter where the full check would have to say more */
static bool
change_ok(struct vf *v, const struct vn *diff, const struct vn *data)
{
	struct row *was = find_row(v->replay, v->nreplay, "case", 4);
	const struct vn *from = get(data, "from"), *to = get(data, "to");

	if (was == NULL)
		return true;
	if (from) {
		struct field *st = find_field(was, "status", 6);
		if (from->t != 's' || st == NULL || !eq(from, st->v))
			return false;
	}
	for (int i = 0; i < diff->nk; i++) {
		const struct vn *rv = &diff->kids[i];
		struct row *r = find_row(v->replay, v->nreplay, rv->k, rv->kn);
		bool is_case = rv->kn == 4 && memcmp(rv->k, "case", 4) == 0;
		bool is_pause = rv->kn > 6 && memcmp(rv->k, "pause:", 6) == 0;

		if (rv->t != 'o')
			return false;
		if (r == NULL)
			continue;
		for (int j = 0; j < rv->nk; j++) {
			const struct vn *f = &rv->kids[j];
			if (is_case) {
				if (listed(f->k, f->kn) ||
				    (f->kn == 6 && memcmp(f->k, "status", 6) == 0 &&
				     (to == NULL || !eq(f, to))))
					return false;
			} else {
				struct field *old = find_field(r, f->k, f->kn);
				if (!is_pause || f->kn != 8 || memcmp(f->k, "ended_on", 8) != 0 ||
				    old == NULL || old->v->t != 'z')
					return false;
			}
		}
	}
	return true;
}

static bool
apply(struct vf *v, const struct vn *diff)
{
	for (int i = 0; i < diff->nk; i++) {
		struct vn *rv = &diff->kids[i];
		struct row *r = find_row(v->replay, v->nreplay, rv->k, rv->kn);

		if (rv->t != 'o')
			return false;
		if (r == NULL &&
		    (r = add_row(v, &v->replay, &v->nreplay, &v->capreplay, rv->k, rv->kn)) == NULL)
			return false;
		for (int j = 0; j < rv->nk; j++)
			if (!set_field(v, r, rv->kids[j].k, rv->kids[j].kn, &rv->kids[j]))
				return false;
	}
	return true;
}

void
vf_event(struct vf *v, long long seq, const char *kind, const char *actor, const char *at,
	 const char *data, const char *state, const char *prev, const char *hash, bool logged)
{
	struct vn d, s;
	char t[40], num[24], hex[VH_SHA256_HEX];
	char *dt, *st = NULL;
	const char *e;

	if (v->bad)
		return;
	if (kind == NULL || actor == NULL || at == NULL || data == NULL || prev == NULL ||
	    hash == NULL || seq != v->expect || strcmp(prev, v->prev) != 0 || !logged ||
	    !event_time(t, at))
		goto bad;
	/* the texts must outlive the cursor's batch: into the arena */
	if ((dt = arena_dup(&v->arena, data, strlen(data))) == NULL ||
	    (state && (st = arena_dup(&v->arena, state, strlen(state))) == NULL))
		goto bad;
	if ((e = parse(v, dt, &d, 0)) == NULL || *ws(e) || d.t != 'o' ||
	    (st && ((e = parse(v, st, &s, 0)) == NULL || *ws(e) || s.t != 'o')))
		goto bad;
	snprintf(num, sizeof(num), "%lld", seq);
	v->len = 0;
	if (!put(v, prev, strlen(prev)) || !put(v, "\n", 1) ||
	    !put(v, v->number, strlen(v->number)) || !put(v, "\n", 1) ||
	    !put(v, num, strlen(num)) || !put(v, "\n", 1) || !put(v, kind, strlen(kind)) ||
	    !put(v, "\n", 1) || !put(v, actor, strlen(actor)) || !put(v, "\n", 1) ||
	    !put(v, t, strlen(t)) || !put(v, "\n", 1) || !canon(v, &d) ||
	    (st && (!put(v, "\n", 1) || !canon(v, &s))) ||
	    vh_sha256_hex_with(v->sha, hex, v->buf, v->len) < 0 || strcmp(hex, hash) != 0)
		goto bad;
	if (st && (!change_ok(v, &s, &d) || !apply(v, &s)))
		goto bad;
	if ((v->prev = arena_dup(&v->arena, hash, strlen(hash))) == NULL)
		goto bad;
	v->expect = seq + 1;
	return;
bad:
	v->bad = true;
}

/* ---- a case ---- */

struct vf *
vf_new(void)
{
	struct vf *v = calloc(1, sizeof(struct vf));

	if (v && (v->sha = vh_sha256_new()) == NULL) {
		free(v);
		v = NULL;
	}
	return v;
}

void
vf_free(struct vf *v)
{
	if (v == NULL)
		return;
	arena_reset(&v->arena);
	free(v->arena);
	free(v->buf);
	free(v->replay);
	free(v->live);
	vh_sha256_free(v->sha);
	free(v);
}

void
vf_begin(struct vf *v, const char *number, long long count, const char *head, bool bad_bytes)
{
	arena_reset(&v->arena);
	v->bad = bad_bytes;
	v->nreplay = v->nlive = 0;
	v->count = count;
	v->expect = 1;
	v->prev = "0000000000000000000000000000000000000000000000000000000000000000";
	v->number = arena_dup(&v->arena, number, strlen(number));
	v->head = head ? arena_dup(&v->arena, head, strlen(head)) : NULL;
	if (v->number == NULL || (head && v->head == NULL))
		v->bad = true;
}

bool
vf_clean(struct vf *v)
{
	if (v->bad || v->expect == 1 || v->count != v->expect - 1 || v->head == NULL ||
	    strcmp(v->head, v->prev) != 0)
		return false;
	/* cases whose events all predate recorded states are not compared */
	if (v->nreplay == 0)
		return true;
	for (int i = 0; i < v->nreplay; i++) {
		struct row *r = &v->replay[i], *l = find_row(v->live, v->nlive, r->k, r->kn);
		if (l == NULL)
			return false;
		l->live_seen = true;
		for (int j = 0; j < r->nf; j++) {
			struct field *g = find_field(l, r->f[j].k, r->f[j].kn);
			if (g ? !eq(r->f[j].v, g->v) : r->f[j].v->t != 'z')
				return false;
		}
		for (int j = 0; j < l->nf; j++)
			if (find_field(r, l->f[j].k, l->f[j].kn) == NULL && l->f[j].v->t != 'z')
				return false;
	}
	for (int i = 0; i < v->nlive; i++)
		if (!v->live[i].live_seen)
			return false;
	return true;
}
