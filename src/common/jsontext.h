/*
 * JSON text as jansson's json_dumps writes it, faster (jsontext.c), into
 * a growing text buffer (struct vh_buf, common.h).
 */
#ifndef VH_JSONTEXT_H
#define VH_JSONTEXT_H

#include <jansson.h>

#include "common.h"


/* the finished text of a value, or NULL to write it */
typedef const char *(*vh_json_splice)(void *ctx, const json_t *v);

/*
 * json_dumps(j, flags) for flags made of JSON_COMPACT and JSON_ENCODE_ANY
 * (other flags: json_dumps itself); NULL when jansson would fail (invalid
 * UTF-8 in a string, no memory, a loop). Free with free().
 */
char *vh_json_text(const json_t *j, size_t flags);
/* the same appended to b (any value; JSON_COMPACT or not), with splice
 * (may be NULL): 0, or -1 with b as it was */
int vh_json_put(struct vh_buf *b, const json_t *j, size_t flags, vh_json_splice splice,
		void *ctx);
/* a string as a JSON string ("..." with jansson's escapes): 0, or -1 for
 * invalid UTF-8 */
int vh_json_put_string(struct vh_buf *b, const char *s, size_t len);

/*
 * An array's JSON text from elsewhere (PostgreSQL's json_agg) appended to b
 * as json_dumps(json_loads(text), JSON_COMPACT) would write it: 0, or -1
 * with b as it was when it is not sure to (a real, a key twice, \u0000,
 * not an array, invalid text): then parse it.
 */
int vh_json_recompact(struct vh_buf *b, const char *text, size_t len);

#endif
