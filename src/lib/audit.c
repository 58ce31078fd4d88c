/* The event log: GET /v1/audit/verify, POST /v1/audit/seal. */
#include <stdlib.h>

#include "client_int.h"

static void
problem_free(vhcv_audit_problem *p)
{
	if (p == NULL)
		return;
	free(p->json);
	free(p->case_number);
	free(p->problem);
	free(p);
}

static vhcv_audit_problem *
problem_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_audit_problem *p = vhcv__alloc(cv, o, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->json = vhcv__dump(cv, o);
	p->case_number = vhcv__str(cv, o, "case");
	p->seq = vhcv__int(o, "seq");
	p->event_id = vhcv__int(o, "event_id");
	p->problem = vhcv__str(cv, o, "problem");
	return p;
}

VHCV__ARRAY(vhcv_audit_problem, problem_from)

VHCV_EXTERN void
vhcv_audit_report_free(vhcv_audit_report *r)
{
	if (r == NULL)
		return;
	free(r->json);
	VHCV__ARRAY_FREE(r->problems, r->nproblems, problem_free);
	free(r);
}

static vhcv_audit_report *
report_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_audit_report *r = vhcv__alloc(cv, o, sizeof(*r));

	if (r == NULL)
		return NULL;
	if (!json_is_boolean(json_object_get(o, "ok"))) {
		cv->bad = true;
		cv->what = "ok";
	}
	r->json = vhcv__dump(cv, o);
	r->ok = vhcv__bool(o, "ok");
	r->cases = vhcv__int(o, "cases");
	r->events = vhcv__int(o, "events");
	r->seals = vhcv__int(o, "seals");
	r->problems = vhcv_audit_problem_array(cv, o, "problems", &r->nproblems);
	return r;
}

VHCV__ADAPT(vhcv_audit_report, report_from)

VHCV_EXTERN void
vhcv_seal_free(vhcv_seal *s)
{
	if (s == NULL)
		return;
	free(s->json);
	free(s->hash);
	free(s);
}

static vhcv_seal *
seal_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_seal *s = vhcv__alloc(cv, o, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->json = vhcv__dump(cv, o);
	s->seal = vhcv__int(o, "seal");
	s->cases = vhcv__int(o, "cases");
	s->events = vhcv__int(o, "events");
	s->hash = vhcv__str(cv, o, "hash");
	return s;
}

VHCV__ADAPT(vhcv_seal, seal_from)

VHCV_EXTERN int
vhcv_audit_verify(vhcv_audit_report **out, vhcv_client *c)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get(c, &obj, "/v1/audit/verify", NULL, NULL, NULL, NULL,
		      vhcv_audit_report_from_v, vhcv_audit_report_free_v);
	*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_audit_seal(vhcv_seal **out, vhcv_client *c)
{
	struct vhcv__path p = { 0 };
	struct vhcv__body b;
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	vhcv__body_init(&b, c);
	vhcv__path_lit(&p, "/v1/audit/seal");
	r = vhcv__call(c, "POST", &p, &b, vhcv_seal_from_v, vhcv_seal_free_v, out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}
