/**
 * @file vhcv/client.h
 * @brief Connecting to vhcvd.
 */
#ifndef VHCV_CLIENT_H
#define VHCV_CLIENT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A connection to one vhcvd endpoint; not thread-safe, one per thread. */
typedef struct vhcv_client vhcv_client;

#define VHCV_CLIENT_OPTIONS_VERSION 1

/** Options for vhcv_client_open(); initialise with VHCV_CLIENT_OPTIONS_INIT. */
typedef struct vhcv_client_options {
	unsigned int version;      /**< VHCV_CLIENT_OPTIONS_VERSION */
	long connect_timeout_ms;   /**< 0: 5000 */
	long timeout_ms;           /**< whole request; 0: 30000 */
	const char *token;         /**< bearer token for TCP endpoints, or NULL */
	const char *ca_file;       /**< CA bundle for https endpoints, or NULL */
} vhcv_client_options;

#define VHCV_CLIENT_OPTIONS_INIT { VHCV_CLIENT_OPTIONS_VERSION, 0, 0, NULL, NULL }

/**
 * Open a client on an endpoint.
 *
 * @param out receives the client; free it with vhcv_client_close()
 * @param endpoint "unix:PATH", "https://HOST:PORT" or "http://127.0.0.1:PORT";
 *        NULL means $VHCV_ENDPOINT, else the local socket (var/run/vhcvd.sock
 *        below the current directory when it exists, else the installed one)
 * @param opts options, or NULL for the defaults; copied
 * @return 0, VHCV_EINVALID for a malformed endpoint, VHCV_ENOMEM
 */
VHCV_EXTERN int vhcv_client_open(vhcv_client **out, const char *endpoint,
				 const vhcv_client_options *opts);

/** Close a client; accepts NULL. */
VHCV_EXTERN void vhcv_client_close(vhcv_client *client);

/**
 * The message of the last failed call on this client.
 *
 * @return a string borrowed from the client, valid until the next call on it;
 *         "" when the last call succeeded
 */
VHCV_EXTERN const char *vhcv_client_errmsg(const vhcv_client *client);

/**
 * The field the last error was about ("rule", "occurred_on", ...), or "".
 * Borrowed like vhcv_client_errmsg().
 */
VHCV_EXTERN const char *vhcv_client_errfield(const vhcv_client *client);

/** The endpoint the client talks to, borrowed from the client. */
VHCV_EXTERN const char *vhcv_client_endpoint(const vhcv_client *client);

/** Health of the daemon, from GET /v1/health. */
typedef struct vhcv_health {
	int database_ok;           /**< 1 when the database answered */
	int schema_version;        /**< highest migration applied */
	char *rules_version;       /**< content hash of the loaded rules */
	char *daemon_version;      /**< vhcvd's version */
} vhcv_health;

/**
 * Ask the daemon for its health.
 *
 * @param out receives the result; free it with vhcv_health_free()
 * @return 0, VHCV_EUNAVAILABLE when the daemon cannot be reached, or
 *         another code; the message is in vhcv_client_errmsg()
 */
VHCV_EXTERN int vhcv_health_get(vhcv_health **out, vhcv_client *client);

/** Free a health result; accepts NULL. */
VHCV_EXTERN void vhcv_health_free(vhcv_health *health);

#ifdef __cplusplus
}
#endif

#endif
