/**
 * @file vhcv/rules.h
 * @brief The conduct code: rules in force and their versions.
 */
#ifndef VHCV_RULES_H
#define VHCV_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One version of a rule's text, as loaded from the conduct-code YAML. */
typedef struct vhcv_rule_version {
	char *json;          /**< this object as JSON text */
	int64_t id;          /**< the version's id; cases point at it */
	char *content_hash;  /**< SHA-256 of the rule's content */
	char *valid_from;    /**< YYYY-MM-DD */
	char *valid_to;      /**< YYYY-MM-DD, or NULL while in force */
	char *loaded_at;     /**< RFC 3339 UTC time */
} vhcv_rule_version;

/** A rule of the conduct code. Strings are UTF-8; NULL when absent. */
typedef struct vhcv_rule {
	char *json;              /**< this object as JSON text */
	char *code;              /**< "TD-01" */
	char *group;             /**< "thai_do" */
	char *group_name;        /**< Vietnamese name of the group */
	char *title_vi;          /**< Vietnamese title */
	char *title_en;          /**< English gloss */
	char *description;
	char **legal_basis;      /**< legal instruments, nlegal_basis of them */
	size_t nlegal_basis;
	char *default_severity;  /**< "it_nghiem_trong", ... */
	char **categories;       /**< official categories it applies to */
	size_t ncategories;
	int no_limitation;       /**< 1: no limitation period */
	char *valid_from;        /**< YYYY-MM-DD */
	char *valid_to;          /**< YYYY-MM-DD or NULL */
	char *content_hash;
	vhcv_rule_version **versions; /**< only from vhcv_rule_get() */
	size_t nversions;
} vhcv_rule;

/** A list of rules; @c next is always NULL (rules come in one page). */
typedef struct vhcv_rule_page {
	char *json;          /**< {"items": [...], "next": null} */
	vhcv_rule **items;
	size_t count;
	char *next;          /**< NULL */
} vhcv_rule_page;

/**
 * The rules in force today (GET /v1/rules).
 *
 * @param out receives the list; free it with vhcv_rule_page_free()
 * @param client the client
 * @param group only this group ("thai_do"), or NULL for all
 * @return 0 or a code of vhcv/errors.h (see vhcv/client.h)
 */
VHCV_EXTERN int vhcv_rule_list(vhcv_rule_page **out, vhcv_client *client,
			       const char *group);

/**
 * One rule with its versions (GET /v1/rules/{code}).
 *
 * @param out receives the rule; free it with vhcv_rule_free()
 * @param client the client
 * @param code the rule's code
 * @param on YYYY-MM-DD: the version in force that day; NULL for today
 * @return 0, VHCV_ENOTFOUND, or another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_rule_get(vhcv_rule **out, vhcv_client *client,
			      const char *code, const char *on);

/** Free a rule; accepts NULL. */
VHCV_EXTERN void vhcv_rule_free(vhcv_rule *rule);

/** Free a list of rules and every rule in it; accepts NULL. */
VHCV_EXTERN void vhcv_rule_page_free(vhcv_rule_page *page);

#ifdef __cplusplus
}
#endif

#endif
