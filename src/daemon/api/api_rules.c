/*
 * The conduct code: GET /v1/rules and GET /v1/rules/{code}. Rules come
 * from the loaded YAML (the request's law set); the versions stored in
 * rule_versions show how a rule's text changed over time.
 */
#include <stdlib.h>

#include "auth.h"
#include "dbq.h"
#include "json_in.h"
#include "routes.h"

/* a NULL-terminated list of strings as a JSON array */
static json_t *
str_array(const char *const *list)
{
	json_t *a = json_array();

	for (; a && list && *list; list++)
		json_array_append_new(a, json_string(*list));
	return a;
}

static json_t *
date_or_null(vh_date d)
{
	char buf[VH_DATE_STRLEN];

	if (d == VH_DATE_NONE)
		return json_null();
	return json_string(vhd_datestr(buf, d));
}

/* one rule version as the API's rule object (without versions) */
static json_t *
rule_json(const struct vhd_lawset *law, const struct vh_rule *r)
{
	const struct vh_rule_group *g = vh_rules_group_find(law->rules, r->group);
	const char *sev_name = law->legal ? vh_legal_severity_name(law->legal,
								     r->default_severity)
					  : NULL;
	json_t *cat_names = json_array();
	json_t *j;

	for (size_t i = 0; cat_names && i < r->n_categories; i++) {
		const char *n = law->legal ? vh_legal_category_name(law->legal,
								    r->categories[i])
					   : NULL;
		json_array_append_new(cat_names, n ? json_string(n) : json_null());
	}
	j = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:o, s:s, s:s?, s:o,"
		      " s:o, s:b, s:o, s:o, s:s}",
		      "code", r->code,
		      "group", r->group,
		      "group_name", g ? g->name_vi : NULL,
		      "ruleset", r->ruleset,
		      "title_vi", r->title_vi,
		      "title_en", r->title_en,
		      "description", r->description ? r->description : "",
		      "legal_basis", str_array(r->legal_basis),
		      "default_severity", r->default_severity,
		      "default_severity_name", sev_name,
		      "categories", str_array(r->categories),
		      "category_names", cat_names,
		      "no_limitation", r->no_limitation,
		      "valid_from", date_or_null(r->valid_from),
		      "valid_to", date_or_null(r->valid_to),
		      "content_hash", r->content_hash);
	return j;
}

void
api_rules_list(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const known[] = { NULL };
	const char *group = NULL;
	vh_date today = vh_date_today();
	struct vhd_in in;
	json_t *items, *j;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_RULES_READ))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	if (vhd_query_code(&in, "group", &group) < 0)
		goto out;
	if (group && vh_rules_group_find(req->law->rules, group) == NULL) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "group", "no rule group %s", group);
		goto out;
	}
	if ((items = json_array()) == NULL)
		goto nomem;
	for (size_t i = 0; i < vh_rules_count(req->law->rules); i++) {
		const struct vh_rule *r = vh_rules_get(req->law->rules, i);

		if (r->valid_from > today || (r->valid_to != VH_DATE_NONE && r->valid_to < today))
			continue;
		if (group && strcmp(r->group, group) != 0)
			continue;
		if (json_array_append_new(items, rule_json(req->law, r)) < 0) {
			json_decref(items);
			goto nomem;
		}
	}
	if ((j = json_pack("{s:o, s:n}", "items", items, "next")) == NULL)
		goto nomem;
	vhd_reply_json(resp, 200, j);
	goto out;
nomem:
	vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
out:
	vhd_in_close(&in);
}

void
api_rule_get(struct vhd_request *req, const struct vhd_params *p,
	     struct vhd_response *resp)
{
	static const char *const known[] = { NULL };
	const char *code = p->v[0];
	char onbuf[VH_DATE_STRLEN];
	vh_date on = vh_date_today();
	const struct vh_rule *r;
	PGconn *conn = NULL;
	PGresult *res = NULL;
	struct vhd_in in;
	json_t *j = NULL, *versions;

	if (!vhd_auth_role(req, resp, VHD_OP_RULES_READ))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	if (vhd_query_date(&in, "on", &on) < 0)
		goto out;
	vhd_datestr(onbuf, on);
	if (!vhd_is_code(code) || vh_rules_latest(req->law->rules, code) == NULL) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no rule %s", code);
		goto out;
	}
	if ((r = vh_rules_find(req->law->rules, code, on)) == NULL) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "on", "rule %s is not in force on %s",
				code, onbuf);
		goto out;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	res = vhd_qrows(conn, resp,
			"SELECT id, content_hash, to_char(valid_from, 'YYYY-MM-DD'),"
			" to_char(valid_to, 'YYYY-MM-DD'),"
			" " VHD_SQL_TIME("loaded_at")
			" FROM rule_versions WHERE code = $1 ORDER BY valid_from, id",
			1, (const char *[]){ r->code }, 5);
	if (res == NULL)
		goto out;
	if ((j = rule_json(req->law, r)) == NULL || (versions = json_array()) == NULL)
		goto nomem;
	json_object_set_new(j, "versions", versions);
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *v = json_pack("{s:o, s:o, s:o, s:o, s:o}",
				      "id", vhd_jint(res, i, 0),
				      "content_hash", vhd_jval(res, i, 1),
				      "valid_from", vhd_jval(res, i, 2),
				      "valid_to", vhd_jval(res, i, 3),
				      "loaded_at", vhd_jval(res, i, 4));
		if (json_array_append_new(versions, v) < 0)
			goto nomem;
	}
	vhd_reply_json(resp, 200, j);
	j = NULL;
	goto out;
nomem:
	vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
out:
	json_decref(j);
	PQclear(res);
	if (conn)
		vhd_conn_put(conn);
	vhd_in_close(&in);
}
