/*
 * The case timeline: append-only and hash-chained per case, each event
 * recording what changed in the case's history rows; every event a leaf
 * of one Merkle tree whose heads are sealed and signed (docs/audit.md).
 */
#ifndef VHD_EVENTS_H
#define VHD_EVENTS_H

#include <libpq-fe.h>

#include "http.h"
#include "merkle.h"

#define VHD_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * Append an event to a case inside the caller's transaction. The caller
 * holds the case row locked (SELECT ... FOR UPDATE), so the chain of one
 * case never forks while other cases append in parallel. data is borrowed
 * (may be NULL for {}). 0 or -1 (reply set).
 */
int vhd_event_append(PGconn *conn, struct vhd_response *resp, const char *case_id,
		     const char *kind, const char *actor, json_t *data);

/*
 * The hash of one event: SHA-256 over prev_hash, case number, seq, kind,
 * actor, time, the canonical (sorted, compact) JSON of data and, when
 * recorded, of state, each on its own line. hex receives 64 digits.
 */
int vhd_event_hash(char hex[VH_SHA256_HEX], const char *prev, const char *case_number,
		   long long seq, const char *kind, const char *actor, const char *at,
		   json_t *data, json_t *state);

/*
 * A case's history rows as an object of rows ("case", "decision:12", ...)
 * of fields: the difference from old to cur (new rows whole, changed
 * fields, removed rows null), and applying such a difference.
 */
json_t *vhd_state_diff(json_t *old, json_t *cur);
void vhd_state_apply(json_t *acc, json_t *diff);

/* now, as the RFC 3339 UTC text with microseconds that events store */
void vhd_now_rfc3339(char buf[40]);

/*
 * Walk every chain, replay every case's rows, and (units NULL: the whole
 * register) check deleted case numbers, the log and every signed head:
 * the report of GET /v1/audit/verify. units: a text[] literal of the
 * unit codes of a scoped auditor. NULL on a database error (reply set).
 */
json_t *vhd_audit_verify(PGconn *conn, struct vhd_response *resp, const char *units);
/*
 * One seal, the only entry point: move the events written since the last
 * seal into the log, sign the new tree head. NULL on error (reply set).
 */
json_t *vhd_audit_seal(PGconn *conn, struct vhd_response *resp, const char *actor);
/* The latest signed tree head (tree_size 0 when none). */
json_t *vhd_audit_head(PGconn *conn, struct vhd_response *resp);
/* A consistency proof from the tree of `from` leaves to the latest head. */
json_t *vhd_audit_proof(PGconn *conn, struct vhd_response *resp, long long from);
/* The key seals are signed with (set once at start; NULL: unsigned). */
void vhd_audit_set_signer(vh_signer *s);

#endif
