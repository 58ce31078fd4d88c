/**
 * @file vhcv/client.h
 * @brief Connecting to vhcvd, errors of the last call, health.
 *
 * Every result struct of libvhcv starts with a member @c json: the object
 * as vhcvd sent it, as one line of UTF-8 JSON text. Programs that want the
 * document (the vhcv CLI's --json, or a foreign-function binding that only
 * mirrors that first member) read it; C programs read the typed members.
 *
 * Ownership: a result returned through @c **out belongs to the caller and is
 * freed, with everything it points to, by the one @c _free function of its
 * type; every @c _free accepts NULL. Input strings are copied or sent, never
 * kept. On failure @c *out is set to NULL.
 *
 * Codes every request can return besides its own (see vhcv/errors.h):
 * VHCV_EINVALID (a required argument is NULL or empty, or vhcvd found the
 * input invalid: vhcv_client_errfield() names the field), VHCV_EFORBIDDEN
 * (role, unit scope, or a case about yourself), VHCV_EUNAUTHORIZED (no or
 * unknown token on TCP), VHCV_EUNAVAILABLE (the daemon or its database cannot
 * be reached; retry), VHCV_ETIMEOUT, VHCV_ETOOLARGE, VHCV_EPROTOCOL (the answer
 * was not what the API promises), VHCV_ENOMEM, VHCV_ERROR.
 */
#ifndef VHCV_CLIENT_H
#define VHCV_CLIENT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A connection to one vhcvd endpoint. A handle is not thread-safe: use one
 * per thread; separate handles share nothing.
 */
typedef struct vhcv_client vhcv_client;

#define VHCV_CLIENT_OPTIONS_VERSION 1

/** Options for vhcv_client_open(); initialise with VHCV_CLIENT_OPTIONS_INIT. */
typedef struct vhcv_client_options {
	unsigned int version;      /**< VHCV_CLIENT_OPTIONS_VERSION */
	long connect_timeout_ms;   /**< 0: 5000 */
	long timeout_ms;           /**< whole request; 0: 30000 */
	const char *token;         /**< bearer token for TCP endpoints; NULL: $VHCV_TOKEN */
	const char *ca_file;       /**< CA bundle for https endpoints, or NULL */
} vhcv_client_options;

#define VHCV_CLIENT_OPTIONS_INIT { VHCV_CLIENT_OPTIONS_VERSION, 0, 0, NULL, NULL }

/**
 * Open a client on an endpoint. Nothing is sent until the first request.
 *
 * Requests that are safe to repeat (GET, and the POSTs that carry an
 * idempotency key) are sent a second time, once, when the connection fails
 * before an answer arrives; nothing else is ever retried.
 *
 * @param out receives the client; close it with vhcv_client_close()
 * @param endpoint "unix:PATH", "https://HOST:PORT" or "http://HOST:PORT"
 *        (plain HTTP only to 127.0.0.0/8, [::1] or localhost, so that a
 *        token never crosses a network in clear: VHCV_EINVALID otherwise);
 *        NULL means $VHCV_ENDPOINT, else the local socket
 *        (var/run/vhcvd.sock below the current directory when it exists,
 *        else the installed /run/vhcvd/vhcvd.sock); copied
 * @param opts options, or NULL for the defaults; copied
 * @return 0; VHCV_EINVALID for a malformed endpoint, NULL @p out or an
 *         options version this library does not know; VHCV_ENOMEM
 */
VHCV_EXTERN int vhcv_client_open(vhcv_client **out, const char *endpoint,
				 const vhcv_client_options *opts);

/** Close a client and free everything it holds; accepts NULL. */
VHCV_EXTERN void vhcv_client_close(vhcv_client *client);

/**
 * The message of the last failed call on this client: the daemon's message
 * for refusals (it names the field, the rule or the current state), else a
 * description of what failed locally.
 *
 * @return a string borrowed from the client, valid until the next call on
 *         it; "" when the last call succeeded; never NULL
 */
VHCV_EXTERN const char *vhcv_client_errmsg(const vhcv_client *client);

/**
 * The field the last error was about ("rule", "occurred_on", ...), or "".
 * Borrowed like vhcv_client_errmsg().
 */
VHCV_EXTERN const char *vhcv_client_errfield(const vhcv_client *client);

/**
 * The last error as one line of JSON: the error document vhcvd sent
 * (@c error, @c message, and where they apply @c field, @c rule, @c basis,
 * @c status), or one made by the library for local failures with the same
 * keys (@c error is vhcv_error_id() of the code).
 *
 * @return borrowed like vhcv_client_errmsg(); "" when the last call
 *         succeeded; never NULL
 */
VHCV_EXTERN const char *vhcv_client_errjson(const vhcv_client *client);

/** The endpoint the client talks to, borrowed from the client. */
VHCV_EXTERN const char *vhcv_client_endpoint(const vhcv_client *client);

/** Health of the daemon, from GET /v1/health. */
typedef struct vhcv_health {
	char *json;                /**< the answer as JSON text */
	int database_ok;           /**< 1 when the database answered */
	int schema_version;        /**< highest migration applied */
	char *rules_version;       /**< content hash of the loaded rules, or NULL */
	char *daemon_version;      /**< vhcvd's version, or NULL */
} vhcv_health;

/**
 * Ask the daemon for its health.
 *
 * @param out receives the result; free it with vhcv_health_free()
 * @param client the client
 * @return 0; VHCV_EUNAVAILABLE when the daemon cannot be reached or its
 *         database is down; VHCV_ETIMEOUT; another code; the message is in
 *         vhcv_client_errmsg()
 */
VHCV_EXTERN int vhcv_health_get(vhcv_health **out, vhcv_client *client);

/** Free a health result; accepts NULL. */
VHCV_EXTERN void vhcv_health_free(vhcv_health *health);

#ifdef __cplusplus
}
#endif

#endif
