/*
 * The log's Merkle tree against RFC 9162's definitions computed the slow
 * way: roots, frontiers, consistency proofs (built from ranges, checked
 * by the verifier, refused when anything is off), and Ed25519 heads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include "common.h"
#include "merkle.h"

#define N 70

static unsigned char leaves[N][VH_HASH_LEN];

static void
h2(unsigned char out[32], const unsigned char *l, const unsigned char *r)
{
	unsigned char buf[65];
	unsigned int len = 32;

	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	EVP_Digest(buf, sizeof(buf), out, &len, EVP_sha256(), NULL);
}

/* MTH(D[lo:hi]) by the recursive definition */
static void
mth(unsigned char out[32], uint64_t lo, uint64_t hi)
{
	unsigned char l[32], r[32];
	uint64_t k = 1;

	if (hi - lo == 1) {
		memcpy(out, leaves[lo], 32);
		return;
	}
	while (k << 1 < hi - lo)
		k <<= 1;
	mth(l, lo, lo + k);
	mth(r, lo + k, hi);
	h2(out, l, r);
}

static void
setup_leaves(void)
{
	for (int i = 0; i < N; i++) {
		unsigned char entry[32];
		memset(entry, i, sizeof(entry));
		vh_merkle_leaf(leaves[i], entry, sizeof(entry));
	}
}

static void
test_roots_and_frontiers(void **state)
{
	struct vh_merkle m, again;
	unsigned char a[32], b[32];

	(void)state;
	setup_leaves();
	vh_merkle_init(&m);
	for (uint64_t n = 1; n <= N; n++) {
		char *text;
		vh_merkle_append(&m, leaves[n - 1]);
		vh_merkle_root(&m, a);
		mth(b, 0, n);
		assert_memory_equal(a, b, 32);
		/* the frontier alone carries the tree on */
		text = vh_merkle_frontier_text(&m);
		assert_int_equal(vh_merkle_frontier_parse(&again, n, text), 0);
		vh_merkle_root(&again, a);
		assert_memory_equal(a, b, 32);
		free(text);
	}
	assert_int_equal(vh_merkle_frontier_parse(&again, 3, "00"), -1);
}

static void
test_consistency(void **state)
{
	struct vh_range ranges[2 * VH_MERKLE_DEPTH];
	unsigned char proof[2 * VH_MERKLE_DEPTH][32], old[32], cur[32];
	int checked = 0;

	(void)state;
	setup_leaves();
	for (uint64_t n = 1; n <= N; n++)
		for (uint64_t m = 1; m <= n; m++) {
			size_t np = vh_merkle_proof_ranges(m, n, ranges);
			for (size_t i = 0; i < np; i++)
				mth(proof[i], ranges[i].lo, ranges[i].hi);
			mth(old, 0, m);
			mth(cur, 0, n);
			assert_true(vh_merkle_consistent(m, n, old, cur,
							 (const unsigned char(*)[32])proof, np));
			/* another old root, another new root, a changed node: refused */
			old[0] ^= 1;
			assert_false(vh_merkle_consistent(m, n, old, cur,
							  (const unsigned char(*)[32])proof, np));
			old[0] ^= 1;
			cur[5] ^= 1;
			assert_false(vh_merkle_consistent(m, n, old, cur,
							  (const unsigned char(*)[32])proof, np));
			cur[5] ^= 1;
			if (np) {
				proof[np - 1][31] ^= 1;
				assert_false(vh_merkle_consistent(m, n, old, cur,
								  (const unsigned char(*)[32])proof, np));
				/* a proof cut short */
				assert_false(np > 1 && vh_merkle_consistent(m, n, old, cur,
						 (const unsigned char(*)[32])proof, np - 1));
			}
			checked++;
		}
	assert_int_equal(checked, N * (N + 1) / 2);
}

static void
test_signatures(void **state)
{
	char path[] = "/tmp/vhcv-key-XXXXXX", err[256], sig[129];
	int fd = mkstemp(path);
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	FILE *f;
	vh_signer *s;
	char *text;

	(void)state;
	assert_true(fd >= 0);
	assert_true(ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_true(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1);
	fclose(f);
	s = vh_signer_load(path, err, sizeof(err));
	assert_non_null(s);
	text = vh_tree_head_text(12, "ab", "2026-11-30T00:00:00.000000Z");
	assert_int_equal(vh_sign(s, text, sig), 0);
	assert_true(vh_verify_sig(vh_signer_public(s), text, sig));
	text[20] ^= 1;
	assert_false(vh_verify_sig(vh_signer_public(s), text, sig));
	assert_int_equal(strlen(vh_signer_key_id(s)), 16);
	free(text);
	vh_signer_free(s);
	/* not a key: a message naming the file */
	f = fopen(path, "w");
	fputs("not a key\n", f);
	fclose(f);
	assert_null(vh_signer_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "Ed25519"));
	unlink(path);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roots_and_frontiers),
		cmocka_unit_test(test_consistency),
		cmocka_unit_test(test_signatures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
