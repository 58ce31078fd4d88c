/*
 * The fast check of one case for `audit verify` (docs/audit.md): the same
 * proof as the full check in events.c — the chain, every hash, the log,
 * the recorded changes, the replayed rows against the stored ones — on
 * PostgreSQL's own texts, parsed once into a per-case arena, with no
 * jansson and no allocation per value. It only answers "clean"; a case it
 * cannot prove clean (a problem, or anything outside the common forms:
 * reals, \u escapes, odd dates) is checked again by the full check, which
 * names each problem. So it is never weaker than the full check: it is
 * stricter, and the full check is the authority on what is wrong.
 */
#ifndef VHD_VFAST_H
#define VHD_VFAST_H

#include <stdbool.h>

/* what a case is about: set by its first event, never changed after */
extern const char *const vhd_case_facts[];

/* the columns of one kind of history row, as the rows cursor reads them */
struct vf_table {
	char prefix[16];  /* "case", "decision:", ... */
	int ncols;
	char **names;     /* column names, as to_jsonb() names them (distinct) */
	size_t *lens;     /* their lengths */
	char *types;      /* per column: n number, s string, d date, b bool, j JSON text */
};

struct vf;

struct vf *vf_new(void);
void vf_free(struct vf *v);
/* a new case: its number, recorded event count and head (NULL: none),
 * and whether an evidence's bytes no longer match its SHA-256 */
void vf_begin(struct vf *v, const char *number, long long count, const char *head,
	      bool bad_bytes);
/* one stored history row: key ("decision:12"), its table, the record text */
void vf_row(struct vf *v, const char *key, const struct vf_table *t, const char *record);
/* the next event of the case, in seq order; at as timestamptz text (UTC) */
void vf_event(struct vf *v, long long seq, const char *kind, const char *actor, const char *at,
	      const char *data, const char *state, const char *prev, const char *hash,
	      bool logged);
/* after every row and event: true when the whole case is proven */
bool vf_clean(struct vf *v);

#endif
