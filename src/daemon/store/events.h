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
 * The first event of a case written by this transaction's statement, whose
 * history rows (`state`, as case_state_core would give them) are known
 * already: no read before the write. With `listed`, the event as a case
 * view lists its events (a JSON array, malloc'd). 0 or -1 (reply set).
 */
int vhd_event_first(PGconn *conn, struct vhd_response *resp, const char *case_id,
		    const char *number, const char *state, const char *kind, const char *actor,
		    json_t *data, char **listed);

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

/*
 * The history rows of every case, one per row, as case_state() of
 * migration 0020 builds them for one case (keep the two the same: a
 * difference shows as a mismatch on untouched data in every test that
 * verifies; bench/vhgen records them the same way). Each branch is read
 * through its index on the case, so the whole is one ordered merge: no
 * per-case query. Names are unqualified (search_path vhcv).
 */
#define VHD_SQL_CASE_ROWS                                                                        \
	"SELECT c.id AS case_id, 'case' AS key, jsonb_build_object("                        \
	" 'year', c.year, 'seq', c.seq, 'official_id', c.official_id,"                      \
	" 'unit_id', c.unit_id, 'rule_version_id', c.rule_version_id,"                      \
	" 'source', c.source, 'reporter', c.reporter,"                                      \
	" 'occurred_on', c.occurred_on, 'detected_on', c.detected_on,"                      \
	" 'place', c.place, 'description', c.description, 'status', c.status,"              \
	" 'severity', c.severity, 'complex', c.complex,"                                    \
	" 'limitation_expires_on', c.limitation_expires_on,"                                \
	" 'handling_deadline', c.handling_deadline,"                                        \
	" 'paused_days', c.paused_days, 'paused_since', c.paused_since) AS row"             \
	" FROM cases c"                                                                     \
	" UNION ALL SELECT d.case_id, 'decision:' || d.id,"                                 \
	" to_jsonb(d) - '{id,case_id,idempotency_key,request_hash,at}'::text[]"             \
	" FROM decisions d"                                                                 \
	" UNION ALL SELECT m.case_id, 'council:' || m.official_id,"                         \
	" to_jsonb(m) - '{case_id}'::text[] FROM council_members m"                         \
	" UNION ALL SELECT l.case_id, 'link:' || l.other_id,"                               \
	" to_jsonb(l) - '{case_id,at}'::text[] FROM case_links l"                           \
	" WHERE l.kind <> 'probable_duplicate'"                                             \
	" UNION ALL SELECT p.case_id, 'pause:' || p.id, to_jsonb(p) - '{id,case_id}'::text[]" \
	" FROM case_pauses p"                                                               \
	" UNION ALL SELECT e.case_id, 'evidence:' || e.id,"                                 \
	" to_jsonb(e) - '{id,case_id,bytes,added_at}'::text[] FROM evidence e"

/*
 * After a report that took a case number of `year` (the INSERT was sent)
 * failed: roll back, and record the number this session took as given
 * up (migration 0080), saying what happened and the answer's status, so
 * that audit verify tells it from a deleted case.
 * Logs when it cannot (the connection is lost).
 */
void vhd_case_number_abandoned(PGconn *conn, const char *year, const char *what, int status);

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
