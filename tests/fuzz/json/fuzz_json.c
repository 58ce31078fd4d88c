/*
 * libFuzzer target for the JSON writer of src/common/jsontext.c, against
 * jansson, the library it stands in for: any bytes that jansson parses
 * must be written by vh_json_text exactly as json_dumps writes them (flags
 * 0 and JSON_COMPACT), and any bytes vh_json_recompact accepts must come
 * out as json_dumps(json_loads(bytes), JSON_COMPACT). The input as one
 * string must be written by vh_json_put_string as jansson writes that
 * string, or refused where jansson refuses it (invalid UTF-8). Any bytes
 * vh_jtape_parse accepts must be read by jansson (json_loadb, flags 0) as
 * the same values, node by node, and its text must be json_dumps(, 0) of
 * them, every value's span that value's own text. abort() makes any
 * difference a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsontape.h"
#include "jsontext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the two texts are the same, or both absent */
static void
same(const char *ours, const char *theirs)
{
	if ((ours == NULL) != (theirs == NULL) ||
	    (ours != NULL && strcmp(ours, theirs) != 0))
		abort();
}

static void
check_writer(const json_t *j)
{
	static const size_t flags[] = { 0, JSON_COMPACT, JSON_ENCODE_ANY,
					JSON_COMPACT | JSON_ENCODE_ANY };

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		char *ours = vh_json_text(j, flags[i]);
		char *theirs = json_dumps(j, flags[i]);

		same(ours, theirs);
		free(ours);
		free(theirs);
	}
}

static void
check_recompact(const char *text, size_t len)
{
	struct vh_buf b = { 0 };

	if (vh_json_recompact(&b, text, len) == 0) {
		json_t *j = json_loadb(text, len, 0, NULL);
		char *theirs;

		/* accepted: jansson must read it, and write the same bytes */
		if (j == NULL)
			abort();
		theirs = json_dumps(j, JSON_COMPACT);
		same(b.p ? b.p : "", theirs);
		free(theirs);
		json_decref(j);
	} else if (b.len != 0) {
		abort(); /* refused: the buffer is as it was */
	}
	vh_buf_free(&b);
}

static void
check_string(const char *s, size_t len)
{
	struct vh_buf b = { 0 };
	json_t *j = json_stringn(s, len);
	int r = vh_json_put_string(&b, s, len);

	if (j == NULL) {
		if (r == 0)
			abort(); /* jansson refuses this string (invalid UTF-8) */
	} else {
		char *theirs = json_dumps(j, JSON_ENCODE_ANY);

		if (r != 0)
			abort();
		same(b.p ? b.p : "", theirs);
		free(theirs);
		json_decref(j);
	}
	vh_buf_free(&b);
}

/* node i of the tape is jansson's value j; returns the index past it */
static size_t
tape_same(const struct vh_jtape *t, size_t i, const json_t *j)
{
	const struct vh_jnode *n = &t->n[i];
	char *text = json_dumps(j, JSON_ENCODE_ANY);
	size_t k = i + 1;

	if (text == NULL || strlen(text) != n->textlen ||
	    memcmp(text, t->out.p + n->text, n->textlen) != 0)
		abort();
	free(text);
	switch (n->type) {
	case VH_JT_NULL: if (!json_is_null(j)) abort(); break;
	case VH_JT_TRUE: if (!json_is_true(j)) abort(); break;
	case VH_JT_FALSE: if (!json_is_false(j)) abort(); break;
	case VH_JT_INTEGER:
		if (!json_is_integer(j) || json_integer_value(j) != n->ival)
			abort();
		break;
	case VH_JT_STRING:
		if (!json_is_string(j) || json_string_length(j) != n->strlen ||
		    memcmp(json_string_value(j), vh_jtape_str(t, i), n->strlen) != 0)
			abort();
		break;
	case VH_JT_ARRAY:
		if (!json_is_array(j) || json_array_size(j) != n->count)
			abort();
		for (size_t e = 0; e < n->count; e++)
			k = tape_same(t, k, json_array_get(j, e));
		break;
	case VH_JT_OBJECT:
		if (!json_is_object(j) || json_object_size(j) != n->count)
			abort();
		for (size_t m = 0; m < n->count; m++) {
			const json_t *v;
			char *key;

			/* the key, then its value; get finds the same */
			if (t->n[k].type != VH_JT_STRING ||
			    (key = strndup(vh_jtape_str(t, k), t->n[k].strlen)) == NULL)
				abort();
			if ((v = json_object_get(j, key)) == NULL ||
			    vh_jtape_get(t, i, key, t->n[k].strlen) != k + 1)
				abort();
			free(key);
			k = tape_same(t, k + 1, v);
		}
		break;
	default:
		abort();
	}
	if (n->next != k)
		abort();
	return k;
}

static void
check_tape(const char *text, size_t len)
{
	struct vh_jtape t;

	if (vh_jtape_parse(&t, text, len) == 0) {
		json_t *j = json_loadb(text, len, 0, NULL);

		if (j == NULL)
			abort();
		tape_same(&t, 0, j);
		json_decref(j);
	}
	vh_jtape_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	json_t *j = json_loadb(text, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	if (j != NULL) {
		check_writer(j);
		json_decref(j);
	}
	check_recompact(text, size);
	check_tape(text, size);
	check_string(text, size);
	return 0;
}
