/**
 * @file vhcv/errors.h
 * @brief Error codes shared by libvhcv and the JSON error ids of vhcvd.
 *
 * Functions that can fail return 0 on success or one of these negative
 * codes. Codes are never renumbered; new ones are appended.
 */
#ifndef VHCV_ERRORS_H
#define VHCV_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes; the comment gives the JSON error id and HTTP status. */
enum vhcv_error {
	VHCV_OK = 0,             /**< success */
	VHCV_ERROR = -1,         /**< "error", 500: anything else */
	VHCV_EINVALID = -2,      /**< "invalid", 400: bad input, names the field */
	VHCV_ENOTFOUND = -3,     /**< "not_found", 404 */
	VHCV_EFORBIDDEN = -4,    /**< "forbidden", 403 */
	VHCV_EUNAUTHORIZED = -5, /**< "unauthorized", 401: no or bad credentials */
	VHCV_ECONFLICT = -6,     /**< "conflict", 409: bad transition, duplicate */
	VHCV_EREFUSED = -7,      /**< "refused", 422: refused by the law */
	VHCV_ETOOLARGE = -8,     /**< "too_large", 413: body or evidence too big */
	VHCV_EUNAVAILABLE = -9,  /**< "unavailable", 503: retry later */
	VHCV_ENOMEM = -10,       /**< "no_memory": allocation failed */
	VHCV_ETIMEOUT = -11,     /**< "timeout": no answer in time */
	VHCV_EPROTOCOL = -12,    /**< "protocol": the peer answered nonsense */
};

/** The lowest (most negative) code; a test loops from VHCV_OK down to it. */
#define VHCV_ERROR_LAST VHCV_EPROTOCOL

/**
 * Describe an error code.
 *
 * @param code a value of enum vhcv_error (or any int)
 * @return a static English description; never NULL, "unknown error" for
 *         codes this version does not know
 */
VHCV_EXTERN const char *vhcv_strerror(int code);

/**
 * The JSON error id of a code, as vhcvd sends it ("not_found", ...).
 *
 * @return a static string; never NULL ("error" for unknown codes)
 */
VHCV_EXTERN const char *vhcv_error_id(int code);

#ifdef __cplusplus
}
#endif

#endif
