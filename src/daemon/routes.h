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

#endif
