/*
 * Decisions: decide (also the change of a decision on appeal), appeal,
 * annul. Every decision passes the legal engine's check; decisions are
 * never edited — a change or annulment is a new row that supersedes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "dbq.h"
#include "duplicates.h"
#include "events.h"
#include "law.h"
#include "log.h"
#include "text.h"
#include "workflow.h"

/*
 * "12/QĐ-UBND": serial 12 and issuer QĐ-UBND (Decree 30/2020). The issuer
 * is kept as written (trimmed); key receives its uniqueness key (text.h),
 * so that "12/qđ-ubnd", "12/ QĐ-UBND" and "12/QĐ–UBND" are the same number.
 */
static int
parse_number(struct vhd_in *in, const char *field, const char *s, char serial[16],
	     char issuer[128], char key[256])
{
	char *k = vhd_docnum_key(s), *slash = k ? strchr(k, '/') : NULL, *end;
	const char *w = strchr(s, '/');
	size_t wl;
	long n;

	errno = 0;
	n = slash ? strtol(k, &end, 10) : 0;
	if (slash == NULL || k[0] < '0' || k[0] > '9' || end != slash || errno || n < 1 ||
	    n > 1000000 || slash[1] == '\0' || strchr(slash + 1, '/') ||
	    strlen(slash + 1) > 100 || w == NULL) {
		free(k);
		vhd_in_fail(in, field, "'%s' must be a document number like 12/QĐ-UBND", field);
		return -1;
	}
	snprintf(serial, 16, "%ld", n);
	snprintf(key, 256, "%s", slash + 1);
	free(k);
	for (w++; *w == ' ' || *w == '\t'; w++)
		;
	for (wl = strlen(w); wl > 0 && (w[wl - 1] == ' ' || w[wl - 1] == '\t'); wl--)
		;
	snprintf(issuer, 128, "%.*s", (int)wl, w);
	return 0;
}

/* the decision of the case now in effect (not superseded), or none */
static int
current_decision(struct tx *t, char id[24], vh_date *signed_on)
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT d.id, d.signed_on FROM decisions d"
				  " WHERE d.case_id = $1::bigint AND d.kind <> 'annulment'"
				  " AND NOT EXISTS (SELECT 1 FROM decisions n"
				  "  WHERE n.supersedes_id = d.id)"
				  " ORDER BY d.id DESC LIMIT 1",
				  1, (const char *[]){ t->ref.id }, 2);

	if (res == NULL)
		return -1;
	id[0] = '\0';
	if (PQntuples(res) == 1) {
		snprintf(id, 24, "%s", PQgetvalue(res, 0, 0));
		if (signed_on && vh_date_parse(signed_on, PQgetvalue(res, 0, 1)) < 0)
			*signed_on = VH_DATE_NONE;
	}
	PQclear(res);
	return 0;
}

/*
 * What a decision on appeal answers: the decision it replaces and the
 * appeal. Its date may be neither before the one nor before the other
 * (nor may an annulment's). 0, or -1 with the reply set.
 */
static int
after_what_it_answers(struct tx *t, vh_date signed_on, const char *what)
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT (SELECT to_char(max(d.signed_on), 'YYYY-MM-DD') FROM decisions d"
				  "  WHERE d.case_id = $1::bigint),"
				  " (SELECT e.data->>'filed_on' FROM case_events e"
				  "  WHERE e.case_id = $1::bigint AND e.kind = 'appealed'"
				  "  ORDER BY e.seq DESC LIMIT 1)",
				  1, (const char *[]){ t->ref.id }, 2);
	vh_date dec = VH_DATE_NONE, filed = VH_DATE_NONE;
	int r = 0;

	if (res == NULL)
		return -1;
	if (vhd_val(res, 0, 0) && vh_date_parse(&dec, PQgetvalue(res, 0, 0)) < 0)
		dec = VH_DATE_NONE;
	if (vhd_val(res, 0, 1) && vh_date_parse(&filed, PQgetvalue(res, 0, 1)) < 0)
		filed = VH_DATE_NONE;
	if (dec != VH_DATE_NONE && signed_on < dec) {
		vhd_in_fail(&t->in, "signed_on", "'signed_on' is before the decision %s answers"
			    " (signed %s)", what, PQgetvalue(res, 0, 0));
		r = -1;
	} else if (filed != VH_DATE_NONE && signed_on < filed) {
		vhd_in_fail(&t->in, "signed_on", "'signed_on' is before the appeal %s answers"
			    " (filed %s)", what, PQgetvalue(res, 0, 1));
		r = -1;
	}
	PQclear(res);
	return r;
}

/*
 * A decision with this idempotency key exists: the same request answers
 * with the case (1), another is a conflict (1, reply set); 0 unknown key.
 */
static int
decide_replay(struct tx *t, const char *key, const char *hash)
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT request_hash, case_id FROM decisions"
				  " WHERE actor = $2 AND idempotency_key = $1",
				  2, (const char *[]){ key, t->req->id.name }, 2);
	int r = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		if (strcmp(PQgetvalue(res, 0, 0), hash) != 0 ||
		    strcmp(PQgetvalue(res, 0, 1), t->ref.id) != 0)
			vhd_reply_error(t->resp, VHCV_ECONFLICT, "idempotency_key",
					"idempotency key '%s' was used for another request", key);
		else
			vhd_reply_case(t->conn, t->req, t->resp, t->ref.id, 200);
		r = 1;
	}
	PQclear(res);
	return r;
}

/* the official as on day `on`: category, leader, status */
PGresult *
official_on(struct tx *t, vh_date on)
{
	char d[VH_DATE_STRLEN];

	return vhd_qprep(t->conn, t->resp,
			 "SELECT coalesce(v.category, o.category), coalesce(v.leader, o.leader),"
			 " coalesce(v.status, o.status), coalesce(v.elected, o.elected)"
			 " FROM officials o"
			 " LEFT JOIN LATERAL (SELECT category, leader, status, elected"
			 "  FROM official_versions"
			 "  WHERE official_id = o.id AND valid_from <= $2::date"
			 "  ORDER BY valid_from DESC, id DESC LIMIT 1) v ON true"
			 " WHERE o.id = $1::bigint",
			 2, (const char *[]){ t->ref.official_id, vhd_datestr(d, on) }, 4);
}

/* the heaviest sanction of the official in effect on `on`, other cases */
int
heaviest_in_effect(struct tx *t, vh_date on, char out[64])
{
	const struct vh_legal *legal = t->req->law->legal;
	char d[VH_DATE_STRLEN];
	PGresult *res;
	int best = -1;

	res = vhd_qprep(t->conn, t->resp,
			"SELECT d.form FROM decisions d JOIN cases c ON c.id = d.case_id"
			" WHERE c.official_id = $1::bigint AND d.case_id <> $2::bigint"
			/* a duplicate's decision is not prior history (issue 8.4) */
			" AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.id = c.id"
			"  AND " VHD_SQL_SAME_ACT("$2") ")"
			" AND d.kind <> 'annulment' AND d.form <> 'none'"
			" AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.supersedes_id = d.id)"
			" AND d.effective_on <= $3::date"
			" AND (d.effect_until IS NULL OR d.effect_until >= $3::date)",
			3, (const char *[]){ t->ref.official_id, t->ref.id, vhd_datestr(d, on) },
			1);
	if (res == NULL)
		return -1;
	out[0] = '\0';
	for (int i = 0; i < PQntuples(res); i++) {
		int w = vh_legal_form_weight(legal, PQgetvalue(res, i, 0));
		if (w > best) {
			best = w;
			snprintf(out, 64, "%s", PQgetvalue(res, i, 0));
		}
	}
	PQclear(res);
	return 0;
}

/* the council's recommended form, from its last council event */
int
recommended(struct tx *t, char out[64])
{
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT data->>'recommend' FROM case_events"
				  " WHERE case_id = $1::bigint AND kind = 'council'"
				  " ORDER BY seq DESC LIMIT 1",
				  1, (const char *[]){ t->ref.id }, 1);

	if (res == NULL)
		return -1;
	out[0] = '\0';
	if (PQntuples(res) == 1 && vhd_val(res, 0, 0))
		snprintf(out, 64, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
number_free(struct tx *t, const char *key, const char *year, const char *serial,
	    const char *written)
{
	/* docnum_key (migration 0005) is the same key for rows of any age */
	PGresult *res = vhd_qprep(t->conn, t->resp,
				  "SELECT c.number FROM decisions d JOIN cases c ON c.id = d.case_id"
				  " WHERE docnum_key(d.issuer) = $1 AND d.year = $2::int"
				  " AND d.number = $3::int",
				  3, (const char *[]){ key, year, serial }, 1);
	int r = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0) {
		vhd_reply_error(t->resp, VHCV_ECONFLICT, "number",
				"document number %s of %s is already used (case %s)", written, year,
				PQgetvalue(res, 0, 0));
		r = -1;
	}
	PQclear(res);
	return r;
}

/*
 * One act, one sanction: refuse when a case about the same act has a
 * standing decision, unless the decider states why this is a separate
 * act (kept in the event). 0 or -1 (reply set).
 */
static int
one_sanction(struct tx *t, const char *separate)
{
	char other[40];

	if (vhd_dup_sanctioned(t->conn, t->resp, t->ref.id, other) < 0)
		return -1;
	if (other[0] == '\0')
		return 0;
	if (separate == NULL) {
		vhd_reply_refused(t->resp, "already_sanctioned",
				  (const char *const[]){ "Nghị định 112/2020/NĐ-CP, Điều 2 (mỗi"
							 " hành vi vi phạm chỉ bị xử lý một lần)",
							 NULL },
				  "case %s about the same act (official, rule, day) has a decision;"
				  " state a separate act with 'separate_act' and its reason",
				  other);
		json_object_set_new(t->resp->json, "other", json_string(other));
		return -1;
	}
	json_object_set_new(t->data, "separate_act",
			    json_pack("{s:s, s:s}", "of", other, "reason", separate));
	return 0;
}

/* a case found complex has the longer handling period: its deadline moves */
static int
complex_deadline(struct tx *t)
{
	struct vh_legal_dates when = case_dates(t, t->today);
	struct vh_legal_deadline dl;
	char due[VH_DATE_STRLEN];

	if (vh_legal_deadline(t->req->law->legal, &dl, &when, true, t->ref.paused_days) < 0)
		return 0; /* no regime: the deadline stays as it was */
	return vhd_execp(t->conn, t->resp,
			"UPDATE cases SET handling_deadline = $2::date WHERE id = $1::bigint", 2,
			(const char *[]){ t->ref.id, vhd_datestr(due, dl.due) });
}

static void
join_basis(char *buf, size_t len, const char *const *basis)
{
	buf[0] = '\0';
	for (const char *const *b = basis; b && *b; b++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", b == basis ? "" : "; ", *b);
}

void
api_case_decide(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	static const char *const known[] = { "severity", "form", "number", "signed_on",
					     "effective_on", "complex", "reason",
					     "idempotency_key", "separate_act", "received_on", NULL };
	/* under_review: without a council (issue #9 item 12, checked in vhd_law_decide) */
	static const char *const from[] = { "council", "appealed", "under_review", NULL };
	const struct vh_legal *legal = req->law->legal;
	const char *severity = NULL, *form = NULL, *number = NULL, *reason = NULL, *key = NULL,
		   *separate = NULL;
	char symbol[128], numkey[256];
	vh_date signed_on = 0, effective = VH_DATE_NONE;
	bool complex = false, nolimit = false, appealed, none;
	char hash[VH_SHA256_HEX], serial[16], year[8], sbuf[VH_DATE_STRLEN],
		ebuf[VH_DATE_STRLEN], ubuf[VH_DATE_STRLEN], fbuf[VH_DATE_STRLEN], prev[24],
		heavy[64], rec[64], basis[512];
	struct vh_legal_case lc;
	struct vh_legal_result lr;
	struct vh_legal_effect eff = { VH_DATE_NONE, VH_DATE_NONE, NULL, NULL, 0 };
	enum vh_legal_status st = VH_LEGAL_ACTIVE;
	vh_date deferral_ended, received = VH_DATE_NONE, *later = NULL;
	char rbuf[VH_DATE_STRLEN], raise[16];
	PGresult *off = NULL, *ins = NULL;
	int y, m, d;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, NULL, NULL, false) < 0)
		goto out;
	vhd_in_code(&t.in, "severity", true, &severity);
	vhd_in_code(&t.in, "form", true, &form);
	vhd_in_str(&t.in, "number", true, 120, &number);
	vhd_in_date(&t.in, "signed_on", true, &signed_on);
	vhd_in_date(&t.in, "effective_on", false, &effective);
	vhd_in_bool(&t.in, "complex", false, &complex);
	vhd_in_str(&t.in, "reason", false, 5000, &reason);
	vhd_in_str(&t.in, "idempotency_key", false, 200, &key);
	vhd_in_str(&t.in, "separate_act", false, 5000, &separate);
	vhd_in_date(&t.in, "received_on", false, &received);
	if (t.in.failed)
		goto out;
	if (vhd_request_hash(hash, t.in.obj) < 0)
		goto out;
	/* a repeat is answered before the state check: the case has moved on */
	if (key && decide_replay(&t, key, hash) != 0)
		goto out;
	if (tx_state(&t, from, "decided", false) < 0)
		goto out;
	appealed = strcmp(t.ref.status, "appealed") == 0;
	none = strcmp(form, "none") == 0;
	if (!vh_legal_has_severity(legal, severity)) {
		vhd_in_fail(&t.in, "severity", "unknown severity '%s'", severity);
		goto out;
	}
	if (!none && !vh_legal_has_form(legal, form)) {
		vhd_in_fail(&t.in, "form", "unknown sanction form '%s'", form);
		goto out;
	}
	if (none && appealed) {
		vhd_in_fail(&t.in, "form", "to lift a decision on appeal, annul it");
		goto out;
	}
	if (parse_number(&t.in, "number", number, serial, symbol, numkey) < 0)
		goto out;
	if (signed_on > t.today || signed_on < t.ref.detected_on) {
		vhd_in_fail(&t.in, "signed_on",
			    "'signed_on' must be between the detection of the act and today");
		goto out;
	}
	if (effective == VH_DATE_NONE)
		effective = signed_on;
	if (appealed && after_what_it_answers(&t, signed_on, "the change") < 0)
		goto out;
	if (effective < signed_on) {
		vhd_in_fail(&t.in, "effective_on", "'effective_on' is before 'signed_on'");
		goto out;
	}
	/* the complaint window runs from receipt (issue #9 item 11) */
	if (received == VH_DATE_NONE)
		received = signed_on;
	if (received < signed_on || received > t.today) {
		vhd_in_fail(&t.in, "received_on",
			    "'received_on' must be between 'signed_on' and today");
		goto out;
	}
	vh_date_to_ymd(signed_on, &y, &m, &d);
	snprintf(year, sizeof(year), "%d", y);
	if (number_free(&t, numkey, year, serial, number) < 0 || one_sanction(&t, separate) < 0)
		goto out;
	if ((off = official_on(&t, signed_on)) == NULL || PQntuples(off) != 1 ||
	    rule_no_limitation(&t, &nolimit) < 0 ||
	    /* "in effect" is judged on the day of the new act (issue #9 item 8) */
	    heaviest_in_effect(&t, t.ref.occurred_on, heavy) < 0 ||
	    case_deferral_ended(&t, &lc.deferral_ended) < 0 ||
	    recommended(&t, rec) < 0 || current_decision(&t, prev, NULL) < 0)
		goto out;
	vh_legal_status_parse(&st, PQgetvalue(off, 0, 2));
	deferral_ended = lc.deferral_ended;
	memset(&lc, 0, sizeof(lc));
	lc.deferral_ended = deferral_ended;
	lc.category = PQgetvalue(off, 0, 0);
	lc.leader = PQgetvalue(off, 0, 1)[0] == 't';
	lc.elected = PQgetvalue(off, 0, 3)[0] == 't';
	lc.status = st;
	lc.when = case_dates(&t, signed_on);
	lc.when.effective = effective;
	lc.form = none ? NULL : form;
	lc.severity = severity;
	lc.no_limitation = nolimit;
	lc.klass = t.rule_code;
	lc.complex = complex || t.ref.complex;
	lc.paused_days = t.ref.paused_days;
	/* on appeal the decision in effect is the one being changed */
	lc.already_sanctioned = !appealed && prev[0] != '\0';
	lc.in_effect = heavy[0] ? heavy : NULL;
	lc.reason = reason;
	/* no council, later acts, a Party sanction (issue #9 items 4, 12) */
	if (vhd_law_decide(&t, &lc, &later) < 0)
		goto out;
	if (vh_legal_check_decision(legal, &lr, &lc) == VH_LEGAL_REFUSED) {
		vhd_reply_refused(resp, lr.id, lr.basis, "%s", lr.message);
		goto out;
	}
	if (!none && vh_legal_effect(legal, &eff, form, lc.category, &lc.when) < 0) {
		vhd_reply_refused(resp, "no_regime", NULL,
				  "the legal tables give no effect period for %s", form);
		goto out;
	}
	snprintf(raise, sizeof(raise), "%d", eff.raise_delay_months);
	ins = vhd_qprep(t.conn, resp,
			"INSERT INTO decisions (case_id, kind, form, severity, issuer, year, number,"
			" symbol, signed_on, effective_on, effect_until, freeze_until,"
			" recommended_form, regime, reason, ladder_form, supersedes_id,"
			" idempotency_key, request_hash, actor, received_on, raise_delay_months)"
			" VALUES ($1::bigint, $2, $3, $4, $5, $6::int, $7::int, $8, $9::date,"
			" $10::date, $11::date, $12::date, $13, $14, $15, $16, $17::bigint, $18,"
			" $19, $20, $21::date, $22::int)"
			" ON CONFLICT (actor, idempotency_key) DO NOTHING RETURNING id",
			22,
			(const char *[]){ t.ref.id, appealed ? "change" : "decision", form, severity,
					  symbol, year, serial, number, vhd_datestr(sbuf, signed_on),
					  vhd_datestr(ebuf, effective),
					  eff.effect_until != VH_DATE_NONE
						  ? vhd_datestr(ubuf, eff.effect_until) : NULL,
					  eff.freeze_until != VH_DATE_NONE
						  ? vhd_datestr(fbuf, eff.freeze_until) : NULL,
					  rec[0] ? rec : NULL,
					  lr.forms_regime ? lr.forms_regime : "-", reason,
					  lr.suggested, appealed ? prev : NULL, key,
					  key ? hash : NULL, req->id.name, vhd_datestr(rbuf, received),
					  none ? NULL : raise },
			1);
	if (ins == NULL)
		goto out;
	if (PQntuples(ins) == 0) {
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"a concurrent request with the same key is being written; retry");
		goto out;
	}
	if (vhd_execp(t.conn, resp,
		     "UPDATE cases SET severity = $2, complex = $3::boolean WHERE id = $1::bigint",
		     3, (const char *[]){ t.ref.id, severity, lc.complex ? "true" : "false" }) < 0 ||
	    (lc.complex && !t.ref.complex && complex_deadline(&t) < 0))
		goto out;
	json_object_set_new(t.data, "number", json_string(number));
	json_object_set_new(t.data, "form", json_string(form));
	json_object_set_new(t.data, "severity", json_string(severity));
	json_object_set_new(t.data, "signed_on", json_string(sbuf));
	json_object_set_new(t.data, "effective_on", json_string(ebuf));
	json_object_set_new(t.data, "complex", json_boolean(complex));
	json_object_set_new(t.data, "received_on", json_string(rbuf));
	if (!none)
		json_object_set_new(t.data, "raise_delay_months",
				    json_integer(eff.raise_delay_months));
	if (lr.level)
		json_object_set_new(t.data, "limitation_level", json_string(lr.level));
	if (lr.forms_regime)
		json_object_set_new(t.data, "regime", json_string(lr.forms_regime));
	if (lr.suggested)
		json_object_set_new(t.data, "suggested", json_string(lr.suggested));
	if (reason)
		json_object_set_new(t.data, "reason", json_string(reason));
	if (lr.verdict == VH_LEGAL_ACCEPTED_WITH_WARNING) {
		join_basis(basis, sizeof(basis), lr.basis);
		json_object_set_new(t.data, "warning", json_string(lr.message));
		json_object_set_new(t.data, "warning_id", json_string(lr.id ? lr.id : ""));
		json_object_set_new(t.data, "basis", json_string(basis));
	}
	tx_finish(&t, none ? "closed_no_sanction" : "decided", appealed ? "changed" : "decided");
out:
	free(later);
	PQclear(off);
	PQclear(ins);
	tx_close(&t);
}

void
api_case_appeal(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	/* obstacle_days, answered_on, court: issue #9 item 11 (vhd_law_complaint) */
	static const char *const known[] = { "filed_on", "note", "obstacle_days", "answered_on",
					     "court", NULL };
	static const char *const from[] = { "decided", "closed", NULL };
	vh_date filed = 0;
	char fbuf[VH_DATE_STRLEN];
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "appealed", false) < 0)
		goto out;
	vhd_in_date(&t.in, "filed_on", true, &filed);
	tx_note(&t);
	if (t.in.failed || vhd_law_complaint(&t, filed) < 0)
		goto out;
	json_object_set_new(t.data, "filed_on", json_string(vhd_datestr(fbuf, filed)));
	tx_finish(&t, "appealed", "appealed");
out:
	tx_close(&t);
}

void
api_case_annul(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const known[] = { "number", "signed_on", "reason", NULL };
	static const char *const from[] = { "appealed", NULL };
	const char *number = NULL, *reason = NULL;
	vh_date signed_on = 0;
	char serial[16], year[8], sbuf[VH_DATE_STRLEN], prev[24], symbol[128], numkey[256];
	int y, m, d;
	struct tx t;

	if (tx_open(&t, req, resp, p, known, from, "annulled", false) < 0)
		goto out;
	vhd_in_str(&t.in, "number", true, 120, &number);
	vhd_in_date(&t.in, "signed_on", true, &signed_on);
	vhd_in_str(&t.in, "reason", false, 5000, &reason);
	if (t.in.failed || parse_number(&t.in, "number", number, serial, symbol, numkey) < 0)
		goto out;
	if (signed_on > t.today || signed_on < t.ref.occurred_on) {
		vhd_in_fail(&t.in, "signed_on",
			    "'signed_on' must be between the day of the act and today");
		goto out;
	}
	vh_date_to_ymd(signed_on, &y, &m, &d);
	snprintf(year, sizeof(year), "%d", y);
	if (number_free(&t, numkey, year, serial, number) < 0 ||
	    current_decision(&t, prev, NULL) < 0)
		goto out;
	if (prev[0] == '\0') {
		vhd_reply_error(resp, VHCV_ECONFLICT, NULL, "case %s has no decision to annul",
				t.ref.number);
		json_object_set_new(resp->json, "status", json_string(t.ref.status));
		goto out;
	}
	if (after_what_it_answers(&t, signed_on, "the annulment") < 0)
		goto out;
	vhd_datestr(sbuf, signed_on);
	if (vhd_execp(t.conn, resp,
		     "INSERT INTO decisions (case_id, kind, form, issuer, year, number, symbol,"
		     " signed_on, effective_on, regime, reason, supersedes_id, actor)"
		     " VALUES ($1::bigint, 'annulment', 'none', $2, $3::int, $4::int, $5,"
		     " $6::date, $6::date, '-', $7, $8::bigint, $9)",
		     9, (const char *[]){ t.ref.id, symbol, year, serial, number, sbuf, reason, prev,
					  req->id.name }) < 0)
		goto out;
	json_object_set_new(t.data, "number", json_string(number));
	json_object_set_new(t.data, "signed_on", json_string(sbuf));
	if (reason)
		json_object_set_new(t.data, "reason", json_string(reason));
	tx_finish(&t, "closed", "annulled");
out:
	tx_close(&t);
}
