/*
 * Text entering the API, made comparable: Unicode NFC (Vietnamese
 * keyboards and HR exports send both NFC and NFD; one text must be one
 * string for equality, uniqueness and idempotency), and the key under
 * which document numbers are unique. libunistring does the Unicode work.
 */
#ifndef VHD_TEXT_H
#define VHD_TEXT_H

#include <jansson.h>
#include <stddef.h>

/* s (valid UTF-8: libunistring replaces invalid bytes) in NFC, malloc'ed and NUL-terminated; NULL if out of memory */
char *vhd_nfc(const char *s, size_t len);
/* every string value of a JSON value, recursively, in NFC: 0 or -1 */
int vhd_json_nfc(json_t *v);
/*
 * The uniqueness key of a document number: NFC, surrounding and inner
 * white space removed, case-folded (Đ and đ alike), look-alike dashes
 * (‐ ‑ ‒ – — ― − ﹣ －) made '-'. malloc'ed; NULL if out of memory.
 */
char *vhd_docnum_key(const char *s);

#endif
