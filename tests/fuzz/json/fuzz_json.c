/*
 * libFuzzer target for the JSON writer of src/common/jsontext.c, against
 * jansson, the library it stands in for: any bytes that jansson parses
 * must be written by vh_json_text exactly as json_dumps writes them (flags
 * 0 and JSON_COMPACT), and any bytes vh_json_recompact accepts must come
 * out as json_dumps(json_loads(bytes), JSON_COMPACT). The input as one
 * string must be written by vh_json_put_string as jansson writes that
 * string, or refused where jansson refuses it (invalid UTF-8). abort()
 * makes any difference a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	check_string(text, size);
	return 0;
}
