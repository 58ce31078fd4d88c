/*
 * A small JSON reader for printing the documents that libvhcv 1.1 hands
 * over as text (vhcv/reports.h): the CLI links only the public API, so it
 * has no jansson. Strict enough for vhcvd's own answers; NULL on anything
 * else.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cj_p {
	const char *s;
	int depth;
};

static void
ws(struct cj_p *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static int
hex4(const char *s, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		*out <<= 4;
		if (c >= '0' && c <= '9')
			*out |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*out |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*out |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static char *
str(struct cj_p *p)
{
	size_t cap = 64, n = 0;
	char *b = malloc(cap);

	if (b == NULL || *p->s != '"')
		goto fail;
	p->s++;
	while (*p->s != '"') {
		char tmp[4];
		size_t k = 1;
		unsigned u;

		if (*p->s == '\0')
			goto fail;
		tmp[0] = *p->s;
		if (*p->s == '\\') {
			p->s++;
			switch (*p->s) {
			case 'n': tmp[0] = '\n'; break;
			case 't': tmp[0] = '\t'; break;
			case 'r': tmp[0] = '\r'; break;
			case 'b': tmp[0] = '\b'; break;
			case 'f': tmp[0] = '\f'; break;
			case '"': case '\\': case '/': tmp[0] = *p->s; break;
			case 'u':
				if (hex4(p->s + 1, &u) < 0)
					goto fail;
				p->s += 4;
				if (u >= 0xD800 && u < 0xDC00 && p->s[1] == '\\' && p->s[2] == 'u') {
					unsigned lo;
					if (hex4(p->s + 3, &lo) < 0)
						goto fail;
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
					p->s += 6;
				}
				if (u < 0x80) {
					tmp[0] = (char)u;
				} else if (u < 0x800) {
					tmp[0] = (char)(0xC0 | u >> 6);
					tmp[1] = (char)(0x80 | (u & 0x3F));
					k = 2;
				} else if (u < 0x10000) {
					tmp[0] = (char)(0xE0 | u >> 12);
					tmp[1] = (char)(0x80 | (u >> 6 & 0x3F));
					tmp[2] = (char)(0x80 | (u & 0x3F));
					k = 3;
				} else {
					tmp[0] = (char)(0xF0 | u >> 18);
					tmp[1] = (char)(0x80 | (u >> 12 & 0x3F));
					tmp[2] = (char)(0x80 | (u >> 6 & 0x3F));
					tmp[3] = (char)(0x80 | (u & 0x3F));
					k = 4;
				}
				break;
			default:
				goto fail;
			}
		}
		p->s++;
		if (n + k + 1 > cap) {
			char *nb = realloc(b, cap *= 2);
			if (nb == NULL)
				goto fail;
			b = nb;
		}
		memcpy(b + n, tmp, k);
		n += k;
	}
	p->s++;
	b[n] = '\0';
	return b;
fail:
	free(b);
	return NULL;
}

static struct cj *value(struct cj_p *p);

static int
add(struct cj *o, struct cj *kid, char *key)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		struct cj *k = realloc(o->kids, cap * sizeof(*k));
		char **ks = o->t == CJ_OBJ ? realloc(o->keys, cap * sizeof(*ks)) : NULL;
		if (k)
			o->kids = k;
		if (ks)
			o->keys = ks;
		if (k == NULL || (o->t == CJ_OBJ && ks == NULL))
			return -1;
		o->cap = cap;
	}
	o->kids[o->n] = *kid;
	if (o->t == CJ_OBJ)
		o->keys[o->n] = key;
	o->n++;
	free(kid);
	return 0;
}

static struct cj *
value(struct cj_p *p)
{
	struct cj *v = calloc(1, sizeof(*v));
	const char *start;

	if (v == NULL || ++p->depth > 64)
		goto fail;
	ws(p);
	switch (*p->s) {
	case '{':
	case '[':
		v->t = *p->s == '{' ? CJ_OBJ : CJ_ARR;
		p->s++;
		ws(p);
		if (*p->s == (v->t == CJ_OBJ ? '}' : ']')) {
			p->s++;
			break;
		}
		for (;;) {
			char *key = NULL;
			struct cj *kid;
			ws(p);
			if (v->t == CJ_OBJ) {
				if ((key = str(p)) == NULL)
					goto fail;
				ws(p);
				if (*p->s++ != ':') {
					free(key);
					goto fail;
				}
			}
			if ((kid = value(p)) == NULL || add(v, kid, key) < 0) {
				free(key);
				cj_free(kid);
				goto fail;
			}
			ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s++ != (v->t == CJ_OBJ ? '}' : ']'))
				goto fail;
			break;
		}
		break;
	case '"':
		v->t = CJ_STR;
		if ((v->s = str(p)) == NULL)
			goto fail;
		break;
	default:
		start = p->s;
		while (*p->s && strchr("+-.0123456789eEtruefalsn", *p->s))
			p->s++;
		if (p->s == start || (v->s = strndup(start, (size_t)(p->s - start))) == NULL)
			goto fail;
		v->t = strcmp(v->s, "null") == 0 ? CJ_NULL
		       : strcmp(v->s, "true") == 0 || strcmp(v->s, "false") == 0 ? CJ_BOOL
										 : CJ_NUM;
		if (v->t == CJ_NULL) {
			free(v->s);
			v->s = NULL;
		}
	}
	p->depth--;
	return v;
fail:
	cj_free(v);
	return NULL;
}

static void
cj_clear(struct cj *v)
{
	for (size_t i = 0; i < v->n; i++) {
		cj_clear(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->s);
}

void
cj_free(struct cj *v)
{
	if (v == NULL)
		return;
	cj_clear(v);
	free(v);
}

struct cj *
cj_parse(const char *text)
{
	struct cj_p p = { text ? text : "", 0 };
	struct cj *v = value(&p);

	ws(&p);
	if (v && *p.s) {
		cj_free(v);
		return NULL;
	}
	return v;
}

const struct cj *
cj_get(const struct cj *o, const char *key)
{
	for (size_t i = 0; o && o->t == CJ_OBJ && i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->kids[i];
	return NULL;
}

const struct cj *
cj_at(const struct cj *a, size_t i)
{
	return a && (a->t == CJ_ARR || a->t == CJ_OBJ) && i < a->n ? &a->kids[i] : NULL;
}

size_t
cj_len(const struct cj *a)
{
	return a && a->t == CJ_ARR ? a->n : 0;
}

const char *
cj_str(const struct cj *o, const char *key)
{
	const struct cj *v = key ? cj_get(o, key) : o;

	return v ? v->s : NULL;
}
