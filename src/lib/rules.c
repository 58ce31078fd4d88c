/* The conduct code: GET /v1/rules and /v1/rules/{code}. */
#include <stdlib.h>

#include "client_int.h"

static const struct vhcv__field version_fields[] = {
	VHCV__F(vhcv_rule_version, I64, "id", id),
	VHCV__F(vhcv_rule_version, STR, "content_hash", content_hash),
	VHCV__F(vhcv_rule_version, STR, "valid_from", valid_from),
	VHCV__F(vhcv_rule_version, STR, "valid_to", valid_to),
	VHCV__F(vhcv_rule_version, STR, "loaded_at", loaded_at),
};
static const struct vhcv__shape version_shape = VHCV__SHAPE(vhcv_rule_version, version_fields);

static const struct vhcv__field rule_fields[] = {
	VHCV__F(vhcv_rule, REQ, "code", code),
	VHCV__F(vhcv_rule, STR, "group", group),
	VHCV__F(vhcv_rule, STR, "group_name", group_name),
	VHCV__F(vhcv_rule, STR, "title_vi", title_vi),
	VHCV__F(vhcv_rule, STR, "title_en", title_en),
	VHCV__F(vhcv_rule, STR, "description", description),
	VHCV__FV(vhcv_rule, "legal_basis", legal_basis, nlegal_basis),
	VHCV__F(vhcv_rule, STR, "default_severity", default_severity),
	VHCV__FV(vhcv_rule, "categories", categories, ncategories),
	VHCV__F(vhcv_rule, BOOL, "no_limitation", no_limitation),
	VHCV__F(vhcv_rule, STR, "valid_from", valid_from),
	VHCV__F(vhcv_rule, STR, "valid_to", valid_to),
	VHCV__F(vhcv_rule, STR, "content_hash", content_hash),
	VHCV__FA(vhcv_rule, "versions", versions, nversions, version_shape),
};
static const struct vhcv__shape rule_shape = VHCV__SHAPE(vhcv_rule, rule_fields);
VHCV__SHAPED(vhcv_rule, rule_shape, rule_from)

VHCV_EXTERN void
vhcv_rule_free(vhcv_rule *r)
{
	vhcv__shape_free(r, &rule_shape);
}

VHCV__PAGE(vhcv_rule_page, vhcv_rule)
VHCV__ADAPT(vhcv_rule_page, vhcv_rule_page_from)

VHCV_EXTERN int
vhcv_rule_list(vhcv_rule_page **out, vhcv_client *c, const char *group)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get(c, &obj, "/v1/rules", NULL, NULL, "group", group,
		      vhcv_rule_page_from_v, vhcv_rule_page_free_v);
	*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_rule_get(vhcv_rule **out, vhcv_client *c, const char *code, const char *on)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get(c, &obj, "/v1/rules", code, "code", "on", on, vhcv_rule_from_v,
		      vhcv_rule_free_v);
	*out = obj;
	return r;
}
