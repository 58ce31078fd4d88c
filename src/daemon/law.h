/* Legal steps of a case added for issue #9 (api_law.c). */
#ifndef VHD_LAW_H
#define VHD_LAW_H

#include "routes.h"

/*
 * The act days of the official's other cases (not rejected) after
 * `after`, ascending; *out is malloc'd (free it). 0 or -1 (reply set).
 */
int vhd_law_later_acts(PGconn *conn, struct vhd_response *resp, const char *official_id,
		       const char *case_id, vh_date after, vh_date **out, size_t *n);
/*
 * A new act on `occurred` (case case_id, number) restarts the limitation of
 * the official's older open cases still within their period; each change
 * is an event 'limitation_restarted'. 0 or -1 (reply set).
 */
int vhd_law_restart_others(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
			   const char *official_id, const char *case_id, const char *number,
			   vh_date occurred, const char *category);

#endif
