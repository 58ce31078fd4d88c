/* Cases: access checks and the JSON view of docs/api.md. */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "json_in.h"
#include "jsontext.h"
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

/*
 * The same from a row of CASE_COLUMNS (in cases.c below, the same
 * expressions at these places) followed at k by o.id, c.unit_id,
 * c.rule_version_id: the case shown reads them once (REF_SHOW_COLUMNS).
 */
#define REF_SHOW_COLUMNS "o.id, c.unit_id, c.rule_version_id"
#define REF_SHOW_NCOLS 3
static void
ref_fill_shown(const PGresult *res, int k, struct vhd_case_ref *out)
{
	snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(res, 0, 0));
	snprintf(out->number, sizeof(out->number), "%s", PQgetvalue(res, 0, 1));
	snprintf(out->status, sizeof(out->status), "%s", PQgetvalue(res, 0, 2));
	snprintf(out->official, sizeof(out->official), "%s", PQgetvalue(res, 0, 3));
	snprintf(out->official_id, sizeof(out->official_id), "%s", PQgetvalue(res, 0, k));
	snprintf(out->unit_id, sizeof(out->unit_id), "%s", PQgetvalue(res, 0, k + 1));
	snprintf(out->reporter, sizeof(out->reporter), "%s", PQgetvalue(res, 0, 12));
	out->occurred_on = date_or_none(res, 0, 13);
	out->detected_on = date_or_none(res, 0, 14);
	out->limitation = date_or_none(res, 0, 19);
	out->deadline = date_or_none(res, 0, 20);
	out->complex = PQgetvalue(res, 0, 18)[0] == 't';
	out->paused_days = atoi(PQgetvalue(res, 0, 21));
	out->paused_since = date_or_none(res, 0, 24);
	snprintf(out->rule_version_id, sizeof(out->rule_version_id), "%s",
		 PQgetvalue(res, 0, k + 2));
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

/*
 * Where the members of a case go: into a jansson object (the answers of
 * writes, which add to it), or written as JSON text at once, the bytes
 * json_dumps(object, JSON_COMPACT) writes of that object (the case shown
 * and the pages of a list: building 50 objects of 30 members, then
 * writing them, was most of vhcvd's CPU for a list; docs/performance.md,
 * "Session 5: read latency"). One description of the members,
 * case_row_out, for both. A value jansson refuses (a string that is not
 * UTF-8: never from the database, which holds UTF-8) leaves its member
 * out both ways.
 */
struct jout {
	json_t *obj[4];     /* the objects being built, the innermost last */
	struct vh_buf *b;   /* or the text */
	bool more[4];       /* (text) a member written at this depth */
	int depth;
};

/* text: the separator and "key": (size before them in *mark) */
static void
jo_key(struct jout *o, const char *key, size_t *mark)
{
	*mark = o->b->len;
	if (o->more[o->depth])
		vh_buf_put(o->b, ",", 1);
	vh_json_put_string(o->b, key, strlen(key));
	vh_buf_put(o->b, ":", 1);
}

/* a member (the reference to v is taken; NULL leaves it out) */
static void
jo_val(struct jout *o, const char *key, json_t *v)
{
	size_t mark;

	if (o->b == NULL) {
		json_object_set_new(o->obj[o->depth], key, v);
		return;
	}
	if (v == NULL)
		return;
	jo_key(o, key, &mark);
	if (vh_json_put(o->b, v, JSON_COMPACT, NULL, NULL) < 0) {
		o->b->len = mark;
		if (o->b->p)
			o->b->p[mark] = '\0';
	} else {
		o->more[o->depth] = true;
	}
	json_decref(v);
}

/* a string member, null when v is NULL (no jansson value made for text) */
static void
jo_str(struct jout *o, const char *key, const char *v)
{
	size_t mark;

	if (o->b == NULL) {
		jo_val(o, key, v ? json_string(v) : json_null());
		return;
	}
	jo_key(o, key, &mark);
	if (v == NULL) {
		vh_buf_put(o->b, "null", 4);
	} else if (vh_json_put_string(o->b, v, strlen(v)) < 0) {
		o->b->len = mark;
		if (o->b->p)
			o->b->p[mark] = '\0';
		return;
	}
	o->more[o->depth] = true;
}

static void
jo_col(struct jout *o, const char *key, const PGresult *res, int row, int col)
{
	jo_str(o, key, vhd_val(res, row, col));
}

/* an object member, filled until jo_close */
static void
jo_open(struct jout *o, const char *key)
{
	size_t mark;

	if (o->b == NULL) {
		json_t *v = json_object();
		json_object_set_new(o->obj[o->depth], key, v);
		o->obj[++o->depth] = v;
		return;
	}
	jo_key(o, key, &mark);
	vh_buf_put(o->b, "{", 1);
	o->more[o->depth] = true;
	o->more[++o->depth] = false;
}

static void
jo_close(struct jout *o)
{
	if (o->b)
		vh_buf_put(o->b, "}", 1);
	o->depth--;
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
		: case_id == NULL
			? "SELECT " DECISION_COLUMNS("$3::date")
			  " FROM decisions d JOIN cases c ON c.id = d.case_id"
			  " LEFT JOIN decisions s ON s.id = d.supersedes_id"
			  " WHERE c.official_id = $2::bigint AND d.signed_on <= $3::date"
			  " AND $1::bigint IS NULL"
			  " ORDER BY d.id"
			/* (of one of its cases) */
			: "SELECT " DECISION_COLUMNS("$3::date")
			  " FROM decisions d JOIN cases c ON c.id = d.case_id"
			  " LEFT JOIN decisions s ON s.id = d.supersedes_id"
			  " WHERE c.official_id = $2::bigint AND d.signed_on <= $3::date"
			  " AND d.case_id = $1::bigint"
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

#define CASE_COLUMNS VHD_CASE_COLUMNS
#define CASE_NCOLS VHD_CASE_NCOLS
#define CASE_FROM                                                              \
	" FROM cases c JOIN officials o ON o.id = c.official_id"               \
	" JOIN units u ON u.id = c.unit_id"                                    \
	" JOIN rule_versions rv ON rv.id = c.rule_version_id"

/*
 * events, evidence, links, council and decisions of case c (the columns of
 * DECISION_COLUMNS as texts, their state on day $2: one round trip less
 * for the three cases in four that have decisions), its probable
 * duplicates, and the recommendation of its last council event.
 *
 * The links are read once by a lateral subquery (CASE_DETAILS_FROM) that
 * gives two columns: the links and the probable duplicates among them (two
 * subplans read the same links; docs/performance.md, "Session 6: case
 * show"). The recommendation of the last council event is read by the
 * database (vhcvd parsed every event of a case with a council to find it).
 *
 * The lists of CASE_DETAILS are ARRAY(...) subqueries given to array_to_json,
 * not aggregates: an aggregate node is set up on every execution (its
 * functions looked up and their permissions checked, a sort begun for its
 * ORDER BY even when the case has no such rows), an ARRAY subquery is a scan
 * whose order is its ORDER BY; the events are read in the order of their
 * index (case_id, seq), without a sort. An empty list is "[]" where an
 * aggregate gave NULL: both are read as an empty list (jo_list, json_list).
 * The events are their rows as JSON objects (the members in the order of the
 * row: seq, kind, actor, at, data, hash), a decision's state is read by one
 * join with the decision that replaces it (supersedes_id is unique) instead
 * of two subplans (VHD_SQL_DECISION_STATE_JOINED, the same rule as
 * VHD_SQL_DECISION_STATE), the links by their two indexes
 * (a case is either side of a link), and the last council event's
 * recommendation by the index backwards. docs/performance.md, "Session 7:
 * case show's SQL".
 */
#define CASE_EVENT_ROWS                                                             \
	"array_to_json(ARRAY(SELECT e FROM (SELECT e.seq, e.kind, e.actor, "          \
	VHD_SQL_TIME("e.at") " AS at, e.data, e.hash FROM case_events e"               \
	"  WHERE e.case_id = c.id ORDER BY e.seq) e))"
#define CASE_EVIDENCE_ROWS                                                          \
	"array_to_json(ARRAY(SELECT json_build_object('name', v.name, 'media_type',"   \
	"  v.media_type, 'size', v.size, 'sha256', v.sha256, 'added_by', v.added_by,"  \
	"  'added_at', " VHD_SQL_TIME("v.added_at") ") FROM evidence v"               \
	"  WHERE v.case_id = c.id ORDER BY v.id))"
#define CASE_DETAILS                                                                \
	", " CASE_EVENT_ROWS ", " CASE_EVIDENCE_ROWS ", lk.links"                      \
	", array_to_json(ARRAY(SELECT m.code FROM council_members cm"                  \
	"  JOIN officials m ON m.id = cm.official_id WHERE cm.case_id = c.id"          \
	"  ORDER BY m.code))"                                                         \
	", array_to_json(ARRAY(SELECT json_build_array(d.symbol, d.issuer,"           \
	"  d.year::text, d.number::text, d.kind, d.form, d.severity, d.signed_on::text,"\
	"  d.effective_on::text, d.effect_until::text, d.freeze_until::text,"         \
	"  d.recommended_form, d.ladder_form, d.regime, d.reason, s.symbol,"          \
	"  " VHD_SQL_DECISION_STATE_JOINED("d", "n", "$2::date") ", c.number, NULL,"  \
	"  to_char(d.received_on, 'YYYY-MM-DD'), d.raise_delay_months::text)"         \
	"  FROM decisions d LEFT JOIN decisions s ON s.id = d.supersedes_id"          \
	"  LEFT JOIN decisions n ON n.supersedes_id = d.id"                           \
	"  WHERE d.case_id = c.id ORDER BY d.id))"                                    \
	", lk.duplicates"                                                             \
	", (SELECT e.data -> 'recommend' FROM case_events e WHERE e.case_id = c.id"   \
	"  AND e.kind = 'council' ORDER BY e.seq DESC LIMIT 1)"
#define CASE_DETAILS_NCOLS 7
/*
 * CASE_FROM for one case, with CASE_DETAILS' links: the rule version by its
 * key (the generic plan of CASE_FROM merge-joins the one case with
 * rule_versions read in the order of their ids, up to the case's), and the
 * lateral subquery of the links.
 */
#define CASE_DETAILS_FROM                                                           \
	" FROM cases c JOIN officials o ON o.id = c.official_id"                      \
	" JOIN units u ON u.id = c.unit_id"                                           \
	" JOIN LATERAL (SELECT rv.id, rv.code, rv.title_vi, rv.title_en, rv.valid_from" \
	"  FROM rule_versions rv WHERE rv.id = c.rule_version_id OFFSET 0) rv ON true" \
	" LEFT JOIN LATERAL (SELECT json_agg(x.number ORDER BY x.id) AS links,"      \
	"  json_agg(x.number ORDER BY x.id) FILTER (WHERE l.kind = 'probable_duplicate')" \
	"  AS duplicates FROM (SELECT l.other_id AS id, l.kind FROM case_links l"     \
	"   WHERE l.case_id = c.id UNION ALL SELECT l.case_id, l.kind"                 \
	"   FROM case_links l WHERE l.other_id = c.id) l"                              \
	"  JOIN cases x ON x.id = l.id) lk ON true"

/* a JSON array aggregated by the database, as text ("[]" when NULL) */
static json_t *
json_list(const PGresult *res, int row, int col)
{
	const char *v = vhd_val(res, row, col);
	json_t *a = v ? json_loads(v, 0, NULL) : NULL;

	return json_is_array(a) ? a : (json_decref(a), json_array());
}

/*
 * A list aggregated by the database (json_list): for text, PostgreSQL's
 * text rewritten as jansson would write it, without parsing it
 * (vh_json_recompact), unless it is not sure to; then parsed.
 */
static void
jo_list(struct jout *o, const char *key, const PGresult *res, int col)
{
	const char *v = vhd_val(res, 0, col);
	size_t mark;

	if (o->b) {
		jo_key(o, key, &mark);
		if (v == NULL || vh_json_recompact(o->b, v, strlen(v)) == 0) {
			if (v == NULL)
				vh_buf_put(o->b, "[]", 2);
			o->more[o->depth] = true;
			return;
		}
		o->b->len = mark;
		o->b->p[mark] = '\0';
	}
	jo_val(o, key, json_list(res, 0, col));
}

/*
 * The lists of a full case view, aggregated by the same query as the case
 * row (CASE_DETAILS): the whole case in one round trip.
 */
static void
case_details(struct jout *o, struct vhd_request *req, const PGresult *res)
{
	json_t *members, *decisions, *rows, *row, *council, *rec;
	const char *v;
	size_t k;

	members = json_list(res, 0, CASE_NCOLS + 3);
	if (json_array_size(members) > 0) {
		/* the recommendation of the last council event (its data's
		 * "recommend", null without one), read by the database: the
		 * events are not parsed for it */
		v = vhd_val(res, 0, CASE_NCOLS + 6);
		rec = v ? json_loads(v, JSON_DECODE_ANY, NULL) : NULL;
		council = json_pack("{s:o, s:o}", "members", members, "recommended_form",
				    rec ? rec : json_null());
	} else {
		json_decref(members);
		council = json_null();
	}
	jo_list(o, "events", res, CASE_NCOLS);
	jo_list(o, "evidence", res, CASE_NCOLS + 1);
	jo_list(o, "links", res, CASE_NCOLS + 2);
	/* cases about the same act, flagged when one was reported (issue 8.4) */
	jo_list(o, "probable_duplicates", res, CASE_NCOLS + 5);
	jo_val(o, "council", council);
	rows = json_list(res, 0, CASE_NCOLS + 4);
	decisions = json_array();
	json_array_foreach(rows, k, row) {
		json_t *d = decision_json(req->law ? req->law->legal : NULL,
					  &(struct drow){ NULL, 0, row });
		if (d)
			json_array_append_new(decisions, d);
	}
	json_decref(rows);
	jo_val(o, "decisions", decisions);
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
static void
days_left(struct jout *o, const char *status, const char *deadline, const char *limitation,
	  const char *paused_since)
{
	static const char *const running[] = { "reported", "under_review", "council" };
	static const char *const open[] = { "reported", "under_review", "council", "deferred",
					     "appealed" };
	vh_date today = vh_date_today(), d, since;
	bool run = false, is_open = false;

	for (size_t k = 0; k < VH_NELEM(running); k++)
		run = run || strcmp(status, running[k]) == 0;
	for (size_t k = 0; k < VH_NELEM(open); k++)
		is_open = is_open || strcmp(status, open[k]) == 0;
	if (paused_since && vh_date_parse(&since, paused_since) == 0 && since < today)
		today = since;
	jo_open(o, "days_left");
	jo_val(o, "handling", run && deadline && vh_date_parse(&d, deadline) == 0
				      ? json_integer(d - today) : json_null());
	jo_val(o, "limitation", is_open && limitation && vh_date_parse(&d, limitation) == 0
					? json_integer(d - today) : json_null());
	jo_close(o);
}

/* the members of the case in row i of res (the columns of CASE_COLUMNS) */
static void
case_row_out(struct jout *o, struct vhd_request *req, const PGresult *res, int i)
{
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	const char *cat = PQgetvalue(res, i, 5), *sev = vhd_val(res, i, 17);

	jo_col(o, "case", res, i, 1);
	jo_col(o, "status", res, i, 2);
	jo_str(o, "status_name", status_name(PQgetvalue(res, i, 2)));
	jo_open(o, "official");
	jo_col(o, "code", res, i, 3);
	jo_col(o, "full_name", res, i, 4);
	jo_str(o, "category", cat);
	jo_str(o, "category_name", legal ? vh_legal_category_name(legal, cat) : NULL);
	jo_val(o, "leader", vhd_jbool(res, i, 6));
	jo_close(o);
	jo_col(o, "unit", res, i, 7);
	jo_open(o, "rule");
	jo_col(o, "code", res, i, 8);
	jo_col(o, "title_vi", res, i, 9);
	jo_col(o, "title_en", res, i, 23);
	jo_val(o, "version", vhd_jint(res, i, 10));
	jo_close(o);
	jo_col(o, "source", res, i, 11);
	jo_col(o, "reporter", res, i, 12);
	jo_col(o, "occurred_on", res, i, 13);
	jo_col(o, "detected_on", res, i, 14);
	jo_col(o, "place", res, i, 15);
	jo_col(o, "description", res, i, 16);
	jo_col(o, "severity", res, i, 17);
	jo_str(o, "severity_name", legal && sev ? vh_legal_severity_name(legal, sev) : NULL);
	jo_val(o, "complex", vhd_jbool(res, i, 18));
	jo_col(o, "limitation_expires_on", res, i, 19);
	jo_col(o, "handling_deadline", res, i, 20);
	jo_val(o, "paused_days", vhd_jint(res, i, 21));
	jo_col(o, "paused_since", res, i, 24);
	jo_val(o, "overdue",
	       json_boolean(vhd_case_overdue(PQgetvalue(res, i, 2), vhd_val(res, i, 20))));
	jo_col(o, "reported_at", res, i, 22);
	days_left(o, PQgetvalue(res, i, 2), vhd_val(res, i, 20), vhd_val(res, i, 19),
		  vhd_val(res, i, 24));
}

json_t *
vhd_case_row_json(struct vhd_request *req, const PGresult *res, int i)
{
	json_t *c = json_object();
	struct jout o = { .obj = { c } };

	if (c)
		case_row_out(&o, req, res, i);
	return c;
}

void
vhd_case_row_text(struct vh_buf *b, struct vhd_request *req, const PGresult *res, int i)
{
	struct jout o = { .b = b };

	vh_buf_put(b, "{", 1);
	case_row_out(&o, req, res, i);
	vh_buf_put(b, "}", 1);
}

const char vhd_case_view_sql[] = "SELECT " CASE_COLUMNS CASE_DETAILS CASE_DETAILS_FROM
				 " WHERE c.id = $1::bigint";
const int vhd_case_view_ncols = CASE_NCOLS + CASE_DETAILS_NCOLS;
/*
 * The view of a case just reported, from the statement that wrote it (no
 * read after the COMMIT: issue 13, session 7): the columns of
 * VHD_CASE_COLUMNS from column `base` of row 0 of `res`, computed from the
 * row as inserted (RETURNING) in the writing transaction; its one event as
 * written (`event`, vhd_event_first's `listed`: a JSON array text); its
 * links, the probable duplicates the report linked it to (`dups`, a JSON
 * array of their numbers, or NULL for none). A new case has no evidence,
 * council or decision. The same object as vhd_case_view_json of the case
 * read again (test_report_answer). NULL when out of memory.
 */
json_t *
vhd_case_new_json(struct vhd_request *req, const PGresult *res, int base, const char *event,
		  const char *dups)
{
	/* the columns of CASE_DETAILS, in order */
	const char *const details[CASE_DETAILS_NCOLS] = { event, NULL, dups, NULL,
							  NULL, dups, NULL };
	PGresAttDesc att[CASE_NCOLS + CASE_DETAILS_NCOLS];
	PGresult *view;
	json_t *c = NULL;
	bool ok;

	if (PQntuples(res) != 1 || PQnfields(res) < base + CASE_NCOLS)
		return NULL;
	memset(att, 0, sizeof(att));
	for (size_t k = 0; k < VH_NELEM(att); k++)
		att[k].name = (char *)"";
	view = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	ok = view && PQsetResultAttrs(view, VH_NELEM(att), att);
	for (int k = 0; ok && k < CASE_NCOLS; k++)
		ok = PQsetvalue(view, 0, k, PQgetisnull(res, 0, base + k) ? NULL :
					 PQgetvalue(res, 0, base + k),
				PQgetisnull(res, 0, base + k) ? -1 : PQgetlength(res, 0, base + k));
	for (int k = 0; ok && k < CASE_DETAILS_NCOLS; k++)
		ok = PQsetvalue(view, 0, CASE_NCOLS + k, (char *)details[k],
				details[k] ? (int)strlen(details[k]) : -1);
	if (ok)
		c = vhd_case_view_json(req, view);
	PQclear(view);
	return c;
}

json_t *
vhd_case_view_json(struct vhd_request *req, const PGresult *res)
{
	json_t *c = PQntuples(res) == 1 ? vhd_case_row_json(req, res, 0) : NULL;
	struct jout o = { .obj = { c } };

	if (c)
		case_details(&o, req, res);
	return c;
}

void
vhd_case_view_text(struct vh_buf *b, struct vhd_request *req, const PGresult *res)
{
	struct jout o = { .b = b };

	vh_buf_put(b, "{", 1);
	case_row_out(&o, req, res, 0);
	case_details(&o, req, res);
	vh_buf_put(b, "}", 1);
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
		case_details(&(struct jout){ .obj = { c } }, req, res);
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
	struct vh_buf b = { 0 };
	PGresult *res;

	memset(&ref, 0, sizeof(ref));
	if (!vhd_auth_role(req, resp, VHD_OP_CASE_READ))
		return;
	res = vhd_qprep(conn, resp,
			"SELECT " CASE_COLUMNS CASE_DETAILS ", " REF_SHOW_COLUMNS CASE_DETAILS_FROM
			" WHERE c.number = $1",
			2, (const char *[]){ number, vhd_datestr(today, vh_date_today()) },
			CASE_NCOLS + CASE_DETAILS_NCOLS + REF_SHOW_NCOLS);
	if (res == NULL)
		return;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "case", "no case %s", number);
		goto out;
	}
	ref_fill_shown(res, CASE_NCOLS + CASE_DETAILS_NCOLS, &ref);
	if (case_access(conn, req, resp, VHD_OP_CASE_READ, &ref) < 0)
		goto out;
	/* written as text at once (the same bytes as the object's) */
	vhd_case_view_text(&b, req, res);
	vhd_reply_json_text(resp, 200, &b);
out:
	vh_buf_free(&b);
	PQclear(res);
}
