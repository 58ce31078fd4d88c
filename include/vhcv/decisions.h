/**
 * @file vhcv/decisions.h
 * @brief Disciplinary decisions, as they appear in cases and officials.
 */
#ifndef VHCV_DECISIONS_H
#define VHCV_DECISIONS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A decision. Decisions are never edited: a change supersedes one by a new
 * decision, an annulment marks it annulled. Strings are UTF-8; NULL when
 * absent. Freed with the case or official that holds it.
 */
typedef struct vhcv_decision {
	char *json;              /**< this object as JSON text */
	char *number;            /**< the document number as vhcvd gives it */
	char *issuer;            /**< the symbol: "QĐ-UBND" */
	int year;                /**< year of the number series */
	char *kind;              /**< "decision", "annulment", ... */
	char *form;              /**< "khien_trach", ..., or "none" */
	char *form_name;         /**< Vietnamese name of the form */
	char *severity;          /**< "it_nghiem_trong", ... */
	char *signed_on;         /**< YYYY-MM-DD */
	char *effective_on;      /**< YYYY-MM-DD */
	char *effect_until;      /**< YYYY-MM-DD, or NULL */
	char *freeze_until;      /**< end of the career freeze, or NULL */
	char *recommended_form;  /**< the council's recommendation, or NULL */
	char *ladder_form;       /**< what the ladder suggests, or NULL */
	char *regime;            /**< legal regime applied ("A", "B", ...) */
	char *reason;            /**< stated reason for departing from the ladder */
	char *warning;           /**< the register's warning, or NULL */
	char *supersedes;        /**< number of the decision it replaces, or NULL */
	char *state;             /**< "in_effect", "ended", "superseded", "annulled" */
} vhcv_decision;

#ifdef __cplusplus
}
#endif

#endif
