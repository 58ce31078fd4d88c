/*
 * GET /v1/cases/{case}/decision-options?on=DATE&severity=S (issue #12):
 * what the law allows before anyone submits a decision, so that the
 * decision form can show it — the forms allowed to this official on that
 * day, the ladder's suggestion for the severity, the sanction in effect,
 * the council's recommendation, and the limitation and handling dates as
 * the engine computes them. The decision itself is checked again by
 * decide; nothing is written here.
 */
#include <stdio.h>

#include "dbq.h"
#include "workflow.h"

static json_t *
codes_named(const struct vh_legal *l, const char *const *codes,
	    const char *(*name)(const struct vh_legal *, const char *))
{
	json_t *a = json_array();

	for (const char *const *c = codes; a && c && *c; c++) {
		const char *n = name(l, *c);
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", *c, "name", n ? n : *c));
	}
	return a ? a : json_array();
}

static json_t *
strings(const char *const *v)
{
	json_t *a = json_array();

	for (; a && v && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a ? a : json_array();
}

static json_t *
date_or_null(vh_date d)
{
	char buf[VH_DATE_STRLEN];

	return d == VH_DATE_NONE ? json_null() : json_string(vhd_datestr(buf, d));
}

void
api_case_decision_options(struct vhd_request *req, const struct vhd_params *p,
			  struct vhd_response *resp)
{
	static const char *const known[] = { NULL };
	const struct vh_legal *legal = req->law->legal;
	struct vh_legal_forms af = { NULL, 0, NULL, NULL };
	struct vh_legal_suggestion sg = { NULL, NULL, NULL };
	struct vh_legal_limit lim = { VH_DATE_NONE, NULL, NULL, NULL };
	struct vh_legal_deadline dl = { VH_DATE_NONE, 0, NULL, NULL };
	enum vh_legal_status st = VH_LEGAL_ACTIVE;
	struct vh_legal_who who;
	struct vh_legal_dates when;
	const char *severity = NULL;
	char heavy[64], rec[64];
	struct vh_vocab voc;
	bool nolimit = false, leader;
	PGresult *off = NULL;
	vh_date on;
	struct tx t;
	json_t *j;

	if (tx_open(&t, req, resp, p, known, NULL, NULL, false) < 0)
		goto out;
	on = t.today;
	vhd_query_date(&t.in, "on", &on);
	vhd_query_code(&t.in, "severity", &severity);
	if (t.in.failed)
		goto out;
	if (severity && !vh_legal_has_severity(legal, severity)) {
		vhd_in_fail(&t.in, "severity", "unknown severity '%s'", severity);
		goto out;
	}
	if ((off = official_on(&t, on)) == NULL || PQntuples(off) != 1 ||
	    rule_no_limitation(&t, &nolimit) < 0 ||
	    /* in effect on the day of the act, as decide judges it */
	    heaviest_in_effect(&t, t.ref.occurred_on, heavy) < 0 ||
	    recommended(&t, rec) < 0)
		goto out;
	vh_legal_status_parse(&st, PQgetvalue(off, 0, 2));
	leader = PQgetvalue(off, 0, 1)[0] == 't';
	when = case_dates(&t, on);
	when.effective = on;
	/* an elected cán bộ has its own forms and rungs (issue #9 item 9) */
	who.category = PQgetvalue(off, 0, 0);
	who.leader = leader;
	who.elected = PQntuples(off) == 1 && PQnfields(off) > 3 && PQgetvalue(off, 0, 3)[0] == 't';
	who.status = st;
	vh_legal_allowed_forms_w(legal, &af, &who, &when);
	if (severity)
		vh_legal_ladder_w(legal, &sg, severity, heavy[0] ? heavy : NULL, &who, &when);
	vh_legal_limitation(legal, &lim, &when, NULL, nolimit, t.ref.paused_days);
	vh_legal_deadline(legal, &dl, &when, t.ref.complex, t.ref.paused_days);
	vh_legal_vocab(legal, &voc);
	/* the levels of the decision's regime (Decree 172/2025 has three) */
	if (vh_legal_severities_of(legal, &when, who.category))
		voc.severities = vh_legal_severities_of(legal, &when, who.category);
	j = json_pack("{s:s, s:o, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
		      " s:o, s:o}",
		      "case", t.ref.number, "on", date_or_null(on),
		      "category", PQgetvalue(off, 0, 0), "leader", leader,
		      "forms", codes_named(legal, af.forms, vh_legal_form_name),
		      "forms_regime", af.regime ? json_string(af.regime) : json_null(),
		      "forms_basis", strings(af.basis),
		      "severities", codes_named(legal, voc.severities, vh_legal_severity_name),
		      "severity", severity ? json_string(severity) : json_null(),
		      "ladder_form", sg.form ? json_string(sg.form) : json_null(),
		      "ladder_basis", strings(sg.basis),
		      "in_effect", heavy[0] ? json_string(heavy) : json_null(),
		      "recommended_form", rec[0] ? json_string(rec) : json_null(),
		      "limitation_expires_on", date_or_null(lim.expires),
		      "limitation_basis", strings(lim.basis),
		      "handling_deadline", date_or_null(dl.due));
	vhd_reply_json(resp, 200, j);
out:
	PQclear(off);
	tx_close(&t);
}
