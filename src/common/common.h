/*
 * Internal library shared by vhcvd, libvhcv and the tests; never installed.
 * Everything here returns errors instead of exiting, so the client library
 * may use it.
 */
#ifndef VH_COMMON_H
#define VH_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vhcv/errors.h"

#define VH_NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define VH_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* errcode.c */
struct vh_errcode {
	int code;
	const char *id;       /* JSON error id */
	int http;             /* HTTP status the daemon answers with */
	const char *message;  /* vhcv_strerror() */
};
const struct vh_errcode *vh_errcode_get(int code);
const struct vh_errcode *vh_errcode_by_id(const char *id);
int vh_errcode_from_http(int status);

/*
 * diag.c: a list of diagnostics "file:line:col: message", so that loaders
 * report every error and not just the first.
 */
struct vh_diag {
	char **msgs;
	size_t n, cap;
	size_t limit;       /* stop storing after this many; 0: 1000 */
	size_t dropped;
};
void vh_diag_init(struct vh_diag *d);
void vh_diag_free(struct vh_diag *d);
/* line and col are 1-based; 0 leaves them out */
void vh_diag_add(struct vh_diag *d, const char *file, size_t line, size_t col,
		 const char *fmt, ...) VH_PRINTF(5, 6);
void vh_diag_vadd(struct vh_diag *d, const char *file, size_t line, size_t col,
		  const char *fmt, va_list ap) VH_PRINTF(5, 0);
size_t vh_diag_count(const struct vh_diag *d);
/* move every message of src to the end of dst */
void vh_diag_move(struct vh_diag *dst, struct vh_diag *src);

/* str.c */
char *vh_strdup(const char *s);
char *vh_strndup(const char *s, size_t n);
char *vh_asprintf(const char *fmt, ...) VH_PRINTF(1, 2);
bool vh_utf8_valid(const char *s, size_t len);
size_t vh_utf8_prefix(const char *s, size_t len);
/* make s valid UTF-8 in place: a character cut at the end is dropped,
 * any other invalid byte becomes '?' */
void vh_utf8_fix(char *s);
/* read a whole file, refusing more than max bytes; 0 or -errno / -EFBIG */
int vh_file_read(const char *path, size_t max, char **out, size_t *outlen);
/*
 * A file, or every *.yaml of a folder in name order, each read whole (at
 * most max bytes). The files that could be read are in f even when it
 * returns -1 (an error in d for each that could not), so that loaders can
 * still report the errors inside them.
 */
struct vh_files {
	char **names, **bufs;
	size_t *lens;
	size_t n, cap;
};
int vh_files_read(struct vh_files *f, const char *path, size_t max, struct vh_diag *d);
void vh_files_free(struct vh_files *f);
/* join a relative path to the directory of base ("dir/base.yaml") */
char *vh_path_relative_to(const char *base, const char *path);

/* sha256.c: hex is 65 bytes (64 digits and NUL) */
#define VH_SHA256_HEX 65
int vh_sha256_hex(char hex[VH_SHA256_HEX], const void *data, size_t len);
typedef struct vh_sha256 vh_sha256;
vh_sha256 *vh_sha256_new(void);
int vh_sha256_update(vh_sha256 *h, const void *data, size_t len);
int vh_sha256_final(vh_sha256 *h, char hex[VH_SHA256_HEX]);
void vh_sha256_free(vh_sha256 *h);
/* OpenSSL's SHA-256, fetched once (an EVP_MD, for EVP_DigestInit_ex) */
struct evp_md_st;
const struct evp_md_st *vh_sha256_md(void);
/* vh_sha256_hex with h's context, started again: no allocation per hash */
int vh_sha256_hex_with(vh_sha256 *h, char hex[VH_SHA256_HEX], const void *data, size_t len);

/* a growing text buffer (str.c); zero-initialised to start */
struct vh_buf {
	char *p;     /* NUL-terminated once anything was put */
	size_t len, cap;
	bool nomem;  /* a put failed: the text is incomplete */
};
void vh_buf_put(struct vh_buf *b, const char *s, size_t n);
void vh_buf_puts(struct vh_buf *b, const char *s);
void vh_buf_free(struct vh_buf *b);

#endif
