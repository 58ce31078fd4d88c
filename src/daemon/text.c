#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include "text.h"

char *
vhd_nfc(const char *s, size_t len)
{
	size_t n = 0;
	uint8_t *r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &n);
	char *out;

	if (r == NULL)
		return NULL;
	if ((out = realloc(r, n + 1)) == NULL) {
		free(r);
		return NULL;
	}
	out[n] = '\0';
	return out;
}

/* a string value in NFC, replaced only when it changes */
static int
string_nfc(json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	char *n;
	int r;

	/* ASCII is always NFC: the common case costs one scan */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			goto normalise;
	return 0;
normalise:
	if ((n = vhd_nfc(s, len)) == NULL)
		return -1;
	r = strcmp(n, s) == 0 ? 0 : json_string_set(v, n);
	free(n);
	return r;
}

int
vhd_json_nfc(json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return string_nfc(v);
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			if (vhd_json_nfc(x) < 0)
				return -1;
		return 0;
	case JSON_OBJECT:
		/* keys are field names, checked against the known ASCII ones */
		json_object_foreach(v, key, x)
			if (vhd_json_nfc(x) < 0)
				return -1;
		return 0;
	default:
		return 0;
	}
}

/* code points written as '-' in a document number */
static bool
is_dash(ucs4_t c)
{
	return c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
	       c == 0x2015 || c == 0x2212 || c == 0xFE58 || c == 0xFE63 || c == 0xFF0D;
}

static bool
is_space(ucs4_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
	       c == 0x2007 || c == 0x202F || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) ||
	       c == 0xFEFF;
}

char *
vhd_docnum_key(const char *s)
{
	size_t len = strlen(s), n = 0, o = 0;
	uint8_t *folded, *out;
	const uint8_t *p, *end;
	ucs4_t c;
	int k;

	/* NFC after folding: one form for Đ/đ and for precomposed letters */
	folded = u8_casefold((const uint8_t *)s, len, NULL, UNINORM_NFC, NULL, &n);
	if (folded == NULL)
		return NULL;
	if ((out = malloc(n + 1)) == NULL) {
		free(folded);
		return NULL;
	}
	for (p = folded, end = folded + n; p < end; p += k) {
		if ((k = u8_mbtouc(&c, p, (size_t)(end - p))) <= 0)
			break;
		if (is_space(c))
			continue;
		if (is_dash(c)) {
			out[o++] = '-';
			continue;
		}
		memcpy(out + o, p, (size_t)k);
		o += (size_t)k;
	}
	out[o] = '\0';
	free(folded);
	return (char *)out;
}
