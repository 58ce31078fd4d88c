/* Cases: access checks and the JSON view of docs/api.md. */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "json_in.h"
#include "dbq.h"
#include "legal.h"
#include "log.h"
#include "reports.h"

static const char *const status_names[][2] = {
	{ "reported", "Mới báo cáo" },
	{ "under_review", "Đang xem xét" },
	{ "deferred", "Tạm hoãn xem xét" },
	{ "council", "Hội đồng kỷ luật" },
	{ "decided", "Đã quyết định" },
	{ "appealed", "Đang khiếu nại" },
	{ "rejected", "Không thụ lý" },
	{ "closed_no_sanction", "Kết thúc, không kỷ luật" },
	{ "closed", "Đã kết thúc" },
};

static const char *
status_name(const char *status)
{
	for (size_t i = 0; i < VH_NELEM(status_names); i++)
		if (strcmp(status_names[i][0], status) == 0)
			return status_names[i][1];
	return status;
}

static vh_date
date_or_none(const PGresult *res, int row, int col)
{
	const char *v = vhd_val(res, row, col);
	vh_date d;

	return v && vh_date_parse(&d, v) == 0 ? d : VH_DATE_NONE;
}

int
vhd_case_open(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *number, enum vhd_op op, bool lock, struct vhd_case_ref *out)
{
	PGresult *res;
	const struct vhd_access *a = req->id.access;
	int r = -1, s;

	memset(out, 0, sizeof(*out));
	if (!vhd_auth_role(req, resp, op))
		return -1;
	res = vhd_qrows(conn, resp,
			lock ? "SELECT c.id, c.number, c.status, o.code, o.id, c.unit_id,"
			       " c.reporter, c.occurred_on, c.detected_on,"
			       " c.limitation_expires_on, c.handling_deadline, c.complex,"
			       " c.paused_days, c.paused_since, c.rule_version_id"
			       " FROM cases c JOIN officials o ON o.id = c.official_id"
			       " WHERE c.number = $1 FOR NO KEY UPDATE OF c"
			     : "SELECT c.id, c.number, c.status, o.code, o.id, c.unit_id,"
			       " c.reporter, c.occurred_on, c.detected_on,"
			       " c.limitation_expires_on, c.handling_deadline, c.complex,"
			       " c.paused_days, c.paused_since, c.rule_version_id"
			       " FROM cases c JOIN officials o ON o.id = c.official_id"
			       " WHERE c.number = $1",
			1, (const char *[]){ number }, 15);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "case", "no case %s", number);
		goto out;
	}
	snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(res, 0, 0));
	snprintf(out->number, sizeof(out->number), "%s", PQgetvalue(res, 0, 1));
	snprintf(out->status, sizeof(out->status), "%s", PQgetvalue(res, 0, 2));
	snprintf(out->official, sizeof(out->official), "%s", PQgetvalue(res, 0, 3));
	snprintf(out->official_id, sizeof(out->official_id), "%s", PQgetvalue(res, 0, 4));
	snprintf(out->unit_id, sizeof(out->unit_id), "%s", PQgetvalue(res, 0, 5));
	snprintf(out->reporter, sizeof(out->reporter), "%s", PQgetvalue(res, 0, 6));
	out->occurred_on = date_or_none(res, 0, 7);
	out->detected_on = date_or_none(res, 0, 8);
	out->limitation = date_or_none(res, 0, 9);
	out->deadline = date_or_none(res, 0, 10);
	out->complex = PQgetvalue(res, 0, 11)[0] == 't';
	out->paused_days = atoi(PQgetvalue(res, 0, 12));
	out->paused_since = date_or_none(res, 0, 13);
	snprintf(out->rule_version_id, sizeof(out->rule_version_id), "%s",
		 PQgetvalue(res, 0, 14));

	/* an inspector reads and annotates the cases they reported */
	if (a->role == VHD_ROLE_INSPECTOR && (op == VHD_OP_CASE_READ || op == VHD_OP_CASE_NOTE) &&
	    strcmp(out->reporter, req->id.name) == 0)
		s = 1;
	else
		s = vhd_auth_unit(conn, req, resp, out->unit_id, op);
	if (s <= 0)
		goto out;
	if (op != VHD_OP_CASE_READ && vhd_auth_is_self(req, out->official)) {
		vhd_auth_deny(req, resp, "%s is about %s: nobody acts on a case about themselves",
			      out->number, out->official);
		goto out;
	}
	r = 0;
out:
	PQclear(res);
	return r;
}

static json_t *
name_of(const char *name)
{
	return name ? json_string(name) : json_null();
}

json_t *
vhd_decisions_json(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		   const char *case_id, const char *official_id, const char *on)
{
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	char today[VH_DATE_STRLEN];
	PGresult *res;
	json_t *arr;

	/* state is derived, never stored: decisions are never edited */
	res = vhd_qrows(conn, resp,
			"SELECT d.symbol, d.issuer, d.year, d.number, d.kind, d.form, d.severity,"
			" d.signed_on, d.effective_on, d.effect_until, d.freeze_until,"
			" d.recommended_form, d.ladder_form, d.regime, d.reason, s.symbol,"
			" " VHD_SQL_DECISION_STATE("d", "$3::date") ", c.number, d.at"
			" FROM decisions d JOIN cases c ON c.id = d.case_id"
			" LEFT JOIN decisions s ON s.id = d.supersedes_id"
			" WHERE ($1::bigint IS NULL OR d.case_id = $1::bigint)"
			" AND ($2::bigint IS NULL OR c.official_id = $2::bigint)"
			/* an official's decisions as on a date: those signed by then */
			" AND ($2::bigint IS NULL OR d.signed_on <= $3::date)"
			" ORDER BY d.id",
			3, (const char *[]){ case_id, official_id,
					     on ? on : vhd_datestr(today, vh_date_today()) },
			19);
	if (res == NULL)
		return NULL;
	if ((arr = json_array()) == NULL)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *form = PQgetvalue(res, i, 5), *ladder = vhd_val(res, i, 12);
		json_t *d = json_object();
		char *warning = NULL;

		if (d == NULL)
			continue;
		if (ladder && strcmp(ladder, form) != 0 && strcmp(PQgetvalue(res, i, 4), "annulment") != 0)
			warning = vh_asprintf("departs from the ladder, which suggests %s", ladder);
		json_object_set_new(d, "case", vhd_jval(res, i, 17));
		json_object_set_new(d, "number", vhd_jval(res, i, 0));
		json_object_set_new(d, "issuer", vhd_jval(res, i, 1));
		json_object_set_new(d, "year", vhd_jint(res, i, 2));
		json_object_set_new(d, "serial", vhd_jint(res, i, 3));
		json_object_set_new(d, "kind", vhd_jval(res, i, 4));
		json_object_set_new(d, "form", json_string(form));
		json_object_set_new(d, "form_name", name_of(legal ? vh_legal_form_name(legal, form)
							       : NULL));
		json_object_set_new(d, "severity", vhd_jval(res, i, 6));
		json_object_set_new(d, "signed_on", vhd_jval(res, i, 7));
		json_object_set_new(d, "effective_on", vhd_jval(res, i, 8));
		json_object_set_new(d, "effect_until", vhd_jval(res, i, 9));
		json_object_set_new(d, "freeze_until", vhd_jval(res, i, 10));
		json_object_set_new(d, "recommended_form", vhd_jval(res, i, 11));
		json_object_set_new(d, "ladder_form", vhd_jval(res, i, 12));
		json_object_set_new(d, "regime", vhd_jval(res, i, 13));
		json_object_set_new(d, "reason", vhd_jval(res, i, 14));
		json_object_set_new(d, "warning", warning ? json_string(warning) : json_null());
		json_object_set_new(d, "supersedes", vhd_jval(res, i, 15));
		json_object_set_new(d, "state", vhd_jval(res, i, 16));
		json_array_append_new(arr, d);
		free(warning);
	}
out:
	PQclear(res);
	return arr;
}

/* the lists of a full case view */
static int
case_details(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	     const char *case_id, json_t *c)
{
	PGresult *ev = NULL, *evi = NULL, *links = NULL, *council = NULL;
	json_t *events, *evidence, *lk, *members, *decisions;
	int r = -1;

	ev = vhd_qrows(conn, resp,
		       "SELECT seq, kind, actor, " VHD_SQL_TIME("at") ", data::text, hash"
		       " FROM case_events WHERE case_id = $1::bigint ORDER BY seq",
		       1, (const char *[]){ case_id }, 6);
	evi = ev ? vhd_qrows(conn, resp,
			     "SELECT name, media_type, size, sha256, added_by, "
			     VHD_SQL_TIME("added_at")
			     " FROM evidence WHERE case_id = $1::bigint ORDER BY id",
			     1, (const char *[]){ case_id }, 6)
		 : NULL;
	links = evi ? vhd_qrows(conn, resp,
				"SELECT c.number FROM case_links l JOIN cases c"
				" ON c.id = CASE WHEN l.case_id = $1::bigint THEN l.other_id"
				" ELSE l.case_id END"
				" WHERE l.case_id = $1::bigint OR l.other_id = $1::bigint ORDER BY c.id",
				1, (const char *[]){ case_id }, 1)
		    : NULL;
	council = links ? vhd_qrows(conn, resp,
				    "SELECT o.code FROM council_members m JOIN officials o"
				    " ON o.id = m.official_id WHERE m.case_id = $1::bigint"
				    " ORDER BY o.code",
				    1, (const char *[]){ case_id }, 1)
			: NULL;
	if (council == NULL)
		goto out;
	events = json_array();
	for (int i = 0; i < PQntuples(ev); i++) {
		json_t *data = json_loads(PQgetvalue(ev, i, 4), 0, NULL);
		json_array_append_new(events,
				      json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "seq",
						(json_int_t)atoll(PQgetvalue(ev, i, 0)), "kind",
						PQgetvalue(ev, i, 1), "actor", PQgetvalue(ev, i, 2),
						"at", PQgetvalue(ev, i, 3), "data",
						data ? data : json_object(), "hash",
						PQgetvalue(ev, i, 5)));
	}
	json_object_set_new(c, "events", events);
	evidence = json_array();
	for (int i = 0; i < PQntuples(evi); i++)
		json_array_append_new(evidence,
				      json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "name",
						PQgetvalue(evi, i, 0), "media_type",
						PQgetvalue(evi, i, 1), "size",
						(json_int_t)atoll(PQgetvalue(evi, i, 2)), "sha256",
						PQgetvalue(evi, i, 3), "added_by",
						PQgetvalue(evi, i, 4), "added_at",
						PQgetvalue(evi, i, 5)));
	json_object_set_new(c, "evidence", evidence);
	lk = json_array();
	for (int i = 0; i < PQntuples(links); i++)
		json_array_append_new(lk, json_string(PQgetvalue(links, i, 0)));
	json_object_set_new(c, "links", lk);
	members = json_array();
	for (int i = 0; i < PQntuples(council); i++)
		json_array_append_new(members, json_string(PQgetvalue(council, i, 0)));
	if (json_array_size(members) > 0) {
		/* the recommendation is in the last council event */
		json_t *rec = json_null();
		for (size_t i = json_array_size(events); i-- > 0;) {
			json_t *e = json_array_get(events, i);
			if (strcmp(json_string_value(json_object_get(e, "kind")), "council") == 0) {
				json_t *v = json_object_get(json_object_get(e, "data"), "recommend");
				if (v)
					rec = json_incref(v);
				break;
			}
		}
		json_object_set_new(c, "council", json_pack("{s:o, s:o}", "members", members,
							    "recommended_form", rec));
	} else {
		json_decref(members);
		json_object_set_new(c, "council", json_null());
	}
	if ((decisions = vhd_decisions_json(conn, req, resp, case_id, NULL, NULL)) == NULL)
		goto out;
	json_object_set_new(c, "decisions", decisions);
	r = 0;
out:
	PQclear(ev);
	PQclear(evi);
	PQclear(links);
	PQclear(council);
	return r;
}

#define CASE_COLUMNS                                                              \
	"c.id, c.number, c.status, o.code, o.full_name, o.category, o.leader,"    \
	" u.code, rv.code, rv.title_vi, rv.id, c.source, c.reporter,"             \
	" c.occurred_on, c.detected_on, c.place, c.description, c.severity,"      \
	" c.complex, c.limitation_expires_on, c.handling_deadline, c.paused_days," \
	" " VHD_SQL_TIME("c.created_at") ","                                      \
	" rv.title_en, c.paused_since"
#define CASE_NCOLS 25
#define CASE_FROM                                                              \
	" FROM cases c JOIN officials o ON o.id = c.official_id"               \
	" JOIN units u ON u.id = c.unit_id"                                    \
	" JOIN rule_versions rv ON rv.id = c.rule_version_id"

const char *vhd_case_select = "SELECT " CASE_COLUMNS CASE_FROM;
const int vhd_case_ncols = CASE_NCOLS;

/*
 * Open and past its handling deadline. "Today" is the daemon's local
 * date everywhere, in C, never the database session's (UTC) date.
 */
bool
vhd_case_overdue(const char *status, const char *deadline)
{
	static const char *const running[] = { "reported", "under_review", "council" };
	vh_date due;

	for (size_t i = 0; i < VH_NELEM(running); i++)
		if (strcmp(status, running[i]) == 0)
			return deadline && vh_date_parse(&due, deadline) == 0 &&
			       due < vh_date_today();
	return false;
}

json_t *
vhd_case_row_json(struct vhd_request *req, const PGresult *res, int i)
{
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	const char *cat = PQgetvalue(res, i, 5), *sev = vhd_val(res, i, 17);
	json_t *c = json_object();

	if (c == NULL)
		return NULL;
	json_object_set_new(c, "case", vhd_jval(res, i, 1));
	json_object_set_new(c, "status", vhd_jval(res, i, 2));
	json_object_set_new(c, "status_name", json_string(status_name(PQgetvalue(res, i, 2))));
	json_object_set_new(c, "official",
			    json_pack("{s:o, s:o, s:s, s:o, s:o}", "code", vhd_jval(res, i, 3),
				      "full_name", vhd_jval(res, i, 4), "category", cat,
				      "category_name",
				      name_of(legal ? vh_legal_category_name(legal, cat) : NULL),
				      "leader", vhd_jbool(res, i, 6)));
	json_object_set_new(c, "unit", vhd_jval(res, i, 7));
	json_object_set_new(c, "rule",
			    json_pack("{s:o, s:o, s:o, s:o}", "code", vhd_jval(res, i, 8),
				      "title_vi", vhd_jval(res, i, 9), "title_en",
				      vhd_jval(res, i, 23), "version", vhd_jint(res, i, 10)));
	json_object_set_new(c, "source", vhd_jval(res, i, 11));
	json_object_set_new(c, "reporter", vhd_jval(res, i, 12));
	json_object_set_new(c, "occurred_on", vhd_jval(res, i, 13));
	json_object_set_new(c, "detected_on", vhd_jval(res, i, 14));
	json_object_set_new(c, "place", vhd_jval(res, i, 15));
	json_object_set_new(c, "description", vhd_jval(res, i, 16));
	json_object_set_new(c, "severity", vhd_jval(res, i, 17));
	json_object_set_new(c, "severity_name",
			    name_of(legal && sev ? vh_legal_severity_name(legal, sev) : NULL));
	json_object_set_new(c, "complex", vhd_jbool(res, i, 18));
	json_object_set_new(c, "limitation_expires_on", vhd_jval(res, i, 19));
	json_object_set_new(c, "handling_deadline", vhd_jval(res, i, 20));
	json_object_set_new(c, "paused_days", vhd_jint(res, i, 21));
	json_object_set_new(c, "paused_since", vhd_jval(res, i, 24));
	json_object_set_new(c, "overdue", json_boolean(vhd_case_overdue(PQgetvalue(res, i, 2),
									 vhd_val(res, i, 20))));
	json_object_set_new(c, "reported_at", vhd_jval(res, i, 22));
	return c;
}

json_t *
vhd_case_json(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *case_id, bool full)
{
	PGresult *res;
	json_t *c = NULL;

	res = vhd_qrows(conn, resp, "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.id = $1::bigint",
			1, (const char *[]){ case_id }, CASE_NCOLS);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "case", "no such case");
		goto out;
	}
	c = vhd_case_row_json(req, res, 0);
	if (c && full && case_details(conn, req, resp, case_id, c) < 0) {
		json_decref(c);
		c = NULL;
	}
out:
	PQclear(res);
	return c;
}
