/* Accounts: POST/GET /v1/accounts, disable, password (issue #12). */
#include <stdlib.h>

#include "client_int.h"

VHCV_EXTERN void
vhcv_account_free(vhcv_account *a)
{
	if (a == NULL)
		return;
	free(a->json);
	free(a->name);
	free(a->display_name);
	free(a->role);
	vhcv__strv_free(a->units, a->nunits);
	free(a->official);
	free(a->created_at);
	free(a->created_by);
	free(a);
}

static vhcv_account *
account_from(struct vhcv__conv *cv, const json_t *o)
{
	vhcv_account *a = vhcv__alloc(cv, o, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->json = vhcv__dump(cv, o);
	a->name = vhcv__req(cv, o, "name");
	a->display_name = vhcv__str(cv, o, "display_name");
	a->role = vhcv__req(cv, o, "role");
	a->units = vhcv__strv(cv, o, "units", &a->nunits);
	a->official = vhcv__str(cv, o, "official");
	a->disabled = vhcv__bool(o, "disabled");
	a->has_password = vhcv__bool(o, "has_password");
	a->created_at = vhcv__str(cv, o, "created_at");
	a->created_by = vhcv__str(cv, o, "created_by");
	return a;
}

VHCV__ARRAY(vhcv_account, account_from)

VHCV__PAGE(vhcv_account_page, vhcv_account)
VHCV__ADAPT(vhcv_account, account_from)
VHCV__ADAPT(vhcv_account_page, vhcv_account_page_from)

VHCV_EXTERN int
vhcv_account_add(vhcv_account **out, vhcv_client *c, const char *name, const char *role,
		 const char *const *units, size_t nunits, const char *official,
		 const char *display_name, const char *password)
{
	struct vhcv__path p = { 0 };
	struct vhcv__body b;
	void *obj = NULL;
	json_t *u;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	if ((r = vhcv__need(c, name, "name")) < 0 || (r = vhcv__need(c, role, "role")) < 0)
		return r;
	if (units == NULL || nunits == 0)
		return vhcv__fail(c, VHCV_EINVALID, "units", "units: at least one unit code");
	vhcv__body_init(&b, c);
	vhcv__body_str(&b, "name", name);
	vhcv__body_str(&b, "role", role);
	if ((u = json_array()) != NULL)
		for (size_t i = 0; i < nunits; i++)
			json_array_append_new(u, json_string(units[i] ? units[i] : ""));
	vhcv__body_set(&b, "units", u);
	vhcv__body_str(&b, "official", official);
	vhcv__body_str(&b, "display_name", display_name);
	vhcv__body_str(&b, "password", password);
	vhcv__path_lit(&p, "/v1/accounts");
	r = vhcv__call(c, "POST", &p, &b, vhcv_account_from_v, vhcv_account_free_v,
		       out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_account_list(vhcv_account_page **out, vhcv_client *c)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	r = vhcv__get(c, &obj, "/v1/accounts", NULL, NULL, NULL, NULL,
		      vhcv_account_page_from_v, vhcv_account_page_free_v);
	*out = obj;
	return r;
}

/* POST/PUT /v1/accounts/{name}/what with the body */
static int
account_change(vhcv_account **out, vhcv_client *c, const char *method, const char *name,
	       const char *what, struct vhcv__body *b)
{
	struct vhcv__path p = { 0 };
	void *obj = NULL;
	int r;

	vhcv__path_lit(&p, "/v1/accounts");
	vhcv__path_seg(&p, name);
	vhcv__path_lit(&p, what);
	r = vhcv__call(c, method, &p, b, vhcv_account_from_v, vhcv_account_free_v,
		       out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_account_disable(vhcv_account **out, vhcv_client *c, const char *name)
{
	struct vhcv__body b;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	if ((r = vhcv__need(c, name, "name")) < 0)
		return r;
	vhcv__body_init(&b, c);
	return account_change(out, c, "POST", name, "/disable", &b);
}

VHCV_EXTERN int
vhcv_account_passwd(vhcv_account **out, vhcv_client *c, const char *name,
		    const char *password)
{
	struct vhcv__body b;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	if ((r = vhcv__need(c, name, "name")) < 0 ||
	    (r = vhcv__need(c, password, "password")) < 0)
		return r;
	vhcv__body_init(&b, c);
	vhcv__body_str(&b, "password", password);
	return account_change(out, c, "PUT", name, "/password", &b);
}
