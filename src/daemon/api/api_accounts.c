/*
 * Accounts of people who sign in to the pages (issue #12): add, list,
 * disable, set a password. Admin only: an account grants a role over
 * units, so whoever creates accounts can give themselves any power; hr
 * (who may not read cases) must not be able to create a unit head.
 * Disabling an account or changing its password ends its sessions.
 */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "dbq.h"
#include "json_in.h"
#include "log.h"
#include "routes.h"
#include "web.h"

#define ACCOUNT_COLS                                                           \
	"name, display_name, role, array_to_string(units, ' '), official, disabled," \
	" password_hash IS NOT NULL, " VHD_SQL_TIME("created_at") ", created_by, " \
	VHD_SQL_TIME("changed_at") ", changed_by"
#define ACCOUNT_NCOLS 11
#define PASSWORD_MIN 8

static json_t *
account_json(const PGresult *res, int row)
{
	json_t *units = json_array();
	char *copy = vh_strdup(PQgetvalue(res, row, 3)), *save = NULL;

	for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t && units;
	     t = strtok_r(NULL, " ", &save))
		json_array_append_new(units, json_string(t));
	free(copy);
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "name", vhd_jval(res, row, 0), "display_name", vhd_jval(res, row, 1),
			 "role", vhd_jval(res, row, 2), "units", units ? units : json_array(),
			 "official", vhd_jval(res, row, 4), "disabled", vhd_jbool(res, row, 5),
			 "has_password", vhd_jbool(res, row, 6),
			 "created_at", vhd_jval(res, row, 7), "created_by", vhd_jval(res, row, 8),
			 "changed_at", vhd_jval(res, row, 9), "changed_by", vhd_jval(res, row, 10));
}

/* the units array: "*" or unit codes, 1..64; a text[] literal into buf */
static int
read_units(struct vhd_in *in, char **out)
{
	json_t *v = json_object_get(in->obj, "units"), *e;
	size_t i, len = 3;

	if (in->failed)
		return -1;
	if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 64) {
		vhd_in_fail(in, "units", "'units' must be an array of 1 to 64 unit codes or \"*\"");
		return -1;
	}
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);
		if (s == NULL || (strcmp(s, "*") != 0 && !vhd_is_code(s))) {
			vhd_in_fail(in, "units", "'units'[%zu] must be a unit code or \"*\"", i);
			return -1;
		}
		len += strlen(s) + 3;
	}
	if ((*out = malloc(len)) == NULL) {
		vhd_in_fail(in, "units", "out of memory");
		return -1;
	}
	strcpy(*out, "{");
	json_array_foreach(v, i, e) {
		strcat(*out, i ? ",\"" : "\"");
		strcat(*out, json_string_value(e));
		strcat(*out, "\"");
	}
	strcat(*out, "}");
	return 0;
}

static int
read_password(struct vhd_in *in, bool required, char hash[128], bool *given)
{
	const char *pw = NULL;
	size_t n = 0;

	*given = false;
	if (vhd_in_str(in, "password", required, 1024, &pw) <= 0)
		return in->failed ? -1 : 0;
	for (const char *s = pw; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80; /* characters, not bytes */
	if (n < PASSWORD_MIN) {
		vhd_in_fail(in, "password", "'password' must be at least %d characters long",
			    PASSWORD_MIN);
		return -1;
	}
	if (vhd_password_hash(pw, hash, 128) < 0) {
		vhd_in_fail(in, "password", "cannot hash the password");
		return -1;
	}
	*given = true;
	return 0;
}

void
api_account_add(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	static const char *const known[] = { "name", "display_name", "role", "units",
					     "official", "password", NULL };
	const char *name = NULL, *display = NULL, *role = NULL, *official = NULL;
	char hash[128], *units = NULL;
	PGresult *chk = NULL, *res = NULL;
	PGconn *conn = NULL;
	struct vhd_in in;
	bool has_pw = false;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_ACCOUNTS))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	vhd_in_str(&in, "name", true, 64, &name);
	vhd_in_str(&in, "display_name", false, 200, &display);
	vhd_in_enum(&in, "role", true, vhd_role_names, &role);
	vhd_in_code(&in, "official", false, &official);
	read_units(&in, &units);
	read_password(&in, false, hash, &has_pw);
	if (in.failed)
		goto out;
	if (!vhd_account_name_ok(name)) {
		vhd_reply_error(resp, VHCV_EINVALID, "name",
				"'name' must be 1 to 64 of a-z, 0-9, '.', '_', '@', '-', starting with a letter or digit");
		goto out;
	}
	if (vhd_name_configured(name)) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "name",
				"%s is an identity of the configuration file already", name);
		goto out;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	chk = vhd_qrows(conn, resp,
			"SELECT (SELECT string_agg(c, ', ') FROM unnest($1::text[]) c"
			"  WHERE c <> '*' AND NOT EXISTS (SELECT 1 FROM units WHERE code = c)),"
			" $2::text IS NULL OR EXISTS (SELECT 1 FROM officials WHERE code = $2)",
			2, (const char *[]){ units, official }, 2);
	if (chk == NULL)
		goto out;
	if (vhd_val(chk, 0, 0)) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "units", "no unit %s", vhd_val(chk, 0, 0));
		goto out;
	}
	if (vhd_val(chk, 0, 1)[0] != 't') {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "official", "no official %s", official);
		goto out;
	}
	res = vhd_qrows(conn, resp,
			"INSERT INTO accounts (name, display_name, role, units, official,"
			" password_hash, created_by)"
			" VALUES ($1, $2, $3, $4::text[], $5, $6, $7)"
			" ON CONFLICT (name) DO NOTHING RETURNING " ACCOUNT_COLS,
			7, (const char *[]){ name, display ? display : name, role, units, official,
					     has_pw ? hash : NULL, req->id.name },
			ACCOUNT_NCOLS);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "name", "account %s exists already", name);
		goto out;
	}
	log_info("account added name=%s role=%s by=%s", name, role, req->id.name);
	vhd_reply_json(resp, 201, account_json(res, 0));
out:
	if (conn)
		vhd_conn_put(conn);
	free(units);
	PQclear(chk);
	PQclear(res);
	vhd_in_close(&in);
}

void
api_accounts_list(struct vhd_request *req, const struct vhd_params *p,
		  struct vhd_response *resp)
{
	PGresult *res;
	PGconn *conn;
	json_t *items;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_ACCOUNTS))
		return;
	if ((conn = vhd_conn(resp)) == NULL)
		return;
	res = vhd_qrows(conn, resp, "SELECT " ACCOUNT_COLS " FROM accounts ORDER BY name", 0,
			NULL, ACCOUNT_NCOLS);
	vhd_conn_put(conn);
	if (res == NULL)
		return;
	items = json_array();
	for (int i = 0; items && i < PQntuples(res); i++)
		json_array_append_new(items, account_json(res, i));
	vhd_reply_json(resp, 200, json_pack("{s:o, s:n}", "items", items ? items : json_array(),
					    "next"));
	PQclear(res);
}

/*
 * Change one account (disable, or a new password hash) and end its
 * sessions, in one transaction; reply with the account.
 */
static void
account_change(struct vhd_request *req, struct vhd_response *resp, const char *name,
	       const char *hash, const char *why)
{
	PGresult *res = NULL;
	PGconn *conn;

	if ((conn = vhd_conn(resp)) == NULL)
		return;
	if (vhd_begin(conn, resp) < 0)
		goto out;
	res = vhd_qrows(conn, resp,
			"UPDATE accounts SET disabled = disabled OR $2::text IS NULL,"
			" password_hash = coalesce($2, password_hash),"
			" changed_at = now(), changed_by = $3"
			" WHERE name = $1 RETURNING " ACCOUNT_COLS,
			3, (const char *[]){ name, hash, req->id.name }, ACCOUNT_NCOLS);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "name", "no account %s", name);
		goto out;
	}
	if (vhd_exec(conn, resp,
		     "UPDATE sessions SET ended_at = now(), end_reason = $2"
		     " WHERE ended_at IS NULL AND account_id = (SELECT id FROM accounts WHERE name = $1)",
		     2, (const char *[]){ name, why }) < 0)
		goto out;
	if (vhd_commit(conn, resp) < 0)
		goto out;
	log_info("account changed name=%s change=\"%s\" by=%s", name, why, req->id.name);
	vhd_reply_json(resp, 200, account_json(res, 0));
out:
	vhd_rollback(conn);
	vhd_conn_put(conn);
	PQclear(res);
}

void
api_account_disable(struct vhd_request *req, const struct vhd_params *p,
		    struct vhd_response *resp)
{
	if (!vhd_auth_role(req, resp, VHD_OP_ACCOUNTS))
		return;
	account_change(req, resp, p->v[0], NULL, "account disabled");
}

void
api_account_password(struct vhd_request *req, const struct vhd_params *p,
		     struct vhd_response *resp)
{
	static const char *const known[] = { "password", NULL };
	struct vhd_in in;
	char hash[128];
	bool given;

	if (!vhd_auth_role(req, resp, VHD_OP_ACCOUNTS))
		return;
	if (vhd_in_open(&in, req, resp, known) == 0 &&
	    read_password(&in, true, hash, &given) == 0 && !in.failed)
		account_change(req, resp, p->v[0], hash, "password changed");
	vhd_in_close(&in);
}
