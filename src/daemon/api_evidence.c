/* placeholder: filled by the API work of issue #4 */
#include "routes.h"

void
api_evidence_put(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_evidence_get(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}
