/* The API's routes: one table, so that docs/openapi.yaml can be checked. */
#ifndef VHD_ROUTES_H
#define VHD_ROUTES_H

#include "http.h"

#define VHD_MAX_PARAMS 4

struct vhd_params {
	const char *v[VHD_MAX_PARAMS];
	size_t n;
};

typedef void (*vhd_handler)(struct vhd_request *req, const struct vhd_params *p,
			    struct vhd_response *resp);

struct vhd_route {
	const char *method;
	const char *pattern; /* "/v1/cases/{case}/accept" */
	vhd_handler fn;
	bool public;         /* answered without an identity (health, metrics) */
	bool raw_body;       /* the body is bytes (evidence), not JSON */
	const char *query;   /* the query parameters it reads, space-separated */
};

extern const struct vhd_route vhd_routes[];
extern const size_t vhd_nroutes;

/*
 * Find the route of method and path; fills params with pointers into buf
 * (a copy of path it owns). 0 found, VHCV_ENOTFOUND no path, VHCV_ECONFLICT
 * path known but not with this method.
 */
int vhd_route_match(const char *method, const char *path, char *buf, size_t buflen,
		    const struct vhd_route **route, struct vhd_params *params);

/* handlers */
void api_health(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_metrics(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_rules_list(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_rule_get(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_unit_add(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_units_list(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_unit_get(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_unit_merge(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_official_put(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_official_get(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_report(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_cases_list(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_get(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_accept(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_reject(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_defer(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_resume(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_council(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_decide(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_appeal(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_uphold(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_annul(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_waive(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_dispense(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_close(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_note(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_link(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_evidence_put(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_evidence_get(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_audit_verify(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_audit_head(struct vhd_request *req, const struct vhd_params *p,
		    struct vhd_response *resp);
void api_audit_proof(struct vhd_request *req, const struct vhd_params *p,
		     struct vhd_response *resp);
void api_audit_seal(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_official_record(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_official_export(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_officials_sync(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_officials_search(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_vocabulary(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_units_sync(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_eligibility(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_changes(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_stats(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_warnings(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_export(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_session_create(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_session_get(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_session_delete(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_account_add(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_accounts_list(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_account_disable(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_account_password(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);
void api_case_decision_options(struct vhd_request *req, const struct vhd_params *p,
	struct vhd_response *resp);

#endif
