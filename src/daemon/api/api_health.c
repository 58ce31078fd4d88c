#include <stdlib.h>
#include <time.h>

#include "db.h"
#include "lease.h"
#include "metrics.h"
#include "pool.h"
#include "routes.h"
#include "vhcv_build.h"

void
api_health(struct vhd_request *req, const struct vhd_params *p,
	   struct vhd_response *resp)
{
	PGconn *conn = vhd_pool_get(2000);
	int version = -1;
	char *err = NULL, at[32];
	json_t *j;

	(void)p;
	if (conn) {
		version = vhd_db_schema_version(conn, &err);
		free(err);
		vhd_pool_put(conn);
	}
	if (version < 0)
		vhd_metrics_db_error();
	j = json_pack("{s:s, s:b, s:i, s:i, s:s, s:b}",
		      "status", version >= 0 ? "ok" : "degraded",
		      "database", version >= 0,
		      "schema_version", version,
		      "schema_expected", VHD_SCHEMA_VERSION,
		      "version", VHCV_VERSION,
		      "lease", vhd_lease_held());
	if (j && req->law) {
		time_t t = (time_t)req->law->loaded_at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(j, "rules_version", json_string(req->law->version));
		json_object_set_new(j, "rules_loaded_at", json_string(at));
		json_object_set_new(j, "rules_count",
				    json_integer((json_int_t)vh_rules_count(req->law->rules)));
	}
	/* 503 tells load balancers and scripts to wait; the body says why */
	vhd_reply_json(resp, version >= 0 ? 200 : 503, j);
}

void
api_metrics(struct vhd_request *req, const struct vhd_params *p,
	    struct vhd_response *resp)
{
	(void)req, (void)p;
	resp->status = 200;
	resp->text = vhd_metrics_text();
	resp->content_type = "text/plain; version=0.0.4";
	if (resp->text == NULL)
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
}
