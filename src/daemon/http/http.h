/* The HTTP side of vhcvd: listeners, request parsing, routing, replies. */
#ifndef VHD_HTTP_H
#define VHD_HTTP_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "vhcvd.h"

/* Who is asking: from SO_PEERCRED on the Unix socket or a bearer token. */
struct vhd_identity {
	const struct vhd_access *access; /* NULL: not in the access list */
	char name[128];                  /* for logs, even when unknown */
	uid_t uid;
	bool via_unix;
	/* an account signed in with a session cookie (session.c): access
	 * points at session_access, owned, freed by vhd_identity_clear() */
	struct vhd_access *session_access;
	char session_sha[65];     /* SHA-256 of the cookie */
	char session_csrf[65];    /* the token unsafe requests must carry */
};

struct vhd_request {
	const char *method;
	const char *path;         /* without the query */
	const char *body;
	size_t body_len;
	struct vhd_identity id;
	struct vhd_lawset *law;   /* held for the whole request */
	void *conn;               /* struct MHD_Connection, for query args */
	const char *route;        /* the route pattern, for metrics and logs */
};

struct vhd_response {
	int status;
	json_t *json;             /* owned; sent compact */
	char *text;               /* or a text body, owned */
	void *raw;                /* or bytes (evidence), owned, raw_len long */
	size_t raw_len;
	const char *content_type;
	const char *hdr_name;     /* one extra header, e.g. X-Content-SHA256 */
	char *hdr_value;          /* owned */
	char *attachment;         /* Content-Disposition value, owned */
	const char *more_name[4]; /* more headers (Set-Cookie, CSP...) */
	char *more_value[4];      /* owned */
	/*
	 * Or a body produced piece by piece after the handler returned (CSV
	 * exports): MHD's content reader callback. stream_free releases
	 * stream_cls once the answer is sent or abandoned.
	 */
	ssize_t (*stream)(void *cls, uint64_t pos, char *buf, size_t max);
	void *stream_cls;
	void (*stream_free)(void *cls);
};

/* Set an error reply: {"error": id, "message": ..., "field": ...}. */
void vhd_reply_error(struct vhd_response *resp, int code, const char *field,
		     const char *fmt, ...) VH_PRINTF(4, 5);
/* Set a JSON reply (takes the reference). */
void vhd_reply_json(struct vhd_response *resp, int status, json_t *json);
/* Set a JSON reply already written as text (compact, as a json_t would be
 * sent): the text is taken from b (an out-of-memory reply if incomplete). */
struct vh_buf;
void vhd_reply_json_text(struct vhd_response *resp, int status, struct vh_buf *b);
/* Add a header to the reply (value copied); up to four. */
void vhd_reply_header(struct vhd_response *resp, const char *name, const char *value);
/* free what a reply owns */
void vhd_reply_free(struct vhd_response *resp);
/* The client's address as text ("127.0.0.1", "unix"), in buf. */
const char *vhd_client_addr(const struct vhd_request *req, char *buf, size_t len);
/* A query argument, or NULL. */
const char *vhd_query(const struct vhd_request *req, const char *key);
/* A request header, or NULL. */
const char *vhd_header(const struct vhd_request *req, const char *name);
/* The body limit of a route: max_evidence_bytes for raw uploads. */
size_t vhd_body_limit(bool raw_body);

int vhd_http_start(const struct vhd_config *cfg);
/* stop accepting, finish requests in flight, close */
void vhd_http_stop(void);

#endif
