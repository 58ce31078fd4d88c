/* Cases: report, get, list and every transition of the workflow. */
#include <stdio.h>
#include <stdlib.h>

#include "client_int.h"

static const struct vhcv__field event_fields[] = {
	VHCV__F(vhcv_event, I64, "seq", seq),
	VHCV__F(vhcv_event, STR, "kind", kind),
	VHCV__F(vhcv_event, STR, "actor", actor),
	VHCV__F(vhcv_event, STR, "at", at),
	VHCV__F(vhcv_event, DOC, "data", data),
	VHCV__F(vhcv_event, STR, "hash", hash),
};
static const struct vhcv__shape event_shape = VHCV__SHAPE(vhcv_event, event_fields);

/* "official" and "rule" are objects in full answers, codes in short ones */
static const struct vhcv__field case_fields[] = {
	VHCV__F(vhcv_case, REQ, "case", number),
	VHCV__F(vhcv_case, REQ, "status", status),
	VHCV__F(vhcv_case, STR, "status_name", status_name),
	VHCV__F(vhcv_case, STR, "official.code|official", official_code),
	VHCV__F(vhcv_case, STR, "official.full_name", official_name),
	VHCV__F(vhcv_case, STR, "official.category", official_category),
	VHCV__F(vhcv_case, BOOL, "official.leader", official_leader),
	VHCV__F(vhcv_case, STR, "unit", unit),
	VHCV__F(vhcv_case, STR, "rule.code|rule", rule_code),
	VHCV__F(vhcv_case, STR, "rule.title_vi", rule_title),
	VHCV__F(vhcv_case, INT, "rule.version", rule_version),
	VHCV__F(vhcv_case, STR, "source", source),
	VHCV__F(vhcv_case, STR, "reporter", reporter),
	VHCV__F(vhcv_case, STR, "occurred_on", occurred_on),
	VHCV__F(vhcv_case, STR, "detected_on", detected_on),
	VHCV__F(vhcv_case, STR, "place", place),
	VHCV__F(vhcv_case, STR, "description", description),
	VHCV__F(vhcv_case, STR, "severity", severity),
	VHCV__F(vhcv_case, BOOL, "complex", is_complex),
	VHCV__F(vhcv_case, STR, "limitation_expires_on", limitation_expires_on),
	VHCV__F(vhcv_case, STR, "handling_deadline", handling_deadline),
	VHCV__F(vhcv_case, INT, "paused_days", paused_days),
	VHCV__F(vhcv_case, BOOL, "overdue", overdue),
	VHCV__FV(vhcv_case, "links", links, nlinks),
	VHCV__FV(vhcv_case, "council.members", council_members, ncouncil_members),
	VHCV__F(vhcv_case, STR, "council.recommended_form", council_recommended_form),
	VHCV__FA(vhcv_case, "events", events, nevents, event_shape),
	VHCV__FA(vhcv_case, "decisions", decisions, ndecisions, vhcv__decision_shape),
	VHCV__FA(vhcv_case, "evidence", evidence, nevidence, vhcv__evidence_shape),
};
static const struct vhcv__shape case_shape = VHCV__SHAPE(vhcv_case, case_fields);
VHCV__SHAPED(vhcv_case, case_shape, case_from)

VHCV_EXTERN void
vhcv_case_free(vhcv_case *k)
{
	vhcv__shape_free(k, &case_shape);
}

VHCV__PAGE(vhcv_case_page, vhcv_case)
VHCV__ADAPT(vhcv_case_page, vhcv_case_page_from)

/* a page read from the tape: no tree, each case's text a span of the
 * page's (docs/performance.md, "Session 6: case list") */
static void *
case_page_from_tape(struct vhcv__conv *cv, const struct vh_jtape *t)
{
	vhcv_case_page *p = calloc(1, sizeof(*p));
	void **items = NULL;

	if (p == NULL) {
		cv->nomem = true;
		return NULL;
	}
	vhcv__page_from_tape(cv, t, &case_shape, &p->json, &p->next, &items, &p->count);
	p->items = (vhcv_case **)items;
	return p;
}

/* one member of a request body; NULL values are left out */
struct field {
	const char *key;
	const char *value;
	bool required;
};

/* check the required fields, then put every field in the body */
static int
fill(vhcv_client *c, struct vhcv__body *b, const struct field *f, size_t n)
{
	int r;

	for (size_t i = 0; i < n; i++)
		if (f[i].required && (r = vhcv__need(c, f[i].value, f[i].key)) < 0)
			return r;
	vhcv__body_init(b, c);
	for (size_t i = 0; i < n; i++)
		vhcv__body_str(b, f[i].key, f[i].value);
	return 0;
}

VHCV_EXTERN int
vhcv_case_report(vhcv_case **out, vhcv_client *c, const vhcv_report_options *o)
{
	struct vhcv__path p = { 0 };
	struct vhcv__body b;
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (o == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "options: NULL argument");
	if (out)
		*out = NULL;
	if (o->version < 1 || o->version > VHCV_REPORT_OPTIONS_VERSION)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "unknown vhcv_report_options version %u",
				  o->version);
	const struct field f[] = {
		{ "official", o->official, true }, { "rule", o->rule, true },
		{ "occurred_on", o->occurred_on, true }, { "detected_on", o->detected_on, false },
		{ "source", o->source, true }, { "description", o->description, true },
		{ "place", o->place, false }, { "idempotency_key", o->idempotency_key, false },
	};
	if ((r = fill(c, &b, f, VH_NELEM(f))) < 0)
		return r;
	/* a version-1 caller's struct ends before these */
	if (o->version >= 2) {
		vhcv__body_str(&b, "ended_on", o->ended_on);
		if (o->continuing)
			vhcv__body_bool(&b, "continuing", 1);
	}
	vhcv__path_lit(&p, "/v1/cases");
	r = vhcv__call_tape(c, "POST", &p, &b, vhcv_case_from_tape_v, vhcv_case_from_v,
			    vhcv_case_free_v, out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}

/* a case is read from one tape, not jansson's tree, as a page of them
 * (docs/performance.md, "Session 7: libvhcv's read of a case") */
VHCV_EXTERN int
vhcv_case_get(vhcv_case **out, vhcv_client *c, const char *number)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get_tape(c, &obj, "/v1/cases", number, "case", NULL, NULL, vhcv_case_from_tape_v,
			   vhcv_case_from_v, vhcv_case_free_v);
	*out = obj;
	return r;
}

/* GET /v1/cases; due_within and limitation_within < 0 do not filter */
static int
case_list(vhcv_case_page **out, vhcv_client *c, const vhcv_case_filter *f, int due_within,
	  int limitation_within)
{
	struct vhcv__path p = { 0 };
	char limit[16], due[16], lim[16];
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	*out = NULL;
	if (f && (f->version < 1 || f->version > VHCV_CASE_FILTER_VERSION))
		return vhcv__fail(c, VHCV_EINVALID, NULL, "unknown vhcv_case_filter version %u",
				  f->version);
	vhcv__path_lit(&p, "/v1/cases");
	if (f) {
		vhcv__path_query(&p, "unit", f->unit);
		vhcv__path_query(&p, "status", f->status);
		vhcv__path_query(&p, "official", f->official);
		vhcv__path_query(&p, "overdue", f->overdue ? "true" : NULL);
		if (f->limit != 0) {
			snprintf(limit, sizeof(limit), "%d", f->limit);
			vhcv__path_query(&p, "limit", limit);
		}
		vhcv__path_query(&p, "after", f->after);
	}
	snprintf(due, sizeof(due), "%d", due_within);
	snprintf(lim, sizeof(lim), "%d", limitation_within);
	vhcv__path_query(&p, "due_within", due_within >= 0 ? due : NULL);
	vhcv__path_query(&p, "limitation_within", limitation_within >= 0 ? lim : NULL);
	r = vhcv__call_tape(c, "GET", &p, NULL, case_page_from_tape, vhcv_case_page_from_v,
			    vhcv_case_page_free_v, &obj);
	*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_case_list(vhcv_case_page **out, vhcv_client *c, const vhcv_case_filter *f)
{
	return case_list(out, c, f, -1, -1);
}

VHCV_EXTERN int
vhcv_case_list_due(vhcv_case_page **out, vhcv_client *c, const vhcv_case_filter *f,
		   int due_within, int limitation_within)
{
	return case_list(out, c, f, due_within, limitation_within);
}

/* POST /v1/cases/{case}/ACTION with the body; the answer is the case */
static int
transition(vhcv_case **out, vhcv_client *c, const char *number, const char *action,
	   struct vhcv__body *b)
{
	struct vhcv__path p = { 0 };
	void *obj = NULL;
	int r;

	vhcv__path_lit(&p, "/v1/cases");
	vhcv__path_seg(&p, number);
	vhcv__path_lit(&p, "/");
	vhcv__path_lit(&p, action);
	r = vhcv__call_tape(c, "POST", &p, b, vhcv_case_from_tape_v, vhcv_case_from_v,
			    vhcv_case_free_v, out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}

/* the checks every transition starts with */
static int
start(vhcv_case **out, vhcv_client *c, const char *number)
{
	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	return vhcv__need(c, number, "case");
}

/* a transition whose body is only strings */
static int
post(vhcv_case **out, vhcv_client *c, const char *number, const char *action,
     const struct field *f, size_t n)
{
	struct vhcv__body b;
	int r;

	if ((r = start(out, c, number)) < 0 || (r = fill(c, &b, f, n)) < 0)
		return r;
	return transition(out, c, number, action, &b);
}

VHCV_EXTERN int
vhcv_case_accept(vhcv_case **out, vhcv_client *c, const char *number, const char *note)
{
	const struct field f[] = { { "note", note, false } };

	return post(out, c, number, "accept", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_reject(vhcv_case **out, vhcv_client *c, const char *number,
		 const vhcv_reject_options *o)
{
	int r;

	if ((r = start(out, c, number)) < 0)
		return r;
	if (o == NULL || o->version < 1 || o->version > VHCV_REJECT_OPTIONS_VERSION)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "no vhcv_reject_options of a known version");
	const struct field f[] = { { "reason", o->reason, true }, { "of", o->of, false },
				   { "to", o->to, false }, { "note", o->note, false } };
	return post(out, c, number, "reject", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_defer(vhcv_case **out, vhcv_client *c, const char *number, const char *ground,
		const char *until, const char *note)
{
	const struct field f[] = { { "ground", ground, true }, { "until", until, false },
				   { "note", note, false } };

	return post(out, c, number, "defer", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_resume(vhcv_case **out, vhcv_client *c, const char *number, const char *note)
{
	const struct field f[] = { { "note", note, false } };

	return post(out, c, number, "resume", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_council(vhcv_case **out, vhcv_client *c, const char *number,
		  const char *const *members, size_t nmembers, const char *recommend)
{
	const struct field f[] = { { "recommend", recommend, false } };
	struct vhcv__body b;
	json_t *a;
	int r;

	if ((r = start(out, c, number)) < 0)
		return r;
	if (members == NULL || nmembers == 0)
		return vhcv__fail(c, VHCV_EINVALID, "members", "members are required");
	for (size_t i = 0; i < nmembers; i++)
		if (members[i] == NULL || !vh_utf8_valid(members[i], strlen(members[i])))
			return vhcv__fail(c, VHCV_EINVALID, "members",
					  "members: entry %zu is not a code", i + 1);
	if ((r = fill(c, &b, f, VH_NELEM(f))) < 0)
		return r;
	a = json_array();
	for (size_t i = 0; a && i < nmembers; i++)
		if (json_array_append_new(a, json_string(members[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	vhcv__body_set(&b, "members", a);
	return transition(out, c, number, "council", &b);
}

VHCV_EXTERN int
vhcv_case_decide(vhcv_case **out, vhcv_client *c, const char *number,
		 const vhcv_decide_options *o)
{
	struct vhcv__body b;
	int r;

	if ((r = start(out, c, number)) < 0)
		return r;
	if (o == NULL || o->version < 1 || o->version > VHCV_DECIDE_OPTIONS_VERSION)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "no vhcv_decide_options of a known version");
	const struct field f[] = {
		{ "severity", o->severity, true }, { "form", o->form, true },
		{ "number", o->number, true }, { "signed_on", o->signed_on, true },
		{ "effective_on", o->effective_on, false }, { "reason", o->reason, false },
		{ "idempotency_key", o->idempotency_key, false },
	};
	if ((r = fill(c, &b, f, VH_NELEM(f))) < 0)
		return r;
	if (o->is_complex)
		vhcv__body_bool(&b, "complex", 1);
	if (o->version >= 2) {
		vhcv__body_str(&b, "received_on", o->received_on);
		vhcv__body_str(&b, "separate_act", o->separate_act);
	}
	return transition(out, c, number, "decide", &b);
}

VHCV_EXTERN int
vhcv_case_appeal_ex(vhcv_case **out, vhcv_client *c, const char *number,
		    const vhcv_appeal_options *o)
{
	struct vhcv__body b;
	int r;

	if ((r = start(out, c, number)) < 0)
		return r;
	if (o == NULL || o->version < 1 || o->version > VHCV_APPEAL_OPTIONS_VERSION)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "no vhcv_appeal_options of a known version");
	if (o->obstacle_days < 0)
		return vhcv__fail(c, VHCV_EINVALID, "obstacle_days",
				  "obstacle_days must not be negative");
	const struct field f[] = {
		{ "filed_on", o->filed_on, true }, { "note", o->note, false },
		{ "answered_on", o->answered_on, false },
	};
	if ((r = fill(c, &b, f, VH_NELEM(f))) < 0)
		return r;
	if (o->obstacle_days > 0)
		vhcv__body_set(&b, "obstacle_days", json_integer(o->obstacle_days));
	if (o->court)
		vhcv__body_bool(&b, "court", 1);
	return transition(out, c, number, "appeal", &b);
}

VHCV_EXTERN int
vhcv_case_dispense(vhcv_case **out, vhcv_client *c, const char *number, const char *ground,
		   const char *ref, const char *signed_on, const char *party_form)
{
	const struct field f[] = { { "ground", ground, true }, { "ref", ref, true },
				   { "signed_on", signed_on, false },
				   { "party_form", party_form, false } };

	return post(out, c, number, "dispense", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_appeal(vhcv_case **out, vhcv_client *c, const char *number, const char *filed_on,
		 const char *note)
{
	const struct field f[] = { { "filed_on", filed_on, true }, { "note", note, false } };

	return post(out, c, number, "appeal", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_uphold(vhcv_case **out, vhcv_client *c, const char *number, const char *note)
{
	const struct field f[] = { { "note", note, false } };

	return post(out, c, number, "uphold", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_annul(vhcv_case **out, vhcv_client *c, const char *number, const char *doc,
		const char *signed_on, const char *reason)
{
	const struct field f[] = { { "number", doc, true }, { "signed_on", signed_on, true },
				   { "reason", reason, false } };

	return post(out, c, number, "annul", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_waive(vhcv_case **out, vhcv_client *c, const char *number, const char *ground,
		const char *note)
{
	const struct field f[] = { { "ground", ground, true }, { "note", note, false } };

	return post(out, c, number, "waive", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_close(vhcv_case **out, vhcv_client *c, const char *number, const char *reason)
{
	const struct field f[] = { { "reason", reason, false } };

	return post(out, c, number, "close", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_note(vhcv_case **out, vhcv_client *c, const char *number, const char *text)
{
	const struct field f[] = { { "text", text, true } };

	return post(out, c, number, "notes", f, VH_NELEM(f));
}

VHCV_EXTERN int
vhcv_case_link(vhcv_case **out, vhcv_client *c, const char *number, const char *other)
{
	const struct field f[] = { { "other", other, true } };

	return post(out, c, number, "links", f, VH_NELEM(f));
}
