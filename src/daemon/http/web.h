/*
 * People in browsers (issue #12): accounts with argon2id passwords,
 * server-side sessions carried by a cookie, CSRF tokens for unsafe
 * requests, and the static pages under /ui/.
 */
#ifndef VHD_WEB_H
#define VHD_WEB_H

#include <microhttpd.h>

#include "http.h"

#define VHD_SESSION_COOKIE "vhcv_session"
#define VHD_CSRF_HEADER "X-CSRF-Token"

/* the configuration sessions and pages follow (set once at start) */
extern const struct vhd_config *vhd_web_config;
void vhd_web_init(const struct vhd_config *cfg);

/*
 * Identify a TCP request without a bearer token by its session cookie:
 * a live session of an enabled account fills id (its access owned by id)
 * and counts as use (idle expiry starts again). Otherwise id is unchanged.
 */
void vhd_session_identify(struct MHD_Connection *c, struct vhd_identity *id);
/* free what id owns */
void vhd_identity_clear(struct vhd_identity *id);
/*
 * An unsafe request (not GET or HEAD) made with a session cookie must
 * carry the session's CSRF token in X-CSRF-Token; false sets 403.
 */
bool vhd_session_csrf_ok(struct vhd_request *req, struct vhd_response *resp);

/* GET /, /ui and /ui/...: the pages; false when the path is not theirs */
bool vhd_ui_serve(struct vhd_request *req, struct vhd_response *resp);

/* account names: what the CHECK of migration 0040 allows */
bool vhd_account_name_ok(const char *s);

/* name is an identity of the configuration file */
bool vhd_name_configured(const char *name);

/* argon2id: encoded hash of password into out (len >= 128). 0 or -1. */
int vhd_password_hash(const char *password, char *out, size_t len);
/* whether password matches the encoded hash */
bool vhd_password_check(const char *encoded, const char *password);

#endif
