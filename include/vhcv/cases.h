/**
 * @file vhcv/cases.h
 * @brief Cases: reporting a violation, the workflow, listing.
 *
 * Every transition returns the case as it now stands. The workflow and the
 * law are the daemon's: a transition the current state does not allow is
 * VHCV_ECONFLICT (the message names the current state), one the law refuses
 * is VHCV_EREFUSED (the message names the rule, e.g. time_barred), and a
 * case about yourself or outside your units is VHCV_EFORBIDDEN.
 */
#ifndef VHCV_CASES_H
#define VHCV_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "decisions.h"
#include "evidence.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One entry of a case's append-only, hash-chained timeline. */
typedef struct vhcv_event {
	char *json;          /**< this object as JSON text */
	int64_t seq;         /**< 1, 2, ... within the case */
	char *kind;          /**< "reported", "accepted", "note", ... */
	char *actor;         /**< the identity that acted */
	char *at;            /**< RFC 3339 UTC time */
	char *data;          /**< the event's data as JSON text ("{}" when none) */
	char *hash;          /**< the chain hash */
} vhcv_event;

/**
 * A case. Strings are UTF-8; NULL when absent. In lists (vhcv_case_list())
 * @c events, @c decisions and @c evidence are empty.
 */
typedef struct vhcv_case {
	char *json;                  /**< this object as JSON text */
	char *number;                /**< "VP-2026-12" (the API's "case") */
	char *status;                /**< "reported", "under_review", ... */
	char *status_name;           /**< Vietnamese name of the status */
	char *official_code;         /**< the subject official */
	char *official_name;
	char *official_category;
	int official_leader;
	char *unit;                  /**< the unit at the time of the report */
	char *rule_code;
	char *rule_title;            /**< Vietnamese title of the rule */
	int rule_version;            /**< the rule version in force on the act's day */
	char *source;                /**< "inspection", "supervision", "citizen", "front", "self" */
	char *reporter;              /**< the identity that reported */
	char *occurred_on;           /**< YYYY-MM-DD */
	char *detected_on;           /**< YYYY-MM-DD */
	char *place;
	char *description;
	char *severity;              /**< NULL until decided */
	int is_complex;              /**< 1: 150-day handling deadline */
	char *limitation_expires_on; /**< NULL for rules without limitation */
	char *handling_deadline;     /**< YYYY-MM-DD */
	int paused_days;             /**< days the handling clock was paused */
	int overdue;                 /**< 1: past the handling deadline */
	char **links;                /**< numbers of related cases */
	size_t nlinks;
	char **council_members;      /**< official codes of the council */
	size_t ncouncil_members;
	char *council_recommended_form; /**< the council's recommendation, or NULL */
	vhcv_event **events;
	size_t nevents;
	vhcv_decision **decisions;
	size_t ndecisions;
	vhcv_evidence **evidence;
	size_t nevidence;
} vhcv_case;

/** One page of cases. */
typedef struct vhcv_case_page {
	char *json;          /**< {"items": [...], "next": CURSOR|null} */
	vhcv_case **items;
	size_t count;
	char *next;          /**< cursor of the next page, NULL at the end */
} vhcv_case_page;

#define VHCV_CASE_FILTER_VERSION 1

/**
 * Which cases vhcv_case_list() returns; initialise with
 * VHCV_CASE_FILTER_INIT. NULL and 0 members do not filter.
 */
typedef struct vhcv_case_filter {
	unsigned int version;    /**< VHCV_CASE_FILTER_VERSION */
	const char *unit;        /**< cases of this unit */
	const char *status;      /**< in this state */
	const char *official;    /**< about this official */
	int overdue;             /**< 1: only cases past their handling deadline */
	int limit;               /**< 1..500 per page; 0: the daemon's default (50) */
	const char *after;       /**< a cursor from vhcv_case_page.next, or NULL */
} vhcv_case_filter;

#define VHCV_CASE_FILTER_INIT { VHCV_CASE_FILTER_VERSION, NULL, NULL, NULL, 0, 0, NULL }

#define VHCV_REPORT_OPTIONS_VERSION 2

/**
 * A violation to report; initialise with VHCV_REPORT_OPTIONS_INIT. NULL
 * members are left out of the request.
 */
typedef struct vhcv_report_options {
	unsigned int version;        /**< VHCV_REPORT_OPTIONS_VERSION */
	const char *official;        /**< required: personnel code */
	const char *rule;            /**< required: rule code */
	const char *occurred_on;     /**< required: YYYY-MM-DD */
	const char *detected_on;     /**< YYYY-MM-DD; NULL: today */
	const char *source;          /**< required: "inspection", ... */
	const char *description;     /**< required */
	const char *place;
	/**
	 * 1..200 characters. Repeating a report with the same key and body
	 * returns the same case and writes nothing, so the library also
	 * resends such a request once when the connection fails.
	 */
	const char *idempotency_key;
	/* version 2 (VHCV_VERSION_NUMBER 101) */
	const char *ended_on;        /**< YYYY-MM-DD the act ended; NULL: the day it was done */
	int continuing;              /**< 1: the act still continues at detection */
} vhcv_report_options;

#define VHCV_REPORT_OPTIONS_INIT \
	{ VHCV_REPORT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

#define VHCV_DECIDE_OPTIONS_VERSION 2

/** A decision to record; initialise with VHCV_DECIDE_OPTIONS_INIT. */
typedef struct vhcv_decide_options {
	unsigned int version;        /**< VHCV_DECIDE_OPTIONS_VERSION */
	const char *severity;        /**< required: "it_nghiem_trong", ... */
	const char *form;            /**< required: "khien_trach", ..., or "none" */
	/** required: the document number as written, "12/QĐ-UBND"; vhcvd splits it */
	const char *number;
	const char *signed_on;       /**< required: YYYY-MM-DD */
	const char *effective_on;    /**< YYYY-MM-DD; NULL: the signing date */
	int is_complex;              /**< 1: the case is complex (150-day deadline) */
	const char *reason;          /**< required when departing from the ladder */
	const char *idempotency_key; /**< as in vhcv_report_options */
	/* version 2 (VHCV_VERSION_NUMBER 101) */
	const char *received_on;     /**< YYYY-MM-DD the official received it; NULL: signed_on */
	/**
	 * Why this is another act than a case about the same official, rule
	 * and day that already has a decision; NULL: none (then vhcvd refuses
	 * with already_sanctioned, error VHCV_EINVALID)
	 */
	const char *separate_act;
} vhcv_decide_options;

#define VHCV_DECIDE_OPTIONS_INIT \
	{ VHCV_DECIDE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL }

#define VHCV_APPEAL_OPTIONS_VERSION 1

/**
 * A complaint (or a court action) against the decision; initialise with
 * VHCV_APPEAL_OPTIONS_INIT (since VHCV_VERSION_NUMBER 101).
 */
typedef struct vhcv_appeal_options {
	unsigned int version;        /**< VHCV_APPEAL_OPTIONS_VERSION */
	const char *filed_on;        /**< required: YYYY-MM-DD */
	const char *note;            /**< required with obstacle_days: what hindered */
	int obstacle_days;           /**< days lost to a recorded obstacle, not counted */
	const char *answered_on;     /**< a second complaint: the day the first was answered */
	int court;                   /**< 1: a court action (forced dismissal: within 1 year) */
} vhcv_appeal_options;

#define VHCV_APPEAL_OPTIONS_INIT { VHCV_APPEAL_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0 }

#define VHCV_REJECT_OPTIONS_VERSION 1

/** Why a report is rejected; initialise with VHCV_REJECT_OPTIONS_INIT. */
typedef struct vhcv_reject_options {
	unsigned int version;    /**< VHCV_REJECT_OPTIONS_VERSION */
	const char *reason;      /**< required: "unfounded", "duplicate", "not_competent" */
	const char *of;          /**< the case it duplicates (for "duplicate") */
	const char *to;          /**< the competent authority (for "not_competent") */
	const char *note;
} vhcv_reject_options;

#define VHCV_REJECT_OPTIONS_INIT { VHCV_REJECT_OPTIONS_VERSION, NULL, NULL, NULL, NULL }

/**
 * Report a violation (POST /v1/cases; inspector, unit_head, admin).
 *
 * @param out receives the new case (free with vhcv_case_free()), or NULL
 * @param client the client
 * @param opts the report; copied into the request
 * @return 0 (also for a repeat with the same idempotency key); VHCV_EINVALID
 *         (names the field); VHCV_ENOTFOUND for an unknown official or rule;
 *         VHCV_ECONFLICT when the key was used with another body;
 *         VHCV_EREFUSED (e.g. time-barred); another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_case_report(vhcv_case **out, vhcv_client *client,
				 const vhcv_report_options *opts);

/**
 * One case with its events, decisions and evidence (GET /v1/cases/{case}).
 *
 * @param out receives the case; free it with vhcv_case_free()
 * @param client the client
 * @param case_number "VP-2026-12"
 * @return 0, VHCV_ENOTFOUND, or another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_case_get(vhcv_case **out, vhcv_client *client,
			      const char *case_number);

/**
 * One page of cases (GET /v1/cases), keyset-paginated: pass the page's
 * @c next as the filter's @c after for the next page; pages never skip or
 * repeat a case while others are added.
 *
 * @param out receives the page; free it with vhcv_case_page_free()
 * @param client the client
 * @param filter which cases, or NULL for the first page of all visible
 * @return 0 or a code of vhcv/errors.h (VHCV_EINVALID for a bad cursor)
 */
VHCV_EXTERN int vhcv_case_list(vhcv_case_page **out, vhcv_client *client,
			       const vhcv_case_filter *filter);

/**
 * Accept a report for review: reported → under_review.
 *
 * @param out receives the case (free with vhcv_case_free()), or NULL
 * @param client the client
 * @param case_number the case
 * @param note a note for the timeline, or NULL
 * @return 0, VHCV_ENOTFOUND, VHCV_EFORBIDDEN, VHCV_ECONFLICT, VHCV_EREFUSED,
 *         or another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_case_accept(vhcv_case **out, vhcv_client *client,
				 const char *case_number, const char *note);

/**
 * Reject a report: reported → rejected.
 *
 * @param out receives the case, or NULL
 * @param opts the reason and its details
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_reject(vhcv_case **out, vhcv_client *client,
				 const char *case_number, const vhcv_reject_options *opts);

/**
 * Defer a case on a legal ground, pausing the handling clock:
 * under_review → deferred.
 *
 * @param out receives the case, or NULL
 * @param ground "illness", "maternity", "prosecution" (from the legal tables)
 * @param until YYYY-MM-DD the ground is expected to end, or NULL
 * @param note a note, or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_defer(vhcv_case **out, vhcv_client *client,
				const char *case_number, const char *ground,
				const char *until, const char *note);

/**
 * Resume a deferred case, restarting the clock: deferred → under_review.
 *
 * @param out receives the case, or NULL
 * @param note a note, or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_resume(vhcv_case **out, vhcv_client *client,
				 const char *case_number, const char *note);

/**
 * Convene the disciplinary council: under_review → council.
 *
 * @param out receives the case, or NULL
 * @param members official codes, 3 or 5, not the subject; copied
 * @param nmembers how many
 * @param recommend the form the council recommends, or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_council(vhcv_case **out, vhcv_client *client,
				  const char *case_number, const char *const *members,
				  size_t nmembers, const char *recommend);

/**
 * Decide: council → decided (or closed_no_sanction for form "none"); on an
 * appealed case the new decision supersedes the old one.
 *
 * @param out receives the case, or NULL
 * @param opts the decision
 * @return as vhcv_case_accept(); VHCV_EREFUSED names the rule of the law
 *         that forbids it; VHCV_ECONFLICT also for a document number already
 *         used that year
 */
VHCV_EXTERN int vhcv_case_decide(vhcv_case **out, vhcv_client *client,
				 const char *case_number, const vhcv_decide_options *opts);

/**
 * Record a complaint against the decision: decided → appealed.
 *
 * @param out receives the case, or NULL
 * @param filed_on YYYY-MM-DD the complaint was filed
 * @param note a note, or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_appeal(vhcv_case **out, vhcv_client *client,
				 const char *case_number, const char *filed_on,
				 const char *note);

/**
 * Record a complaint with the options of vhcv_appeal_options: the
 * window (15 days from receiving the decision, time lost to a recorded
 * obstacle not counted), a second complaint, a court action.
 *
 * @param out receives the case, or NULL
 * @param opts the complaint
 * @return as vhcv_case_accept(); VHCV_EREFUSED when the window closed
 */
VHCV_EXTERN int vhcv_case_appeal_ex(vhcv_case **out, vhcv_client *client,
				    const char *case_number, const vhcv_appeal_options *opts);

/**
 * No review meeting and no council: the case rests on an inspection
 * conclusion proposing the form, a court conviction or a Party sanction
 * (Decree 71/2023); it is then decided straight from under_review.
 *
 * @param out receives the case, or NULL
 * @param ground "inspection_conclusion", "court_conviction" or "party_sanction"
 * @param ref the document relied on, as written
 * @param signed_on YYYY-MM-DD the document was signed, or NULL
 * @param party_form with party_sanction: the Party's sanction ("khai_tru",
 *        "canh_cao", ...; the decision's form must correspond), or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_dispense(vhcv_case **out, vhcv_client *client,
				   const char *case_number, const char *ground,
				   const char *ref, const char *signed_on,
				   const char *party_form);

/**
 * Uphold the decision under appeal: appealed → closed.
 *
 * @param out receives the case, or NULL
 * @param note a note, or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_uphold(vhcv_case **out, vhcv_client *client,
				 const char *case_number, const char *note);

/**
 * Annul the decision under appeal by a new document: appealed → closed.
 *
 * @param out receives the case, or NULL
 * @param number the annulling document's number as written
 * @param signed_on YYYY-MM-DD
 * @param reason the reason, or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_annul(vhcv_case **out, vhcv_client *client,
				const char *case_number, const char *number,
				const char *signed_on, const char *reason);

/**
 * Waive discipline on a legal ground: → closed_no_sanction.
 *
 * @param out receives the case, or NULL
 * @param ground a waiver ground from the legal tables
 * @param note a note, or NULL
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_waive(vhcv_case **out, vhcv_client *client,
				const char *case_number, const char *ground,
				const char *note);

/**
 * Close a case.
 *
 * @param out receives the case, or NULL
 * @param reason "expired" (past the limitation date), "no_sanction", or
 *        "window_ended" (a decided case after the complaint window); NULL
 *        lets vhcvd choose from the state
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_close(vhcv_case **out, vhcv_client *client,
				const char *case_number, const char *reason);

/**
 * Add a note to the timeline.
 *
 * @param out receives the case, or NULL
 * @param text the note (UTF-8)
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_note(vhcv_case **out, vhcv_client *client,
			       const char *case_number, const char *text);

/**
 * Link two related cases.
 *
 * @param out receives the case, or NULL
 * @param other the other case's number
 * @return as vhcv_case_accept()
 */
VHCV_EXTERN int vhcv_case_link(vhcv_case **out, vhcv_client *client,
			       const char *case_number, const char *other);

/** Free a case with its events, decisions and evidence; accepts NULL. */
VHCV_EXTERN void vhcv_case_free(vhcv_case *c);

/** Free a page and every case in it; accepts NULL. */
VHCV_EXTERN void vhcv_case_page_free(vhcv_case_page *page);

#ifdef __cplusplus
}
#endif

#endif
