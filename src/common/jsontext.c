/*
 * JSON text written as jansson's json_dumps writes it (flags 0 or
 * JSON_COMPACT, keys in insertion order), byte for byte, without its cost:
 * json_dumps formats the address of every array and object it meets and
 * puts it in a hash table (its guard against loops), and goes through a
 * callback for every token. For vhcvd a case's answer and a page of 50
 * cases were a sixth of its CPU; for libvhcv, which keeps the text of
 * every object it returns, more (docs/performance.md, "Session 5: read
 * latency"). Reals are left to jansson (its own formatting of a double).
 *
 * A splice callback may give the finished text of a value (an array of
 * objects whose texts were written already): it is copied as it is.
 */
#include <stdio.h>
#include <stdlib.h>

#include "jsontext.h"

#define MAX_DEPTH 2048 /* (a loop made by mistake fails, as jansson's would) */

static void
put(struct vh_buf *b, const char *s, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->nomem = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
vh_buf_put(struct vh_buf *b, const char *s, size_t n)
{
	put(b, s, n);
}

void
vh_buf_puts(struct vh_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

void
vh_buf_free(struct vh_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* the length of the UTF-8 character at s (at most n bytes), 0 if invalid
 * (jansson's rules: no overlong form, no surrogate, at most U+10FFFF) */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 1, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 2, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 3, cp = s[0] & 0x07;
	else
		return 0;
	if (n <= k)
		return 0;
	for (size_t i = 1; i <= k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k + 1;
}

int
vh_json_put_string(struct vh_buf *b, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	put(b, "\"", 1);
	while (i < len) {
		unsigned char c = s[i];
		char seq[8];
		const char *esc;

		if (c >= 0x20 && c != '"' && c != '\\') {
			size_t k = c < 0x80 ? 1 : utf8_len(s + i, len - i);

			if (k == 0)
				return -1;
			i += k;
			continue;
		}
		put(b, str + run, i - run);
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			snprintf(seq, sizeof(seq), "\\u%04X", (unsigned)c);
			esc = seq;
			break;
		}
		put(b, esc, strlen(esc));
		run = ++i;
	}
	put(b, str + run, i - run);
	put(b, "\"", 1);
	return 0;
}

static int
put_value(struct vh_buf *b, const json_t *j, size_t flags, int depth, vh_json_splice splice,
	  void *ctx)
{
	const char *sep = flags & JSON_COMPACT ? "," : ", ";
	size_t seplen = flags & JSON_COMPACT ? 1 : 2;
	char num[32];
	const char *text;
	int n;

	if (j == NULL || depth > MAX_DEPTH)
		return -1;
	if (splice && (text = splice(ctx, j)) != NULL) {
		put(b, text, strlen(text));
		return 0;
	}
	switch (json_typeof(j)) {
	case JSON_NULL:
		put(b, "null", 4);
		return 0;
	case JSON_TRUE:
		put(b, "true", 4);
		return 0;
	case JSON_FALSE:
		put(b, "false", 5);
		return 0;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		put(b, num, (size_t)n);
		return 0;
	case JSON_REAL: {
		char *r = json_dumps(j, flags | JSON_ENCODE_ANY);

		if (r == NULL)
			return -1;
		put(b, r, strlen(r));
		free(r);
		return 0;
	}
	case JSON_STRING:
		return vh_json_put_string(b, json_string_value(j), json_string_length(j));
	case JSON_ARRAY:
		put(b, "[", 1);
		for (size_t i = 0; i < json_array_size(j); i++) {
			if (i > 0)
				put(b, sep, seplen);
			if (put_value(b, json_array_get(j, i), flags, depth + 1, splice, ctx) < 0)
				return -1;
		}
		put(b, "]", 1);
		return 0;
	case JSON_OBJECT: {
		bool first = true;

		put(b, "{", 1);
		for (void *it = json_object_iter((json_t *)j); it;
		     it = json_object_iter_next((json_t *)j, it)) {
			if (!first)
				put(b, sep, seplen);
			first = false;
			if (vh_json_put_string(b, json_object_iter_key(it),
					       json_object_iter_key_len(it)) < 0)
				return -1;
			put(b, flags & JSON_COMPACT ? ":" : ": ", flags & JSON_COMPACT ? 1 : 2);
			if (put_value(b, json_object_iter_value(it), flags, depth + 1, splice,
				      ctx) < 0)
				return -1;
		}
		put(b, "}", 1);
		return 0;
	}
	}
	return -1;
}

int
vh_json_put(struct vh_buf *b, const json_t *j, size_t flags, vh_json_splice splice, void *ctx)
{
	size_t len = b->len;

	if (put_value(b, j, flags, 0, splice, ctx) < 0 || b->nomem) {
		if (b->p) {
			b->len = len;
			b->p[len] = '\0';
		}
		return -1;
	}
	return 0;
}

char *
vh_json_text(const json_t *j, size_t flags)
{
	struct vh_buf b = { 0 };

	/* what this writer does not write as jansson would: jansson writes it */
	if (flags & ~(size_t)(JSON_COMPACT | JSON_ENCODE_ANY))
		return json_dumps(j, flags);
	if (!(flags & JSON_ENCODE_ANY) && !json_is_object(j) && !json_is_array(j))
		return NULL;
	if (vh_json_put(&b, j, flags, NULL, NULL) < 0) {
		vh_buf_free(&b);
		return NULL;
	}
	return b.p;
}
