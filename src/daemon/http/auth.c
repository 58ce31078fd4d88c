#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "dbq.h"
#include "log.h"

/* the role table of DESIGN.md; admin may do everything */
static const unsigned int role_ops[] = {
	[VHD_ROLE_INSPECTOR] = 1u << VHD_OP_RULES_READ | 1u << VHD_OP_UNIT_READ |
			       1u << VHD_OP_OFFICIAL_READ | 1u << VHD_OP_CASE_REPORT |
			       1u << VHD_OP_CASE_READ | 1u << VHD_OP_CASE_NOTE,
	[VHD_ROLE_UNIT_HEAD] = 1u << VHD_OP_RULES_READ | 1u << VHD_OP_UNIT_READ |
			       1u << VHD_OP_OFFICIAL_READ | 1u << VHD_OP_CASE_REPORT |
			       1u << VHD_OP_CASE_READ | 1u << VHD_OP_CASE_NOTE |
			       1u << VHD_OP_CASE_DECIDE | 1u << VHD_OP_RECORD |
			       1u << VHD_OP_STATS,
	[VHD_ROLE_HR] = 1u << VHD_OP_RULES_READ | 1u << VHD_OP_UNIT_READ |
			1u << VHD_OP_UNIT_WRITE | 1u << VHD_OP_OFFICIAL_READ |
			1u << VHD_OP_OFFICIAL_WRITE | 1u << VHD_OP_RECORD |
			1u << VHD_OP_FEED,
	[VHD_ROLE_AUDITOR] = 1u << VHD_OP_RULES_READ | 1u << VHD_OP_UNIT_READ |
			     1u << VHD_OP_OFFICIAL_READ | 1u << VHD_OP_CASE_READ |
			     1u << VHD_OP_AUDIT | 1u << VHD_OP_RECORD |
			     1u << VHD_OP_FEED | 1u << VHD_OP_STATS,
	[VHD_ROLE_ADMIN] = ~0u,
};

static const char *const op_names[] = {
	"read rules", "read units", "change units", "read officials",
	"change officials", "report a violation", "read cases",
	"add notes or evidence", "act on cases", "audit",
	"read officials' records", "read the change feed", "read statistics",
	"manage accounts",
};

void
vhd_auth_deny(struct vhd_request *req, struct vhd_response *resp, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("denied identity=%s method=%s path=%s reason=%s", LOGQ(req->id.name),
		  LOGQ(req->method), LOGQ(req->path), LOGQ(msg));
	vhd_reply_error(resp, VHCV_EFORBIDDEN, NULL, "%s", msg);
}

bool
vhd_auth_may(const struct vhd_request *req, enum vhd_op op)
{
	return req->id.access && (role_ops[req->id.access->role] & (1u << op));
}

bool
vhd_auth_role(struct vhd_request *req, struct vhd_response *resp, enum vhd_op op)
{
	const struct vhd_access *a = req->id.access;

	if (a == NULL) {
		log_warnx("denied identity=%s method=%s path=%s reason=\"unknown identity\"",
			  LOGQ(req->id.name), LOGQ(req->method), LOGQ(req->path));
		if (req->id.via_unix)
			vhd_reply_error(resp, VHCV_EFORBIDDEN, NULL,
					"%s is not in the access list", req->id.name);
		else
			vhd_reply_error(resp, VHCV_EUNAUTHORIZED, NULL,
					"missing or unknown bearer token");
		return false;
	}
	if (role_ops[a->role] & (1u << op))
		return true;
	vhd_auth_deny(req, resp, "role %s may not %s", vhd_role_names[a->role], op_names[op]);
	return false;
}

bool
vhd_auth_all_units(const struct vhd_request *req)
{
	const struct vhd_access *a = req->id.access;

	for (size_t i = 0; a && i < a->nunits; i++)
		if (strcmp(a->units[i], "*") == 0)
			return true;
	return false;
}

char *
vhd_auth_units_array(const struct vhd_request *req)
{
	const struct vhd_access *a = req->id.access;
	size_t len = 3;
	char *s;

	for (size_t i = 0; a && i < a->nunits; i++)
		len += strlen(a->units[i]) + 3;
	if ((s = malloc(len)) == NULL)
		return NULL;
	strcpy(s, "{");
	for (size_t i = 0; a && i < a->nunits; i++) {
		strcat(s, i ? ",\"" : "\"");
		strcat(s, a->units[i]);
		strcat(s, "\"");
	}
	strcat(s, "}");
	return s;
}

int
vhd_auth_unit(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *unit_id, enum vhd_op op)
{
	const char *params[2];
	PGresult *res;
	char *units;
	int r = -1;

	if (vhd_auth_all_units(req))
		return 1;
	if ((units = vhd_auth_units_array(req)) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	params[0] = unit_id;
	params[1] = units;
	res = vhd_qrows(conn, resp,
			"SELECT " VHD_SQL_UNIT_IN_SCOPE("$1::bigint", "$2::text[]") ","
			" (SELECT code FROM units WHERE id = $1::bigint)",
			2, params, 2);
	free(units);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1 && vhd_val(res, 0, 0)[0] == 't') {
		r = 1;
	} else {
		vhd_auth_deny(req, resp, "unit %s is outside the units of %s (%s)",
			      PQntuples(res) ? (vhd_val(res, 0, 1) ? vhd_val(res, 0, 1) : "?") : "?",
			      req->id.name, op_names[op]);
		r = 0;
	}
	PQclear(res);
	return r;
}

bool
vhd_auth_is_self(const struct vhd_request *req, const char *official_code)
{
	const struct vhd_access *a = req->id.access;

	return a && a->official && official_code && strcmp(a->official, official_code) == 0;
}
