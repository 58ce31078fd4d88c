/*
 * Legal steps of a case added for issue #9: dispensing with the review
 * meeting and the council (Decree 71/2023), and a new violation restarting
 * the limitation period of an older open case (Law 52/2019 art. 80).
 */
#include <stdio.h>
#include <stdlib.h>

#include "dbq.h"
#include "events.h"
#include "law.h"
#include "workflow.h"

/* the act days of the official's other cases after `after`, ascending */
int
vhd_law_later_acts(PGconn *conn, struct vhd_response *resp, const char *official_id,
		   const char *case_id, vh_date after, vh_date **out, size_t *n)
{
	char d[VH_DATE_STRLEN];
	PGresult *res = vhd_qprep(conn, resp,
				  "SELECT DISTINCT occurred_on FROM cases WHERE official_id = $1::bigint"
				  " AND id <> $2::bigint AND occurred_on > $3::date"
				  " AND status <> 'rejected' ORDER BY occurred_on",
				  3, (const char *[]){ official_id, case_id ? case_id : "0",
						       vhd_datestr(d, after) }, 1);

	*out = NULL;
	*n = 0;
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0 && (*out = calloc((size_t)PQntuples(res), sizeof(vh_date))) == NULL) {
		PQclear(res);
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	for (int i = 0; i < PQntuples(res); i++)
		if (vh_date_parse(&(*out)[*n], PQgetvalue(res, i, 0)) == 0)
			(*n)++;
	PQclear(res);
	return 0;
}

int
vhd_law_later_acts_of(struct vhd_response *resp, const char *list, vh_date **out, size_t *n)
{
	size_t cap = 1;

	*out = NULL;
	*n = 0;
	for (const char *p = list; p && *p; p++)
		cap += *p == ',';
	if (list == NULL || *list == '\0')
		return 0;
	if ((*out = calloc(cap, sizeof(vh_date))) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		char d[VH_DATE_STRLEN];
		snprintf(d, sizeof(d), "%.*s", (int)strcspn(p, ","), p);
		if (vh_date_parse(&(*out)[*n], d) == 0)
			(*n)++;
	}
	return 0;
}

/*
 * A new act on `occurred` by the official: every other open case of theirs
 * whose act came before it and whose period had not run out on that day
 * counts its period again from the new act. Each change is an event.
 */
int
vhd_law_restart_others(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		       const char *others, const char *number, vh_date occurred,
		       const char *category)
{
	char d[VH_DATE_STRLEN], lim[VH_DATE_STRLEN];
	json_t *rows = others ? json_loads(others, 0, NULL) : json_array(), *row;
	size_t i;
	int r = 0;

	if (!json_is_array(rows)) {
		json_decref(rows);
		vhd_reply_error(resp, VHCV_ERROR, NULL, "the official's cases are not readable");
		return -1;
	}
	vhd_datestr(d, occurred);
	json_array_foreach(rows, i, row) {
		const char *id = json_string_value(json_array_get(row, 0)),
			   *ended = json_string_value(json_array_get(row, 3));
		struct vh_legal_limit_query q;
		struct vh_legal_limit out;
		vh_date stored = VH_DATE_NONE;
		json_t *data;

		if (r != 0 || id == NULL)
			break;
		memset(&q, 0, sizeof(q));
		q.when = (struct vh_legal_dates)VH_LEGAL_DATES_INIT;
		vh_date_parse(&q.when.violation, json_string_value(json_array_get(row, 1)));
		vh_date_parse(&q.when.detection, json_string_value(json_array_get(row, 2)));
		if (ended)
			vh_date_parse(&q.when.ended, ended);
		vh_date_parse(&stored, json_string_value(json_array_get(row, 4)));
		q.category = category;
		q.no_limitation = json_is_true(json_array_get(row, 5));
		q.klass = json_string_value(json_array_get(row, 6));
		q.deferral_ended = VH_DATE_NONE;
		q.later_acts = &occurred;
		q.nlater = 1;
		if (vh_legal_limitation_q(req->law->legal, &out, &q) < 0 ||
		    out.expires == VH_DATE_NONE || out.expires <= stored)
			continue;
		vhd_datestr(lim, out.expires);
		if (vhd_execp(conn, resp,
			     "UPDATE cases SET limitation_expires_on = $2::date WHERE id = $1::bigint",
			     2, (const char *[]){ id, lim }) < 0) {
			r = -1;
			break;
		}
		data = json_pack("{s:s, s:s, s:s}", "limitation_expires_on", lim, "new_case", number,
				 "new_act_on", d);
		if (vhd_event_append(conn, resp, id, "limitation_restarted", req->id.name, data) < 0)
			r = -1;
		json_decref(data);
	}
	json_decref(rows);
	return r;
}

void
api_case_dispense(struct vhd_request *req, const struct vhd_params *p,
		  struct vhd_response *resp)
{
	static const char *const known[] = { "ground", "ref", "signed_on", "party_form",
					     "note", NULL };
	static const char *const from[] = { "under_review", NULL };
	const char *ground = NULL, *ref = NULL, *party = NULL, *name;
	vh_date signed_on = VH_DATE_NONE;
	char sbuf[VH_DATE_STRLEN];
	struct vh_legal_dates when;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "dispensed with a council", false) < 0)
		goto out;
	vhd_in_code(&t.in, "ground", true, &ground);
	vhd_in_str(&t.in, "ref", true, 300, &ref);
	vhd_in_date(&t.in, "signed_on", false, &signed_on);
	vhd_in_code(&t.in, "party_form", false, &party);
	tx_note(&t);
	if (t.in.failed)
		goto out;
	when = case_dates(&t, t.today);
	if ((name = vh_legal_no_council_ground(req->law->legal, ground, &when)) == NULL) {
		vhd_in_fail(&t.in, "ground",
			    "'%s' is not a ground to go without a council in the legal tables", ground);
		goto out;
	}
	if (signed_on != VH_DATE_NONE && signed_on > t.today) {
		vhd_in_fail(&t.in, "signed_on", "'signed_on' is in the future");
		goto out;
	}
	if (party && strcmp(ground, "party_sanction") != 0) {
		vhd_in_fail(&t.in, "party_form", "'party_form' goes with the ground party_sanction");
		goto out;
	}
	if (party && !vh_legal_party_form(req->law->legal, party,
					  &(struct vh_legal_who){ "cong_chuc", false, false,
								  VH_LEGAL_ACTIVE },
					  &when)) {
		vhd_in_fail(&t.in, "party_form", "'%s' is not a Party sanction in the legal tables",
			    party);
		goto out;
	}
	if (t.dispensed[0]) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "ground", "case %s already goes without a council (%s)",
				t.ref.number, t.dispensed);
		goto out;
	}
	if (vhd_execp(t.conn, resp,
		     "UPDATE cases SET dispensed = $2, dispensed_ref = $3, dispensed_on = $4::date,"
		     " party_form = $5 WHERE id = $1::bigint",
		     5, (const char *[]){ t.ref.id, ground, ref,
					  signed_on != VH_DATE_NONE ? vhd_datestr(sbuf, signed_on)
								    : NULL,
					  party }) < 0)
		goto out;
	json_object_set_new(t.data, "ground", json_string(ground));
	json_object_set_new(t.data, "ground_name", json_string(name));
	json_object_set_new(t.data, "ref", json_string(ref));
	if (signed_on != VH_DATE_NONE)
		json_object_set_new(t.data, "signed_on", json_string(sbuf));
	if (party)
		json_object_set_new(t.data, "party_form", json_string(party));
	/* the case stays under_review, to be decided without a council */
	tx_finish(&t, NULL, "dispensed");
out:
	tx_close(&t);
}

int
vhd_law_decide(struct tx *t, struct vh_legal_case *c, vh_date **later)
{
	const struct vh_legal *legal = t->req->law->legal;
	struct vh_legal_who who = { c->category, c->leader, c->elected, c->status };
	char d[VH_DATE_STRLEN];

	*later = NULL;
	if (strcmp(t->ref.status, "under_review") == 0 && t->dispensed[0] == '\0' &&
	    !vh_legal_without_council(legal, c->category, &c->when)) {
		vhd_reply_error(t->resp, VHCV_ECONFLICT, NULL,
				"case %s is under_review: convene a council, or record why none is"
				" needed (dispense)", t->ref.number);
		json_object_set_new(t->resp->json, "status", json_string(t->ref.status));
		return -1;
	}
	if (vhd_law_later_acts(t->conn, t->resp, t->ref.official_id, t->ref.id,
			       t->ref.occurred_on, later, &c->nlater) < 0)
		return -1;
	c->later_acts = *later;
	if (strcmp(t->dispensed, "party_sanction") != 0 || c->form == NULL)
		return 0;
	if (t->party_form[0]) {
		const char *want = vh_legal_party_form(legal, t->party_form, &who, &c->when);
		if (want && strcmp(want, c->form) != 0) {
			vhd_reply_refused(t->resp, "party_form_mismatch",
					  vh_legal_procedure_basis(legal, &c->when),
					  "after the Party sanction '%s' the administrative form must"
					  " correspond: %s, not %s", t->party_form, want, c->form);
			return -1;
		}
	}
	if (t->dispensed_on != VH_DATE_NONE && vh_legal_party_days(legal, &c->when) > 0 &&
	    c->when.decision > t->dispensed_on + vh_legal_party_days(legal, &c->when)) {
		vhd_datestr(d, t->dispensed_on + vh_legal_party_days(legal, &c->when));
		json_object_set_new(t->data, "party_deadline_passed", json_string(d));
	}
	return 0;
}

/* the decision in force of the case: form, signing and receipt; 1 found, 0 none, -1 */
static int
decision_in_force(struct tx *t, char form[64], vh_date *signed_on, vh_date *received)
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT d.form, d.signed_on, coalesce(d.received_on, d.signed_on)"
				  " FROM decisions d WHERE d.case_id = $1::bigint"
				  " AND d.kind <> 'annulment' AND NOT EXISTS (SELECT 1 FROM decisions n"
				  "  WHERE n.supersedes_id = d.id) ORDER BY d.id DESC LIMIT 1",
				  1, (const char *[]){ t->ref.id }, 3);
	int r = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1 && vh_date_parse(signed_on, PQgetvalue(res, 0, 1)) == 0 &&
	    vh_date_parse(received, PQgetvalue(res, 0, 2)) == 0) {
		snprintf(form, 64, "%s", PQgetvalue(res, 0, 0));
		r = 1;
	}
	PQclear(res);
	return r;
}

int
vhd_law_complaint_until(struct tx *t, vh_date *until)
{
	struct vh_legal_complaint_q q;
	struct vh_legal_window w;
	char form[64];
	int r;

	*until = VH_DATE_NONE;
	memset(&q, 0, sizeof(q));
	if ((r = decision_in_force(t, form, &q.when.decision, &q.received)) <= 0)
		return r;
	q.when = case_dates(t, q.when.decision);
	q.form = strcmp(form, "none") == 0 ? NULL : form;
	q.answered = VH_DATE_NONE;
	if (vh_legal_complaint(t->req->law->legal, &w, &q) == 0)
		*until = w.until;
	return 0;
}

int
vhd_law_complaint(struct tx *t, vh_date filed)
{
	struct vh_legal_complaint_q q;
	struct vh_legal_window w;
	json_t *od = json_object_get(t->in.obj, "obstacle_days");
	const char *note = json_string_value(json_object_get(t->in.obj, "note"));
	bool court = false;
	char form[64], ubuf[VH_DATE_STRLEN], abuf[VH_DATE_STRLEN];
	int r, e;

	memset(&q, 0, sizeof(q));
	q.answered = VH_DATE_NONE;
	vhd_in_date(&t->in, "answered_on", false, &q.answered);
	vhd_in_bool(&t->in, "court", false, &court);
	if (t->in.failed)
		return -1;
	if (od && (!json_is_integer(od) || json_integer_value(od) < 0 ||
		   json_integer_value(od) > 3650)) {
		vhd_in_fail(&t->in, "obstacle_days", "'obstacle_days' must be a number of days, 0 to 3650");
		return -1;
	}
	q.obstacle_days = od ? (int)json_integer_value(od) : 0;
	if (q.obstacle_days > 0 && (note == NULL || note[0] == '\0')) {
		vhd_in_fail(&t->in, "note", "time lost to an obstacle is recorded with a 'note' saying what it was");
		return -1;
	}
	if ((r = decision_in_force(t, form, &q.when.decision, &q.received)) < 0)
		return -1;
	if (r == 0) {
		vhd_reply_error(t->resp, VHCV_ECONFLICT, NULL, "case %s has no decision in force",
				t->ref.number);
		return -1;
	}
	if (strcmp(t->ref.status, "closed") == 0 && q.answered == VH_DATE_NONE && !court) {
		vhd_reply_error(t->resp, VHCV_ECONFLICT, NULL,
				"case %s is closed: only a second complaint ('answered_on') or a"
				" court action ('court') can follow", t->ref.number);
		json_object_set_new(t->resp->json, "status", json_string(t->ref.status));
		return -1;
	}
	if (filed > t->today || filed < q.when.decision) {
		vhd_in_fail(&t->in, "filed_on", "'filed_on' must be between the decision's signing and today");
		return -1;
	}
	if (q.answered != VH_DATE_NONE && (q.answered < q.when.decision || q.answered > filed)) {
		vhd_in_fail(&t->in, "answered_on",
			    "'answered_on' must be between the decision's signing and 'filed_on'");
		return -1;
	}
	q.when = case_dates(t, q.when.decision);
	q.form = strcmp(form, "none") == 0 ? NULL : form;
	q.court = court;
	if ((e = vh_legal_complaint(t->req->law->legal, &w, &q)) == VH_LEGAL_EUNKNOWN) {
		vhd_reply_refused(t->resp, court ? "no_court_action" : "no_second_complaint", w.basis,
				  "the legal tables give no %s against %s", court ? "court action"
				  : "second complaint", form);
		return -1;
	}
	if (e == 0 && w.until != VH_DATE_NONE && filed > w.until) {
		vhd_reply_refused(t->resp, "complaint_window_passed", w.basis,
				  "the window for %s against the decision closed on %s (from %s%s)",
				  court ? "a court action" : q.answered != VH_DATE_NONE
					? "a second complaint" : "a complaint",
				  vhd_datestr(ubuf, w.until),
				  q.answered != VH_DATE_NONE ? "the answer of " : "its receipt on ",
				  vhd_datestr(abuf, q.answered != VH_DATE_NONE ? q.answered
									     : q.received));
		return -1;
	}
	if (w.until != VH_DATE_NONE)
		json_object_set_new(t->data, "window_until", json_string(vhd_datestr(ubuf, w.until)));
	if (q.obstacle_days > 0)
		json_object_set_new(t->data, "obstacle_days", json_integer(q.obstacle_days));
	if (q.answered != VH_DATE_NONE)
		json_object_set_new(t->data, "answered_on", json_string(vhd_datestr(abuf, q.answered)));
	if (court)
		json_object_set_new(t->data, "court", json_true());
	return 0;
}
