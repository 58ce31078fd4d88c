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

/*
 * The length of the UTF-8 character at s (at most n bytes), 0 if invalid
 * (jansson's rules: no overlong form, no surrogate, at most U+10FFFF): by
 * the lead byte's class, then the second byte's range, as RFC 3629's table.
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t k;

	if (c >= 0xc2 && c <= 0xdf)
		k = 2;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (n < k || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

int
vh_json_put_string(struct vh_buf *b, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	vh_buf_put(b, "\"", 1);
	while (i < len) {
		unsigned char c = s[i];
		char seq[8];
		const char *esc;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_len(s + i, len - i);

			if (k == 0)
				return -1;
			i += k;
			continue;
		}
		vh_buf_put(b, str + run, i - run);
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
		vh_buf_put(b, esc, strlen(esc));
		run = ++i;
	}
	vh_buf_put(b, str + run, i - run);
	vh_buf_put(b, "\"", 1);
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
		vh_buf_put(b, text, strlen(text));
		return 0;
	}
	switch (json_typeof(j)) {
	case JSON_NULL:
		vh_buf_put(b, "null", 4);
		return 0;
	case JSON_TRUE:
		vh_buf_put(b, "true", 4);
		return 0;
	case JSON_FALSE:
		vh_buf_put(b, "false", 5);
		return 0;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		vh_buf_put(b, num, (size_t)n);
		return 0;
	case JSON_REAL: {
		char *r = json_dumps(j, flags | JSON_ENCODE_ANY);

		if (r == NULL)
			return -1;
		vh_buf_put(b, r, strlen(r));
		free(r);
		return 0;
	}
	case JSON_STRING:
		return vh_json_put_string(b, json_string_value(j), json_string_length(j));
	case JSON_ARRAY:
		vh_buf_put(b, "[", 1);
		for (size_t i = 0; i < json_array_size(j); i++) {
			if (i > 0)
				vh_buf_put(b, sep, seplen);
			if (put_value(b, json_array_get(j, i), flags, depth + 1, splice, ctx) < 0)
				return -1;
		}
		vh_buf_put(b, "]", 1);
		return 0;
	case JSON_OBJECT: {
		bool first = true;

		vh_buf_put(b, "{", 1);
		for (void *it = json_object_iter((json_t *)j); it;
		     it = json_object_iter_next((json_t *)j, it)) {
			if (!first)
				vh_buf_put(b, sep, seplen);
			first = false;
			if (vh_json_put_string(b, json_object_iter_key(it),
					       json_object_iter_key_len(it)) < 0)
				return -1;
			vh_buf_put(b, flags & JSON_COMPACT ? ":" : ": ", flags & JSON_COMPACT ? 1 : 2);
			if (put_value(b, json_object_iter_value(it), flags, depth + 1, splice,
				      ctx) < 0)
				return -1;
		}
		vh_buf_put(b, "}", 1);
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

/*
 * JSON text from elsewhere (PostgreSQL's json_agg) rewritten as jansson
 * writes what it would parse from it: json_dumps(json_loads(text),
 * JSON_COMPACT), without the tree. Only what this can vouch for: an array
 * at the top, strings, integers that fit in 64 bits, true, false, null,
 * objects without a repeated key; anything else (a real, \u0000, a key
 * twice, invalid UTF-8 or syntax) gives -1 and the caller parses.
 */
struct rc {
	const unsigned char *p, *end;
	struct vh_buf *b;
	int depth;
};

static void
rc_ws(struct rc *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int
hex4(const unsigned char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i];
		unsigned d = c >= '0' && c <= '9'	? c - '0'
			     : c >= 'a' && c <= 'f' ? c - 'a' + 10
			     : c >= 'A' && c <= 'F' ? c - 'A' + 10
						    : 16;
		if (d == 16)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* a string, decoded into tmp then written as jansson writes it */
static int
rc_string(struct rc *r, struct vh_buf *tmp)
{
	tmp->len = 0;
	r->p++; /* the quote */
	for (;;) {
		const unsigned char *s = r->p;
		char u[4];
		uint32_t cp, lo;
		size_t n;

		while (r->p < r->end && *r->p != '"' && *r->p != '\\' && *r->p >= 0x20)
			r->p++;
		vh_buf_put(tmp, (const char *)s, (size_t)(r->p - s));
		if (r->p >= r->end || *r->p < 0x20)
			return -1;
		if (*r->p == '"') {
			r->p++;
			break;
		}
		if (r->end - r->p < 2)
			return -1;
		switch (r->p[1]) {
		case '"': case '\\': case '/':
			vh_buf_put(tmp, (const char *)r->p + 1, 1);
			r->p += 2;
			continue;
		case 'b': vh_buf_put(tmp, "\b", 1); r->p += 2; continue;
		case 'f': vh_buf_put(tmp, "\f", 1); r->p += 2; continue;
		case 'n': vh_buf_put(tmp, "\n", 1); r->p += 2; continue;
		case 'r': vh_buf_put(tmp, "\r", 1); r->p += 2; continue;
		case 't': vh_buf_put(tmp, "\t", 1); r->p += 2; continue;
		case 'u':
			break;
		default:
			return -1;
		}
		if (r->end - r->p < 6 || hex4(r->p + 2, &cp) < 0)
			return -1;
		r->p += 6;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
			    hex4(r->p + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
				return -1;
			r->p += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		} else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
			return -1; /* a lone low surrogate; NUL: jansson refuses both */
		}
		if (cp < 0x80) {
			u[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			u[0] = (char)(0xc0 | cp >> 6);
			u[1] = (char)(0x80 | (cp & 0x3f));
			n = 2;
		} else if (cp < 0x10000) {
			u[0] = (char)(0xe0 | cp >> 12);
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[2] = (char)(0x80 | (cp & 0x3f));
			n = 3;
		} else {
			u[0] = (char)(0xf0 | cp >> 18);
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[3] = (char)(0x80 | (cp & 0x3f));
			n = 4;
		}
		vh_buf_put(tmp, u, n);
	}
	if (tmp->nomem)
		return -1;
	/* (raw bytes are checked as UTF-8 here, as jansson does) */
	return vh_json_put_string(r->b, tmp->p ? tmp->p : "", tmp->len);
}

static int rc_value(struct rc *r, struct vh_buf *tmp);

/*
 * The punctuation of an object or array, copied: rc_open the opening
 * character (1 when the closing one follows at once), rc_after after each
 * member or item: "," (1, another follows) or the closing character (0);
 * else -1.
 */
static int
rc_punct(struct rc *r, const char *allowed)
{
	rc_ws(r);
	if (r->p >= r->end || strchr(allowed, *r->p) == NULL || *r->p == '\0')
		return -1;
	vh_buf_put(r->b, (const char *)r->p, 1);
	return *r->p++ == ',';
}

static int
rc_open(struct rc *r, char close)
{
	r->p++;
	vh_buf_put(r->b, close == '}' ? "{" : "[", 1);
	rc_ws(r);
	return r->p < r->end && *r->p == close ? (rc_punct(r, close == '}' ? "}" : "]"), 1) : 0;
}

static int
rc_object(struct rc *r, struct vh_buf *tmp)
{
	/* where each key's text is in b: a key written twice is a key twice
	 * (the text of a string is its one canonical form) */
	size_t kat[64], klen[64], nkeys = 0;
	int more = !rc_open(r, '}');

	while (more > 0) {
		size_t at = r->b->len;

		rc_ws(r);
		if (r->p >= r->end || *r->p != '"' || nkeys == VH_NELEM(kat) ||
		    rc_string(r, tmp) < 0 || r->b->nomem)
			return -1;
		/* a key twice: jansson keeps one (its first place, last value) */
		for (size_t k = 0; k < nkeys; k++)
			if (klen[k] == r->b->len - at &&
			    memcmp(r->b->p + kat[k], r->b->p + at, klen[k]) == 0)
				return -1;
		kat[nkeys] = at;
		klen[nkeys++] = r->b->len - at;
		if (rc_punct(r, ":") < 0 || rc_value(r, tmp) < 0)
			return -1;
		more = rc_punct(r, ",}");
	}
	return more;
}

static int
rc_array(struct rc *r, struct vh_buf *tmp)
{
	int more = !rc_open(r, ']');

	while (more > 0) {
		if (rc_value(r, tmp) < 0)
			return -1;
		more = rc_punct(r, ",]");
	}
	return more;
}

static int
rc_value(struct rc *r, struct vh_buf *tmp)
{
	static const char *const words[] = { "true", "false", "null" };
	int ret = -1;

	rc_ws(r);
	if (r->p >= r->end || ++r->depth > 512)
		return -1;
	if (*r->p == '{') {
		ret = rc_object(r, tmp);
	} else if (*r->p == '[') {
		ret = rc_array(r, tmp);
	} else if (*r->p == '"') {
		ret = rc_string(r, tmp);
	} else if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
		/* an integer as jansson writes it back: no "-0", no leading
		 * zero, no fraction or exponent, at most 18 digits */
		const unsigned char *s = r->p;

		if (*r->p == '-')
			r->p++;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
		if (r->p - s - (*s == '-') < 1 || r->p - s - (*s == '-') > 18 ||
		    (s[*s == '-'] == '0' && r->p - s - (*s == '-') > 1) ||
		    (*s == '-' && s[1] == '0') ||
		    (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')))
			return -1;
		vh_buf_put(r->b, (const char *)s, (size_t)(r->p - s));
		ret = 0;
	} else {
		for (size_t i = 0; i < VH_NELEM(words); i++) {
			size_t n = strlen(words[i]);
			if ((size_t)(r->end - r->p) >= n && memcmp(r->p, words[i], n) == 0) {
				vh_buf_put(r->b, words[i], n);
				r->p += n;
				ret = 0;
				break;
			}
		}
		/* (a word must end there: "nullx" is not null) */
		if (ret == 0 && r->p < r->end &&
		    ((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= 'A' && *r->p <= 'Z') ||
		     (*r->p >= '0' && *r->p <= '9')))
			ret = -1;
	}
	r->depth--;
	return ret;
}

int
vh_json_recompact(struct vh_buf *b, const char *text, size_t len)
{
	struct rc r = { (const unsigned char *)text, (const unsigned char *)text + len, b, 0 };
	struct vh_buf tmp = { 0 };
	size_t mark = b->len;
	int ret;

	rc_ws(&r);
	ret = r.p < r.end && *r.p == '[' ? rc_value(&r, &tmp) : -1;
	rc_ws(&r);
	if (ret == 0 && (r.p != r.end || b->nomem))
		ret = -1;
	if (ret < 0 && b->p) {
		b->len = mark;
		b->p[mark] = '\0';
	}
	vh_buf_free(&tmp);
	return ret;
}
