/**
 * @file vhcv/units.h
 * @brief Units (public bodies and their departments) and their history.
 */
#ifndef VHCV_UNITS_H
#define VHCV_UNITS_H

#include <stddef.h>

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A unit. Strings are UTF-8; NULL when absent. */
typedef struct vhcv_unit {
	char *json;          /**< this object as JSON text */
	char *code;          /**< "UBND-VY" */
	char *name;          /**< Vietnamese name */
	char *parent;        /**< parent unit's code, or NULL */
	char *valid_from;    /**< YYYY-MM-DD */
	char *valid_to;      /**< YYYY-MM-DD, or NULL while it exists */
	char *merged_into;   /**< the successor's code, or NULL */
} vhcv_unit;

/** A list of units; @c next is always NULL (units come in one page). */
typedef struct vhcv_unit_page {
	char *json;          /**< {"items": [...], "next": null} */
	vhcv_unit **items;
	size_t count;
	char *next;          /**< NULL */
} vhcv_unit_page;

/**
 * Create a unit (POST /v1/units; roles hr and admin).
 *
 * @param out receives the new unit (free with vhcv_unit_free()), or NULL
 * @param client the client
 * @param code the unit's code (ASCII)
 * @param name its Vietnamese name
 * @param parent the parent's code, or NULL for a top unit
 * @param valid_from YYYY-MM-DD, or NULL for today
 * @return 0; VHCV_ECONFLICT when the code exists; VHCV_ENOTFOUND for an
 *         unknown parent; another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_unit_add(vhcv_unit **out, vhcv_client *client, const char *code,
			      const char *name, const char *parent,
			      const char *valid_from);

/**
 * List units (GET /v1/units), merged ones included with @c merged_into.
 *
 * @param out receives the list; free it with vhcv_unit_page_free()
 * @param client the client
 * @param under a unit's code: that unit and its subtree; NULL for all
 * @return 0, VHCV_ENOTFOUND for an unknown @p under, or another code
 */
VHCV_EXTERN int vhcv_unit_list(vhcv_unit_page **out, vhcv_client *client,
			       const char *under);

/**
 * One unit (GET /v1/units/{code}).
 *
 * @param out receives the unit; free it with vhcv_unit_free()
 * @return 0, VHCV_ENOTFOUND, or another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_unit_get(vhcv_unit **out, vhcv_client *client, const char *code);

/**
 * Merge a unit into another (POST /v1/units/{code}/merge; hr and admin).
 * History is kept: cases keep the unit they were opened in, and review
 * scope follows the successor.
 *
 * @param out receives the merged unit (free with vhcv_unit_free()), or NULL
 * @param client the client
 * @param from the unit that ends
 * @param into its successor
 * @param on YYYY-MM-DD of the merge, or NULL for today
 * @return 0, VHCV_ENOTFOUND, VHCV_ECONFLICT (already merged, or into
 *         itself), or another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_unit_merge(vhcv_unit **out, vhcv_client *client, const char *from,
				const char *into, const char *on);

/**
 * Bulk sync of units (PUT /v1/units; roles hr and admin; libvhcv 1.3):
 * create, rename and move many units in one request, as an HR system
 * keeps a province's unit tree in step.
 *
 * @param json receives the answer as JSON text (free it with
 *        vhcv_string_free()); NULL on error:
 *        {"rows": N, "created": N, "updated": N, "unchanged": N,
 *        "errors": N, "rejected": N, "results": [{"row": 1, "code": "X",
 *        "result": "created|updated|unchanged|error|rejected",
 *        "field": "...", "message": "..."}, ...]}, one result per row in
 *        the order of @p body (rows numbered from 1)
 * @param client the client
 * @param body a JSON array, or JSON lines (NDJSON), of objects
 *        {"code", "name", "parent" (optional: none puts the unit at the
 *        top), "valid_from" (optional, YYYY-MM-DD: a new unit's first day,
 *        or the day a rename or move takes effect; default today)}; UTF-8,
 *        any Unicode normal form; borrowed, not kept
 * @param len the length of @p body in bytes
 * @param batch rows per transaction, 1-10000 (0: vhcvd's default, 1000).
 *        vhcvd sorts the rows so that a parent given in @p body comes
 *        before its children, then cuts the batches from that order; a
 *        bad row (unknown parent, a cycle, a bad field, a unit outside
 *        the identity's units) rejects its batch only, and the answer
 *        names the row and its field
 * @return 0 when vhcvd answered (rows in error are in the answer, not a
 *         failure); VHCV_EINVALID for a body that is not JSON or NDJSON,
 *         is not UTF-8, or a bad @p batch; VHCV_EFORBIDDEN for a role
 *         that may not change units; VHCV_ETOOLARGE for a body over
 *         vhcvd's max_body_bytes; another code of vhcv/errors.h. The request is
 *         not resent: a batch may have committed before a connection
 *         broke, and a re-run reports such rows unchanged.
 */
VHCV_EXTERN int vhcv_units_sync(char **json, vhcv_client *client, const char *body,
				size_t len, int batch);

/** Free a unit; accepts NULL. */
VHCV_EXTERN void vhcv_unit_free(vhcv_unit *unit);

/** Free a list of units and every unit in it; accepts NULL. */
VHCV_EXTERN void vhcv_unit_page_free(vhcv_unit_page *page);

#ifdef __cplusplus
}
#endif

#endif
