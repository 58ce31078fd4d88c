/*
 * The pages under /ui/ (issue #12): static files from the configured
 * folder (web.ui_dir; installed to the data directory), one flat folder of
 * names like "app.js", so that no path can leave it. Every page is sent
 * with a Content-Security-Policy that allows only this origin's scripts
 * and styles (no inline script), no framing and no other site.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "web.h"

#define UI_MAX_BYTES (2 << 20)

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
	" connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".json", "application/json" },
	{ ".ico", "image/x-icon" },
};

/* a file name of the flat folder: [a-z0-9_-]+ "." known extension */
static const char *
file_type(const char *name)
{
	const char *dot = strchr(name, '.');

	if (dot == NULL || dot == name)
		return NULL;
	for (const char *s = name; s < dot; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return NULL;
	for (size_t i = 0; i < VH_NELEM(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

static void
redirect(struct vhd_response *resp)
{
	vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "the pages are at /ui/");
	resp->status = 302;
	vhd_reply_header(resp, "Location", "/ui/");
}

bool
vhd_ui_serve(struct vhd_request *req, struct vhd_response *resp)
{
	const char *path = req->path, *name, *type;
	char file[4096];
	char *buf = NULL;
	size_t len;
	int r;

	if (strcmp(path, "/") == 0 || strcmp(path, "/ui") == 0) {
		redirect(resp);
		return true;
	}
	if (strncmp(path, "/ui/", 4) != 0)
		return false;
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		vhd_reply_error(resp, VHCV_EINVALID, NULL, "%s is not allowed on %s", req->method, path);
		resp->status = 405;
		return true;
	}
	name = path[4] ? path + 4 : "index.html";
	if ((type = file_type(name)) == NULL || vhd_web_config == NULL || vhd_web_config->ui_dir == NULL) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no such page: %s", path);
		return true;
	}
	snprintf(file, sizeof(file), "%s/%s", vhd_web_config->ui_dir, name);
	if ((r = vh_file_read(file, UI_MAX_BYTES, &buf, &len)) < 0) {
		if (r != -ENOENT)
			log_warnx("ui: %s: %s", file, strerror(-r));
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no such page: %s", path);
		return true;
	}
	resp->status = 200;
	resp->raw = buf;
	resp->raw_len = len;
	resp->content_type = type;
	vhd_reply_header(resp, "Content-Security-Policy", csp);
	vhd_reply_header(resp, "X-Content-Type-Options", "nosniff");
	vhd_reply_header(resp, "Referrer-Policy", "no-referrer");
	vhd_reply_header(resp, "X-Frame-Options", "DENY");
	return true;
}
