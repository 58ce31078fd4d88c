/* Officials: PUT/GET /v1/officials/{code}; decisions as they appear in
 * officials and cases. */
#include <stdlib.h>

#include "client_int.h"

void
vhcv__decision_free(vhcv_decision *d)
{
	if (d == NULL)
		return;
	free(d->json);
	free(d->number);
	free(d->issuer);
	free(d->kind);
	free(d->form);
	free(d->form_name);
	free(d->severity);
	free(d->signed_on);
	free(d->effective_on);
	free(d->effect_until);
	free(d->freeze_until);
	free(d->recommended_form);
	free(d->ladder_form);
	free(d->regime);
	free(d->reason);
	free(d->warning);
	free(d->supersedes);
	free(d->state);
	free(d);
}

vhcv_decision *
vhcv__decision_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_decision *d = vhcv__alloc(cv, o, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->json = vhcv__dump(cv, o);
	d->number = vhcv__str(cv, o, "number");
	d->issuer = vhcv__str(cv, o, "issuer");
	d->year = (int)vhcv__int(o, "year");
	d->kind = vhcv__str(cv, o, "kind");
	d->form = vhcv__str(cv, o, "form");
	d->form_name = vhcv__str(cv, o, "form_name");
	d->severity = vhcv__str(cv, o, "severity");
	d->signed_on = vhcv__str(cv, o, "signed_on");
	d->effective_on = vhcv__str(cv, o, "effective_on");
	d->effect_until = vhcv__str(cv, o, "effect_until");
	d->freeze_until = vhcv__str(cv, o, "freeze_until");
	d->recommended_form = vhcv__str(cv, o, "recommended_form");
	d->ladder_form = vhcv__str(cv, o, "ladder_form");
	d->regime = vhcv__str(cv, o, "regime");
	d->reason = vhcv__str(cv, o, "reason");
	d->warning = vhcv__str(cv, o, "warning");
	d->supersedes = vhcv__str(cv, o, "supersedes");
	d->state = vhcv__str(cv, o, "state");
	return d;
}

VHCV__ARRAY(vhcv_decision, vhcv__decision_from)

VHCV_EXTERN void
vhcv_official_free(vhcv_official *f)
{
	if (f == NULL)
		return;
	free(f->json);
	free(f->code);
	free(f->full_name);
	free(f->category);
	free(f->category_name);
	free(f->unit);
	free(f->position);
	free(f->status);
	free(f->valid_from);
	VHCV__ARRAY_FREE(f->sanctions, f->nsanctions, vhcv__decision_free);
	vhcv__strv_free(f->open_cases, f->nopen_cases);
	free(f);
}

static vhcv_official *
official_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_official *f = vhcv__alloc(cv, o, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->json = vhcv__dump(cv, o);
	f->code = vhcv__req(cv, o, "code");
	f->full_name = vhcv__str(cv, o, "full_name");
	f->category = vhcv__str(cv, o, "category");
	f->category_name = vhcv__str(cv, o, "category_name");
	f->leader = vhcv__bool(o, "leader");
	f->unit = vhcv__str(cv, o, "unit");
	f->position = vhcv__str(cv, o, "position");
	f->status = vhcv__str(cv, o, "status");
	f->valid_from = vhcv__str(cv, o, "valid_from");
	f->sanctions = vhcv_decision_array(cv, o, "sanctions", &f->nsanctions);
	f->open_cases = vhcv__strv(cv, o, "open_cases", &f->nopen_cases);
	return f;
}

VHCV__ADAPT(vhcv_official, official_from)

VHCV_EXTERN int
vhcv_official_put(vhcv_official **out, vhcv_client *c, const vhcv_official_spec *spec)
{
	struct vhcv__path p = { 0 };
	struct vhcv__body b;
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (spec == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "spec: NULL argument");
	if (out)
		*out = NULL;
	if (spec->version < 1 || spec->version > VHCV_OFFICIAL_SPEC_VERSION)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "unknown vhcv_official_spec version %u",
				  spec->version);
	if ((r = vhcv__need(c, spec->code, "code")) < 0 ||
	    (r = vhcv__need(c, spec->full_name, "full_name")) < 0 ||
	    (r = vhcv__need(c, spec->category, "category")) < 0 ||
	    (r = vhcv__need(c, spec->unit, "unit")) < 0)
		return r;
	vhcv__body_init(&b, c);
	vhcv__body_str(&b, "full_name", spec->full_name);
	vhcv__body_str(&b, "category", spec->category);
	vhcv__body_str(&b, "unit", spec->unit);
	vhcv__body_bool(&b, "leader", spec->leader);
	vhcv__body_str(&b, "position", spec->position);
	vhcv__body_str(&b, "status", spec->status);
	vhcv__body_str(&b, "valid_from", spec->valid_from);
	/* a version-1 caller's struct ends before elected */
	if (spec->version >= 2 && spec->elected)
		vhcv__body_bool(&b, "elected", spec->elected);
	vhcv__path_lit(&p, "/v1/officials");
	vhcv__path_seg(&p, spec->code);
	r = vhcv__call(c, "PUT", &p, &b, vhcv_official_from_v, vhcv_official_free_v, out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_official_get(vhcv_official **out, vhcv_client *c, const char *code, const char *on)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get(c, &obj, "/v1/officials", code, "code", "on", on, vhcv_official_from_v,
		      vhcv_official_free_v);
	*out = obj;
	return r;
}
