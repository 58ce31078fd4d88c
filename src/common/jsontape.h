/*
 * JSON text read once into a flat "tape" of its values, for what jansson
 * is sure to read the same way (jsontape.c), and written back at the same
 * time as json_dumps(json_loads(text), 0) writes it (", " and ": "), each
 * value's text a span of that one text.
 */
#ifndef VH_JSONTAPE_H
#define VH_JSONTAPE_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

enum vh_jt_type { VH_JT_NULL, VH_JT_TRUE, VH_JT_FALSE, VH_JT_INTEGER, VH_JT_STRING,
		  VH_JT_ARRAY, VH_JT_OBJECT };

/*
 * One value. An array's elements follow it, an object's members follow it
 * as key (a string) then value; next is the index just past the value and
 * everything in it (the next sibling).
 */
struct vh_jnode {
	unsigned char type;      /* enum vh_jt_type */
	uint32_t next;
	uint32_t count;          /* elements, members */
	uint32_t text, textlen;  /* the value's text in out */
	uint32_t str, strlen;    /* a string's bytes (decoded): in src, or in dec if esc */
	bool esc;
	int64_t ival;            /* an integer */
};

struct vh_jtape {
	struct vh_jnode *n;
	size_t len, cap;
	const char *src;
	struct vh_buf out;       /* the text as json_dumps(, 0) writes it */
	struct vh_buf dec;       /* the decoded strings that had escapes */
	bool nomem;
};

/*
 * Read text (len bytes) into t, node 0 the top object or array: 0, or -1
 * when jansson would not read it the same way or might refuse it (then
 * parse it with jansson): a real, an integer not written as jansson
 * writes it back, \u0000, a surrogate escape, a key twice, a key with an
 * escape, invalid UTF-8, too deep, invalid JSON, no memory. t is freed
 * with vh_jtape_free either way.
 */
int vh_jtape_parse(struct vh_jtape *t, const char *text, size_t len);
void vh_jtape_free(struct vh_jtape *t);
/* the member key of object node obj: its value's index, or 0 when absent */
size_t vh_jtape_get(const struct vh_jtape *t, size_t obj, const char *key, size_t keylen);
/* a string node's bytes (not NUL-terminated; no NUL in them) */
const char *vh_jtape_str(const struct vh_jtape *t, size_t i);

#endif
