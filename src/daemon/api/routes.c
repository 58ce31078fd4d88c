#include <stdlib.h>

#include "routes.h"
#include "text.h"

const struct vhd_route vhd_routes[] = {
	{ "GET", "/v1/health", api_health, true, false, "" },
	{ "GET", "/metrics", api_metrics, true, false, "" },
	{ "GET", "/v1/rules", api_rules_list, false, false, "group" },
	{ "GET", "/v1/rules/{code}", api_rule_get, false, false, "on" },
	{ "POST", "/v1/units", api_unit_add, false, false, "" },
	{ "GET", "/v1/units", api_units_list, false, false, "under" },
	{ "GET", "/v1/units/{code}", api_unit_get, false, false, "" },
	{ "POST", "/v1/units/{code}/merge", api_unit_merge, false, false, "" },
	{ "PUT", "/v1/officials/{code}", api_official_put, false, false, "" },
	{ "GET", "/v1/officials/{code}", api_official_get, false, false, "on" },
	{ "POST", "/v1/cases", api_case_report, false, false, "" },
	{ "GET", "/v1/cases", api_cases_list, false, false, "unit status overdue official limit after due_within limitation_within" },
	{ "GET", "/v1/cases/{case}", api_case_get, false, false, "" },
	{ "POST", "/v1/cases/{case}/accept", api_case_accept, false, false, "" },
	{ "POST", "/v1/cases/{case}/reject", api_case_reject, false, false, "" },
	{ "POST", "/v1/cases/{case}/defer", api_case_defer, false, false, "" },
	{ "POST", "/v1/cases/{case}/resume", api_case_resume, false, false, "" },
	{ "POST", "/v1/cases/{case}/council", api_case_council, false, false, "" },
	{ "POST", "/v1/cases/{case}/decide", api_case_decide, false, false, "" },
	{ "POST", "/v1/cases/{case}/appeal", api_case_appeal, false, false, "" },
	{ "POST", "/v1/cases/{case}/uphold", api_case_uphold, false, false, "" },
	{ "POST", "/v1/cases/{case}/annul", api_case_annul, false, false, "" },
	{ "POST", "/v1/cases/{case}/waive", api_case_waive, false, false, "" },
	{ "POST", "/v1/cases/{case}/close", api_case_close, false, false, "" },
	{ "POST", "/v1/cases/{case}/notes", api_case_note, false, false, "" },
	{ "POST", "/v1/cases/{case}/links", api_case_link, false, false, "" },
	{ "POST", "/v1/cases/{case}/dispense", api_case_dispense, false, false, "" },
	{ "PUT", "/v1/cases/{case}/evidence/{name}", api_evidence_put, false, true, "" },
	{ "GET", "/v1/cases/{case}/evidence/{name}", api_evidence_get, false, false, "" },
	{ "GET", "/v1/audit/verify", api_audit_verify, false, false, "" },
	{ "POST", "/v1/audit/seal", api_audit_seal, false, false, "" },
	{ "GET", "/v1/audit/head", api_audit_head, false, false, "" },
	{ "GET", "/v1/audit/proof", api_audit_proof, false, false, "from" },
	{ "GET", "/v1/officials/{code}/record", api_official_record, false, false, "on limit" },
	{ "GET", "/v1/officials/{code}/export", api_official_export, false, false, "" },
	{ "PUT", "/v1/officials", api_officials_sync, false, false, "batch" },
	{ "PUT", "/v1/units", api_units_sync, false, false, "batch" },
	{ "GET", "/v1/eligibility", api_eligibility, false, false, "year unit after limit on" },
	{ "GET", "/v1/changes", api_changes, false, false, "after wait limit" },
	{ "GET", "/v1/stats", api_stats, false, false, "from to unit by public" },
	{ "GET", "/v1/warnings", api_warnings, false, false, "unit" },
	{ "GET", "/v1/export/{what}", api_export, false, false, "from to unit year on" },
	{ "POST", "/v1/session", api_session_create, true, false, "" },
	{ "GET", "/v1/session", api_session_get, false, false, "" },
	{ "DELETE", "/v1/session", api_session_delete, false, false, "" },
	{ "POST", "/v1/accounts", api_account_add, false, false, "" },
	{ "GET", "/v1/accounts", api_accounts_list, false, false, "" },
	{ "POST", "/v1/accounts/{name}/disable", api_account_disable, false, false, "" },
	{ "PUT", "/v1/accounts/{name}/password", api_account_password, false, false, "" },
	{ "GET", "/v1/cases/{case}/decision-options", api_case_decision_options, false, false,
	  "on severity" },
	{ "GET", "/v1/officials", api_officials_search, false, false, "q unit limit after" },
	{ "GET", "/v1/vocabulary", api_vocabulary, false, false, "" },
};
const size_t vhd_nroutes = VH_NELEM(vhd_routes);

/* Match one pattern against a path split in place. */
static bool
match(const char *pattern, char *path, struct vhd_params *p)
{
	const char *pp = pattern;
	char *sp = path;

	p->n = 0;
	while (*pp && *sp) {
		if (*pp == '{') {
			const char *close = strchr(pp, '}');
			char *end = strchr(sp, '/');
			if (close == NULL || p->n == VHD_MAX_PARAMS)
				return false;
			if (end == sp)
				return false; /* empty segment */
			p->v[p->n++] = sp;
			pp = close + 1;
			if (end == NULL) {
				sp += strlen(sp);
			} else {
				*end = '\0';
				sp = end + 1;
				if (*pp != '/')
					return false;
				pp++;
			}
			continue;
		}
		if (*pp != *sp)
			return false;
		pp++;
		sp++;
	}
	return *pp == '\0' && *sp == '\0';
}

int
vhd_route_match(const char *method, const char *path, char *buf, size_t buflen,
		const struct vhd_route **route, struct vhd_params *params)
{
	bool path_known = false, ascii = true;
	size_t plen = strlen(path), len;
	char *nfc;

	/* names in the path (evidence) in NFC, like every text of the API;
	 * a path that is not UTF-8 stays as it is, for its handler to refuse.
	 * ASCII is always NFC: such a path is copied without normalizing
	 * (u8_normalize was ~3 % of vhcvd's CPU for a case shown) */
	for (size_t i = 0; i < plen && ascii; i++)
		ascii = (unsigned char)path[i] < 0x80;
	nfc = !ascii && vh_utf8_valid(path, plen) ? vhd_nfc(path, plen) : vh_strdup(path);
	len = nfc ? strlen(nfc) : 0;

	*route = NULL;
	if (nfc == NULL || len + 1 > buflen) {
		free(nfc);
		return VHCV_ENOTFOUND;
	}
	for (size_t i = 0; i < vhd_nroutes; i++) {
		memcpy(buf, nfc, len + 1);
		if (!match(vhd_routes[i].pattern, buf, params))
			continue;
		if (strcmp(vhd_routes[i].method, method) == 0) {
			*route = &vhd_routes[i];
			free(nfc);
			return 0;
		}
		path_known = true;
	}
	free(nfc);
	return path_known ? VHCV_ECONFLICT : VHCV_ENOTFOUND;
}
