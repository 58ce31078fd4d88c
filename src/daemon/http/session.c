/*
 * Sessions of accounts (issue #12). Sign-in checks the password against
 * its argon2id hash and opens a session known to the database by the
 * SHA-256 of a random cookie; each request with the cookie finds the
 * session, ends it when idle or too old, and takes the account's role and
 * units as its identity. Unsafe requests must repeat the session's CSRF
 * token in a header, which a page of another site cannot read or set.
 * Failed sign-ins are counted per account and per address in a window;
 * every sign-in, failure and sign-out is logged and recorded.
 */
#include <argon2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "dbq.h"
#include "json_in.h"
#include "log.h"
#include "routes.h"
#include "web.h"

const struct vhd_config *vhd_web_config;
#define web_cfg vhd_web_config

/* argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane) */
#define PW_T 2
#define PW_M 19456
#define PW_P 1
#define PW_SALT 16
#define PW_HASH 32

void
vhd_web_init(const struct vhd_config *cfg)
{
	web_cfg = cfg;
}

bool
vhd_name_configured(const char *name)
{
	for (size_t i = 0; web_cfg && i < web_cfg->naccess; i++)
		if (web_cfg->access[i].name && strcmp(web_cfg->access[i].name, name) == 0)
			return true;
	return false;
}

int
vhd_password_hash(const char *password, char *out, size_t len)
{
	unsigned char salt[PW_SALT];

	if (getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
		return -1;
	return argon2id_hash_encoded(PW_T, PW_M, PW_P, password, strlen(password), salt,
				     sizeof(salt), PW_HASH, out, len) == ARGON2_OK ? 0 : -1;
}

bool
vhd_password_check(const char *encoded, const char *password)
{
	return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

/* a hash no password matches, so that an unknown name costs the same time */
static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_init(void)
{
	if (vhd_password_hash("no account has this password", dummy_hash, sizeof(dummy_hash)) < 0)
		dummy_hash[0] = '\0';
}

/* 32 random bytes as 64 hex digits */
static int
random_hex(char out[65])
{
	unsigned char b[32];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

static bool
same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static bool
is_loopback_addr(const char *a)
{
	return strcmp(a, "unix") == 0 || strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 ||
	       strncmp(a, "::ffff:127.", 11) == 0;
}

bool
vhd_account_name_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char ch = s[n];
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		if (!alnum && (n == 0 || strchr("._@-", ch) == NULL))
			return false;
	}
	return n >= 1 && n <= 64;
}

/* an access entry from the account's columns: name, role, units (space
 * separated), official */
static struct vhd_access *
access_from(const char *name, const char *role, const char *units, const char *official)
{
	struct vhd_access *a = calloc(1, sizeof(*a));
	char *copy, *save = NULL;
	size_t n = 1;

	if (a == NULL)
		return NULL;
	a->name = vh_strdup(name);
	a->official = official ? vh_strdup(official) : NULL;
	for (int i = 0; vhd_role_names[i]; i++)
		if (strcmp(vhd_role_names[i], role) == 0)
			a->role = (enum vhd_role)i;
	for (const char *p = units; *p; p++)
		n += *p == ' ';
	a->units = calloc(n, sizeof(char *));
	copy = vh_strdup(units);
	if (a->units && copy)
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
			a->units[a->nunits++] = vh_strdup(t);
	free(copy);
	return a;
}

static void
access_free(struct vhd_access *a)
{
	if (a == NULL)
		return;
	free(a->name);
	free(a->official);
	for (size_t i = 0; i < a->nunits; i++)
		free(a->units[i]);
	free(a->units);
	free(a);
}

void
vhd_identity_clear(struct vhd_identity *id)
{
	access_free(id->session_access);
	id->session_access = NULL;
	id->access = NULL;
}

static void
int_str(char buf[24], long long v)
{
	snprintf(buf, 24, "%lld", v);
}

void
vhd_session_identify(struct MHD_Connection *c, struct vhd_identity *id)
{
	const char *tok = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, VHD_SESSION_COOKIE);
	struct vhd_response r = { .status = 0 };
	char sha[VH_SHA256_HEX], idle[24], abs_[24];
	PGresult *res = NULL;
	PGconn *conn;

	if (tok == NULL || web_cfg == NULL)
		return;
	snprintf(id->name, sizeof(id->name), "session:unknown");
	if (strlen(tok) != 64 || vh_sha256_hex(sha, tok, 64) < 0)
		return;
	if ((conn = vhd_conn(&r)) == NULL)
		goto out;
	int_str(idle, web_cfg->session_idle_s);
	int_str(abs_, web_cfg->session_absolute_s);
	res = vhd_qrows(conn, &r,
			"UPDATE sessions s SET last_seen = now() FROM accounts a"
			" WHERE s.token_sha256 = $1 AND a.id = s.account_id AND s.ended_at IS NULL"
			" AND NOT a.disabled"
			" AND s.last_seen > now() - $2::int * interval '1 second'"
			" AND s.created_at > now() - $3::int * interval '1 second'"
			" RETURNING a.name, a.role, array_to_string(a.units, ' '), a.official, s.csrf",
			3, (const char *[]){ sha, idle, abs_ }, 5);
	vhd_conn_put(conn);
	if (res == NULL || PQntuples(res) != 1)
		goto out;
	id->session_access = access_from(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
					 PQgetvalue(res, 0, 2), vhd_val(res, 0, 3));
	if (id->session_access == NULL || id->session_access->name == NULL)
		goto out;
	id->access = id->session_access;
	snprintf(id->name, sizeof(id->name), "%s", id->access->name);
	snprintf(id->session_sha, sizeof(id->session_sha), "%s", sha);
	snprintf(id->session_csrf, sizeof(id->session_csrf), "%s", PQgetvalue(res, 0, 4));
out:
	PQclear(res);
	vhd_reply_free(&r);
}

bool
vhd_session_csrf_ok(struct vhd_request *req, struct vhd_response *resp)
{
	const char *h;

	if (req->id.session_access == NULL || strcmp(req->method, "GET") == 0 ||
	    strcmp(req->method, "HEAD") == 0)
		return true;
	h = vhd_header(req, VHD_CSRF_HEADER);
	if (h && same_secret(h, req->id.session_csrf))
		return true;
	log_warnx("denied identity=%s method=%s path=%s reason=\"%s CSRF token\"", req->id.name,
		  req->method, req->path, h ? "wrong" : "missing");
	vhd_reply_error(resp, VHCV_EFORBIDDEN, VHD_CSRF_HEADER,
			"%s CSRF token: a request made with the session cookie must repeat the "
			"session's csrf_token in the " VHD_CSRF_HEADER " header",
			h ? "wrong" : "missing");
	return false;
}

static void
set_cookie(struct vhd_request *req, struct vhd_response *resp, const char *value, int max_age)
{
	char addr[64], buf[256];

	vhd_client_addr(req, addr, sizeof(addr));
	snprintf(buf, sizeof(buf), VHD_SESSION_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
		 value, max_age, is_loopback_addr(addr) ? "" : "; Secure");
	vhd_reply_header(resp, "Set-Cookie", buf);
}

/* the register's zone, in which the pages show times */
static const char *
time_zone(void)
{
	return web_cfg && web_cfg->timezone ? web_cfg->timezone : "UTC";
}

/* who is asking, as GET /v1/session and sign-in answer it */
static json_t *
session_json(const struct vhd_access *a, const char *display_name, const char *via,
	     const char *csrf, const char *expires_at)
{
	json_t *units = json_array();
	json_t *j;

	for (size_t i = 0; units && i < a->nunits; i++)
		json_array_append_new(units, json_string(a->units[i]));
	j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:i, s:s}", "name", a->name,
		      "display_name", display_name, "role", vhd_role_names[a->role],
		      "units", units ? units : json_array(),
		      "official", a->official ? json_string(a->official) : json_null(),
		      "via", via, "csrf_token", csrf ? json_string(csrf) : json_null(),
		      "expires_at", expires_at ? json_string(expires_at) : json_null(),
		      "idle_timeout_s", web_cfg ? web_cfg->session_idle_s : 0,
		      "time_zone", time_zone());
	return j;
}

static void
record_attempt(PGconn *conn, const char *name, const char *addr, bool ok)
{
	struct vhd_response r = { .status = 0 };

	vhd_exec(conn, &r, "INSERT INTO signin_attempts (name, address, ok) VALUES ($1, $2, $3)",
		 3, (const char *[]){ name, addr, ok ? "t" : "f" });
	vhd_reply_free(&r);
}

void
api_session_create(struct vhd_request *req, const struct vhd_params *p,
		   struct vhd_response *resp)
{
	static const char *const known[] = { "name", "password", NULL };
	const char *name = NULL, *password = NULL, *hdr;
	char addr[64], win[24], abs_[24], token[65], csrf[65], sha[VH_SHA256_HEX];
	PGresult *lim = NULL, *acc = NULL, *ses = NULL;
	struct vhd_access *a = NULL;
	PGconn *conn = NULL;
	struct vhd_in in;
	bool sso = false, ok;

	(void)p;
	vhd_client_addr(req, addr, sizeof(addr));
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	/* behind a single sign-on proxy: the proxy names the account */
	if (web_cfg && web_cfg->sso_proxy && strcmp(addr, web_cfg->sso_proxy) == 0 &&
	    (hdr = vhd_header(req, web_cfg->sso_header)) != NULL) {
		name = hdr;
		sso = true;
	} else {
		vhd_in_str(&in, "name", true, 64, &name);
		vhd_in_str(&in, "password", true, 1024, &password);
	}
	if (in.failed)
		goto out;
	if (!vhd_account_name_ok(name)) {
		vhd_reply_error(resp, VHCV_EINVALID, "name",
				"'name' must be 1 to 64 of a-z, 0-9, '.', '_', '@', '-'");
		goto out;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	int_str(win, web_cfg->signin_window_s);
	int_str(abs_, web_cfg->session_absolute_s);
	lim = vhd_qrows(conn, resp,
			"SELECT (SELECT count(*) FROM signin_attempts WHERE name = $1 AND NOT ok"
			"  AND at > now() - $3::int * interval '1 second'),"
			" (SELECT count(*) FROM signin_attempts WHERE address = $2 AND NOT ok"
			"  AND at > now() - $3::int * interval '1 second')",
			3, (const char *[]){ name, addr, win }, 2);
	if (lim == NULL)
		goto out;
	if (atoi(PQgetvalue(lim, 0, 0)) >= web_cfg->signin_max_failures ||
	    atoi(PQgetvalue(lim, 0, 1)) >= web_cfg->signin_max_failures_address) {
		log_warnx("signin refused name=%s address=%s reason=\"too many failures\"", name, addr);
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, "name",
				"too many failed sign-ins for this account or address; try again in %d minutes",
				(web_cfg->signin_window_s + 59) / 60);
		resp->status = 429;
		vhd_reply_header(resp, "Retry-After", win);
		goto out;
	}
	acc = vhd_qrows(conn, resp,
			"SELECT id, password_hash, disabled, display_name, role,"
			" array_to_string(units, ' '), official, "
			VHD_SQL_TIME("(now() + $2::int * interval '1 second')")
			" FROM accounts WHERE name = $1",
			2, (const char *[]){ name, abs_ }, 8);
	if (acc == NULL)
		goto out;
	pthread_once(&dummy_once, dummy_init);
	if (sso)
		ok = PQntuples(acc) == 1;
	else if (PQntuples(acc) == 1 && vhd_val(acc, 0, 1))
		ok = vhd_password_check(PQgetvalue(acc, 0, 1), password);
	else
		ok = vhd_password_check(dummy_hash, password) && false;
	if (!ok || vhd_val(acc, 0, 2)[0] == 't') {
		const char *why = !ok ? (PQntuples(acc) ? "wrong password" : "no such account")
				      : "account disabled";
		record_attempt(conn, name, addr, false);
		log_warnx("signin failed name=%s address=%s sso=%s reason=\"%s\"", name, addr,
			  sso ? "yes" : "no", why);
		if (ok) /* the password was right: say why it is refused */
			vhd_reply_error(resp, VHCV_EFORBIDDEN, "name", "account %s is disabled", name);
		else
			vhd_reply_error(resp, VHCV_EUNAUTHORIZED, "password", "wrong name or password");
		goto out;
	}
	if (random_hex(token) < 0 || random_hex(csrf) < 0 || vh_sha256_hex(sha, token, 64) < 0) {
		vhd_reply_error(resp, VHCV_ERROR, NULL, "no randomness for a session");
		goto out;
	}
	ses = vhd_q(conn, resp,
		    "INSERT INTO sessions (token_sha256, account_id, csrf, address)"
		    " VALUES ($1, $2::bigint, $3, $4)",
		    4, (const char *[]){ sha, PQgetvalue(acc, 0, 0), csrf, addr });
	if (ses == NULL)
		goto out;
	record_attempt(conn, name, addr, true);
	log_info("signin name=%s address=%s sso=%s", name, addr, sso ? "yes" : "no");
	a = access_from(name, PQgetvalue(acc, 0, 4), PQgetvalue(acc, 0, 5), vhd_val(acc, 0, 6));
	if (a == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	vhd_reply_json(resp, 201, session_json(a, PQgetvalue(acc, 0, 3), "session", csrf,
					       PQgetvalue(acc, 0, 7)));
	set_cookie(req, resp, token, web_cfg->session_absolute_s);
out:
	if (conn)
		vhd_conn_put(conn);
	access_free(a);
	PQclear(lim);
	PQclear(acc);
	PQclear(ses);
	vhd_in_close(&in);
}

void
api_session_get(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	const struct vhd_access *a = req->id.access;
	PGresult *res = NULL;
	PGconn *conn;
	char abs_[24];

	(void)p;
	if (a == NULL) {
		vhd_reply_error(resp, VHCV_EUNAUTHORIZED, NULL, "not signed in");
		return;
	}
	if (req->id.session_access == NULL) {
		vhd_reply_json(resp, 200, session_json(a, a->name, req->id.via_unix ? "unix" : "token",
						       NULL, NULL));
		return;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		return;
	int_str(abs_, web_cfg->session_absolute_s);
	res = vhd_qrows(conn, resp,
			"SELECT a.display_name, "
			VHD_SQL_TIME("(s.created_at + $2::int * interval '1 second')")
			" FROM sessions s JOIN accounts a ON a.id = s.account_id"
			" WHERE s.token_sha256 = $1",
			2, (const char *[]){ req->id.session_sha, abs_ }, 2);
	vhd_conn_put(conn);
	if (res == NULL)
		return;
	if (PQntuples(res) == 1)
		vhd_reply_json(resp, 200, session_json(a, PQgetvalue(res, 0, 0), "session",
						       req->id.session_csrf, PQgetvalue(res, 0, 1)));
	else
		vhd_reply_error(resp, VHCV_EUNAUTHORIZED, NULL, "the session ended");
	PQclear(res);
}

void
api_session_delete(struct vhd_request *req, const struct vhd_params *p,
		   struct vhd_response *resp)
{
	PGconn *conn;
	char addr[64];

	(void)p;
	if (req->id.session_access == NULL) {
		vhd_reply_error(resp, VHCV_EINVALID, NULL,
				"%s is not signed in with a session cookie", req->id.name);
		return;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		return;
	if (vhd_exec(conn, resp,
		     "UPDATE sessions SET ended_at = now(), end_reason = 'signout'"
		     " WHERE token_sha256 = $1 AND ended_at IS NULL",
		     1, (const char *[]){ req->id.session_sha }) == 0) {
		log_info("signout name=%s address=%s", req->id.name,
			 vhd_client_addr(req, addr, sizeof(addr)));
		vhd_reply_json(resp, 200, json_pack("{s:b}", "signed_out", 1));
		set_cookie(req, resp, "", 0);
	}
	vhd_conn_put(conn);
}
