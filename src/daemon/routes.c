#include "routes.h"

const struct vhd_route vhd_routes[] = {
	{ "GET", "/v1/health", api_health, true },
	{ "GET", "/metrics", api_metrics, true },
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
	bool path_known = false;
	size_t len = strlen(path);

	*route = NULL;
	if (len + 1 > buflen)
		return VHCV_ENOTFOUND;
	for (size_t i = 0; i < vhd_nroutes; i++) {
		memcpy(buf, path, len + 1);
		if (!match(vhd_routes[i].pattern, buf, params))
			continue;
		if (strcmp(vhd_routes[i].method, method) == 0) {
			*route = &vhd_routes[i];
			return 0;
		}
		path_known = true;
	}
	return path_known ? VHCV_ECONFLICT : VHCV_ENOTFOUND;
}
