/* Accounts: POST/GET /v1/accounts, disable, password (issue #12). */
#include <stdlib.h>

#include "client_int.h"

static const struct vhcv__field account_fields[] = {
	VHCV__F(vhcv_account, REQ, "name", name),
	VHCV__F(vhcv_account, STR, "display_name", display_name),
	VHCV__F(vhcv_account, REQ, "role", role),
	VHCV__FV(vhcv_account, "units", units, nunits),
	VHCV__F(vhcv_account, STR, "official", official),
	VHCV__F(vhcv_account, BOOL, "disabled", disabled),
	VHCV__F(vhcv_account, BOOL, "has_password", has_password),
	VHCV__F(vhcv_account, STR, "created_at", created_at),
	VHCV__F(vhcv_account, STR, "created_by", created_by),
};
static const struct vhcv__shape account_shape = VHCV__SHAPE(vhcv_account, account_fields);
VHCV__SHAPED(vhcv_account, account_shape, account_from)

VHCV_EXTERN void
vhcv_account_free(vhcv_account *a)
{
	vhcv__shape_free(a, &account_shape);
}

VHCV__PAGE(vhcv_account_page, vhcv_account)
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
