/* Shared steps of the workflow handlers (api_workflow.c, api_decide.c). */
#ifndef VHD_WORKFLOW_H
#define VHD_WORKFLOW_H

#include "cases.h"
#include "json_in.h"
#include "legal.h"
#include "routes.h"

/* One transition in progress: body, connection, locked case. */
struct tx {
	struct vhd_request *req;
	struct vhd_response *resp;
	struct vhd_in in;
	PGconn *conn;
	struct vhd_case_ref ref;
	vh_date today;
	json_t *data;       /* the event's data */
	/* issue #9: the legal facts of the case beyond vhd_case_ref */
	vh_date ended;      /* the act ended (continuing: detection), or NONE */
	char dispensed[32]; /* no council: the ground, or "" */
	vh_date dispensed_on;
	char party_form[72]; /* with party_sanction: the Party's form, or "" */
	char rule_code[72];  /* the rule's code: its limitation class */
};

extern const char *const open_states[];
bool in_list(const char *s, const char *const *list);
/*
 * Role check, body (known fields), transaction, case locked; then, when
 * from is not NULL, tx_state(). 0 or -1 (reply set).
 */
int tx_open(struct tx *t, struct vhd_request *req, struct vhd_response *resp,
	    const struct vhd_params *p, const char *const *known, const char *const *from,
	    const char *what, bool allow_expired);
/*
 * The case must be in one of from (409 naming its state otherwise); an
 * open case past its limitation date only closes as expired (422)
 * unless allow_expired.
 */
int tx_state(struct tx *t, const char *const *from, const char *what, bool allow_expired);
void tx_finish(struct tx *t, const char *status, const char *kind);
void tx_close(struct tx *t);
void tx_note(struct tx *t);
struct vh_legal_dates case_dates(const struct tx *t, vh_date decision);
int rule_no_limitation(struct tx *t, bool *out);
/* shared by decide and its options (api_decide.c, api_decide_options.c): */
/* the official as on day `on`: category, leader, status */
PGresult *official_on(struct tx *t, vh_date on);
/* the heaviest sanction of the official in effect on `on`, other cases */
int heaviest_in_effect(struct tx *t, vh_date on, char out[64]);
/* the council's recommended form, from its last council event */
int recommended(struct tx *t, char out[64]);
/* the official's category on the day of the act (64 bytes) */
int case_category(struct tx *t, char *out);
/* the day the case's last deferral ended, or VH_DATE_NONE */
int case_deferral_ended(struct tx *t, vh_date *out);

#endif
