/*
 * The case workflow of DESIGN.md: every transition checks the current
 * state (409 naming it otherwise), writes its event in the same
 * transaction as the state change, and refuses what the law forbids (422).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "dbq.h"
#include "events.h"
#include "json_in.h"
#include "law.h"
#include "legal.h"
#include "log.h"
#include "routes.h"
#include "rules.h"
#include "workflow.h"

bool
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static int case_legal_facts(struct tx *t);

const char *const open_states[] = { "reported", "under_review", "deferred", "council",
					   NULL };

/*
 * Open the body (known fields), lock the case, check it is in one of
 * from. Past its limitation date an open case can only be closed as
 * expired: other transitions get 422 unless allow_expired.
 */
int
tx_open(struct tx *t, struct vhd_request *req, struct vhd_response *resp,
	const struct vhd_params *p, const char *const *known, const char *const *from,
	const char *what, bool allow_expired)
{
	memset(t, 0, sizeof(*t));
	t->req = req;
	t->resp = resp;
	t->today = vh_date_today();
	t->in.req = req;
	t->in.resp = resp;
	if (!vhd_auth_role(req, resp, VHD_OP_CASE_DECIDE))
		return -1;
	if (vhd_in_open(&t->in, req, resp, known) < 0)
		return -1;
	/* (BEGIN goes with the case's lookup: one round trip less) */
	if ((t->conn = vhd_conn(resp)) == NULL || vhd_begin_lazy(t->conn, resp) < 0)
		return -1;
	if (vhd_case_open(t->conn, req, resp, p->v[0], VHD_OP_CASE_DECIDE, true, &t->ref) < 0)
		return -1;
	if ((t->data = json_object()) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	if (case_legal_facts(t) < 0)
		return -1;
	return from ? tx_state(t, from, what, allow_expired) : 0;
}

/* the case's legal facts beyond vhd_case_ref (issue #9) into t */
static int
case_legal_facts(struct tx *t)
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT c.act_ended_on, c.dispensed, c.dispensed_on, c.party_form, v.code"
				  " FROM cases c JOIN rule_versions v ON v.id = c.rule_version_id"
				  " WHERE c.id = $1::bigint",
				  1, (const char *[]){ t->ref.id }, 5);

	if (res == NULL)
		return -1;
	t->ended = t->dispensed_on = VH_DATE_NONE;
	if (PQntuples(res) == 1) {
		if (vhd_val(res, 0, 0) && vh_date_parse(&t->ended, PQgetvalue(res, 0, 0)) < 0)
			t->ended = VH_DATE_NONE;
		snprintf(t->dispensed, sizeof(t->dispensed), "%s", PQgetvalue(res, 0, 1));
		if (vhd_val(res, 0, 2) &&
		    vh_date_parse(&t->dispensed_on, PQgetvalue(res, 0, 2)) < 0)
			t->dispensed_on = VH_DATE_NONE;
		snprintf(t->party_form, sizeof(t->party_form), "%s", PQgetvalue(res, 0, 3));
		snprintf(t->rule_code, sizeof(t->rule_code), "%s", PQgetvalue(res, 0, 4));
	}
	PQclear(res);
	return 0;
}

/*
 * The limitation date as it stands today: the stored one moves on by the
 * days of a pause still running (it is recomputed when the case resumes).
 */
static vh_date
limitation_now(const struct tx *t)
{
	struct vh_legal_dates when = case_dates(t, VH_DATE_NONE);

	if (t->ref.limitation == VH_DATE_NONE)
		return VH_DATE_NONE;
	/* only where the tables say pauses extend the limitation (issue #9 item 5) */
	if (t->ref.paused_since != VH_DATE_NONE && t->today > t->ref.paused_since &&
	    vh_legal_pauses_extend(t->req->law->legal, &when, NULL))
		return t->ref.limitation + (t->today - t->ref.paused_since);
	return t->ref.limitation;
}

int
tx_state(struct tx *t, const char *const *from, const char *what, bool allow_expired)
{
	struct vhd_response *resp = t->resp;
	char lim[VH_DATE_STRLEN];

	if (!in_list(t->ref.status, from)) {
		vhd_reply_error(resp, VHCV_ECONFLICT, NULL, "case %s is %s: it cannot be %s",
				t->ref.number, t->ref.status, what);
		json_object_set_new(resp->json, "status", json_string(t->ref.status));
		return -1;
	}
	if (!allow_expired && in_list(t->ref.status, open_states) &&
	    limitation_now(t) != VH_DATE_NONE && t->today > limitation_now(t)) {
		/* the basis: the limitation rules of the act's regime */
		struct vh_legal_limit_query q;
		struct vh_legal_limit ll = { VH_DATE_NONE, NULL, NULL, NULL };
		char cat[64];

		if (case_category(t, cat) < 0)
			return -1;
		memset(&q, 0, sizeof(q));
		q.when = case_dates(t, VH_DATE_NONE);
		q.category = cat;
		q.klass = t->rule_code;
		q.deferral_ended = VH_DATE_NONE;
		vh_legal_limitation_q(t->req->law->legal, &ll, &q);
		vhd_reply_refused(resp, "time_barred", ll.basis,
				  "the limitation period of %s ended on %s: the case can only be"
				  " closed as expired",
				  t->ref.number, vhd_datestr(lim, limitation_now(t)));
		return -1;
	}
	return 0;
}

/* Set the status, append the event, commit, answer with the case. */
void
tx_finish(struct tx *t, const char *status, const char *kind)
{
	char today[VH_DATE_STRLEN];

	/* a deferred case that closes ends its pause (resume does its own) */
	if (status && strcmp(t->ref.status, "deferred") == 0 && strncmp(status, "closed", 6) == 0 &&
	    (vhd_execp(t->conn, t->resp,
		      "UPDATE cases SET paused_days = paused_days + ($2::date - paused_since),"
		      " paused_since = NULL, status = $3 WHERE id = $1::bigint",
		      3, (const char *[]){ t->ref.id, vhd_datestr(today, t->today), status }) < 0 ||
	     vhd_execp(t->conn, t->resp,
		      "UPDATE case_pauses SET ended_on = $2::date"
		      " WHERE case_id = $1::bigint AND ended_on IS NULL",
		      2, (const char *[]){ t->ref.id, today }) < 0))
		return;
	if (status && vhd_execp(t->conn, t->resp,
			       "UPDATE cases SET status = $2, updated_at = now()"
			       " WHERE id = $1::bigint",
			       2, (const char *[]){ t->ref.id, status }) < 0)
		return;
	json_object_set_new(t->data, "from", json_string(t->ref.status));
	if (status)
		json_object_set_new(t->data, "to", json_string(status));
	if (vhd_event_append(t->conn, t->resp, t->ref.id, kind, t->req->id.name, t->data) < 0)
		return;
	vhd_commit_reply(t->conn, t->req, t->resp, t->ref.id, t->ref.number, 200);
}

void
tx_close(struct tx *t)
{
	if (t->conn) {
		vhd_rollback(t->conn);
		vhd_conn_put(t->conn);
	}
	json_decref(t->data);
	vhd_in_close(&t->in);
}

/* copy an optional note into the event */
void
tx_note(struct tx *t)
{
	const char *note = NULL;

	if (vhd_in_str(&t->in, "note", false, 20000, &note) > 0)
		json_object_set_new(t->data, "note", json_string(note));
}

void
api_case_accept(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	static const char *const known[] = { "note", NULL };
	static const char *const from[] = { "reported", NULL };
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "accepted", false) == 0) {
		tx_note(&t);
		if (!t.in.failed)
			tx_finish(&t, "under_review", "accepted");
	}
	tx_close(&t);
}

/*
 * Reject as a duplicate of case `of`: that case must still stand (not
 * rejected) and must not be, through a chain of duplicates, a duplicate of
 * this one, or the act is left untracked. Locked, so that two cases cannot
 * be rejected as duplicates of each other concurrently. The pair's link
 * becomes 'duplicate' (this case the duplicate). 0 or -1 (reply set).
 */
static int
duplicate_of(struct tx *t, const char *of, struct vhd_case_ref *other)
{
	PGresult *res;
	bool loop;

	if (vhd_case_open(t->conn, t->req, t->resp, of, VHD_OP_CASE_READ, true, other) < 0) {
		json_object_set_new(t->resp->json, "field", json_string("of"));
		return -1;
	}
	if (strcmp(other->id, t->ref.id) == 0) {
		vhd_in_fail(&t->in, "of", "a case cannot duplicate itself");
		return -1;
	}
	if (strcmp(other->status, "rejected") == 0) {
		vhd_reply_error(t->resp, VHCV_ECONFLICT, "of",
				"%s is rejected: a duplicate names a case that still stands",
				other->number);
		json_object_set_new(t->resp->json, "status", json_string(other->status));
		return -1;
	}
	res = vhd_qprep(t->conn, t->resp,
			"WITH RECURSIVE up(id) AS (SELECT $1::bigint UNION SELECT l.other_id"
			" FROM case_links l JOIN up ON l.case_id = up.id WHERE l.kind = 'duplicate')"
			" SELECT EXISTS (SELECT 1 FROM up WHERE id = $2::bigint)",
			2, (const char *[]){ other->id, t->ref.id }, 1);
	if (res == NULL)
		return -1;
	loop = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (loop) {
		vhd_reply_error(t->resp, VHCV_ECONFLICT, "of",
				"%s is itself a duplicate of %s", other->number, t->ref.number);
		return -1;
	}
	json_object_set_new(t->data, "of", json_string(other->number));
	return vhd_execp(t->conn, t->resp,
			"INSERT INTO case_links (case_id, other_id, kind, actor)"
			" VALUES ($1::bigint, $2::bigint, 'duplicate', $3) ON CONFLICT DO NOTHING",
			3, (const char *[]){ t->ref.id, other->id, t->req->id.name }) < 0 ||
			       vhd_execp(t->conn, t->resp,
					"UPDATE case_links SET case_id = $1::bigint,"
					" other_id = $2::bigint, kind = 'duplicate', actor = $3"
					" WHERE least(case_id, other_id) = least($1::bigint, $2::bigint)"
					" AND greatest(case_id, other_id) = greatest($1::bigint, $2::bigint)"
					" AND kind <> 'duplicate'",
					3, (const char *[]){ t->ref.id, other->id, t->req->id.name }) < 0
		       ? -1
		       : 0;
}

void
api_case_reject(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	static const char *const known[] = { "reason", "of", "to", "note", NULL };
	static const char *const from[] = { "reported", NULL };
	static const char *const reasons[] = { "unfounded", "duplicate", "not_competent", NULL };
	const char *reason = NULL, *of = NULL, *to = NULL;
	struct vhd_case_ref other;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "rejected", false) < 0)
		goto out;
	vhd_in_enum(&t.in, "reason", true, reasons, &reason);
	vhd_in_str(&t.in, "of", false, 40, &of);
	vhd_in_str(&t.in, "to", false, 500, &to);
	tx_note(&t);
	if (t.in.failed)
		goto out;
	if (strcmp(reason, "duplicate") == 0 && of == NULL) {
		vhd_in_fail(&t.in, "of", "a duplicate names the case it duplicates ('of')");
		goto out;
	}
	if (strcmp(reason, "not_competent") == 0 && to == NULL) {
		vhd_in_fail(&t.in, "to", "'not_competent' names the competent authority ('to')");
		goto out;
	}
	if (of && duplicate_of(&t, of, &other) < 0)
		goto out;
	json_object_set_new(t.data, "reason", json_string(reason));
	/* "to" of the event is the new status: the authority has its own key */
	if (to)
		json_object_set_new(t.data, "authority", json_string(to));
	tx_finish(&t, "rejected", "rejected");
out:
	tx_close(&t);
}

/* the legal dates of the locked case */
struct vh_legal_dates
case_dates(const struct tx *t, vh_date decision)
{
	struct vh_legal_dates when = VH_LEGAL_DATES_INIT;

	when.violation = t->ref.occurred_on;
	when.detection = t->ref.detected_on;
	when.decision = decision;
	when.ended = t->ended;
	return when;
}

void
api_case_defer(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const known[] = { "ground", "until", "note", NULL };
	static const char *const from[] = { "under_review", NULL };
	const char *ground = NULL, *name;
	vh_date until = VH_DATE_NONE;
	char today[VH_DATE_STRLEN], ubuf[VH_DATE_STRLEN];
	struct vh_legal_dates when;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "deferred", false) < 0)
		goto out;
	vhd_in_code(&t.in, "ground", true, &ground);
	vhd_in_date(&t.in, "until", false, &until);
	tx_note(&t);
	if (t.in.failed)
		goto out;
	when = case_dates(&t, t.today);
	if ((name = vh_legal_ground_name(req->law->legal, VH_LEGAL_GROUND_DEFERRAL, ground,
					 &when)) == NULL) {
		vhd_in_fail(&t.in, "ground", "'%s' is not a ground for deferral in the legal tables",
			    ground);
		goto out;
	}
	if (until != VH_DATE_NONE && until < t.today) {
		vhd_in_fail(&t.in, "until", "'until' is in the past");
		goto out;
	}
	vhd_datestr(today, t.today);
	if (vhd_execp(t.conn, resp,
		     "UPDATE cases SET paused_since = $2::date WHERE id = $1::bigint", 2,
		     (const char *[]){ t.ref.id, today }) < 0 ||
	    vhd_execp(t.conn, resp,
		     "INSERT INTO case_pauses (case_id, ground, started_on, until_on)"
		     " VALUES ($1::bigint, $2, $3::date, $4::date)",
		     4, (const char *[]){ t.ref.id, ground, today,
					  until != VH_DATE_NONE ? vhd_datestr(ubuf, until) : NULL }) < 0)
		goto out;
	json_object_set_new(t.data, "ground", json_string(ground));
	json_object_set_new(t.data, "ground_name", json_string(name));
	json_object_set_new(t.data, "paused_since", json_string(today));
	if (until != VH_DATE_NONE)
		json_object_set_new(t.data, "until", json_string(ubuf));
	tx_finish(&t, "deferred", "deferred");
out:
	tx_close(&t);
}

/* the official's category on the day of the act (out: 64 bytes) */
int
case_category(struct tx *t, char *out)
{
	char d[VH_DATE_STRLEN];
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT coalesce(v.category, o.category) FROM officials o"
				  " LEFT JOIN LATERAL (SELECT category FROM official_versions"
				  "  WHERE official_id = o.id AND valid_from <= $2::date"
				  "  ORDER BY valid_from DESC, id DESC LIMIT 1) v ON true"
				  " WHERE o.id = $1::bigint",
				  2, (const char *[]){ t->ref.official_id,
						       vhd_datestr(d, t->ref.occurred_on) }, 1);

	if (res == NULL)
		return -1;
	snprintf(out, 64, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return 0;
}

/* the day the last deferral of the case ended, or VH_DATE_NONE */
int
case_deferral_ended(struct tx *t, vh_date *out)
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT max(ended_on) FROM case_pauses WHERE case_id = $1::bigint",
				  1, (const char *[]){ t->ref.id }, 1);

	if (res == NULL)
		return -1;
	*out = VH_DATE_NONE;
	if (vhd_val(res, 0, 0) && vh_date_parse(out, PQgetvalue(res, 0, 0)) < 0)
		*out = VH_DATE_NONE;
	PQclear(res);
	return 0;
}

/* the no_limitation flag of the case's rule version */
int
rule_no_limitation(struct tx *t, bool *out)
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT no_limitation FROM rule_versions WHERE id = $1::bigint",
				  1, (const char *[]){ t->ref.rule_version_id }, 1);

	if (res == NULL)
		return -1;
	*out = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

void
api_case_resume(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	static const char *const known[] = { "note", NULL };
	static const char *const from[] = { "deferred", NULL };
	char days[16], today[VH_DATE_STRLEN], limit[VH_DATE_STRLEN], due[VH_DATE_STRLEN],
		cat[64];
	struct vh_legal_dates when;
	struct vh_legal_limit_query q;
	struct vh_legal_limit lim;
	struct vh_legal_deadline dl;
	bool nolimit = false;
	int paused;
	struct tx t;

	/* resuming is how a deferred case gets its clock back, also late */
	if (tx_open(&t, req, resp, p, known, from, "resumed", true) < 0)
		goto out;
	tx_note(&t);
	if (t.in.failed || rule_no_limitation(&t, &nolimit) < 0)
		goto out;
	paused = t.ref.paused_days +
		 (t.ref.paused_since != VH_DATE_NONE ? t.today - t.ref.paused_since : 0);
	when = case_dates(&t, t.today);
	if (case_category(&t, cat) < 0)
		goto out;
	memset(&q, 0, sizeof(q));
	q.when = when;
	q.category = cat;
	q.klass = t.rule_code;
	q.no_limitation = nolimit;
	q.paused_days = paused;
	q.deferral_ended = t.today; /* the deferral ends now */
	if (vh_legal_limitation_q(req->law->legal, &lim, &q) < 0 ||
	    vh_legal_deadline(req->law->legal, &dl, &when, t.ref.complex, paused) < 0) {
		vhd_reply_refused(resp, "no_regime", NULL, "the legal tables cover no regime for this case");
		goto out;
	}
	snprintf(days, sizeof(days), "%d", paused);
	vhd_datestr(today, t.today);
	if (lim.expires != VH_DATE_NONE)
		vhd_datestr(limit, lim.expires);
	vhd_datestr(due, dl.due);
	if (vhd_execp(t.conn, resp,
		     "UPDATE cases SET status = 'under_review', paused_days = $2::int, paused_since = NULL,"
		     " limitation_expires_on = $3::date, handling_deadline = $4::date"
		     " WHERE id = $1::bigint",
		     4, (const char *[]){ t.ref.id, days,
					  lim.expires != VH_DATE_NONE ? limit : NULL, due }) < 0 ||
	    vhd_execp(t.conn, resp,
		     "UPDATE case_pauses SET ended_on = $2::date"
		     " WHERE case_id = $1::bigint AND ended_on IS NULL",
		     2, (const char *[]){ t.ref.id, today }) < 0)
		goto out;
	json_object_set_new(t.data, "paused_days", json_integer(paused));
	json_object_set_new(t.data, "limitation_expires_on",
			    lim.expires != VH_DATE_NONE ? json_string(limit) : json_null());
	json_object_set_new(t.data, "handling_deadline", json_string(due));
	tx_finish(&t, "under_review", "resumed");
out:
	tx_close(&t);
}

void
api_case_council(struct vhd_request *req, const struct vhd_params *p,
		 struct vhd_response *resp)
{
	static const char *const known[] = { "members", "recommend", NULL };
	static const char *const from[] = { "under_review", NULL };
	const char *recommend = NULL;
	json_t *members = NULL, *m;
	PGresult *res = NULL;
	size_t i;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "sent to a council", false) < 0)
		goto out;
	vhd_in_codes(&t.in, "members", true, 3, 5, &members);
	vhd_in_code(&t.in, "recommend", false, &recommend);
	if (t.in.failed)
		goto out;
	/* a council has 3 or 5 members [LEGAL.md §6, check] */
	if (json_array_size(members) == 4) {
		vhd_in_fail(&t.in, "members", "a disciplinary council has 3 or 5 members");
		goto out;
	}
	if (recommend && strcmp(recommend, "none") != 0 &&
	    !vh_legal_has_form(req->law->legal, recommend)) {
		vhd_in_fail(&t.in, "recommend", "unknown sanction form '%s'", recommend);
		goto out;
	}
	json_array_foreach(members, i, m) {
		const char *code = json_string_value(m);
		for (size_t k = 0; k < i; k++)
			if (strcmp(json_string_value(json_array_get(members, k)), code) == 0) {
				vhd_in_fail(&t.in, "members", "%s is listed twice", code);
				goto out;
			}
		if (strcmp(code, t.ref.official) == 0) {
			vhd_in_fail(&t.in, "members",
				    "%s is the subject of the case and cannot sit on its council",
				    code);
			goto out;
		}
		res = vhd_q(t.conn, resp,
			    "INSERT INTO council_members (case_id, official_id)"
			    " SELECT $1::bigint, id FROM officials WHERE code = $2",
			    2, (const char *[]){ t.ref.id, code });
		if (res == NULL)
			goto out;
		if (strcmp(PQcmdTuples(res), "1") != 0) {
			vhd_reply_error(resp, VHCV_ENOTFOUND, "members", "no official %s", code);
			goto out;
		}
		PQclear(res);
		res = NULL;
	}
	json_object_set(t.data, "members", members);
	if (recommend)
		json_object_set_new(t.data, "recommend", json_string(recommend));
	tx_finish(&t, "council", "council");
out:
	PQclear(res);
	tx_close(&t);
}

void
api_case_uphold(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	static const char *const known[] = { "note", NULL };
	static const char *const from[] = { "appealed", NULL };
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "upheld", false) == 0) {
		tx_note(&t);
		if (!t.in.failed)
			tx_finish(&t, "closed", "upheld");
	}
	tx_close(&t);
}

void
api_case_waive(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const known[] = { "ground", "note", NULL };
	static const char *const from[] = { "under_review", "deferred", "council", NULL };
	const char *ground = NULL, *name;
	struct vh_legal_dates when;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "waived", false) < 0)
		goto out;
	vhd_in_code(&t.in, "ground", true, &ground);
	tx_note(&t);
	if (t.in.failed)
		goto out;
	when = case_dates(&t, t.today);
	if ((name = vh_legal_ground_name(req->law->legal, VH_LEGAL_GROUND_WAIVER, ground,
					 &when)) == NULL) {
		vhd_in_fail(&t.in, "ground", "'%s' is not a ground for waiver in the legal tables",
			    ground);
		goto out;
	}
	json_object_set_new(t.data, "ground", json_string(ground));
	json_object_set_new(t.data, "ground_name", json_string(name));
	tx_finish(&t, "closed_no_sanction", "waived");
out:
	tx_close(&t);
}

/*
 * A decided case closes once nobody can complain any more: 1 (and 422)
 * while the window of its decision is open, -1 on error, 0 closed.
 */
static int
complaint_window_open(struct tx *t)
{
	vh_date until;
	char ubuf[VH_DATE_STRLEN];

	/* the window runs from the decision's receipt (issue #9 item 11) */
	if (vhd_law_complaint_until(t, &until) < 0)
		return -1;
	if (until != VH_DATE_NONE && t->today <= until) {
		vhd_reply_refused(t->resp, "complaint_window_open", NULL,
				  "a complaint against the decision may be filed until %s",
				  vhd_datestr(ubuf, until));
		return 1;
	}
	return 0;
}

void
api_case_close(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const known[] = { "reason", "note", NULL };
	static const char *const from[] = { "reported", "under_review", "deferred", "council",
					    "decided", NULL };
	static const char *const reasons[] = { "expired", "no_sanction", "window_ended", NULL };
	const char *reason = NULL;
	char lim[VH_DATE_STRLEN];
	bool expired;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "closed", true) < 0)
		goto out;
	vhd_in_enum(&t.in, "reason", false, reasons, &reason);
	tx_note(&t);
	if (t.in.failed)
		goto out;
	expired = in_list(t.ref.status, open_states) && limitation_now(&t) != VH_DATE_NONE &&
		  t.today > limitation_now(&t);
	if (reason == NULL)
		reason = strcmp(t.ref.status, "decided") == 0 ? "window_ended"
			 : expired			    ? "expired"
							    : "no_sanction";
	json_object_set_new(t.data, "reason", json_string(reason));
	if (strcmp(reason, "window_ended") == 0) {
		if (strcmp(t.ref.status, "decided") != 0) {
			vhd_reply_error(resp, VHCV_ECONFLICT, "reason",
					"case %s is %s: only a decided case closes when its"
					" complaint window ends", t.ref.number, t.ref.status);
			json_object_set_new(resp->json, "status", json_string(t.ref.status));
			goto out;
		}
		if (complaint_window_open(&t) != 0)
			goto out;
		tx_finish(&t, "closed", "closed");
	} else if (strcmp(reason, "expired") == 0) {
		if (!expired) {
			vhd_reply_refused(resp, "not_time_barred", NULL,
					  t.ref.limitation == VH_DATE_NONE
						  ? "case %s has no limitation period%s"
						  : "the limitation period of %s runs until %s",
					  t.ref.number,
					  t.ref.limitation == VH_DATE_NONE
						  ? ""
						  : vhd_datestr(lim, limitation_now(&t)));
			goto out;
		}
		tx_finish(&t, "closed_no_sanction", "expired");
	} else {
		static const char *const reviewable[] = { "under_review", "council", NULL };
		if (!in_list(t.ref.status, reviewable)) {
			vhd_reply_error(resp, VHCV_ECONFLICT, NULL,
					"case %s is %s: it cannot be closed without sanction",
					t.ref.number, t.ref.status);
			json_object_set_new(resp->json, "status", json_string(t.ref.status));
			goto out;
		}
		if (expired) {
			vhd_reply_refused(resp, "time_barred", NULL,
					  "the limitation period of %s has ended: close it as expired",
					  t.ref.number);
			goto out;
		}
		tx_finish(&t, "closed_no_sanction", "closed");
	}
out:
	tx_close(&t);
}
