/*
 * GET /v1/vocabulary: the codes of the loaded law and conduct code with
 * their Vietnamese and English names — categories, severities, sanction
 * forms (config/legal) and rule groups (config/rules) — so that the pages
 * show every name in the reader's language from the tables in force,
 * never from a copy of them.
 */
#include "auth.h"
#include "routes.h"
#include "vhcvd.h"

static json_t *
entry(const char *code, const char *name, const char *name_en)
{
	return json_pack("{s:s, s:s?, s:s?}", "code", code, "name", name, "name_en", name_en);
}

void
api_vocabulary(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const lists[] = { [VH_LEGAL_LIST_CATEGORIES] = "categories",
					     [VH_LEGAL_LIST_SEVERITIES] = "severities",
					     [VH_LEGAL_LIST_FORMS] = "forms" };
	const struct vh_legal *legal = req->law ? req->law->legal : NULL;
	const struct vh_ruleset *rules = req->law ? req->law->rules : NULL;
	json_t *j = json_object(), *a;
	const char *code, *name, *name_en;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_RULES_READ)) {
		json_decref(j);
		return;
	}
	for (size_t k = 0; k < VH_NELEM(lists); k++) {
		json_object_set_new(j, lists[k], a = json_array());
		for (size_t i = 0; legal && (code = vh_legal_entry(legal, (enum vh_legal_list)k, i,
								    &name, &name_en)); i++)
			json_array_append_new(a, entry(code, name, name_en));
	}
	json_object_set_new(j, "groups", a = json_array());
	for (size_t i = 0; rules && i < vh_rules_group_count(rules); i++) {
		const struct vh_rule_group *g = vh_rules_group_get(rules, i);
		json_array_append_new(a, entry(g->code, g->name_vi, g->name_en));
	}
	vhd_reply_json(resp, 200, j);
}
