/*
 * JSON text read into a tape of values, without a tree (jsontape.h).
 *
 * libvhcv kept a page of 50 cases as jansson's tree, then built each
 * case's struct and wrote each case's text again from it: jansson's parse,
 * its hash tables and its small allocations were most of the client's CPU
 * for a page (docs/performance.md, "Session 6: case list"). Here the text
 * is read once into one array of values, and written back as jansson
 * would write it in the same pass; every value's text is then a span of
 * that text.
 *
 * Only what jansson is sure to read the same way is accepted (the rules
 * of vh_json_recompact, jsontext.c): integers as jansson writes them back,
 * strings with the escapes jansson reads (no \u0000, no surrogate), valid
 * UTF-8 by jansson's rules (vh_json_put_string checks it and writes
 * jansson's escapes), no key twice (jansson keeps one), no escape in a key.
 * Anything else is -1: the caller parses with jansson as before. The JSON
 * fuzz target compares every accepted text with jansson's reading of it.
 */
#include <stdlib.h>
#include <string.h>

#include "jsontape.h"
#include "jsontext.h"

#define MAX_DEPTH 64
#define MAX_KEYS 128

struct jt {
	struct vh_jtape *t;
	const unsigned char *p, *end;
};

static void
ws(struct jt *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* a new node's index, or (size_t)-1 without memory */
static size_t
node(struct vh_jtape *t, unsigned char type)
{
	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct vh_jnode *n = realloc(t->n, cap * sizeof(*n));

		if (n == NULL) {
			t->nomem = true;
			return (size_t)-1;
		}
		t->n = n;
		t->cap = cap;
	}
	memset(&t->n[t->len], 0, sizeof(t->n[0]));
	t->n[t->len].type = type;
	t->n[t->len].text = (uint32_t)t->out.len;
	return t->len++;
}

static int
hex4(const unsigned char *s, unsigned *cp)
{
	*cp = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*cp = *cp << 4 | d;
	}
	return 0;
}

/* the string at j->p ('"'), a key or a value */
static int
string(struct jt *j, bool key)
{
	struct vh_jtape *t = j->t;
	const unsigned char *s = ++j->p;
	bool esc = false;
	size_t i;

	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return -1;
		if (*j->p == '\\') {
			esc = true;
			j->p++;
		}
		j->p++;
	}
	if (j->p >= j->end || (esc && key) || (i = node(t, VH_JT_STRING)) == (size_t)-1)
		return -1;
	if (!esc) {
		t->n[i].str = (uint32_t)(s - (const unsigned char *)t->src);
		t->n[i].strlen = (uint32_t)(j->p - s);
	} else {
		size_t at = t->dec.len;

		for (const unsigned char *q = s; q < j->p;) {
			const unsigned char *run = q;
			unsigned cp;
			char u[3];

			while (q < j->p && *q != '\\')
				q++;
			vh_buf_put(&t->dec, (const char *)run, (size_t)(q - run));
			if (q >= j->p)
				break;
			switch (q[1]) {
			case '"': case '\\': case '/':
				vh_buf_put(&t->dec, (const char *)q + 1, 1);
				break;
			case 'b': vh_buf_put(&t->dec, "\b", 1); break;
			case 'f': vh_buf_put(&t->dec, "\f", 1); break;
			case 'n': vh_buf_put(&t->dec, "\n", 1); break;
			case 'r': vh_buf_put(&t->dec, "\r", 1); break;
			case 't': vh_buf_put(&t->dec, "\t", 1); break;
			case 'u':
				if (j->p - q < 6 || hex4(q + 2, &cp) < 0 || cp == 0 ||
				    (cp >= 0xd800 && cp <= 0xdfff))
					return -1;
				if (cp < 0x80) {
					u[0] = (char)cp;
					vh_buf_put(&t->dec, u, 1);
				} else if (cp < 0x800) {
					u[0] = (char)(0xc0 | cp >> 6);
					u[1] = (char)(0x80 | (cp & 0x3f));
					vh_buf_put(&t->dec, u, 2);
				} else {
					u[0] = (char)(0xe0 | cp >> 12);
					u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
					u[2] = (char)(0x80 | (cp & 0x3f));
					vh_buf_put(&t->dec, u, 3);
				}
				q += 4;
				break;
			default:
				return -1;
			}
			q += 2;
		}
		if (t->dec.nomem)
			return -1;
		t->n[i].esc = true;
		t->n[i].str = (uint32_t)at;
		t->n[i].strlen = (uint32_t)(t->dec.len - at);
	}
	j->p++;
	/* jansson's escapes, and its refusal of invalid UTF-8 */
	if (vh_json_put_string(&t->out, vh_jtape_str(t, i), t->n[i].strlen) < 0)
		return -1;
	t->n[i].next = (uint32_t)t->len;
	t->n[i].textlen = (uint32_t)(t->out.len - t->n[i].text);
	return 0;
}

static int value(struct jt *j, int depth);

/* the members of an object or elements of an array at j->p */
static int
container(struct jt *j, int depth, size_t i, bool object)
{
	struct vh_jtape *t = j->t;
	size_t keys[MAX_KEYS];
	uint32_t count = 0;

	j->p++;
	vh_buf_put(&t->out, object ? "{" : "[", 1);
	ws(j);
	if (j->p < j->end && *j->p == (object ? '}' : ']')) {
		j->p++;
	} else {
		for (;;) {
			ws(j);
			if (object) {
				size_t k = t->len;

				if (j->p >= j->end || *j->p != '"' || count == MAX_KEYS ||
				    string(j, true) < 0)
					return -1;
				/* a key twice: jansson keeps one of them */
				for (uint32_t m = 0; m < count; m++)
					if (t->n[keys[m]].strlen == t->n[k].strlen &&
					    memcmp(t->src + t->n[keys[m]].str, t->src + t->n[k].str,
						   t->n[k].strlen) == 0)
						return -1;
				keys[count] = k;
				ws(j);
				if (j->p >= j->end || *j->p != ':')
					return -1;
				j->p++;
				vh_buf_put(&t->out, ": ", 2);
			}
			if (value(j, depth + 1) < 0)
				return -1;
			count++;
			ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				vh_buf_put(&t->out, ", ", 2);
				continue;
			}
			if (j->p < j->end && *j->p == (object ? '}' : ']')) {
				j->p++;
				break;
			}
			return -1;
		}
	}
	vh_buf_put(&t->out, object ? "}" : "]", 1);
	t->n[i].count = count;
	return 0;
}

static int
value(struct jt *j, int depth)
{
	static const struct {
		const char *w;
		unsigned char type;
	} words[] = { { "true", VH_JT_TRUE }, { "false", VH_JT_FALSE }, { "null", VH_JT_NULL } };
	struct vh_jtape *t = j->t;
	const unsigned char *s;
	size_t i = 0;

	ws(j);
	if (j->p >= j->end || depth > MAX_DEPTH)
		return -1;
	if (*j->p == '"')
		return string(j, false);
	if (*j->p == '{' || *j->p == '[') {
		bool object = *j->p == '{';

		if ((i = node(t, object ? VH_JT_OBJECT : VH_JT_ARRAY)) == (size_t)-1 ||
		    container(j, depth, i, object) < 0)
			return -1;
	} else if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
		/* an integer as jansson writes it back: no "-0", no leading
		 * zero, no fraction or exponent, at most 18 digits */
		uint64_t v = 0; /* (unsigned: 19 digits and more wrap, then are refused) */
		size_t nd;

		s = j->p;
		if (*j->p == '-')
			j->p++;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			v = v * 10 + (uint64_t)(*j->p++ - '0');
		nd = (size_t)(j->p - s) - (*s == '-');
		if (nd < 1 || nd > 18 || (s[*s == '-'] == '0' && nd > 1) ||
		    (*s == '-' && s[1] == '0') ||
		    (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E')) ||
		    (i = node(t, VH_JT_INTEGER)) == (size_t)-1)
			return -1;
		t->n[i].ival = *s == '-' ? -(int64_t)v : (int64_t)v;
		vh_buf_put(&t->out, (const char *)s, (size_t)(j->p - s));
	} else {
		size_t w;

		for (w = 0; w < VH_NELEM(words); w++) {
			size_t n = strlen(words[w].w);
			if ((size_t)(j->end - j->p) >= n && memcmp(j->p, words[w].w, n) == 0) {
				j->p += n;
				break;
			}
		}
		/* (a word must end there: "nullx" is not null) */
		if (w == VH_NELEM(words) ||
		    (j->p < j->end && ((*j->p >= 'a' && *j->p <= 'z') ||
				       (*j->p >= 'A' && *j->p <= 'Z') ||
				       (*j->p >= '0' && *j->p <= '9'))) ||
		    (i = node(t, words[w].type)) == (size_t)-1)
			return -1;
		vh_buf_puts(&t->out, words[w].w);
	}
	t->n[i].next = (uint32_t)t->len;
	t->n[i].textlen = (uint32_t)(t->out.len - t->n[i].text);
	return 0;
}

int
vh_jtape_parse(struct vh_jtape *t, const char *text, size_t len)
{
	struct jt j = { t, (const unsigned char *)text, (const unsigned char *)text + len };

	memset(t, 0, sizeof(*t));
	t->src = text;
	if (len >= UINT32_MAX / 2)
		return -1;
	ws(&j);
	/* as json_loadb without JSON_DECODE_ANY: an object or an array */
	if (j.p >= j.end || (*j.p != '{' && *j.p != '['))
		return -1;
	if (value(&j, 0) < 0)
		return -1;
	ws(&j);
	if (j.p != j.end || t->out.nomem || t->dec.nomem || t->nomem)
		return -1;
	return 0;
}

void
vh_jtape_free(struct vh_jtape *t)
{
	free(t->n);
	vh_buf_free(&t->out);
	vh_buf_free(&t->dec);
	memset(t, 0, sizeof(*t));
}

size_t
vh_jtape_get(const struct vh_jtape *t, size_t obj, const char *key, size_t keylen)
{
	const struct vh_jnode *o = &t->n[obj];
	size_t k = obj + 1;

	if (o->type != VH_JT_OBJECT)
		return 0;
	for (uint32_t m = 0; m < o->count; m++) {
		/* (keys have no escape: their bytes are in src) */
		if (t->n[k].strlen == keylen && memcmp(t->src + t->n[k].str, key, keylen) == 0)
			return k + 1;
		k = t->n[k + 1].next;
	}
	return 0;
}

const char *
vh_jtape_str(const struct vh_jtape *t, size_t i)
{
	const struct vh_jnode *n = &t->n[i];

	if (n->esc)
		return t->dec.p ? t->dec.p + n->str : "";
	return t->src + n->str;
}
