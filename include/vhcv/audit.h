/**
 * @file vhcv/audit.h
 * @brief Verifying the hash-chained event log, and sealing it.
 */
#ifndef VHCV_AUDIT_H
#define VHCV_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One problem found in the event log. */
typedef struct vhcv_audit_problem {
	char *json;          /**< this object as JSON text */
	char *case_number;   /**< the case whose chain is broken */
	int64_t seq;         /**< the event's position in the case */
	int64_t event_id;
	char *problem;       /**< what is wrong */
} vhcv_audit_problem;

/** The result of walking every chain. */
typedef struct vhcv_audit_report {
	char *json;          /**< the answer as JSON text */
	int ok;              /**< 1: no problem found */
	int64_t cases;       /**< cases checked */
	int64_t events;      /**< events checked */
	int64_t seals;       /**< seals checked */
	vhcv_audit_problem **problems;
	size_t nproblems;
} vhcv_audit_report;

/** A seal: a hash over every chain at one moment. */
typedef struct vhcv_seal {
	char *json;          /**< the answer as JSON text */
	int64_t seal;        /**< the seal's id */
	int64_t cases;
	int64_t events;
	char *hash;
} vhcv_seal;

/**
 * Walk every case's event chain and the seals (GET /v1/audit/verify;
 * auditor and admin). A broken chain is not an error of the call: it
 * returns 0 with @c ok 0 and the problems.
 *
 * @param out receives the report; free it with vhcv_audit_report_free()
 * @return 0 or a code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_audit_verify(vhcv_audit_report **out, vhcv_client *client);

/**
 * Seal the event log as it stands (POST /v1/audit/seal; auditor and admin).
 *
 * @param out receives the seal (free with vhcv_seal_free()), or NULL
 * @return 0 or a code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_audit_seal(vhcv_seal **out, vhcv_client *client);

/** Free a report and its problems; accepts NULL. */
VHCV_EXTERN void vhcv_audit_report_free(vhcv_audit_report *report);

/** Free a seal; accepts NULL. */
VHCV_EXTERN void vhcv_seal_free(vhcv_seal *seal);

/**
 * The latest signed tree head of the log (GET /v1/audit/head; admin and
 * auditors of every unit), as JSON text to keep off the machine:
 * tree_size, root_hash, sealed_at, key_id, signature, public_key.
 *
 * @param json receives the text; free() it
 * @return 0 or a code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_audit_head(char **json, vhcv_client *client);

/**
 * Prove that today's log extends a head kept earlier (the JSON text of
 * vhcv_audit_head()): fetches a consistency proof (RFC 9162) and checks it
 * here, with the kept head's public key for both heads' signatures. A log
 * that does not extend the head is not an error of the call: it returns 0
 * with {"ok": false, "problem": ...} in json.
 *
 * @param json receives {"ok", "from", "to"[, "problem"]}; free() it
 * @return 0 or a code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_audit_against(char **json, vhcv_client *client, const char *head_json);

#ifdef __cplusplus
}
#endif

#endif
