/*
 * The audit API: verify (scoped auditors verify their units; admin and
 * auditors of "*" the whole log), seal, the latest signed head, and the
 * consistency proof an outside copy of a head is checked with.
 */
#include <stdlib.h>

#include "auth.h"
#include "dbq.h"
#include "events.h"
#include "routes.h"

/* admin, or an auditor of every unit: the whole log */
static bool
whole_log(const struct vhd_request *req)
{
	return req->id.access &&
	       (req->id.access->role == VHD_ROLE_ADMIN || vhd_auth_all_units(req));
}

void
api_audit_verify(struct vhd_request *req, const struct vhd_params *p,
		 struct vhd_response *resp)
{
	PGconn *conn;
	json_t *report;
	char *units = NULL;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_AUDIT))
		return;
	if (!whole_log(req) && (units = vhd_auth_units_array(req)) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return;
	}
	/* a consistent snapshot of a whole history: a standby's will do */
	if ((conn = vhd_conn_read(resp)) != NULL) {
		if ((report = vhd_audit_verify(conn, resp, units)) != NULL)
			vhd_reply_json(resp, 200, report);
		vhd_conn_put(conn);
	}
	free(units);
}

/* seals, heads and proofs are about the whole log */
static PGconn *
whole_log_conn(struct vhd_request *req, struct vhd_response *resp)
{
	if (!vhd_auth_role(req, resp, VHD_OP_AUDIT))
		return NULL;
	if (!whole_log(req)) {
		vhd_auth_deny(req, resp, "the whole log is for admin and auditors of every unit (\"*\")");
		return NULL;
	}
	return vhd_conn(resp);
}

void
api_audit_seal(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	PGconn *conn;
	json_t *seal;

	(void)p;
	/* sealing adds a head over everything; any auditor may ask for it */
	if (!vhd_auth_role(req, resp, VHD_OP_AUDIT) || (conn = vhd_conn(resp)) == NULL)
		return;
	if ((seal = vhd_audit_seal(conn, resp, req->id.name)) != NULL)
		vhd_reply_json(resp, json_is_true(json_object_get(seal, "unchanged")) ? 200 : 201,
			       seal);
	vhd_conn_put(conn);
}

void
api_audit_head(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	PGconn *conn;
	json_t *head;

	(void)p;
	if ((conn = whole_log_conn(req, resp)) == NULL)
		return;
	if ((head = vhd_audit_head(conn, resp)) != NULL)
		vhd_reply_json(resp, 200, head);
	vhd_conn_put(conn);
}

void
api_audit_proof(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	const char *from = vhd_query(req, "from");
	PGconn *conn;
	json_t *proof;
	char *end;
	long long n;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_AUDIT))
		return;
	if (from == NULL || *from < '0' || *from > '9' ||
	    (n = strtoll(from, &end, 10), *end != '\0') || n < 0) {
		vhd_reply_error(resp, VHCV_EINVALID, "from",
				"'from' is the tree size of the head to prove (a number)");
		return;
	}
	if ((conn = whole_log_conn(req, resp)) == NULL)
		return;
	if ((proof = vhd_audit_proof(conn, resp, n)) != NULL)
		vhd_reply_json(resp, 200, proof);
	vhd_conn_put(conn);
}
