/*
 * The case timeline: append-only and hash-chained per case, sealed
 * periodically over all case heads (docs/audit.md).
 */
#ifndef VHD_EVENTS_H
#define VHD_EVENTS_H

#include <libpq-fe.h>

#include "http.h"

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
 * actor, time and the canonical (sorted, compact) JSON of data, each on
 * its own line. hex receives 64 digits.
 */
int vhd_event_hash(char hex[VH_SHA256_HEX], const char *prev, const char *case_number,
		   long long seq, const char *kind, const char *actor, const char *at,
		   json_t *data);

/* now, as the RFC 3339 UTC text with microseconds that events store */
void vhd_now_rfc3339(char buf[40]);

/*
 * Walk every chain and seal: the report of GET /v1/audit/verify.
 * NULL on a database error (reply set).
 */
json_t *vhd_audit_verify(PGconn *conn, struct vhd_response *resp);
/* Seal the current heads of every case. NULL on error (reply set). */
json_t *vhd_audit_seal(PGconn *conn, struct vhd_response *resp, const char *actor);

#endif
