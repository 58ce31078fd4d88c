/* The log's Merkle tree (RFC 9162) and Ed25519 tree-head signatures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "common.h"
#include "merkle.h"

static void
sha(unsigned char out[VH_HASH_LEN], unsigned char prefix, const unsigned char *a, size_t alen,
    const unsigned char *b, size_t blen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[VH_HASH_LEN] = { 0 };
	unsigned int len = VH_HASH_LEN;

	/* out may be a or b; allocation failure gives a zero hash, which
	 * never verifies */
	if (ctx && EVP_DigestInit_ex(ctx, vh_sha256_md(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, &prefix, 1) == 1 && EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    (blen == 0 || EVP_DigestUpdate(ctx, b, blen) == 1))
		EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	memcpy(out, md, VH_HASH_LEN);
}

static void
node(unsigned char out[VH_HASH_LEN], const unsigned char *l, const unsigned char *r)
{
	sha(out, 1, l, VH_HASH_LEN, r, VH_HASH_LEN);
}

void
vh_merkle_init(struct vh_merkle *m)
{
	memset(m, 0, sizeof(*m));
}

void
vh_merkle_leaf(unsigned char out[VH_HASH_LEN], const unsigned char *entry, size_t len)
{
	sha(out, 0, entry, len, NULL, 0);
}

void
vh_merkle_append(struct vh_merkle *m, const unsigned char leaf[VH_HASH_LEN])
{
	memcpy(m->node[m->n], leaf, VH_HASH_LEN);
	m->span[m->n++] = 1;
	m->size++;
	/* two perfect subtrees of one size make one of twice the size */
	while (m->n >= 2 && m->span[m->n - 1] == m->span[m->n - 2]) {
		node(m->node[m->n - 2], m->node[m->n - 2], m->node[m->n - 1]);
		m->span[m->n - 2] *= 2;
		m->n--;
	}
}

void
vh_merkle_root(const struct vh_merkle *m, unsigned char out[VH_HASH_LEN])
{
	unsigned int len = VH_HASH_LEN;

	if (m->n == 0) {
		EVP_Digest("", 0, out, &len, vh_sha256_md(), NULL);
		return;
	}
	memcpy(out, m->node[m->n - 1], VH_HASH_LEN);
	for (int i = m->n - 2; i >= 0; i--)
		node(out, m->node[i], out);
}

void
vh_hex(char *out, const unsigned char *bin, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bin[i] >> 4];
		out[2 * i + 1] = digits[bin[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
vh_unhex(unsigned char *out, size_t len, const char *hex)
{
	if (hex == NULL || strlen(hex) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

char *
vh_merkle_frontier_text(const struct vh_merkle *m)
{
	char *s = malloc((size_t)m->n * 65 + 1), *p = s;

	if (s == NULL)
		return NULL;
	*p = '\0';
	for (int i = 0; i < m->n; i++) {
		if (i)
			*p++ = ',';
		vh_hex(p, m->node[i], VH_HASH_LEN);
		p += 64;
	}
	return s;
}

int
vh_merkle_frontier_parse(struct vh_merkle *m, uint64_t size, const char *text)
{
	vh_merkle_init(m);
	m->size = size;
	/* the perfect subtrees are the binary digits of size, largest first */
	for (int bit = 63; bit >= 0; bit--) {
		if (!(size >> bit & 1))
			continue;
		char h[65];
		if (strlen(text) < 64)
			return -1;
		memcpy(h, text, 64);
		h[64] = '\0';
		if (vh_unhex(m->node[m->n], VH_HASH_LEN, h) < 0)
			return -1;
		m->span[m->n++] = (uint64_t)1 << bit;
		text += 64;
		if (*text == ',')
			text++;
	}
	return *text == '\0' ? 0 : -1;
}

static uint64_t
split(uint64_t n)
{
	uint64_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

/* SUBPROOF(m, D[lo:hi], b), appending the ranges whose MTH it lists */
static void
subproof(uint64_t m, uint64_t lo, uint64_t hi, bool b, struct vh_range *out, size_t *n)
{
	uint64_t len = hi - lo, k;

	if (m == len) {
		if (!b)
			out[(*n)++] = (struct vh_range){ lo, hi };
		return;
	}
	k = split(len);
	if (m <= k) {
		subproof(m, lo, lo + k, b, out, n);
		out[(*n)++] = (struct vh_range){ lo + k, hi };
	} else {
		subproof(m - k, lo + k, hi, false, out, n);
		out[(*n)++] = (struct vh_range){ lo, lo + k };
	}
}

size_t
vh_merkle_proof_ranges(uint64_t m, uint64_t n, struct vh_range *out)
{
	size_t count = 0;

	if (m == 0 || m > n)
		return 0;
	subproof(m, 0, n, true, out, &count);
	return count;
}

bool
vh_merkle_consistent(uint64_t m, uint64_t n, const unsigned char old_root[VH_HASH_LEN],
		     const unsigned char new_root[VH_HASH_LEN],
		     const unsigned char (*proof)[VH_HASH_LEN], size_t nproof)
{
	unsigned char fr[VH_HASH_LEN], sr[VH_HASH_LEN];
	const unsigned char(*path)[VH_HASH_LEN] = proof;
	uint64_t fn, sn;
	size_t np = nproof, i = 1;

	if (m == 0)
		return true; /* the empty tree is a prefix of every tree */
	if (m > n)
		return false;
	if (m == n)
		return nproof == 0 && memcmp(old_root, new_root, VH_HASH_LEN) == 0;
	if (nproof == 0)
		return false;
	fn = m - 1;
	sn = n - 1;
	/* a power of two: the old root is the first node of the path */
	if ((m & (m - 1)) == 0) {
		memcpy(fr, old_root, VH_HASH_LEN);
		i = 0;
	} else {
		memcpy(fr, path[0], VH_HASH_LEN);
	}
	memcpy(sr, fr, VH_HASH_LEN);
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < np; i++) {
		const unsigned char *c = path[i];
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			node(fr, c, fr);
			node(sr, c, sr);
			if (!(fn & 1))
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			node(sr, sr, c);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, old_root, VH_HASH_LEN) == 0 &&
	       memcmp(sr, new_root, VH_HASH_LEN) == 0;
}

char *
vh_tree_head_text(uint64_t size, const char *root_hex, const char *sealed_at)
{
	return vh_asprintf("vhcv tree head v1\n%llu\n%s\n%s\n", (unsigned long long)size,
			   root_hex, sealed_at);
}

struct vh_signer {
	EVP_PKEY *key;
	char pub[65];
	char id[17];
};

vh_signer *
vh_signer_load(const char *path, char *err, size_t errlen)
{
	vh_signer *s = calloc(1, sizeof(*s));
	unsigned char raw[32], digest[32];
	size_t rawlen = sizeof(raw);
	unsigned int dlen = sizeof(digest);
	FILE *f;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot be read (%m)", path);
		goto fail;
	}
	s->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (s->key == NULL || EVP_PKEY_id(s->key) != EVP_PKEY_ED25519) {
		snprintf(err, errlen, "%s: not an Ed25519 private key in PEM form"
			 " (openssl genpkey -algorithm ed25519)", path);
		goto fail;
	}
	if (EVP_PKEY_get_raw_public_key(s->key, raw, &rawlen) != 1 || rawlen != 32) {
		snprintf(err, errlen, "%s: no public key can be derived", path);
		goto fail;
	}
	vh_hex(s->pub, raw, 32);
	EVP_Digest(raw, 32, digest, &dlen, EVP_sha256(), NULL);
	vh_hex(s->id, digest, 8);
	return s;
fail:
	vh_signer_free(s);
	return NULL;
}

void
vh_signer_free(vh_signer *s)
{
	if (s == NULL)
		return;
	EVP_PKEY_free(s->key);
	free(s);
}

int
vh_sign(const vh_signer *s, const char *msg, char sig_hex[129])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[64];
	size_t len = sizeof(sig);
	int r = -1;

	if (ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, s->key) == 1 &&
	    EVP_DigestSign(ctx, sig, &len, (const unsigned char *)msg, strlen(msg)) == 1 &&
	    len == 64) {
		vh_hex(sig_hex, sig, 64);
		r = 0;
	}
	EVP_MD_CTX_free(ctx);
	return r;
}

const char *
vh_signer_public(const vh_signer *s)
{
	return s->pub;
}

const char *
vh_signer_key_id(const vh_signer *s)
{
	return s->id;
}

bool
vh_verify_sig(const char *public_hex, const char *msg, const char *sig_hex)
{
	unsigned char pub[32], sig[64];
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	bool ok = false;

	if (vh_unhex(pub, 32, public_hex) < 0 || vh_unhex(sig, 64, sig_hex) < 0)
		return false;
	if ((key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32)) != NULL &&
	    (ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1)
		ok = EVP_DigestVerify(ctx, sig, 64, (const unsigned char *)msg, strlen(msg)) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok;
}
