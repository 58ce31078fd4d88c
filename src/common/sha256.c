/* SHA-256 through OpenSSL's EVP interface, always as lowercase hex. */
#include <pthread.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "common.h"

struct vh_sha256 {
	EVP_MD_CTX *ctx;
};

/*
 * The digest fetched from the provider once: EVP_sha256() in each
 * EVP_DigestInit_ex makes OpenSSL 3 look the algorithm up again (a lock
 * and reference counts), which cost more than hashing an event's few
 * hundred bytes with the CPU's SHA extensions (audit verify hashes every
 * event; docs/performance.md, session 5). EVP_sha256() if the fetch fails.
 */
static EVP_MD *fetched;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void
fetch_md(void)
{
	fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

const EVP_MD *
vh_sha256_md(void)
{
	pthread_once(&fetch_once, fetch_md);
	return fetched ? fetched : EVP_sha256();
}

static void
to_hex(char hex[VH_SHA256_HEX], const unsigned char *md, unsigned int len)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned int i = 0; i < len && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[64] = '\0';
}

vh_sha256 *
vh_sha256_new(void)
{
	vh_sha256 *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	if ((h->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(h->ctx, vh_sha256_md(), NULL) != 1) {
		vh_sha256_free(h);
		return NULL;
	}
	return h;
}

int
vh_sha256_update(vh_sha256 *h, const void *data, size_t len)
{
	return EVP_DigestUpdate(h->ctx, data, len) == 1 ? 0 : VHCV_ERROR;
}

int
vh_sha256_final(vh_sha256 *h, char hex[VH_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1 || len != 32)
		return VHCV_ERROR;
	to_hex(hex, md, len);
	return 0;
}

void
vh_sha256_free(vh_sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

int
vh_sha256_hex(char hex[VH_SHA256_HEX], const void *data, size_t len)
{
	vh_sha256 *h = vh_sha256_new();
	int r = VHCV_ENOMEM;

	if (h && (r = vh_sha256_update(h, data, len)) == 0)
		r = vh_sha256_final(h, hex);
	vh_sha256_free(h);
	return r;
}

int
vh_sha256_hex_with(vh_sha256 *h, char hex[VH_SHA256_HEX], const void *data, size_t len)
{
	if (EVP_DigestInit_ex(h->ctx, vh_sha256_md(), NULL) != 1 ||
	    EVP_DigestUpdate(h->ctx, data, len) != 1)
		return VHCV_ERROR;
	return vh_sha256_final(h, hex);
}
