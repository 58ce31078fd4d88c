/**
 * @file vhcv/evidence.h
 * @brief Evidence attached to a case: files with their SHA-256.
 */
#ifndef VHCV_EVIDENCE_H
#define VHCV_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the register knows about one piece of evidence. */
typedef struct vhcv_evidence {
	char *json;          /**< this object as JSON text */
	char *name;          /**< "biên bản.pdf" (UTF-8) */
	char *media_type;    /**< "application/pdf" */
	int64_t size;        /**< bytes */
	char *sha256;        /**< 64 lowercase hex digits */
	char *added_by;      /**< the identity that added it */
	char *added_at;      /**< RFC 3339 UTC time */
} vhcv_evidence;

/** The bytes of a piece of evidence, from vhcv_evidence_get(). */
typedef struct vhcv_evidence_data {
	/** {"case", "name", "media_type", "size", "sha256"} as JSON text */
	char *json;
	char *media_type;    /**< from Content-Type */
	char *sha256;        /**< verified against the bytes */
	unsigned char *data; /**< size bytes, followed by a NUL not counted */
	size_t size;
} vhcv_evidence_data;

/**
 * Attach a file to a case (PUT /v1/cases/{case}/evidence/{name}).
 *
 * @param out receives the stored evidence (free with vhcv_evidence_free()),
 *        or NULL
 * @param client the client
 * @param case_number "VP-2026-12"
 * @param name the evidence's name; any UTF-8 (sent percent-encoded)
 * @param media_type "application/pdf"; NULL: "application/octet-stream"
 * @param data the bytes, not kept
 * @param size how many; 0 is allowed
 * @return 0; VHCV_ENOTFOUND for an unknown case; VHCV_ECONFLICT when the
 *         case already has evidence by that name; VHCV_ETOOLARGE; another
 *         code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_evidence_add(vhcv_evidence **out, vhcv_client *client,
				  const char *case_number, const char *name,
				  const char *media_type, const void *data, size_t size);

/**
 * Fetch the bytes of a piece of evidence and check their SHA-256 against the
 * one vhcvd sent.
 *
 * @param out receives the bytes; free them with vhcv_evidence_data_free()
 * @param client the client
 * @param case_number the case
 * @param name the evidence's name
 * @return 0; VHCV_ENOTFOUND; VHCV_EPROTOCOL when the hash is missing or
 *         does not match the bytes; another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_evidence_get(vhcv_evidence_data **out, vhcv_client *client,
				  const char *case_number, const char *name);

/** Free evidence metadata; accepts NULL. */
VHCV_EXTERN void vhcv_evidence_free(vhcv_evidence *evidence);

/** Free downloaded evidence; accepts NULL. */
VHCV_EXTERN void vhcv_evidence_data_free(vhcv_evidence_data *data);

#ifdef __cplusplus
}
#endif

#endif
