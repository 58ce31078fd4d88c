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
	PGresult *res = vhd_qrows(conn, resp,
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

/*
 * A new act on `occurred` by the official: every other open case of theirs
 * whose act came before it and whose period had not run out on that day
 * counts its period again from the new act. Each change is an event.
 */
int
vhd_law_restart_others(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		       const char *official_id, const char *case_id, const char *number,
		       vh_date occurred, const char *category)
{
	char d[VH_DATE_STRLEN], lim[VH_DATE_STRLEN];
	PGresult *res;
	int r = 0;

	res = vhd_qrows(conn, resp,
			"SELECT c.id, c.occurred_on, c.detected_on, c.ended_on,"
			" c.limitation_expires_on, v.no_limitation FROM cases c"
			" JOIN rule_versions v ON v.id = c.rule_version_id"
			" WHERE c.official_id = $1::bigint AND c.id <> $2::bigint"
			" AND c.status IN ('reported', 'under_review', 'deferred', 'council')"
			" AND c.occurred_on <= $3::date AND c.limitation_expires_on >= $3::date",
			3, (const char *[]){ official_id, case_id, vhd_datestr(d, occurred) }, 6);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && r == 0; i++) {
		struct vh_legal_limit_query q;
		struct vh_legal_limit out;
		vh_date stored = VH_DATE_NONE;
		json_t *data;

		memset(&q, 0, sizeof(q));
		q.when = (struct vh_legal_dates)VH_LEGAL_DATES_INIT;
		vh_date_parse(&q.when.violation, PQgetvalue(res, i, 1));
		vh_date_parse(&q.when.detection, PQgetvalue(res, i, 2));
		if (vhd_val(res, i, 3))
			vh_date_parse(&q.when.ended, PQgetvalue(res, i, 3));
		vh_date_parse(&stored, PQgetvalue(res, i, 4));
		q.category = category;
		q.no_limitation = PQgetvalue(res, i, 5)[0] == 't';
		q.deferral_ended = VH_DATE_NONE;
		q.later_acts = &occurred;
		q.nlater = 1;
		if (vh_legal_limitation_q(req->law->legal, &out, &q) < 0 ||
		    out.expires == VH_DATE_NONE || out.expires <= stored)
			continue;
		vhd_datestr(lim, out.expires);
		if (vhd_exec(conn, resp,
			     "UPDATE cases SET limitation_expires_on = $2::date WHERE id = $1::bigint",
			     2, (const char *[]){ PQgetvalue(res, i, 0), lim }) < 0) {
			r = -1;
			break;
		}
		data = json_pack("{s:s, s:s, s:s}", "limitation_expires_on", lim, "new_case", number,
				 "new_act_on", d);
		if (vhd_event_append(conn, resp, PQgetvalue(res, i, 0), "limitation_restarted",
				     req->id.name, data) < 0)
			r = -1;
		json_decref(data);
	}
	PQclear(res);
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
	if (vhd_exec(t.conn, resp,
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
