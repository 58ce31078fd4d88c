/* placeholder: filled by the API work of issue #4 */
#include "routes.h"

void
api_unit_add(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_units_list(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_unit_get(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}

void
api_unit_merge(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	(void)req, (void)p;
	vhd_reply_error(resp, VHCV_ERROR, NULL, "not implemented yet");
	resp->status = 501;
}
