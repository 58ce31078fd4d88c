/* placeholder for the handlers being written */
#include "routes.h"

void
api_case_report(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_cases_list(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_get(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_accept(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_reject(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_defer(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_resume(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_council(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_decide(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_appeal(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_uphold(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_annul(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_waive(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_close(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_note(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_case_link(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_audit_verify(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_audit_seal(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}
