/* The conduct code: GET /v1/rules and /v1/rules/{code}. */
#include <stdlib.h>

#include "client_int.h"

static void
version_free(vhcv_rule_version *v)
{
	if (v == NULL)
		return;
	free(v->json);
	free(v->content_hash);
	free(v->valid_from);
	free(v->valid_to);
	free(v->loaded_at);
	free(v);
}

static vhcv_rule_version *
version_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_rule_version *v = vhcv__alloc(cv, o, sizeof(*v));

	if (v == NULL)
		return NULL;
	v->json = vhcv__dump(cv, o);
	v->id = vhcv__int(o, "id");
	v->content_hash = vhcv__str(cv, o, "content_hash");
	v->valid_from = vhcv__str(cv, o, "valid_from");
	v->valid_to = vhcv__str(cv, o, "valid_to");
	v->loaded_at = vhcv__str(cv, o, "loaded_at");
	return v;
}

VHCV__ARRAY(vhcv_rule_version, version_from)

VHCV_EXTERN void
vhcv_rule_free(vhcv_rule *r)
{
	if (r == NULL)
		return;
	free(r->json);
	free(r->code);
	free(r->group);
	free(r->group_name);
	free(r->title_vi);
	free(r->title_en);
	free(r->description);
	vhcv__strv_free(r->legal_basis, r->nlegal_basis);
	free(r->default_severity);
	vhcv__strv_free(r->categories, r->ncategories);
	free(r->valid_from);
	free(r->valid_to);
	free(r->content_hash);
	VHCV__ARRAY_FREE(r->versions, r->nversions, version_free);
	free(r);
}

static vhcv_rule *
rule_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_rule *r = vhcv__alloc(cv, o, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->json = vhcv__dump(cv, o);
	r->code = vhcv__req(cv, o, "code");
	r->group = vhcv__str(cv, o, "group");
	r->group_name = vhcv__str(cv, o, "group_name");
	r->title_vi = vhcv__str(cv, o, "title_vi");
	r->title_en = vhcv__str(cv, o, "title_en");
	r->description = vhcv__str(cv, o, "description");
	r->legal_basis = vhcv__strv(cv, o, "legal_basis", &r->nlegal_basis);
	r->default_severity = vhcv__str(cv, o, "default_severity");
	r->categories = vhcv__strv(cv, o, "categories", &r->ncategories);
	r->no_limitation = vhcv__bool(o, "no_limitation");
	r->valid_from = vhcv__str(cv, o, "valid_from");
	r->valid_to = vhcv__str(cv, o, "valid_to");
	r->content_hash = vhcv__str(cv, o, "content_hash");
	r->versions = vhcv_rule_version_array(cv, o, "versions", &r->nversions);
	return r;
}

VHCV__ARRAY(vhcv_rule, rule_from)

VHCV__PAGE(vhcv_rule_page, vhcv_rule)
VHCV__ADAPT(vhcv_rule, rule_from)
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
