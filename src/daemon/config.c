#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "config.h"
#include "vhcv_build.h"
#include "date.h"
#include "log.h"
#include "yamldoc.h"

const char *const vhd_role_names[] = {
	"inspector", "unit_head", "hr", "auditor", "admin", NULL,
};

static const char *const loglevel_names[] = {
	"error", "warn", "info", "debug", NULL,
};

/* a path relative to the config file's folder */
static int
cfg_path(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	 char **out)
{
	const char *s;

	if (vh_ystr(c, n, what, &s) < 0)
		return -1;
	free(*out);
	if ((*out = vh_path_relative_to(c->file, s)) == NULL) {
		vh_yerr(c, n, "out of memory");
		return -1;
	}
	return 0;
}

static int
cfg_int(struct vh_yctx *c, const struct vh_ynode *map, const char *key,
	long long min, long long max, int *out)
{
	const struct vh_ynode *n = vh_ymap_get(map, key);
	long long v;

	if (n == NULL)
		return 0;
	if (vh_yint(c, n, key, min, max, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
cfg_size(struct vh_yctx *c, const struct vh_ynode *map, const char *key,
	 long long min, long long max, size_t *out)
{
	const struct vh_ynode *n = vh_ymap_get(map, key);
	long long v;

	if (n == NULL)
		return 0;
	if (vh_yint(c, n, key, min, max, &v) < 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

static bool
is_loopback(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 ||
	       strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0;
}

static void
parse_listen(struct vh_yctx *c, struct vhd_config *cfg, const struct vh_ynode *seq)
{
	static const char *const known[] = { "unix", "mode", "tcp", "tls_cert",
					     "tls_key", NULL };

	if (vh_yexpect(c, seq, VH_YSEQ, "listen") < 0)
		return;
	if (seq->n == 0)
		vh_yerr(c, seq, "listen: needs at least one address");
	if ((cfg->listen = calloc(seq->n ? seq->n : 1, sizeof(*cfg->listen))) == NULL)
		return;
	for (size_t i = 0; i < seq->n; i++) {
		const struct vh_ynode *m = seq->items[i], *u, *t, *mode, *crt, *key;
		struct vhd_listen *l = &cfg->listen[cfg->nlisten++];

		if (vh_yexpect(c, m, VH_YMAP, "listen entry") < 0)
			continue;
		vh_ymap_check(c, m, known, NULL);
		u = vh_ymap_get(m, "unix");
		t = vh_ymap_get(m, "tcp");
		mode = vh_ymap_get(m, "mode");
		crt = vh_ymap_get(m, "tls_cert");
		key = vh_ymap_get(m, "tls_key");
		if ((u == NULL) == (t == NULL)) {
			vh_yerr(c, m, "listen entry: give exactly one of 'unix' or 'tcp'");
			continue;
		}
		if (u) {
			l->kind = VHD_LISTEN_UNIX;
			l->mode = 0660;
			cfg_path(c, u, "unix", &l->path);
			if (mode) {
				long long v;
				char *end;
				if (vh_yexpect(c, mode, VH_YSCALAR, "mode") == 0) {
					errno = 0;
					v = strtoll(mode->value, &end, 8);
					if (*end || errno || mode->len == 0 || v < 0 || v > 0777)
						vh_yerr(c, mode, "mode: expected octal permissions like \"0660\", found '%s'",
							mode->value);
					else if (v & 0007)
						vh_yerr(c, mode, "mode: the socket must not be open to other users (found %s)",
							mode->value);
					else
						l->mode = (unsigned int)v;
				}
			}
			if (crt || key)
				vh_yerr(c, crt ? crt : key, "tls_cert and tls_key apply to tcp listeners only");
		} else {
			const char *s, *colon;
			char *end;
			long port;
			l->kind = VHD_LISTEN_TCP;
			if (mode)
				vh_yerr(c, mode, "mode applies to unix listeners only");
			if (vh_ystr(c, t, "tcp", &s) < 0)
				continue;
			colon = strrchr(s, ':');
			port = colon ? strtol(colon + 1, &end, 10) : 0;
			if (colon == NULL || colon == s || *end || colon[1] == '\0' ||
			    port < 1 || port > 65535) {
				vh_yerr(c, t, "tcp: expected HOST:PORT, found '%s'", s);
				continue;
			}
			l->port = (int)port;
			if (s[0] == '[' && colon[-1] == ']')
				l->host = vh_strndup(s + 1, (size_t)(colon - s - 2));
			else
				l->host = vh_strndup(s, (size_t)(colon - s));
			if (crt)
				cfg_path(c, crt, "tls_cert", &l->tls_cert);
			if (key)
				cfg_path(c, key, "tls_key", &l->tls_key);
			if ((crt == NULL) != (key == NULL))
				vh_yerr(c, m, "tcp listener: give both tls_cert and tls_key");
			else if (crt == NULL && l->host && !is_loopback(l->host))
				vh_yerr(c, t, "tcp: plain HTTP is allowed only on loopback; give tls_cert and tls_key for '%s'",
					l->host);
		}
	}
}

static bool
is_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

static void
parse_access(struct vh_yctx *c, struct vhd_config *cfg, const struct vh_ynode *seq)
{
	static const char *const known[] = { "unix_user", "token_sha256", "name",
					     "role", "units", "official", NULL };
	static const char *const required[] = { "role", "units", NULL };

	if (vh_yexpect(c, seq, VH_YSEQ, "access") < 0)
		return;
	if ((cfg->access = calloc(seq->n ? seq->n : 1, sizeof(*cfg->access))) == NULL)
		return;
	for (size_t i = 0; i < seq->n; i++) {
		const struct vh_ynode *m = seq->items[i], *user, *tok, *name, *n;
		struct vhd_access *a = &cfg->access[cfg->naccess++];
		int role;

		if (vh_yexpect(c, m, VH_YMAP, "access entry") < 0)
			continue;
		vh_ymap_check(c, m, known, required);
		user = vh_ymap_get(m, "unix_user");
		tok = vh_ymap_get(m, "token_sha256");
		name = vh_ymap_get(m, "name");
		if ((user == NULL) == (tok == NULL)) {
			vh_yerr(c, m, "access entry: give exactly one of 'unix_user' or 'token_sha256'");
			continue;
		}
		if (user)
			vh_ystrdup(c, user, "unix_user", &a->unix_user);
		if (tok && vh_ystrdup(c, tok, "token_sha256", &a->token_sha256) == 0 &&
		    !is_hex64(a->token_sha256))
			vh_yerr(c, tok, "token_sha256: expected 64 lowercase hex digits (sha256sum of the token)");
		if (name)
			vh_ystrdup(c, name, "name", &a->name);
		else if (tok)
			vh_yerr(c, m, "access entry: a token needs a 'name' for the logs");
		else
			a->name = vh_strdup(a->unix_user);
		if ((n = vh_ymap_get(m, "role")) && vh_yenum(c, n, "role", vhd_role_names, &role) == 0)
			a->role = (enum vhd_role)role;
		if ((n = vh_ymap_get(m, "official")))
			vh_ystrdup(c, n, "official", &a->official);
		if ((n = vh_ymap_get(m, "units")) && vh_yexpect(c, n, VH_YSEQ, "units") == 0) {
			if (n->n == 0)
				vh_yerr(c, n, "units: list at least one unit code, or \"*\"");
			if ((a->units = calloc(n->n ? n->n : 1, sizeof(char *))) == NULL)
				continue;
			for (size_t k = 0; k < n->n; k++) {
				const char *code;
				const struct vh_ynode *u = n->items[k];
				if (u->type == VH_YSCALAR && strcmp(u->value, "*") == 0)
					code = "*";
				else if (vh_ycode(c, u, "unit", &code) < 0)
					continue;
				a->units[a->nunits++] = vh_strdup(code);
			}
		}
	}
	/* identities must be unique, or the access check is ambiguous */
	for (size_t i = 0; i < cfg->naccess; i++)
		for (size_t j = 0; j < i; j++) {
			const struct vhd_access *a = &cfg->access[i], *b = &cfg->access[j];
			if ((a->unix_user && b->unix_user && strcmp(a->unix_user, b->unix_user) == 0) ||
			    (a->token_sha256 && b->token_sha256 &&
			     strcmp(a->token_sha256, b->token_sha256) == 0))
				vh_yerr(c, seq->items[i], "access entry: the same identity as entry %zu",
					j + 1);
			/* names are who reported, acted and is logged: one each */
			else if (a->name && b->name && strcmp(a->name, b->name) == 0)
				vh_yerr(c, seq->items[i], "access entry: the same name as entry %zu",
					j + 1);
		}
}

/* a libpq connection string (or a database name), checked as libpq reads it */
static void
cfg_dsn(struct vh_yctx *c, const struct vh_ynode *m, const char *key, char **out)
{
	const struct vh_ynode *n = vh_ymap_get(m, key);
	PQconninfoOption *opts;
	char *err = NULL;

	if (n == NULL || vh_ystrdup(c, n, key, out) < 0 || *out == NULL)
		return;
	/* as vhd_db_connect passes it: without '=' or a URI, a database name */
	if (strchr(*out, '=') == NULL && strncmp(*out, "postgres://", 11) != 0 &&
	    strncmp(*out, "postgresql://", 13) != 0)
		return;
	if ((opts = PQconninfoParse(*out, &err)) == NULL) {
		vh_yerr(c, n, "%s: not a libpq connection string: %.*s", key,
			err ? (int)strcspn(err, "\n") : 13, err ? err : "out of memory");
		PQfreemem(err);
		return;
	}
	PQconninfoFree(opts);
}

static void
parse_database(struct vh_yctx *c, struct vhd_config *cfg, const struct vh_ynode *m)
{
	static const char *const known[] = { "dsn", "migrate_dsn", "pool",
					     "statement_timeout_ms", "read_dsn", NULL };
	static const char *const required[] = { "dsn", NULL };

	if (vh_yexpect(c, m, VH_YMAP, "database") < 0)
		return;
	vh_ymap_check(c, m, known, required);
	cfg_dsn(c, m, "dsn", &cfg->dsn);
	cfg_dsn(c, m, "migrate_dsn", &cfg->migrate_dsn);
	cfg_dsn(c, m, "read_dsn", &cfg->read_dsn);
	cfg_int(c, m, "pool", 1, 256, &cfg->pool);
	cfg_int(c, m, "statement_timeout_ms", 100, 600000, &cfg->statement_timeout_ms);
}

static void
parse_limits(struct vh_yctx *c, struct vhd_config *cfg, const struct vh_ynode *m)
{
	static const char *const known[] = { "threads", "max_body_bytes",
					     "max_evidence_bytes", "max_connections",
					     "idle_timeout_s", NULL };

	if (vh_yexpect(c, m, VH_YMAP, "limits") < 0)
		return;
	vh_ymap_check(c, m, known, NULL);
	cfg_int(c, m, "threads", 1, 256, &cfg->threads);
	cfg_size(c, m, "max_body_bytes", 1024, 64LL << 20, &cfg->max_body_bytes);
	cfg_size(c, m, "max_evidence_bytes", 1024, 1LL << 30, &cfg->max_evidence_bytes);
	cfg_int(c, m, "max_connections", 1, 100000, &cfg->max_connections);
	cfg_int(c, m, "idle_timeout_s", 1, 3600, &cfg->idle_timeout_s);
}

static void
parse_web(struct vh_yctx *c, struct vhd_config *cfg, const struct vh_ynode *m)
{
	static const char *const known[] = { "ui_dir", "session_idle_s", "session_absolute_s",
					     "signin_max_failures", "signin_max_failures_address",
					     "signin_window_s", "sso_proxy", "sso_header", NULL };
	const struct vh_ynode *n;

	if (vh_yexpect(c, m, VH_YMAP, "web") < 0)
		return;
	vh_ymap_check(c, m, known, NULL);
	if ((n = vh_ymap_get(m, "ui_dir")))
		cfg_path(c, n, "ui_dir", &cfg->ui_dir);
	cfg_int(c, m, "session_idle_s", 1, 7 * 86400, &cfg->session_idle_s);
	cfg_int(c, m, "session_absolute_s", 1, 30 * 86400, &cfg->session_absolute_s);
	cfg_int(c, m, "signin_max_failures", 1, 1000, &cfg->signin_max_failures);
	cfg_int(c, m, "signin_max_failures_address", 1, 100000,
		&cfg->signin_max_failures_address);
	cfg_int(c, m, "signin_window_s", 1, 86400, &cfg->signin_window_s);
	if ((n = vh_ymap_get(m, "sso_proxy")))
		vh_ystrdup(c, n, "sso_proxy", &cfg->sso_proxy);
	if ((n = vh_ymap_get(m, "sso_header")))
		vh_ystrdup(c, n, "sso_header", &cfg->sso_header);
	if ((cfg->sso_proxy == NULL) != (cfg->sso_header == NULL))
		vh_yerr(c, m, "web: give both sso_proxy and sso_header, or neither");
}

/* warnings: {cases: N, window_days: D} (vhcvd.yaml(5)) */
static void
parse_warnings(struct vh_yctx *c, struct vhd_config *cfg, const struct vh_ynode *m)
{
	static const char *const known[] = { "cases", "window_days", NULL };

	if (vh_yexpect(c, m, VH_YMAP, "warnings") < 0)
		return;
	vh_ymap_check(c, m, known, NULL);
	cfg_int(c, m, "cases", 1, 1000, &cfg->warn_cases);
	cfg_int(c, m, "window_days", 1, 3660, &cfg->warn_window_days);
}

int
vhd_config_parse(struct vhd_config **out, const char *file, const char *buf,
		 size_t len, struct vh_diag *d)
{
	static const char *const known[] = { "listen", "database", "rules", "legal",
					     "migrations", "log_level", "limits",
					     "seal_interval_s", "user", "access", "timezone",
					     "scheduler_interval_s", "warnings", "web", NULL };
	static const char *const required[] = { "listen", "database", "rules",
						"legal", "access", NULL };
	struct vhd_config *cfg;
	struct vh_ydoc *doc = NULL;
	struct vh_yctx c = { file, d };
	const struct vh_ynode *root, *n;
	size_t before = vh_diag_count(d);

	*out = NULL;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return -1;
	cfg->file = vh_strdup(file);
	cfg->pool = 4;
	cfg->statement_timeout_ms = 5000;
	cfg->log_level = 2;
	cfg->threads = 4;
	cfg->max_body_bytes = 1 << 20;
	cfg->max_evidence_bytes = 10 << 20;
	cfg->max_connections = 256;
	cfg->idle_timeout_s = 30;
	cfg->seal_interval_s = 3600;
	cfg->session_idle_s = 30 * 60;
	cfg->session_absolute_s = 12 * 3600;
	cfg->signin_max_failures = 5;
	cfg->signin_max_failures_address = 50;
	cfg->signin_window_s = 15 * 60;
	cfg->scheduler_interval_s = 60;
	cfg->warn_cases = 3;
	cfg->warn_window_days = 365;
	if (vh_ydoc_parse(&doc, file, buf, len, NULL, d) < 0)
		goto out;
	root = doc->root;
	if (root == NULL) {
		vh_diag_add(d, file, 1, 1, "the file is empty");
		goto out;
	}
	if (vh_yexpect(&c, root, VH_YMAP, "configuration") < 0)
		goto out;
	vh_ymap_check(&c, root, known, required);
	if ((n = vh_ymap_get(root, "listen")))
		parse_listen(&c, cfg, n);
	if ((n = vh_ymap_get(root, "database")))
		parse_database(&c, cfg, n);
	if ((n = vh_ymap_get(root, "rules")))
		cfg_path(&c, n, "rules", &cfg->rules_path);
	if ((n = vh_ymap_get(root, "legal")))
		cfg_path(&c, n, "legal", &cfg->legal_path);
	if ((n = vh_ymap_get(root, "migrations")))
		cfg_path(&c, n, "migrations", &cfg->migrations_path);
	if ((n = vh_ymap_get(root, "log_level")))
		vh_yenum(&c, n, "log_level", loglevel_names, &cfg->log_level);
	if ((n = vh_ymap_get(root, "limits")))
		parse_limits(&c, cfg, n);
	cfg_int(&c, root, "seal_interval_s", 0, 7 * 86400, &cfg->seal_interval_s);
	cfg_int(&c, root, "scheduler_interval_s", 0, 86400, &cfg->scheduler_interval_s);
	if ((n = vh_ymap_get(root, "warnings")))
		parse_warnings(&c, cfg, n);
	if ((n = vh_ymap_get(root, "user")))
		vh_ystrdup(&c, n, "user", &cfg->user);
	if ((n = vh_ymap_get(root, "access")))
		parse_access(&c, cfg, n);
	if ((n = vh_ymap_get(root, "web")))
		parse_web(&c, cfg, n);
	if ((n = vh_ymap_get(root, "timezone")) &&
	    vh_ystrdup(&c, n, "timezone", &cfg->timezone) == 0 && !vh_date_zone_valid(cfg->timezone))
		vh_yerr(&c, n, "timezone: no time zone '%s' (an IANA name such as Asia/Ho_Chi_Minh)",
			cfg->timezone);
out:
	vh_ydoc_free(doc);
	if (vh_diag_count(d) != before) {
		vhd_config_free(cfg);
		return -1;
	}
	if (cfg->migrate_dsn == NULL)
		cfg->migrate_dsn = vh_strdup(cfg->dsn);
	if (cfg->ui_dir == NULL)
		cfg->ui_dir = vh_strdup(VHCV_DATADIR "/ui");
	if (cfg->timezone == NULL)
		cfg->timezone = vh_strdup(VH_DATE_DEFAULT_ZONE);
	*out = cfg;
	return 0;
}

int
vhd_config_load(struct vhd_config **out, const char *path, struct vh_diag *d)
{
	char *buf = NULL;
	size_t len;
	int r;

	*out = NULL;
	if ((r = vh_file_read(path, VHD_CONFIG_MAX_BYTES, &buf, &len)) < 0) {
		if (r == -EFBIG)
			vh_diag_add(d, path, 0, 0, "larger than %d bytes", VHD_CONFIG_MAX_BYTES);
		else
			vh_diag_add(d, path, 0, 0, "cannot read: %s", strerror(-r));
		return -1;
	}
	r = vhd_config_parse(out, path, buf, len, d);
	free(buf);
	return r;
}

void
vhd_config_free(struct vhd_config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nlisten; i++) {
		free(c->listen[i].path);
		free(c->listen[i].host);
		free(c->listen[i].tls_cert);
		free(c->listen[i].tls_key);
	}
	free(c->listen);
	for (size_t i = 0; i < c->naccess; i++) {
		struct vhd_access *a = &c->access[i];
		free(a->unix_user);
		free(a->token_sha256);
		free(a->name);
		free(a->official);
		for (size_t k = 0; k < a->nunits; k++)
			free(a->units[k]);
		free(a->units);
	}
	free(c->access);
	free(c->file);
	free(c->dsn);
	free(c->migrate_dsn);
	free(c->read_dsn);
	free(c->rules_path);
	free(c->legal_path);
	free(c->migrations_path);
	free(c->user);
	free(c->ui_dir);
	free(c->sso_proxy);
	free(c->sso_header);
	free(c->timezone);
	free(c);
}
