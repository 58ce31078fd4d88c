/* Units: POST/GET /v1/units, GET /v1/units/{code}, merge. */
#include <stdlib.h>

#include "client_int.h"

static const struct vhcv__field unit_fields[] = {
	VHCV__F(vhcv_unit, REQ, "code", code),
	VHCV__F(vhcv_unit, STR, "name", name),
	VHCV__F(vhcv_unit, STR, "parent", parent),
	VHCV__F(vhcv_unit, STR, "valid_from", valid_from),
	VHCV__F(vhcv_unit, STR, "valid_to", valid_to),
	VHCV__F(vhcv_unit, STR, "merged_into", merged_into),
};
static const struct vhcv__shape unit_shape = VHCV__SHAPE(vhcv_unit, unit_fields);
VHCV__SHAPED(vhcv_unit, unit_shape, unit_from)

VHCV_EXTERN void
vhcv_unit_free(vhcv_unit *u)
{
	vhcv__shape_free(u, &unit_shape);
}

VHCV__PAGE(vhcv_unit_page, vhcv_unit)
VHCV__ADAPT(vhcv_unit_page, vhcv_unit_page_from)

VHCV_EXTERN int
vhcv_unit_add(vhcv_unit **out, vhcv_client *c, const char *code, const char *name,
	      const char *parent, const char *valid_from)
{
	struct vhcv__path p = { 0 };
	struct vhcv__body b;
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	if ((r = vhcv__need(c, code, "code")) < 0 || (r = vhcv__need(c, name, "name")) < 0)
		return r;
	vhcv__body_init(&b, c);
	vhcv__body_str(&b, "code", code);
	vhcv__body_str(&b, "name", name);
	vhcv__body_str(&b, "parent", parent);
	vhcv__body_str(&b, "valid_from", valid_from);
	vhcv__path_lit(&p, "/v1/units");
	r = vhcv__call(c, "POST", &p, &b, vhcv_unit_from_v, vhcv_unit_free_v, out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_unit_list(vhcv_unit_page **out, vhcv_client *c, const char *under)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get(c, &obj, "/v1/units", NULL, NULL, "under", under,
		      vhcv_unit_page_from_v, vhcv_unit_page_free_v);
	*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_unit_get(vhcv_unit **out, vhcv_client *c, const char *code)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get(c, &obj, "/v1/units", code, "code", NULL, NULL, vhcv_unit_from_v,
		      vhcv_unit_free_v);
	*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_unit_merge(vhcv_unit **out, vhcv_client *c, const char *from, const char *into,
		const char *on)
{
	struct vhcv__path p = { 0 };
	struct vhcv__body b;
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	if ((r = vhcv__need(c, from, "code")) < 0 || (r = vhcv__need(c, into, "into")) < 0)
		return r;
	vhcv__body_init(&b, c);
	vhcv__body_str(&b, "into", into);
	vhcv__body_str(&b, "on", on);
	vhcv__path_lit(&p, "/v1/units");
	vhcv__path_seg(&p, from);
	vhcv__path_lit(&p, "/merge");
	r = vhcv__call(c, "POST", &p, &b, vhcv_unit_from_v, vhcv_unit_free_v, out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}
