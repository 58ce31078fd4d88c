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

/* the parts of a case that authorization and transitions need */
#define REF_COLUMNS                                                             \
	"c.id, c.number, c.status, o.code, o.id, c.unit_id,"                    \
	" c.reporter, c.occurred_on, c.detected_on,"                            \
	" c.limitation_expires_on, c.handling_deadline, c.complex,"             \
	" c.paused_days, c.paused_since, c.rule_version_id"
#define REF_NCOLS 15

static void
ref_fill(const PGresult *res, int k, struct vhd_case_ref *out)
{
	snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(res, 0, k));
	snprintf(out->number, sizeof(out->number), "%s", PQgetvalue(res, 0, k + 1));
	snprintf(out->status, sizeof(out->status), "%s", PQgetvalue(res, 0, k + 2));
	snprintf(out->official, sizeof(out->official), "%s", PQgetvalue(res, 0, k + 3));
	snprintf(out->official_id, sizeof(out->official_id), "%s", PQgetvalue(res, 0, k + 4));
	snprintf(out->unit_id, sizeof(out->unit_id), "%s", PQgetvalue(res, 0, k + 5));
	snprintf(out->reporter, sizeof(out->reporter), "%s", PQgetvalue(res, 0, k + 6));
	out->occurred_on = date_or_none(res, 0, k + 7);
	out->detected_on = date_or_none(res, 0, k + 8);
	out->limitation = date_or_none(res, 0, k + 9);
	out->deadline = date_or_none(res, 0, k + 10);
	out->complex = PQgetvalue(res, 0, k + 11)[0] == 't';
	out->paused_days = atoi(PQgetvalue(res, 0, k + 12));
	out->paused_since = date_or_none(res, 0, k + 13);
	snprintf(out->rule_version_id, sizeof(out->rule_version_id), "%s",
		 PQgetvalue(res, 0, k + 14));
}

/* whether the identity may do op on the case (role checked before): 0 or -1 */
static int
case_access(PGconn *conn, struct vhd_request *req, struct vhd_response *resp, enum vhd_op op,
	    const struct vhd_case_ref *ref)
{
	const struct vhd_access *a = req->id.access;
	int s;

	/* an inspector reads and annotates the cases they reported */
	if (a->role == VHD_ROLE_INSPECTOR && (op == VHD_OP_CASE_READ || op == VHD_OP_CASE_NOTE) &&
	    strcmp(ref->reporter, req->id.name) == 0)
		s = 1;
	else
		s = vhd_auth_unit(conn, req, resp, ref->unit_id, op);
	if (s <= 0)
		return -1;
	if (op != VHD_OP_CASE_READ && vhd_auth_is_self(req, ref->official)) {
		vhd_auth_deny(req, resp, "%s is about %s: nobody acts on a case about themselves",
			      ref->number, ref->official);
		return -1;
	}
	return 0;
}

int
vhd_case_open(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *number, enum vhd_op op, bool lock, struct vhd_case_ref *out)
{
	PGresult *res;
	int r = -1;

	memset(out, 0, sizeof(*out));
	if (!vhd_auth_role(req, resp, op))
		return -1;
	res = vhd_qprep(conn, resp,
			lock ? "SELECT " REF_COLUMNS
			       " FROM cases c JOIN officials o ON o.id = c.official_id"
			       " WHERE c.number = $1 FOR NO KEY UPDATE OF c"
			     : "SELECT " REF_COLUMNS
			       " FROM cases c JOIN officials o ON o.id = c.official_id"
			       " WHERE c.number = $1",
			1, (const char *[]){ number }, REF_NCOLS);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "case", "no case %s", number);
		goto out;
	}
	ref_fill(res, 0, out);
	r = case_access(conn, req, resp, op, out);
out:
	PQclear(res);
	return r;
}

static json_t *
name_of(const char *name)
{
	return name ? json_string(name) : json_null();
}

/* one decision's columns, from a result row or from a JSON array of texts */
struct drow {
	const PGresult *res;
	int row;
	json_t *arr;
};

static const char *
dval(const struct drow *r, int k)
{
	return r->arr ? json_string_value(json_array_get(r->arr, (size_t)k))
		      : vhd_val(r->res, r->row, k);
}

static json_t *
djval(const struct drow *r, int k)
{
	const char *v = dval(r, k);

	return v ? json_string(v) : json_null();
}

static json_t *
djint(const struct drow *r, int k)
{
	const char *v = dval(r, k);

	return v ? json_integer(strtoll(v, NULL, 10)) : json_null();
}

/* a decision's members (docs/api.md) in order, from the columns of DECISION_COLUMNS */
enum dkind { D_TEXT, D_INT, D_FORM_NAME, D_WARNING };
static const struct {
	const char *key;
	int col;
	enum dkind kind;
} decision_members[] = {
	{ "case", 17, D_TEXT },
	{ "number", 0, D_TEXT },
	{ "issuer", 1, D_TEXT },
	{ "year", 2, D_INT },
	{ "serial", 3, D_INT },
	{ "kind", 4, D_TEXT },
	{ "form", 5, D_TEXT },
	{ "form_name", 5, D_FORM_NAME },
	{ "severity", 6, D_TEXT },
	{ "signed_on", 7, D_TEXT },
	{ "effective_on", 8, D_TEXT },
	{ "effect_until", 9, D_TEXT },
	{ "freeze_until", 10, D_TEXT },
	{ "recommended_form", 11, D_TEXT },
	{ "ladder_form", 12, D_TEXT },
	{ "regime", 13, D_TEXT },
	{ "reason", 14, D_TEXT },
	{ "warning", 12, D_WARNING },
	{ "supersedes", 15, D_TEXT },
	{ "state", 16, D_TEXT },
	/* issue #9: the complaint window runs from receipt; salary raise delayed */
	{ "received_on", 19, D_TEXT },
	{ "raise_delay_months", 20, D_INT },
};

/* a decision as JSON (docs/api.md): the columns of DECISION_COLUMNS */
static json_t *
decision_json(const struct vh_legal *legal, const struct drow *r)
{
	const char *form = dval(r, 5), *ladder = dval(r, 12), *kind = dval(r, 4);
	json_t *d = json_object(), *v;
	char *warning;

	if (d == NULL || form == NULL || kind == NULL) {
		json_decref(d);
		return NULL;
	}
	for (size_t i = 0; i < VH_NELEM(decision_members); i++) {
		int col = decision_members[i].col;

		switch (decision_members[i].kind) {
		case D_TEXT:
			v = djval(r, col);
			break;
		case D_INT:
			v = djint(r, col);
			break;
		case D_FORM_NAME:
			v = name_of(legal ? vh_legal_form_name(legal, form) : NULL);
			break;
		case D_WARNING:
			/* a departure from the ladder's suggestion is said, except
			 * by an annulment */
			warning = ladder && strcmp(ladder, form) != 0 &&
						  strcmp(kind, "annulment") != 0
					  ? vh_asprintf("departs from the ladder, which suggests %s",
							ladder)
					  : NULL;
			v = warning ? json_string(warning) : json_null();
			free(warning);
			break;
		default:
			v = json_null();
			break;
		}
		json_object_set_new(d, decision_members[i].key, v);
	}
	return d;
}

/* the columns of a decision d (s: the one it supersedes, c: its case), state on `on` */
#define DECISION_COLUMNS(on)                                                          \
	"d.symbol, d.issuer, d.year, d.number, d.kind, d.form, d.severity,"            \
	" d.signed_on, d.effective_on, d.effect_until, d.freeze_until,"               \
	" d.recommended_form, d.ladder_form, d.regime, d.reason, s.symbol,"           \
	" " VHD_SQL_DECISION_STATE("d", on) ", c.number, d.at,"                      \
	" to_char(d.received_on, 'YYYY-MM-DD'), d.raise_delay_months"

void
vhd_decisions_pq(struct vhd_pq *q, const char *params[3], const char *case_id,
		 const char *official_id, const char *on, char today[VH_DATE_STRLEN])
{
	params[0] = case_id;
	params[1] = official_id;
	params[2] = on ? on : vhd_datestr(today, vh_date_today());
	/* state is derived, never stored: decisions are never edited; each
	 * filter its own prepared statement (no "$n IS NULL OR" to plan) */
	*q = (struct vhd_pq){
		official_id == NULL
			? "SELECT " DECISION_COLUMNS("$3::date")
			  " FROM decisions d JOIN cases c ON c.id = d.case_id"
			  " LEFT JOIN decisions s ON s.id = d.supersedes_id"
			  " WHERE d.case_id = $1::bigint AND $2::bigint IS NULL"
			  " ORDER BY d.id"
			/* an official's decisions as on a date: those signed by then */
			: "SELECT " DECISION_COLUMNS("$3::date")
			  " FROM decisions d JOIN cases c ON c.id = d.case_id"
			  " LEFT JOIN decisions s ON s.id = d.supersedes_id"
			  " WHERE c.official_id = $2::bigint AND d.signed_on <= $3::date"
			  " AND ($1::bigint IS NULL OR d.case_id = $1::bigint)"
			  " ORDER BY d.id",
		3, params, 21
	};
}

json_t *
vhd_decisions_from(struct vhd_request *req, const PGresult *res)
{
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	json_t *arr = json_array();

	for (int i = 0; arr && i < PQntuples(res); i++) {
		json_t *d = decision_json(legal, &(struct drow){ res, i, NULL });
		if (d)
			json_array_append_new(arr, d);
	}
	return arr;
}

json_t *
vhd_decisions_json(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		   const char *case_id, const char *official_id, const char *on)
{
	char today[VH_DATE_STRLEN];
	const char *params[3];
	struct vhd_pq q;
	PGresult *res;
	json_t *arr;

	vhd_decisions_pq(&q, params, case_id, official_id, on, today);
	res = vhd_qprep(conn, resp, q.sql, q.n, q.params, q.ncols);
	if (res == NULL)
		return NULL;
	arr = vhd_decisions_from(req, res);
	PQclear(res);
	return arr;
}

#define CASE_COLUMNS                                                              \
	"c.id, c.number, c.status, o.code, o.full_name, o.category, o.leader,"    \
	" u.code, rv.code, rv.title_vi, (SELECT count(*) FROM rule_versions x"    \
	"  WHERE x.code = rv.code AND (x.valid_from, x.id) <= (rv.valid_from, rv.id)),"\
	" c.source, c.reporter,"                                                  \
	" c.occurred_on, c.detected_on, c.place, c.description, c.severity,"      \
	" c.complex, c.limitation_expires_on, c.handling_deadline, c.paused_days," \
	" " VHD_SQL_TIME("c.created_at") ","                                      \
	" rv.title_en, c.paused_since"
#define CASE_NCOLS 25
#define CASE_FROM                                                              \
	" FROM cases c JOIN officials o ON o.id = c.official_id"               \
	" JOIN units u ON u.id = c.unit_id"                                    \
	" JOIN rule_versions rv ON rv.id = c.rule_version_id"

/*
 * events, evidence, links, council and decisions of case c (the columns of
 * DECISION_COLUMNS as texts, their state on day $2: one round trip less
 * for the three cases in four that have decisions)
 */
#define CASE_EVENTS                                                                 \
	", (SELECT json_agg(json_build_object('seq', e.seq, 'kind', e.kind,"         \
	"  'actor', e.actor, 'at', " VHD_SQL_TIME("e.at") ", 'data', e.data,"        \
	"  'hash', e.hash) ORDER BY e.seq) FROM case_events e WHERE e.case_id = c.id)"
#define CASE_EVIDENCE                                                               \
	", (SELECT json_agg(json_build_object('name', v.name, 'media_type',"         \
	"  v.media_type, 'size', v.size, 'sha256', v.sha256, 'added_by', v.added_by,"  \
	"  'added_at', " VHD_SQL_TIME("v.added_at") ") ORDER BY v.id)"               \
	"  FROM evidence v WHERE v.case_id = c.id)"
#define CASE_DETAILS                                                                \
	CASE_EVENTS CASE_EVIDENCE                                                   \
	", (SELECT json_agg(x.number ORDER BY x.id) FROM case_links l JOIN cases x"  \
	"  ON x.id = CASE WHEN l.case_id = c.id THEN l.other_id ELSE l.case_id END"    \
	"  WHERE l.case_id = c.id OR l.other_id = c.id)"                               \
	", (SELECT json_agg(m.code ORDER BY m.code) FROM council_members cm"          \
	"  JOIN officials m ON m.id = cm.official_id WHERE cm.case_id = c.id)"         \
	", (SELECT json_agg(json_build_array(d.symbol, d.issuer, d.year::text,"      \
	"  d.number::text, d.kind, d.form, d.severity, d.signed_on::text,"            \
	"  d.effective_on::text, d.effect_until::text, d.freeze_until::text,"         \
	"  d.recommended_form, d.ladder_form, d.regime, d.reason, s.symbol,"          \
	"  " VHD_SQL_DECISION_STATE("d", "$2::date") ", c.number, NULL,"            \
	"  to_char(d.received_on, 'YYYY-MM-DD'), d.raise_delay_months::text)"         \
	"  ORDER BY d.id) FROM decisions d LEFT JOIN decisions s"                     \
	"  ON s.id = d.supersedes_id WHERE d.case_id = c.id)"                         \
	", (SELECT json_agg(x.number ORDER BY x.id) FROM case_links l JOIN cases x"  \
	"  ON x.id = CASE WHEN l.case_id = c.id THEN l.other_id ELSE l.case_id END"    \
	"  WHERE (l.case_id = c.id OR l.other_id = c.id)"                             \
	"  AND l.kind = 'probable_duplicate')"
#define CASE_DETAILS_NCOLS 6

/* a JSON array aggregated by the database, as text ("[]" when NULL) */
static json_t *
json_list(const PGresult *res, int row, int col)
{
	const char *v = vhd_val(res, row, col);
	json_t *a = v ? json_loads(v, 0, NULL) : NULL;

	return json_is_array(a) ? a : (json_decref(a), json_array());
}

/*
 * The lists of a full case view, aggregated by the same query as the case
 * row (CASE_DETAILS): the whole case in one round trip.
 */
static void
case_details(struct vhd_request *req, const PGresult *res, json_t *c)
{
	json_t *events, *members, *decisions, *rows, *row;
	size_t k;

	events = json_list(res, 0, CASE_NCOLS);
	json_object_set_new(c, "events", events);
	json_object_set_new(c, "evidence", json_list(res, 0, CASE_NCOLS + 1));
	json_object_set_new(c, "links", json_list(res, 0, CASE_NCOLS + 2));
	/* cases about the same act, flagged when one was reported (issue 8.4) */
	json_object_set_new(c, "probable_duplicates", json_list(res, 0, CASE_NCOLS + 5));
	members = json_list(res, 0, CASE_NCOLS + 3);
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
	rows = json_list(res, 0, CASE_NCOLS + 4);
	decisions = json_array();
	json_array_foreach(rows, k, row) {
		json_t *d = decision_json(req->law ? req->law->legal : NULL,
					  &(struct drow){ NULL, 0, row });
		if (d)
			json_array_append_new(decisions, d);
	}
	json_decref(rows);
	json_object_set_new(c, "decisions", decisions);
}

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

/*
 * Days left until the handling deadline (while the case runs) and the
 * limitation date (while it is open); a deferred case's clock stands
 * still since paused_since. null when it does not apply.
 */
static json_t *
days_left(const char *status, const char *deadline, const char *limitation,
	  const char *paused_since)
{
	static const char *const running[] = { "reported", "under_review", "council" };
	static const char *const open[] = { "reported", "under_review", "council", "deferred",
					     "appealed" };
	vh_date today = vh_date_today(), d, since;
	json_t *o = json_object();
	bool run = false, is_open = false;

	for (size_t k = 0; k < VH_NELEM(running); k++)
		run = run || strcmp(status, running[k]) == 0;
	for (size_t k = 0; k < VH_NELEM(open); k++)
		is_open = is_open || strcmp(status, open[k]) == 0;
	if (paused_since && vh_date_parse(&since, paused_since) == 0 && since < today)
		today = since;
	json_object_set_new(o, "handling", run && deadline && vh_date_parse(&d, deadline) == 0
						   ? json_integer(d - today) : json_null());
	json_object_set_new(o, "limitation",
			    is_open && limitation && vh_date_parse(&d, limitation) == 0
				    ? json_integer(d - today) : json_null());
	return o;
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
	json_object_set_new(c, "days_left", days_left(PQgetvalue(res, i, 2), vhd_val(res, i, 20),
						      vhd_val(res, i, 19), vhd_val(res, i, 24)));
	return c;
}

const char vhd_case_view_sql[] =
	"SELECT " CASE_COLUMNS CASE_DETAILS CASE_FROM " WHERE c.id = $1::bigint";
const int vhd_case_view_ncols = CASE_NCOLS + CASE_DETAILS_NCOLS;
/*
 * The same columns for a case just reported, read after its COMMIT: its
 * one event is the one the report wrote ($3, as CASE_EVENTS lists it), its
 * links are the probable duplicates the report wrote ($2, a JSON array of
 * their numbers, or NULL), and it has no council and no decision yet, so
 * only the row and its evidence are read (issue 13: the full view was a
 * third of the database's time of a report).
 */
const char vhd_case_new_view_sql[] = "SELECT " CASE_COLUMNS ", $3::json" CASE_EVIDENCE
				     ", $2::json, NULL::json, NULL::json, $2::json" CASE_FROM
				     " WHERE c.id = $1::bigint";

json_t *
vhd_case_view_json(struct vhd_request *req, const PGresult *res)
{
	json_t *c = PQntuples(res) == 1 ? vhd_case_row_json(req, res, 0) : NULL;

	if (c)
		case_details(req, res, c);
	return c;
}

json_t *
vhd_case_json(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *case_id, bool full)
{
	char today[VH_DATE_STRLEN];
	PGresult *res;
	json_t *c = NULL;

	res = vhd_qprep(conn, resp,
			full ? vhd_case_view_sql
			     : "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.id = $1::bigint",
			full ? 2 : 1, (const char *[]){ case_id, vhd_datestr(today, vh_date_today()) },
			full ? CASE_NCOLS + CASE_DETAILS_NCOLS : CASE_NCOLS);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "case", "no such case");
		goto out;
	}
	c = vhd_case_row_json(req, res, 0);
	if (c && full)
		case_details(req, res, c);
out:
	PQclear(res);
	return c;
}

/*
 * GET /v1/cases/{case}: the case found by its number, checked and shown
 * from one query (the case was read twice, by number then by id).
 */
void
vhd_case_show(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *number)
{
	struct vhd_case_ref ref;
	char today[VH_DATE_STRLEN];
	PGresult *res;
	json_t *c = NULL;

	memset(&ref, 0, sizeof(ref));
	if (!vhd_auth_role(req, resp, VHD_OP_CASE_READ))
		return;
	res = vhd_qprep(conn, resp,
			"SELECT " CASE_COLUMNS CASE_DETAILS ", " REF_COLUMNS CASE_FROM
			" WHERE c.number = $1",
			2, (const char *[]){ number, vhd_datestr(today, vh_date_today()) },
			CASE_NCOLS + CASE_DETAILS_NCOLS + REF_NCOLS);
	if (res == NULL)
		return;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "case", "no case %s", number);
		goto out;
	}
	ref_fill(res, CASE_NCOLS + CASE_DETAILS_NCOLS, &ref);
	if (case_access(conn, req, resp, VHD_OP_CASE_READ, &ref) < 0)
		goto out;
	if ((c = vhd_case_row_json(req, res, 0)) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	case_details(req, res, c);
	vhd_reply_json(resp, 200, c);
out:
	PQclear(res);
}
