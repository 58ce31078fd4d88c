/* Building paths and bodies; turning JSON answers into result structs. */
#include <stdio.h>
#include <stdlib.h>

#include "client_int.h"
#include "jsontape.h"
#include "jsontext.h"

static void
path_add(struct vhcv__path *p, const char *s, size_t n)
{
	if (p->nomem)
		return;
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 128;
		char *ns;
		while (cap < p->len + n + 1)
			cap *= 2;
		if ((ns = realloc(p->s, cap)) == NULL) {
			p->nomem = true;
			return;
		}
		p->s = ns;
		p->cap = cap;
	}
	memcpy(p->s + p->len, s, n);
	p->len += n;
	p->s[p->len] = '\0';
}

void
vhcv__path_lit(struct vhcv__path *p, const char *s)
{
	path_add(p, s, strlen(s));
}

/* RFC 3986: everything but unreserved characters is percent-encoded, so
 * '/', '?', spaces and the bytes of Vietnamese letters stay in one segment */
static void
path_escape(struct vhcv__path *p, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
		if ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
		    (*q >= '0' && *q <= '9') || *q == '-' || *q == '.' || *q == '_' ||
		    *q == '~') {
			path_add(p, (const char *)q, 1);
		} else {
			char e[3] = { '%', hex[*q >> 4], hex[*q & 15] };
			path_add(p, e, 3);
		}
	}
}

void
vhcv__path_seg(struct vhcv__path *p, const char *s)
{
	path_add(p, "/", 1);
	path_escape(p, s);
}

void
vhcv__path_query(struct vhcv__path *p, const char *key, const char *value)
{
	if (value == NULL)
		return;
	path_add(p, p->query ? "&" : "?", 1);
	p->query = true;
	path_escape(p, key);
	path_add(p, "=", 1);
	path_escape(p, value);
}

char *
vhcv__path_done(struct vhcv__path *p)
{
	if (p->nomem || p->s == NULL) {
		free(p->s);
		p->s = NULL;
		return NULL;
	}
	return p->s;
}

void
vhcv__body_init(struct vhcv__body *b, vhcv_client *c)
{
	b->c = c;
	b->err = 0;
	if ((b->o = json_object()) == NULL)
		b->err = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
}

void
vhcv__body_set(struct vhcv__body *b, const char *key, json_t *v)
{
	if (b->err) {
		json_decref(v);
		return;
	}
	if (v == NULL || json_object_set_new(b->o, key, v) < 0)
		b->err = vhcv__fail(b->c, VHCV_ENOMEM, NULL, "out of memory");
}

void
vhcv__body_str(struct vhcv__body *b, const char *key, const char *v)
{
	json_t *s;

	if (v == NULL || b->err)
		return;
	if (!vh_utf8_valid(v, strlen(v))) {
		b->err = vhcv__fail(b->c, VHCV_EINVALID, key, "%s: not valid UTF-8", key);
		return;
	}
	s = json_string(v);
	vhcv__body_set(b, key, s);
}

void
vhcv__body_bool(struct vhcv__body *b, const char *key, int v)
{
	vhcv__body_set(b, key, json_boolean(v));
}

void
vhcv__body_clear(struct vhcv__body *b)
{
	json_decref(b->o);
	b->o = NULL;
}

/*
 * A value of an answer: in jansson's tree (t NULL; j NULL when absent), or
 * on a tape (t: its node i). The structs are filled by one set of
 * conversions from either (the field tables below): the tape for the
 * answers read most, jansson's tree for the others and for whatever the
 * tape cannot vouch for.
 */
struct val {
	const struct vh_jtape *t;
	const json_t *j;
	size_t i;
	bool is;           /* present */
};

static struct val
jval(const json_t *j)
{
	return (struct val){ NULL, j, 0, j != NULL };
}

static struct val
tval(const struct vh_jtape *t, size_t i)
{
	return (struct val){ t, NULL, i, true };
}

/* absent, from the same source as v */
static struct val
none(struct val v)
{
	return (struct val){ v.t, NULL, 0, false };
}

enum vkind { VK_ABSENT, VK_NULL, VK_TRUE, VK_FALSE, VK_INT, VK_STR, VK_ARR, VK_OBJ, VK_OTHER };

static enum vkind
kind(struct val v)
{
	if (!v.is)
		return VK_ABSENT;
	if (v.t) {
		switch (v.t->n[v.i].type) {
		case VH_JT_NULL: return VK_NULL;
		case VH_JT_TRUE: return VK_TRUE;
		case VH_JT_FALSE: return VK_FALSE;
		case VH_JT_INTEGER: return VK_INT;
		case VH_JT_STRING: return VK_STR;
		case VH_JT_ARRAY: return VK_ARR;
		case VH_JT_OBJECT: return VK_OBJ;
		default: return VK_OTHER;
		}
	}
	switch (json_typeof(v.j)) {
	case JSON_NULL: return VK_NULL;
	case JSON_TRUE: return VK_TRUE;
	case JSON_FALSE: return VK_FALSE;
	case JSON_INTEGER: return VK_INT;
	case JSON_STRING: return VK_STR;
	case JSON_ARRAY: return VK_ARR;
	case JSON_OBJECT: return VK_OBJ;
	default: return VK_OTHER; /* a real */
	}
}

/* the member key (n bytes) of the object o; absent when o is not an object */
static struct val
member(struct val o, const char *key, size_t n)
{
	char seg[64];
	size_t i;

	if (kind(o) != VK_OBJ || n >= sizeof(seg))
		return none(o);
	if (o.t)
		return (i = vh_jtape_get(o.t, o.i, key, n)) != 0 ? tval(o.t, i) : none(o);
	memcpy(seg, key, n);
	seg[n] = '\0';
	return jval(json_object_get(o.j, seg));
}

static size_t
count(struct val a)
{
	return a.t ? a.t->n[a.i].count : json_array_size(a.j);
}

/* the element k of the array a; prev is element k - 1 */
static struct val
element(struct val a, size_t k, struct val prev)
{
	if (a.t)
		return tval(a.t, k == 0 ? a.i + 1 : a.t->n[prev.i].next);
	return jval(json_array_get(a.j, k));
}

static char *
dupn(struct vhcv__conv *cv, const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL) {
		cv->nomem = true;
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* a string's bytes (no NUL in them: jansson and the tape refuse \u0000) */
static const char *
bytes(struct val v, size_t *n)
{
	if (v.t) {
		*n = v.t->n[v.i].strlen;
		return vh_jtape_str(v.t, v.i);
	}
	*n = json_string_length(v.j);
	return json_string_value(v.j);
}

/* the value as one line of JSON text, as json_dumps(, 0) writes it */
static char *
text_of(struct vhcv__conv *cv, struct val v)
{
	if (v.t)
		return dupn(cv, v.t->out.p + v.t->n[v.i].text, v.t->n[v.i].textlen);
	return vhcv__dump(cv, v.j);
}

/* a string value (numbers as text); NULL when null or absent */
static char *
str_value(struct vhcv__conv *cv, struct val v, const char *key)
{
	char num[32];
	const char *b;
	size_t n;

	switch (kind(v)) {
	case VK_ABSENT:
	case VK_NULL:
		return NULL;
	case VK_STR:
		b = bytes(v, &n);
		return dupn(cv, b, n);
	case VK_INT:
		/* (an integer's text on a tape is as jansson writes it) */
		if (v.t)
			return text_of(cv, v);
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v.j));
		return dupn(cv, num, strlen(num));
	default:
		cv->bad = true;
		cv->what = key;
		return NULL;
	}
}

/* a number, or a numeric string; 0 otherwise (cv: only for a tape's) */
static int64_t
int_value(struct vhcv__conv *cv, struct val v)
{
	int64_t r = 0;
	char *s;

	switch (kind(v)) {
	case VK_INT:
		return v.t ? v.t->n[v.i].ival : (int64_t)json_integer_value(v.j);
	case VK_STR:
		if (!v.t)
			return strtoll(json_string_value(v.j), NULL, 10);
		if ((s = dupn(cv, vh_jtape_str(v.t, v.i), v.t->n[v.i].strlen)) != NULL) {
			r = strtoll(s, NULL, 10);
			free(s);
		}
		return r;
	default:
		return 0;
	}
}

char *
vhcv__str(struct vhcv__conv *cv, const json_t *o, const char *key)
{
	return str_value(cv, jval(json_object_get(o, key)), key);
}

char *
vhcv__req(struct vhcv__conv *cv, const json_t *o, const char *key)
{
	char *s = vhcv__str(cv, o, key);

	if (s == NULL && !cv->nomem) {
		cv->bad = true;
		cv->what = key;
	}
	return s;
}

int64_t
vhcv__int(const json_t *o, const char *key)
{
	return int_value(NULL, jval(json_object_get(o, key)));
}

int
vhcv__bool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key)) ? 1 : 0;
}

void
vhcv__strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static char **
strv_value(struct vhcv__conv *cv, struct val a, const char *key, size_t *n)
{
	struct val e = none(a);
	const char *b;
	size_t len;
	char **v;

	*n = 0;
	if (kind(a) == VK_ABSENT || kind(a) == VK_NULL)
		return NULL;
	if (kind(a) != VK_ARR) {
		cv->bad = true;
		cv->what = key;
		return NULL;
	}
	if (count(a) == 0)
		return NULL;
	if ((v = calloc(count(a), sizeof(*v))) == NULL) {
		cv->nomem = true;
		return NULL;
	}
	for (size_t k = 0; k < count(a); k++) {
		e = element(a, k, e);
		if (kind(e) != VK_STR) {
			cv->bad = true;
			cv->what = key;
			break;
		}
		b = bytes(e, &len);
		if ((v[*n] = dupn(cv, b, len)) == NULL)
			break;
		(*n)++;
	}
	return v;
}

char **
vhcv__strv(struct vhcv__conv *cv, const json_t *o, const char *key, size_t *n)
{
	return strv_value(cv, jval(json_object_get(o, key)), key, n);
}

char *
vhcv__dump(struct vhcv__conv *cv, const json_t *v)
{
	/* flags 0: one line, ", " and ": " between items, UTF-8 kept (as
	 * json_dumps writes it: jsontext.c) */
	char *s = vh_json_text(v, JSON_ENCODE_ANY);

	if (s == NULL)
		cv->nomem = true;
	return s;
}

/* the member at offset off of the struct at p, as a T * */
#define AT(T, p, off) ((T *)(void *)((char *)(p) + (off)))
#define AT_CONST(p, off) ((char *const *)(const void *)((const char *)(p) + (off)))

/*
 * The text of a document is written from the texts of its arrays of
 * objects when these were written already (each item's json member): a
 * page of 50 cases was written whole, then each case again, and a case
 * with its events the same way (docs/performance.md, "Session 5: read
 * latency"). The same bytes: an array is "[" its items joined by ", " "]".
 */
struct splices {
	const json_t *arr[8];
	char *text[8];
	size_t n;
};

static const char *
splice_get(void *ctx, const json_t *v)
{
	const struct splices *sp = ctx;

	for (size_t i = 0; i < sp->n; i++)
		if (sp->arr[i] == v)
			return sp->text[i];
	return NULL;
}

/* arr's text from its n converted items (the char * at json_off of each) */
static void
splice_add(struct splices *sp, const json_t *arr, void *const *items, size_t n, size_t json_off)
{
	struct vh_buf b = { 0 };

	if (sp->n >= VH_NELEM(sp->arr) || !json_is_array(arr) || n != json_array_size(arr))
		return;
	vh_buf_put(&b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		const char *t = *AT_CONST(items[i], json_off);

		if (t == NULL) {
			vh_buf_free(&b);
			return;
		}
		if (i > 0)
			vh_buf_put(&b, ", ", 2);
		vh_buf_puts(&b, t);
	}
	vh_buf_put(&b, "]", 1);
	if (b.nomem) {
		vh_buf_free(&b);
		return;
	}
	sp->arr[sp->n] = arr;
	sp->text[sp->n++] = b.p;
}

static char *
dump_spliced(struct vhcv__conv *cv, const json_t *v, struct splices *sp)
{
	struct vh_buf b = { 0 };

	if (vh_json_put(&b, v, 0, sp->n ? splice_get : NULL, sp) < 0 || b.nomem) {
		vh_buf_free(&b);
		cv->nomem = true;
	}
	for (size_t i = 0; i < sp->n; i++)
		free(sp->text[i]);
	sp->n = 0;
	return b.p;
}

/* a non-empty array; absent when absent, null or empty */
static struct val
array_value(struct vhcv__conv *cv, struct val a, const char *key)
{
	if (kind(a) == VK_ABSENT || kind(a) == VK_NULL)
		return none(a);
	if (kind(a) != VK_ARR) {
		cv->bad = true;
		cv->what = key;
		return none(a);
	}
	return count(a) ? a : none(a);
}

const json_t *
vhcv__array(struct vhcv__conv *cv, const json_t *o, const char *key)
{
	return array_value(cv, jval(json_object_get(o, key)), key).j;
}

int
vhcv__conv_end(vhcv_client *c, struct vhcv__conv *cv)
{
	if (cv->nomem)
		return vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	if (cv->bad)
		return vhcv__fail(c, VHCV_EPROTOCOL, NULL,
				  "vhcvd sent an answer of the wrong shape (%s)",
				  cv->what ? cv->what : "not an object");
	return 0;
}

int
vhcv__call(vhcv_client *c, const char *method, struct vhcv__path *p,
	   struct vhcv__body *b, void *(*fn)(struct vhcv__conv *, const json_t *),
	   void (*freefn)(void *), void **out)
{
	return vhcv__call_tape(c, method, p, b, NULL, fn, freefn, out);
}

int
vhcv__page_meta(struct vhcv__conv *cv, const json_t *o, char **json, char **next,
		void *const *items, size_t n, size_t json_off)
{
	struct splices sp = { .n = 0 };
	json_t *copy;

	if (!json_is_array(json_object_get(o, "items"))) {
		cv->bad = true;
		cv->what = "items";
		return -1;
	}
	*next = vhcv__str(cv, o, "next");
	if (!cv->nomem && !cv->bad)
		splice_add(&sp, json_object_get(o, "items"), items, n, json_off);
	/* every list document carries "next", null when there is no more */
	if (json_object_get(o, "next") == NULL) {
		if ((copy = json_copy((json_t *)o)) == NULL ||
		    json_object_set_new(copy, "next", json_null()) < 0) {
			json_decref(copy);
			dump_spliced(cv, json_null(), &sp); /* (frees sp) */
			cv->nomem = true;
			return -1;
		}
		*json = dump_spliced(cv, copy, &sp);
		json_decref(copy);
	} else {
		*json = dump_spliced(cv, o, &sp);
	}
	return 0;
}

void *
vhcv__alloc(struct vhcv__conv *cv, const json_t *o, size_t size)
{
	void *p;

	if (!json_is_object(o)) {
		cv->bad = true;
		return NULL;
	}
	if ((p = calloc(1, size)) == NULL)
		cv->nomem = true;
	return p;
}

int
vhcv__get(vhcv_client *c, void **out, const char *base, const char *seg, const char *field,
	  const char *qkey, const char *qval, void *(*fn)(struct vhcv__conv *, const json_t *),
	  void (*freefn)(void *))
{
	return vhcv__get_tape(c, out, base, seg, field, qkey, qval, NULL, fn, freefn);
}

int
vhcv__get_tape(vhcv_client *c, void **out, const char *base, const char *seg,
	       const char *field, const char *qkey, const char *qval,
	       void *(*tfn)(struct vhcv__conv *, const struct vh_jtape *),
	       void *(*fn)(struct vhcv__conv *, const json_t *), void (*freefn)(void *))
{
	struct vhcv__path p = { 0 };
	int r;

	*out = NULL;
	if (seg != NULL || field != NULL) {
		if ((r = vhcv__need(c, seg, field)) < 0)
			return r;
	}
	vhcv__path_lit(&p, base);
	if (seg)
		vhcv__path_seg(&p, seg);
	vhcv__path_query(&p, qkey, qval);
	return vhcv__call_tape(c, "GET", &p, NULL, tfn, fn, freefn, out);
}


/* the value at a field's key: a path "a.b", alternatives "a.b|a"; absent
 * when absent or null */
static struct val
lookup(struct val o, const char *key)
{
	for (const char *alt = key; alt != NULL;) {
		const char *end = strchr(alt, '|');
		const char *stop = end ? end : alt + strlen(alt);
		struct val v = o;

		for (const char *p = alt; v.is && p < stop;) {
			const char *dot = memchr(p, '.', (size_t)(stop - p));

			v = member(v, p, (size_t)((dot ? dot : stop) - p));
			p = dot ? dot + 1 : stop;
		}
		if (kind(v) != VK_ABSENT && kind(v) != VK_NULL)
			return v;
		alt = end ? end + 1 : NULL;
	}
	return none(o);
}

static void *shape_from(struct vhcv__conv *cv, struct val o, const struct vhcv__shape *s);

static void
field_from(struct vhcv__conv *cv, struct val o, const struct vhcv__field *f, char *p)
{
	struct val v = lookup(o, f->key), e;
	size_t *n;
	void **items;

	switch (f->kind) {
	case VHCV__REQ:
		if (!v.is && !cv->bad) {
			cv->bad = true;
			cv->what = f->key;
		}
		__attribute__((fallthrough));
	case VHCV__STR:
		*AT(char *, p, f->off) = str_value(cv, v, f->key);
		break;
	case VHCV__I64:
		*AT(int64_t, p, f->off) = int_value(cv, v);
		break;
	case VHCV__INT:
		*AT(int, p, f->off) = (int)int_value(cv, v);
		break;
	case VHCV__OK:
		if (kind(v) != VK_TRUE && kind(v) != VK_FALSE && !cv->bad) {
			cv->bad = true;
			cv->what = f->key;
		}
		__attribute__((fallthrough));
	case VHCV__BOOL:
		*AT(int, p, f->off) = kind(v) == VK_TRUE ? 1 : 0;
		break;
	case VHCV__DOC:
		*AT(char *, p, f->off) = v.is ? text_of(cv, v) : dupn(cv, "{}", 2);
		break;
	case VHCV__STRV:
		*AT(char **, p, f->off) = strv_value(cv, v, f->key, AT(size_t, p, f->count));
		break;
	case VHCV__OBJS:
		n = AT(size_t, p, f->count);
		*n = 0;
		if (!(v = array_value(cv, v, f->key)).is)
			break;
		if ((items = calloc(count(v), sizeof(*items))) == NULL) {
			cv->nomem = true;
			break;
		}
		*AT(void **, p, f->off) = items;
		e = none(v);
		for (size_t k = 0; k < count(v); k++) {
			e = element(v, k, e);
			if ((items[*n] = shape_from(cv, e, f->item)) == NULL)
				break;
			(*n)++;
			if (cv->nomem || cv->bad)
				break;
		}
		break;
	}
}

/* a new struct of the shape from the object o, kept when bad (the caller
 * frees it); NULL (and bad or nomem) when o is not an object */
static void *
shape_from(struct vhcv__conv *cv, struct val o, const struct vhcv__shape *s)
{
	struct splices sp = { .n = 0 };
	char *p;

	if (kind(o) != VK_OBJ) {
		cv->bad = true;
		return NULL;
	}
	if ((p = calloc(1, s->size)) == NULL) {
		cv->nomem = true;
		return NULL;
	}
	for (size_t i = 0; i < s->nfields; i++) {
		const struct vhcv__field *f = &s->fields[i];

		field_from(cv, o, f, p);
		/* in jansson's tree, the document's text from its items' texts
		 * (an array of objects under a plain key, every item converted) */
		if (!o.t && f->kind == VHCV__OBJS && !cv->nomem && !cv->bad &&
		    !strpbrk(f->key, ".|"))
			splice_add(&sp, json_object_get(o.j, f->key), *AT(void **, p, f->off),
				   *AT(size_t, p, f->count), f->item->json);
	}
	/* on a tape, its text is a span of the whole text (json_dumps of a
	 * value inside a document is the same bytes as that part of the
	 * document's) */
	*AT(char *, p, s->json) = o.t ? text_of(cv, o) : dump_spliced(cv, o.j, &sp);
	return p;
}

void *
vhcv__shape_from(struct vhcv__conv *cv, const json_t *o, const struct vhcv__shape *s)
{
	return shape_from(cv, jval(o), s);
}

void
vhcv__shape_free(void *obj, const struct vhcv__shape *s)
{
	char *p = obj;

	if (p == NULL)
		return;
	free(*AT(char *, p, s->json));
	for (size_t i = 0; i < s->nfields; i++) {
		const struct vhcv__field *f = &s->fields[i];
		size_t n = f->kind == VHCV__STRV || f->kind == VHCV__OBJS ?
				   *AT(size_t, p, f->count) : 0;

		switch (f->kind) {
		case VHCV__STR:
		case VHCV__REQ:
		case VHCV__DOC:
			free(*AT(char *, p, f->off));
			break;
		case VHCV__STRV:
			vhcv__strv_free(*AT(char **, p, f->off), n);
			break;
		case VHCV__OBJS:
			for (size_t k = 0; k < n; k++)
				vhcv__shape_free((*AT(void **, p, f->off))[k], f->item);
			free(*AT(void **, p, f->off));
			break;
		default:
			break;
		}
	}
	free(p);
}

/* ---- the same structs from a tape (a case, a page of cases) ---- */

void *
vhcv__shape_from_tape(struct vhcv__conv *cv, const struct vh_jtape *t, size_t i,
		      const struct vhcv__shape *s)
{
	void *p = shape_from(cv, tval(t, i), s);

	if ((cv->bad || cv->nomem) && p) {
		vhcv__shape_free(p, s);
		p = NULL;
	}
	return p;
}

void
vhcv__page_from_tape(struct vhcv__conv *cv, const struct vh_jtape *t,
		     const struct vhcv__shape *s, char **json, char **next, void ***items,
		     size_t *count)
{
	size_t a = vh_jtape_get(t, 0, "items", 5), nx = vh_jtape_get(t, 0, "next", 4);

	*items = NULL;
	*count = 0;
	/* (not an array, or no "next": jansson's tree says what follows) */
	if (t->n[0].type != VH_JT_OBJECT || a == 0 || t->n[a].type != VH_JT_ARRAY || nx == 0) {
		cv->bad = true;
		return;
	}
	*next = str_value(cv, tval(t, nx), "next");
	if (t->n[a].count > 0 && (*items = calloc(t->n[a].count, sizeof(**items))) == NULL)
		cv->nomem = true;
	for (size_t e = a + 1; *items && *count < t->n[a].count; e = t->n[e].next) {
		if (((*items)[*count] = vhcv__shape_from_tape(cv, t, e, s)) == NULL)
			return;
		(*count)++;
	}
	if (!cv->bad && !cv->nomem)
		*json = dupn(cv, t->out.p, t->out.len);
}

/* the answer read from a tape by tfn: NULL when the tape cannot vouch
 * for it (a text it does not read, a shape tfn does not take, no memory) */
static void *
from_tape(const struct vhcv__resp *resp, void *(*tfn)(struct vhcv__conv *, const struct vh_jtape *),
	  void (*freefn)(void *))
{
	struct vhcv__conv cv = { 0 };
	struct vh_jtape t;
	void *obj = NULL;

	if (vh_jtape_parse(&t, resp->body ? resp->body : "", resp->len) == 0 &&
	    t.n[0].type == VH_JT_OBJECT) {
		obj = tfn(&cv, &t);
		if ((cv.bad || cv.nomem) && obj) {
			freefn(obj);
			obj = NULL;
		}
	}
	vh_jtape_free(&t);
	return obj;
}

int
vhcv__call_tape(vhcv_client *c, const char *method, struct vhcv__path *p,
		struct vhcv__body *b,
		void *(*tfn)(struct vhcv__conv *, const struct vh_jtape *),
		void *(*fn)(struct vhcv__conv *, const json_t *), void (*freefn)(void *),
		void **out)
{
	struct vhcv__resp resp = { 0 };
	struct vhcv__conv cv = { 0 };
	json_t *answer = NULL;
	char *path = vhcv__path_done(p);
	void *obj = NULL;
	int r;

	if (out)
		*out = NULL;
	if (b && b->err) {
		r = b->err;
		goto out;
	}
	if (path == NULL) {
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((r = vhcv__exchange(c, method, path, b ? b->o : NULL, &resp)) < 0)
		goto out;
	/* the tape when it vouches for the answer; else jansson's tree, which
	 * gives the same struct, or the error (invalid JSON, not an object,
	 * the wrong shape) */
	if (out && tfn && (obj = from_tape(&resp, tfn, freefn)) != NULL) {
		*out = obj;
		goto out;
	}
	if ((r = vhcv__answer(c, &resp, &answer)) < 0)
		goto out;
	vhcv__resp_clear(&resp);
	if (out == NULL)
		goto out;
	obj = fn(&cv, answer);
	if ((r = vhcv__conv_end(c, &cv)) < 0) {
		if (obj)
			freefn(obj);
		goto out;
	}
	*out = obj;
out:
	json_decref(answer);
	vhcv__resp_clear(&resp);
	free(path);
	if (b)
		vhcv__body_clear(b);
	return r;
}
