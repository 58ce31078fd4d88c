/* Building paths and bodies; turning JSON answers into result structs. */
#include <stdio.h>
#include <stdlib.h>

#include "client_int.h"

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

static char *
dup_or_flag(struct vhcv__conv *cv, const char *s)
{
	char *d = vh_strdup(s);

	if (d == NULL)
		cv->nomem = true;
	return d;
}

char *
vhcv__str(struct vhcv__conv *cv, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	char num[32];

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return dup_or_flag(cv, json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return dup_or_flag(cv, num);
	}
	cv->bad = true;
	cv->what = key;
	return NULL;
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
	const json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	return 0;
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

char **
vhcv__strv(struct vhcv__conv *cv, const json_t *o, const char *key, size_t *n)
{
	const json_t *a = json_object_get(o, key), *e;
	char **v;
	size_t i;

	*n = 0;
	if (a == NULL || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		cv->bad = true;
		cv->what = key;
		return NULL;
	}
	if (json_array_size(a) == 0)
		return NULL;
	if ((v = calloc(json_array_size(a), sizeof(*v))) == NULL) {
		cv->nomem = true;
		return NULL;
	}
	json_array_foreach(a, i, e) {
		if (!json_is_string(e)) {
			cv->bad = true;
			cv->what = key;
			break;
		}
		if ((v[*n] = dup_or_flag(cv, json_string_value(e))) == NULL)
			break;
		(*n)++;
	}
	return v;
}

char *
vhcv__dump(struct vhcv__conv *cv, const json_t *v)
{
	/* flags 0: one line, ", " and ": " between items, UTF-8 kept */
	char *s = json_dumps(v, JSON_ENCODE_ANY);

	if (s == NULL)
		cv->nomem = true;
	return s;
}

const json_t *
vhcv__array(struct vhcv__conv *cv, const json_t *o, const char *key)
{
	const json_t *a = json_object_get(o, key);

	if (a == NULL || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		cv->bad = true;
		cv->what = key;
		return NULL;
	}
	return json_array_size(a) ? a : NULL;
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
	if ((r = vhcv__request(c, method, path, b ? b->o : NULL, &answer)) < 0)
		goto out;
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
	free(path);
	if (b)
		vhcv__body_clear(b);
	return r;
}

int
vhcv__page_meta(struct vhcv__conv *cv, const json_t *o, char **json, char **next)
{
	json_t *copy;

	if (!json_is_array(json_object_get(o, "items"))) {
		cv->bad = true;
		cv->what = "items";
		return -1;
	}
	*next = vhcv__str(cv, o, "next");
	/* every list document carries "next", null when there is no more */
	if (json_object_get(o, "next") == NULL) {
		if ((copy = json_copy((json_t *)o)) == NULL ||
		    json_object_set_new(copy, "next", json_null()) < 0) {
			json_decref(copy);
			cv->nomem = true;
			return -1;
		}
		*json = vhcv__dump(cv, copy);
		json_decref(copy);
	} else {
		*json = vhcv__dump(cv, o);
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
	return vhcv__call(c, "GET", &p, NULL, fn, freefn, out);
}
