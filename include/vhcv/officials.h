/**
 * @file vhcv/officials.h
 * @brief Officials (cán bộ, công chức, viên chức, người lao động).
 */
#ifndef VHCV_OFFICIALS_H
#define VHCV_OFFICIALS_H

#include <stddef.h>

#include "client.h"
#include "decisions.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An official as of a date. Strings are UTF-8; NULL when absent. */
typedef struct vhcv_official {
	char *json;              /**< this object as JSON text */
	char *code;              /**< personnel code "CC-0042" */
	char *full_name;         /**< "Nguyễn Văn An" */
	char *category;          /**< "can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong" */
	char *category_name;     /**< Vietnamese name of the category */
	int leader;              /**< 1: holds a leading or managing post */
	char *unit;              /**< the unit's code */
	char *position;          /**< position title, or NULL */
	char *status;            /**< "active", "retired", "left" */
	char *valid_from;        /**< YYYY-MM-DD of this version of the record */
	vhcv_decision **sanctions; /**< decisions in effect on the asked date */
	size_t nsanctions;
	char **open_cases;       /**< numbers of cases not yet closed */
	size_t nopen_cases;
} vhcv_official;

#define VHCV_OFFICIAL_SPEC_VERSION 2

/**
 * What vhcv_official_put() sends; initialise with VHCV_OFFICIAL_SPEC_INIT.
 * NULL members are left out of the request.
 */
typedef struct vhcv_official_spec {
	unsigned int version;    /**< VHCV_OFFICIAL_SPEC_VERSION */
	const char *code;        /**< required */
	const char *full_name;   /**< required */
	const char *category;    /**< required */
	const char *unit;        /**< required */
	int leader;              /**< 0 or 1 */
	const char *position;
	const char *status;      /**< NULL: "active" */
	const char *valid_from;  /**< YYYY-MM-DD; NULL: today */
	/* version 2 (VHCV_VERSION_NUMBER 101) */
	int elected;             /**< 1: a cán bộ holding an elected office (0: appointed) */
} vhcv_official_spec;

#define VHCV_OFFICIAL_SPEC_INIT \
	{ VHCV_OFFICIAL_SPEC_VERSION, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0 }

/**
 * Create or update an official (PUT /v1/officials/{code}; hr and admin).
 * A change makes a new version of the record from @c valid_from; the
 * history is kept.
 *
 * @param out receives the official (free with vhcv_official_free()), or NULL
 * @param client the client
 * @param spec what to send; copied
 * @return 0; VHCV_EINVALID (names the field); VHCV_ENOTFOUND for an
 *         unknown unit; another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_official_put(vhcv_official **out, vhcv_client *client,
				  const vhcv_official_spec *spec);

/**
 * An official with the sanctions in effect and the open cases
 * (GET /v1/officials/{code}).
 *
 * @param out receives the official; free it with vhcv_official_free()
 * @param client the client
 * @param code the personnel code
 * @param on YYYY-MM-DD to look at, or NULL for today
 * @return 0, VHCV_ENOTFOUND, or another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_official_get(vhcv_official **out, vhcv_client *client,
				  const char *code, const char *on);

/** Free an official and its sanctions; accepts NULL. */
VHCV_EXTERN void vhcv_official_free(vhcv_official *official);

#ifdef __cplusplus
}
#endif

#endif
