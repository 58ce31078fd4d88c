/*
 * vh_json_text writes what json_dumps writes, byte for byte (flags 0 and
 * JSON_COMPACT): every escape, every class of UTF-8, integers at their
 * limits, reals, empty and nested containers, keys in insertion order, and
 * 2,000 random documents; it fails where jansson fails (invalid UTF-8);
 * a splice puts a given text in place of a value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsontext.h"

static const size_t modes[] = { 0, JSON_COMPACT };

/* both writers agree on j in both modes (and on failing) */
static void
same(const json_t *j)
{
	for (size_t m = 0; m < VH_NELEM(modes); m++) {
		char *want = json_dumps(j, modes[m] | JSON_ENCODE_ANY);
		char *got = vh_json_text(j, modes[m] | JSON_ENCODE_ANY);

		if (want == NULL || got == NULL)
			assert_ptr_equal(want, got);
		else
			assert_string_equal(got, want);
		free(want);
		free(got);
	}
}

static void
test_scalars(void **state)
{
	static const json_int_t ints[] = { 0, 1, -1, 42, INT64_MAX, INT64_MIN, 1000000007 };
	static const double reals[] = { 0.0, -0.0, 1.5, 1e300, -2.5e-7, 3.0, 0.1 };

	(void)state;
	same(json_null());
	same(json_true());
	same(json_false());
	for (size_t i = 0; i < VH_NELEM(ints); i++) {
		json_t *v = json_integer(ints[i]);
		same(v);
		json_decref(v);
	}
	for (size_t i = 0; i < VH_NELEM(reals); i++) {
		json_t *v = json_real(reals[i]);
		same(v);
		json_decref(v);
	}
}

static void
test_strings(void **state)
{
	static const char *const texts[] = {
		"", "plain", "quote \" backslash \\ slash /", "\b\f\n\r\t",
		"\x01\x02\x1f\x7f", "Nguyễn Văn A — Đà Nẵng", "€ 𝄞 \xef\xbf\xbf",
		"\xe2\x80\xa8 line separator", "tab\tin the middle", "end\\",
		/* the edges of each range: U+0080, U+07FF, U+0800, U+D7FF,
		 * U+E000, U+FFFF, U+10000, U+10FFFF */
		"\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf"
		" \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf",
	};

	(void)state;
	for (size_t i = 0; i < VH_NELEM(texts); i++) {
		json_t *v = json_string(texts[i]);
		assert_non_null(v);
		same(v);
		json_decref(v);
	}
	/* every byte below 0x80, and a NUL inside */
	char all[128];
	for (int c = 0; c < 128; c++)
		all[c] = (char)c;
	json_t *v = json_stringn(all, sizeof(all));
	assert_non_null(v);
	same(v);
	json_decref(v);
}

static void
test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\x80", "a\xc0\xafz", "\xc2", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80", "ok\xff", "\xe2\x82", "\xf0\x9d\x84",
		/* overlong, surrogates, past U+10FFFF, a continuation missing */
		"\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xc1\xbf", "\xed\xbf\xbf",
		"\xf4\x90\x80\x80", "\xe1\x80\x41", "\xf1\x80\x80\x41", "\xdf\x41",
	};

	(void)state;
	for (size_t i = 0; i < VH_NELEM(bad); i++) {
		json_t *v = json_stringn_nocheck(bad[i], strlen(bad[i]));
		json_t *o = json_pack("{s:o}", "k", v);
		same(v); /* both fail */
		same(o);
		assert_null(vh_json_text(o, JSON_COMPACT));
		json_decref(o);
	}
}

static void
test_containers(void **state)
{
	json_t *o = json_pack("{s:[], s:{}, s:[i, s, {s:n, s:[[]]}], s:{s:b}, s:s}", "empty", "none",
			      "mixed", 1, "two", "a", "b", "nested", "x", 1, "é\"k", "v");

	(void)state;
	assert_non_null(o);
	same(o);
	/* insertion order, not sorted: z before a */
	json_t *z = json_pack("{s:i, s:i, s:i}", "z", 1, "a", 2, "m", 3);
	same(z);
	/* a replaced key keeps its place */
	json_object_set_new(z, "z", json_string("again"));
	same(z);
	json_decref(z);
	json_decref(o);
	/* not a container without JSON_ENCODE_ANY: both refuse */
	json_t *s = json_string("x");
	assert_null(vh_json_text(s, JSON_COMPACT));
	assert_null(json_dumps(s, JSON_COMPACT));
	json_decref(s);
}

static unsigned seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

static json_t *
random_string(void)
{
	static const char *const pieces[] = { "a", "Z", " ", "\"", "\\", "/", "\n", "\x01",
					      "\x1f", "é", "Đ", "€", "𝄞", "\x7f", "ữ", "0" };
	char buf[128];
	size_t n = 0, k = rnd(12);

	for (size_t i = 0; i < k; i++) {
		const char *p = pieces[rnd(VH_NELEM(pieces))];
		memcpy(buf + n, p, strlen(p));
		n += strlen(p);
	}
	return json_stringn(buf, n);
}

static json_t *
random_value(int depth)
{
	switch (rnd(depth > 4 ? 5 : 8)) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rnd(2));
	case 2:
		return json_integer((json_int_t)rnd(100000) - 50000);
	case 3:
		return json_real((double)rnd(1000) / 8.0 - 17.0);
	case 4:
		return random_string();
	case 5:
	case 6: {
		json_t *o = json_object();
		for (unsigned i = rnd(6); i > 0; i--) {
			json_t *k = random_string();
			json_object_set_new(o, json_string_value(k), random_value(depth + 1));
			json_decref(k);
		}
		return o;
	}
	default: {
		json_t *a = json_array();
		for (unsigned i = rnd(6); i > 0; i--)
			json_array_append_new(a, random_value(depth + 1));
		return a;
	}
	}
}

static void
test_random(void **state)
{
	(void)state;
	for (int i = 0; i < 2000; i++) {
		json_t *v = random_value(0);
		assert_non_null(v);
		same(v);
		json_decref(v);
	}
}

static const char *
splice_items(void *ctx, const json_t *v)
{
	return v == ctx ? "[SPLICED]" : NULL;
}

static void
test_splice(void **state)
{
	json_t *items = json_pack("[i, i]", 1, 2);
	json_t *o = json_pack("{s:O, s:n}", "items", items, "next");
	struct vh_buf b = { 0 };

	(void)state;
	assert_int_equal(vh_json_put(&b, o, 0, splice_items, items), 0);
	assert_string_equal(b.p, "{\"items\": [SPLICED], \"next\": null}");
	vh_buf_put(&b, "\n", 1);
	/* a failed put leaves the buffer as it was */
	json_t *bad = json_pack("{s:o}", "k", json_stringn_nocheck("\xff", 1));
	assert_int_equal(vh_json_put(&b, bad, JSON_COMPACT, NULL, NULL), -1);
	assert_string_equal(b.p, "{\"items\": [SPLICED], \"next\": null}\n");
	vh_buf_free(&b);
	json_decref(bad);
	json_decref(items);
	json_decref(o);
}

/* recompact(text) is json_dumps(json_loads(text), JSON_COMPACT), or -1 */
static int
recompact_checked(const char *text)
{
	struct vh_buf b = { 0 };
	json_t *j = json_loads(text, 0, NULL);
	int r;

	vh_buf_puts(&b, "kept");
	r = vh_json_recompact(&b, text, strlen(text));
	if (r == 0) {
		char *want;

		assert_non_null(j); /* it vouches only for what jansson reads */
		want = json_dumps(j, JSON_COMPACT);
		assert_string_equal(b.p + 4, want);
		free(want);
	} else {
		assert_int_equal(r, -1);
		assert_string_equal(b.p, "kept");
	}
	json_decref(j);
	vh_buf_free(&b);
	return r;
}

static bool
has_real(const json_t *v)
{
	size_t i;
	const char *k;
	json_t *e;

	if (json_is_real(v))
		return true;
	if (json_is_array(v))
		json_array_foreach((json_t *)v, i, e) if (has_real(e)) return true;
	if (json_is_object(v))
		json_object_foreach((json_t *)v, k, e) if (has_real(e)) return true;
	return false;
}

/* PostgreSQL's json_agg and json_build_object: " : " and ", \n " */
static char *
pg_style(const char *compact)
{
	size_t n = strlen(compact);
	char *o = malloc(3 * n + 1), *q = o;
	bool in = false;

	for (const char *p = compact; *p; p++) {
		if (in) {
			*q++ = *p;
			if (*p == '\\')
				*q++ = *++p;
			else if (*p == '"')
				in = false;
			continue;
		}
		in = *p == '"';
		if (*p == ':') {
			memcpy(q, " : ", 3);
			q += 3;
		} else if (*p == ',') {
			memcpy(q, ", \n ", 4);
			q += 4;
		} else {
			*q++ = *p;
		}
	}
	*q = '\0';
	return o;
}

static void
test_recompact(void **state)
{
	static const size_t styles[] = { 0, JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII,
					 JSON_ESCAPE_SLASH | JSON_ENSURE_ASCII };
	static const char *const refused[] = {
		"[1.5]", "[1e3]", "[\"\\u0000\"]", "[{\"a\":1,\"a\":2}]", "[{\"a\":1,\"\\u0061\":2}]",
		"[-0]", "[01]", "{}", "[1] x", "[nullx]", "[\"\x80\"]", "[\"a\nb\"]",
		"[1234567890123456789]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]",
		"[\"\\x\"]", "[", "[1,]", "[,1]", "\"s\"", "", "[tru]", "[\"\\u12\"]",
	};
	static const char *const taken[] = {
		"[]", " [ 1 , -2 ] ", "[\"\\u001f\\u001F\\/\\b\\f\\n\\r\\t\\\"\\\\\"]",
		"[\"\\ud834\\udd1e \\u00e9 \\u1EA1\"]", "[{\"seq\" : 1, \"data\" : {\"a\": [true, false, null]}}, \n {}]",
		"[123456789012345678, -123456789012345678, 0]", "[[[[]]], {\"\": \"\"}]",
		"[{\"a\":1,\"b\":{\"a\":2}}]",
	};
	size_t ok = 0;

	(void)state;
	for (size_t i = 0; i < VH_NELEM(refused); i++)
		assert_int_equal(recompact_checked(refused[i]), -1);
	for (size_t i = 0; i < VH_NELEM(taken); i++)
		assert_int_equal(recompact_checked(taken[i]), 0);
	for (int i = 0; i < 1000; i++) {
		json_t *v = json_array(), *e = random_value(1);
		json_array_append_new(v, e);
		for (size_t k = 0; k < VH_NELEM(styles); k++) {
			char *t = json_dumps(v, styles[k]);
			assert_non_null(t);
			/* every document without a real is taken */
			assert_int_equal(recompact_checked(t), has_real(v) ? -1 : 0);
			ok += !has_real(v);
			if (k == 1) {
				char *pg = pg_style(t);
				assert_int_equal(recompact_checked(pg), has_real(v) ? -1 : 0);
				free(pg);
			}
			free(t);
		}
		json_decref(v);
	}
	assert_true(ok > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),      cmocka_unit_test(test_strings),
		cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_containers),
		cmocka_unit_test(test_random),       cmocka_unit_test(test_splice),
		cmocka_unit_test(test_recompact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
