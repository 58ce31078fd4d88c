/* Officials: PUT/GET /v1/officials/{code}; decisions as they appear in
 * officials and cases. */
#include <stdlib.h>

#include "client_int.h"

static const struct vhcv__field decision_fields[] = {
	VHCV__F(vhcv_decision, STR, "number", number),
	VHCV__F(vhcv_decision, STR, "issuer", issuer),
	VHCV__F(vhcv_decision, INT, "year", year),
	VHCV__F(vhcv_decision, STR, "kind", kind),
	VHCV__F(vhcv_decision, STR, "form", form),
	VHCV__F(vhcv_decision, STR, "form_name", form_name),
	VHCV__F(vhcv_decision, STR, "severity", severity),
	VHCV__F(vhcv_decision, STR, "signed_on", signed_on),
	VHCV__F(vhcv_decision, STR, "effective_on", effective_on),
	VHCV__F(vhcv_decision, STR, "effect_until", effect_until),
	VHCV__F(vhcv_decision, STR, "freeze_until", freeze_until),
	VHCV__F(vhcv_decision, STR, "recommended_form", recommended_form),
	VHCV__F(vhcv_decision, STR, "ladder_form", ladder_form),
	VHCV__F(vhcv_decision, STR, "regime", regime),
	VHCV__F(vhcv_decision, STR, "reason", reason),
	VHCV__F(vhcv_decision, STR, "warning", warning),
	VHCV__F(vhcv_decision, STR, "supersedes", supersedes),
	VHCV__F(vhcv_decision, STR, "state", state),
};
const struct vhcv__shape vhcv__decision_shape = VHCV__SHAPE(vhcv_decision, decision_fields);

static const struct vhcv__field official_fields[] = {
	VHCV__F(vhcv_official, REQ, "code", code),
	VHCV__F(vhcv_official, STR, "full_name", full_name),
	VHCV__F(vhcv_official, STR, "category", category),
	VHCV__F(vhcv_official, STR, "category_name", category_name),
	VHCV__F(vhcv_official, BOOL, "leader", leader),
	VHCV__F(vhcv_official, STR, "unit", unit),
	VHCV__F(vhcv_official, STR, "position", position),
	VHCV__F(vhcv_official, STR, "status", status),
	VHCV__F(vhcv_official, STR, "valid_from", valid_from),
	VHCV__FA(vhcv_official, "sanctions", sanctions, nsanctions, vhcv__decision_shape),
	VHCV__FV(vhcv_official, "open_cases", open_cases, nopen_cases),
};
static const struct vhcv__shape official_shape = VHCV__SHAPE(vhcv_official, official_fields);
VHCV__SHAPED(vhcv_official, official_shape, official_from)

VHCV_EXTERN void
vhcv_official_free(vhcv_official *f)
{
	vhcv__shape_free(f, &official_shape);
}

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
