/* libvhcv internals: the client handle, transport, JSON conversion helpers. */
#ifndef VHCV_CLIENT_INT_H
#define VHCV_CLIENT_INT_H

#include <stddef.h>

#include <curl/curl.h>
#include <jansson.h>

#include "common.h"
#include "vhcv.h"

/* one vhcvd of an endpoint list ("unix:/a.sock,https://h2:8443") */
struct vhcv__ep {
	char *text;        /* as given */
	char *unix_path;   /* for unix: endpoints */
	char *base_url;    /* "http://localhost" for unix sockets */
};

struct vhcv_client {
	CURL *curl;
	char *endpoint;    /* the whole list, as given */
	struct vhcv__ep *eps;
	size_t neps;
	size_t cur;        /* the endpoint that answered last, tried first */
	char *token;
	char *ca_file;
	long connect_timeout_ms, timeout_ms;
	char errmsg[1024];
	char errfield[64];
	char *errjson;     /* NULL after success */
};

/* set the message (and a JSON error document for it); returns code */
int vhcv__fail(vhcv_client *c, int code, const char *field, const char *fmt, ...)
	VH_PRINTF(4, 5);
void vhcv__ok(vhcv_client *c);
/* VHCV_EINVALID naming field when s is NULL or empty, else 0 */
int vhcv__need(vhcv_client *c, const char *s, const char *field);

/* An answer: status, body bytes (NUL-terminated), two headers. */
struct vhcv__resp {
	long status;
	char *body;
	size_t len;
	char *content_type;
	char *sha256;      /* X-Content-SHA256 */
	/* set before vhcv__http: a 2xx body goes here as it arrives, not to body */
	size_t (*stream)(const void *buf, size_t len, void *arg);
	void *stream_arg;
};
void vhcv__resp_clear(struct vhcv__resp *r);

/*
 * One HTTP exchange. body/len/ctype may be NULL/0/NULL. idempotent lets the
 * request be sent a second time when the connection fails before an answer.
 * Returns 0 when an answer arrived (any status), or a transport code with
 * the message set.
 */
int vhcv__http(vhcv_client *c, const char *method, const char *path,
	       const void *body, size_t len, const char *ctype, bool idempotent,
	       struct vhcv__resp *resp);
/* turn a non-2xx answer into its code, message, field and error JSON */
int vhcv__http_error(vhcv_client *c, const struct vhcv__resp *resp);

/*
 * One JSON request: method and path ("/v1/..."), an optional JSON body (not
 * stolen). On success *out holds the parsed JSON answer, an object. Error
 * answers become codes with the daemon's message. GET and bodies with an
 * "idempotency_key" are idempotent.
 */
int vhcv__request(vhcv_client *c, const char *method, const char *path,
		  json_t *body, json_t **out);
/* its two halves: the exchange (a 2xx answer's body in resp, to clear;
 * other answers are their codes), and the body parsed, an object */
int vhcv__exchange(vhcv_client *c, const char *method, const char *path, json_t *body,
		   struct vhcv__resp *resp);
int vhcv__answer(vhcv_client *c, const struct vhcv__resp *resp, json_t **out);

/* Paths: literal parts, percent-encoded segments, query parameters. */
struct vhcv__path {
	char *s;
	size_t len, cap;
	bool nomem;
	bool query;        /* a '?' was added */
};
void vhcv__path_lit(struct vhcv__path *p, const char *s);
void vhcv__path_seg(struct vhcv__path *p, const char *s);
/* key=value, skipped when value is NULL */
void vhcv__path_query(struct vhcv__path *p, const char *key, const char *value);
/* the path, or NULL when memory ran out; the caller frees it */
char *vhcv__path_done(struct vhcv__path *p);

/* A request body being built; the first failure sticks. */
struct vhcv__body {
	vhcv_client *c;
	json_t *o;
	int err;
};
void vhcv__body_init(struct vhcv__body *b, vhcv_client *c);
/* skipped when v is NULL; invalid UTF-8 is VHCV_EINVALID naming the key */
void vhcv__body_str(struct vhcv__body *b, const char *key, const char *v);
void vhcv__body_bool(struct vhcv__body *b, const char *key, int v);
/* steals v */
void vhcv__body_set(struct vhcv__body *b, const char *key, json_t *v);
void vhcv__body_clear(struct vhcv__body *b);

/* Converting answers: nomem and bad (not the promised shape) stick. */
struct vhcv__conv {
	bool nomem;
	bool bad;
	const char *what;  /* what was bad, for the message */
};
/* a string member (numbers are written as text); NULL when null or absent */
char *vhcv__str(struct vhcv__conv *cv, const json_t *o, const char *key);
/* as vhcv__str, but absence or null makes the answer bad */
char *vhcv__req(struct vhcv__conv *cv, const json_t *o, const char *key);
int64_t vhcv__int(const json_t *o, const char *key);
int vhcv__bool(const json_t *o, const char *key);
/* an array of strings; NULL and 0 when absent */
char **vhcv__strv(struct vhcv__conv *cv, const json_t *o, const char *key, size_t *n);
void vhcv__strv_free(char **v, size_t n);
/* the value as one line of JSON text */
char *vhcv__dump(struct vhcv__conv *cv, const json_t *v);
/* a non-empty array member; NULL when absent, null or empty */
const json_t *vhcv__array(struct vhcv__conv *cv, const json_t *o, const char *key);
/* a zeroed result struct for the object o; NULL (and bad or nomem) if not */
void *vhcv__alloc(struct vhcv__conv *cv, const json_t *o, size_t size);

/*
 * T **T_array(cv, o, key, &n): the array member key converted by
 * T *from(cv, element). Typed per T, so that no array of void * is read as
 * an array of T *.
 */
#define VHCV__ARRAY(T, from)                                                        \
	static __attribute__((unused)) T **T##_array(struct vhcv__conv *cv,         \
						     const json_t *o, const char *key, \
						     size_t *n)                        \
	{                                                                           \
		const json_t *a = vhcv__array(cv, o, key), *e;                      \
		T **v;                                                              \
		size_t i;                                                           \
		*n = 0;                                                             \
		if (a == NULL)                                                      \
			return NULL;                                                \
		if ((v = calloc(json_array_size(a), sizeof(*v))) == NULL) {         \
			cv->nomem = true;                                           \
			return NULL;                                                \
		}                                                                   \
		json_array_foreach(a, i, e) {                                       \
			if ((v[*n] = from(cv, e)) == NULL)                          \
				break;                                              \
			(*n)++;                                                     \
			if (cv->nomem || cv->bad)                                   \
				break;                                              \
		}                                                                   \
		return v;                                                           \
	}
#define VHCV__ARRAY_FREE(v, n, freefn)                       \
	do {                                                 \
		for (size_t i_ = 0; (v) && i_ < (n); i_++)   \
			freefn((v)[i_]);                     \
		free(v);                                     \
	} while (0)

/* the code for a finished conversion: 0, VHCV_ENOMEM or VHCV_EPROTOCOL */
int vhcv__conv_end(vhcv_client *c, struct vhcv__conv *cv);

/*
 * The usual call: send method to the path (consumed) with the body (cleared;
 * may be NULL), convert the answer with fn into *out. out NULL: the answer
 * is checked for errors only.
 */
int vhcv__call(vhcv_client *c, const char *method, struct vhcv__path *p,
	       struct vhcv__body *b, void *(*fn)(struct vhcv__conv *, const json_t *),
	       void (*freefn)(void *), void **out);
/*
 * GET base[/seg][?qkey=qval] into *out. With field set, seg is required
 * (VHCV_EINVALID naming field when NULL or empty).
 */
int vhcv__get(vhcv_client *c, void **out, const char *base, const char *seg, const char *field,
	      const char *qkey, const char *qval, void *(*fn)(struct vhcv__conv *, const json_t *),
	      void (*freefn)(void *));

/* the void * adapters vhcv__call takes: T_from_v and T_free_v */
#define VHCV__ADAPT(T, from)                                              \
	static void *T##_from_v(struct vhcv__conv *cv, const json_t *o)   \
	{                                                                 \
		return from(cv, o);                                       \
	}                                                                 \
	static void T##_free_v(void *p)                                   \
	{                                                                 \
		T##_free(p);                                              \
	}

/*
 * A page type P of items T: the public P_free() and a static P_from(); needs
 * T_free() and T_array() (VHCV__ARRAY).
 */
#define VHCV__PAGE(P, T)                                                          \
	VHCV_EXTERN void P##_free(P *p)                                           \
	{                                                                         \
		if (p == NULL)                                                    \
			return;                                                   \
		free(p->json);                                                    \
		VHCV__ARRAY_FREE(p->items, p->count, T##_free);                   \
		free(p->next);                                                    \
		free(p);                                                          \
	}                                                                         \
	static P *P##_from(struct vhcv__conv *cv, const json_t *o)               \
	{                                                                         \
		P *p = vhcv__alloc(cv, o, sizeof(*p));                            \
		if (p == NULL)                                                    \
			return p;                                                 \
		p->items = T##_array(cv, o, "items", &p->count);                  \
		vhcv__page_meta(cv, o, &p->json, &p->next, (void *const *)p->items, \
				p->count, offsetof(T, json));                     \
		return p;                                                         \
	}

/* the json and next members of a page from {"items": [...], "next": ...};
 * its text from the n items' texts (at json_off of each) when all are there */
int vhcv__page_meta(struct vhcv__conv *cv, const json_t *o, char **json, char **next,
		    void *const *items, size_t n, size_t json_off);

/*
 * Result structs described by tables: one mechanism converts every answer
 * to its struct and frees it, so that a member is named once.
 *
 * A shape is a struct's size, where its char *json (the whole document)
 * lives, and its fields. A field's key is a member of the JSON object, a
 * path into nested objects ("council.members"), or alternatives tried in
 * order ("official.code|official": the object's code, or the member itself
 * when it is a plain string).
 */
enum vhcv__kind {
	VHCV__STR,   /* char *: a string (numbers as text); NULL when null or absent */
	VHCV__REQ,   /* char *: as STR, absence makes the answer bad */
	VHCV__I64,   /* int64_t: a number (or numeric string); 0 when absent */
	VHCV__INT,   /* int: the same */
	VHCV__BOOL,  /* int: 1 for true */
	VHCV__OK,    /* int: as BOOL, and the answer is bad unless it is a boolean */
	VHCV__DOC,   /* char *: the value as JSON text; "{}" when null or absent */
	VHCV__STRV,  /* char ** and a size_t count: an array of strings */
	VHCV__OBJS,  /* T ** and a size_t count: an array of objects of a shape */
};
struct vhcv__shape;
struct vhcv__field {
	const char *key;
	enum vhcv__kind kind;
	size_t off;                     /* the member */
	size_t count;                   /* STRV, OBJS: the size_t count member */
	const struct vhcv__shape *item; /* OBJS: the shape of the items */
};
struct vhcv__shape {
	size_t size;
	size_t json;                    /* offsetof the char *json member */
	const struct vhcv__field *fields;
	size_t nfields;
};
#define VHCV__F(T, kind, key, m) { key, VHCV__##kind, offsetof(T, m), 0, NULL }
#define VHCV__FV(T, key, m, n) { key, VHCV__STRV, offsetof(T, m), offsetof(T, n), NULL }
#define VHCV__FA(T, key, m, n, shape) { key, VHCV__OBJS, offsetof(T, m), offsetof(T, n), &(shape) }
#define VHCV__SHAPE(T, fields) { sizeof(T), offsetof(T, json), fields, VH_NELEM(fields) }

/* a new struct of the shape from the object o; NULL (and bad or nomem) if not */
void *vhcv__shape_from(struct vhcv__conv *cv, const json_t *o, const struct vhcv__shape *s);
/* free a struct of the shape and everything it owns; NULL is a no-op */
void vhcv__shape_free(void *p, const struct vhcv__shape *s);

/*
 * For a result type T of a shape: static T *from(cv, o), T_array() (see
 * VHCV__ARRAY), the T_from_v / T_free_v adapters vhcv__call takes, and
 * T_from_tape_v, the same struct from a tape (vhcv__call_tape).
 */
#define VHCV__SHAPED(T, shape, from)                                                   \
	static __attribute__((unused)) T *from(struct vhcv__conv *cv, const json_t *o) \
	{                                                                              \
		return vhcv__shape_from(cv, o, &(shape));                              \
	}                                                                              \
	static __attribute__((unused)) void *T##_from_v(struct vhcv__conv *cv,         \
							const json_t *o)               \
	{                                                                              \
		return vhcv__shape_from(cv, o, &(shape));                              \
	}                                                                              \
	static __attribute__((unused)) void T##_free_v(void *p)                        \
	{                                                                              \
		vhcv__shape_free(p, &(shape));                                         \
	}                                                                              \
	static __attribute__((unused)) void *T##_from_tape_v(struct vhcv__conv *cv,    \
							     const struct vh_jtape *t) \
	{                                                                              \
		return vhcv__shape_from_tape(cv, t, 0, &(shape));                      \
	}                                                                              \
	VHCV__ARRAY(T, from)

/*
 * The same conversions from a tape (jsontape.h) instead of jansson's tree,
 * for the answers read most (a case, a page of cases): the same field
 * tables read by the same code (conv.c reads a value from either), the
 * same structs and texts. Whatever the tape cannot vouch for (an answer of
 * the wrong shape, a page without "next") sets cv->bad: the caller then
 * converts jansson's tree, which gives the same struct or the same error.
 */
struct vh_jtape;
void *vhcv__shape_from_tape(struct vhcv__conv *cv, const struct vh_jtape *t, size_t i,
			    const struct vhcv__shape *s);
/* a page {"items": [objects of shape s], "next": ...}: its members */
void vhcv__page_from_tape(struct vhcv__conv *cv, const struct vh_jtape *t,
			  const struct vhcv__shape *s, char **json, char **next, void ***items,
			  size_t *count);
/*
 * vhcv__call whose answer is read from a tape by tfn (NULL: none), or,
 * when tfn sets bad or nomem, or the text is not one the tape reads, by fn
 * from jansson's tree as vhcv__call does (vhcv__call is this without tfn).
 */
int vhcv__call_tape(vhcv_client *c, const char *method, struct vhcv__path *p,
		    struct vhcv__body *b,
		    void *(*tfn)(struct vhcv__conv *, const struct vh_jtape *),
		    void *(*fn)(struct vhcv__conv *, const json_t *), void (*freefn)(void *),
		    void **out);
/* vhcv__get whose answer is read from a tape by tfn, as vhcv__call_tape */
int vhcv__get_tape(vhcv_client *c, void **out, const char *base, const char *seg,
		   const char *field, const char *qkey, const char *qval,
		   void *(*tfn)(struct vhcv__conv *, const struct vh_jtape *),
		   void *(*fn)(struct vhcv__conv *, const json_t *), void (*freefn)(void *));

/* shapes shared between modules (officials.c, evidence.c) */
extern const struct vhcv__shape vhcv__decision_shape;
extern const struct vhcv__shape vhcv__evidence_shape;

#endif
