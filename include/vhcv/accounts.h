/**
 * @file vhcv/accounts.h
 * @brief Accounts of people who sign in to the web pages (admin only).
 */
#ifndef VHCV_ACCOUNTS_H
#define VHCV_ACCOUNTS_H

#include <stddef.h>

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An account. Strings are UTF-8; NULL when absent. */
typedef struct vhcv_account {
	char *json;          /**< this object as JSON text */
	char *name;          /**< sign-in name: a-z, 0-9, '.', '_', '@', '-' */
	char *display_name;  /**< the person's name as shown */
	char *role;          /**< inspector, unit_head, hr, auditor or admin */
	char **units;        /**< unit codes, or "*" for every unit */
	size_t nunits;
	char *official;      /**< the person's personnel code, or NULL */
	int disabled;        /**< 1 when disabled: no sign-in, no session */
	int has_password;    /**< 0 until a password is set */
	char *created_at;    /**< RFC 3339 */
	char *created_by;    /**< the identity who added it */
} vhcv_account;

/** A list of accounts; @c next is always NULL. */
typedef struct vhcv_account_page {
	char *json;          /**< {"items": [...], "next": null} */
	vhcv_account **items;
	size_t count;
	char *next;          /**< NULL */
} vhcv_account_page;

/**
 * Add an account (POST /v1/accounts; admin only).
 *
 * @param out receives the account (free with vhcv_account_free()), or NULL
 * @param client the client
 * @param name the sign-in name
 * @param role inspector, unit_head, hr, auditor or admin
 * @param units @p nunits unit codes (or "*"), at least one
 * @param official the person's personnel code, or NULL
 * @param display_name the person's name, or NULL for @p name
 * @param password at least 8 characters, or NULL to set it later
 * @return 0; VHCV_ECONFLICT when the name is taken (by an account or an
 *         identity of vhcvd.yaml); VHCV_ENOTFOUND for an unknown unit or
 *         official; VHCV_EINVALID naming the field; VHCV_EFORBIDDEN
 */
VHCV_EXTERN int vhcv_account_add(vhcv_account **out, vhcv_client *client, const char *name,
				 const char *role, const char *const *units, size_t nunits,
				 const char *official, const char *display_name,
				 const char *password);

/** List the accounts (GET /v1/accounts; admin only). */
VHCV_EXTERN int vhcv_account_list(vhcv_account_page **out, vhcv_client *client);

/**
 * Disable an account (POST /v1/accounts/{name}/disable; admin only): it
 * can no longer sign in and its sessions end.
 */
VHCV_EXTERN int vhcv_account_disable(vhcv_account **out, vhcv_client *client,
				     const char *name);

/**
 * Set an account's password (PUT /v1/accounts/{name}/password; admin
 * only); its sessions end.
 */
VHCV_EXTERN int vhcv_account_passwd(vhcv_account **out, vhcv_client *client,
				    const char *name, const char *password);

/** Free an account; accepts NULL. */
VHCV_EXTERN void vhcv_account_free(vhcv_account *account);

/** Free a list of accounts and every account in it; accepts NULL. */
VHCV_EXTERN void vhcv_account_page_free(vhcv_account_page *page);

#ifdef __cplusplus
}
#endif

#endif
