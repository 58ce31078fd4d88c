/*
 * The Merkle tree of the event log, as RFC 9162 (Certificate
 * Transparency 2.0) defines it: leaf = SHA-256(0x00 || entry), node =
 * SHA-256(0x01 || left || right), MTH of n leaves splitting at the largest
 * power of two below n. The tree is kept as its frontier (the roots of its
 * perfect subtrees, left to right), so appending costs what is appended.
 * Tree heads are signed with Ed25519 (OpenSSL). docs/audit.md.
 */
#ifndef VH_MERKLE_H
#define VH_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VH_HASH_LEN 32
#define VH_MERKLE_DEPTH 64

struct vh_merkle {
	uint64_t size;                                 /* leaves appended */
	int n;                                         /* perfect subtrees */
	uint64_t span[VH_MERKLE_DEPTH];                /* their sizes */
	unsigned char node[VH_MERKLE_DEPTH][VH_HASH_LEN];
};

void vh_merkle_init(struct vh_merkle *m);
/* the leaf of an entry (an event's 32-byte hash) */
void vh_merkle_leaf(unsigned char out[VH_HASH_LEN], const unsigned char *entry, size_t len);
/* append a leaf hash */
void vh_merkle_append(struct vh_merkle *m, const unsigned char leaf[VH_HASH_LEN]);
/* the root (MTH); of no leaf: SHA-256 of nothing */
void vh_merkle_root(const struct vh_merkle *m, unsigned char out[VH_HASH_LEN]);
/* the frontier as text ("hex,hex,...") and back; parse: 0 or -1 */
char *vh_merkle_frontier_text(const struct vh_merkle *m);
int vh_merkle_frontier_parse(struct vh_merkle *m, uint64_t size, const char *text);

/*
 * The consistency proof between the first m and the first n leaves
 * (0 < m <= n) as RFC 9162 2.1.4.1 builds it: the ranges [lo, hi) of the
 * log whose MTH make up the proof, in order. At most VH_MERKLE_DEPTH.
 */
struct vh_range {
	uint64_t lo, hi;
};
size_t vh_merkle_proof_ranges(uint64_t m, uint64_t n, struct vh_range *out);
/* RFC 9162 2.1.4.2: whether proof shows that tree n extends tree m */
bool vh_merkle_consistent(uint64_t m, uint64_t n, const unsigned char old_root[VH_HASH_LEN],
			  const unsigned char new_root[VH_HASH_LEN],
			  const unsigned char (*proof)[VH_HASH_LEN], size_t nproof);

/* hex: 2*len digits and NUL; from hex: 0 or -1 */
void vh_hex(char *out, const unsigned char *bin, size_t len);
int vh_unhex(unsigned char *out, size_t len, const char *hex);

/* The text a tree head's signature covers. */
char *vh_tree_head_text(uint64_t size, const char *root_hex, const char *sealed_at);

/*
 * Ed25519: load a PEM private key (NULL and a message in err on failure),
 * sign (signature as 128 hex digits), the public key (64 hex digits),
 * and verify with a public key in hex.
 */
typedef struct vh_signer vh_signer;
vh_signer *vh_signer_load(const char *path, char *err, size_t errlen);
void vh_signer_free(vh_signer *s);
int vh_sign(const vh_signer *s, const char *msg, char sig_hex[129]);
const char *vh_signer_public(const vh_signer *s);   /* 64 hex digits */
const char *vh_signer_key_id(const vh_signer *s);   /* 16 hex digits */
bool vh_verify_sig(const char *public_hex, const char *msg, const char *sig_hex);

#endif
