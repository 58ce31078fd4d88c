/* config/vhcvd.yaml: the service configuration (format in vhcvd.yaml(5)). */
#ifndef VHD_CONFIG_H
#define VHD_CONFIG_H

#include "common.h"

enum vhd_role {
	VHD_ROLE_INSPECTOR,
	VHD_ROLE_UNIT_HEAD,
	VHD_ROLE_HR,
	VHD_ROLE_AUDITOR,
	VHD_ROLE_ADMIN,
};
extern const char *const vhd_role_names[]; /* NULL-terminated, by enum */

enum vhd_listen_kind { VHD_LISTEN_UNIX, VHD_LISTEN_TCP };

struct vhd_listen {
	enum vhd_listen_kind kind;
	char *path;        /* unix: socket path (resolved) */
	unsigned int mode; /* unix: permission bits, default 0660 */
	char *host;        /* tcp: address */
	int port;          /* tcp */
	char *tls_cert;    /* tcp: PEM files (resolved), both or neither */
	char *tls_key;
};

struct vhd_access {
	char *unix_user;     /* a local user, identified by SO_PEERCRED */
	char *token_sha256;  /* or the SHA-256 (hex) of a bearer token */
	char *name;          /* the identity in logs and events */
	enum vhd_role role;
	char **units;        /* unit codes; "*" is every unit */
	size_t nunits;
	char *official;      /* personnel code of the person, or NULL */
};

struct vhd_config {
	char *file;
	struct vhd_listen *listen;
	size_t nlisten;
	char *dsn;            /* libpq connection string of the daemon role */
	char *migrate_dsn;    /* of the schema owner, for --migrate */
	char *read_dsn;       /* for heavy reads that may be stale, or NULL */
	int pool;             /* database connections */
	int statement_timeout_ms;
	char *rules_path;     /* file or folder (resolved) */
	char *legal_path;
	char *migrations_path;
	int log_level;        /* enum vhd_loglevel */
	int threads;
	size_t max_body_bytes;
	size_t max_evidence_bytes;
	int max_connections;
	int idle_timeout_s;
	int seal_interval_s;  /* seal the event log this often; 0: never */
	int scheduler_interval_s; /* look for effects that ended this often; 0: never */
	int warn_cases;       /* early warning: this many cases in one rule group */
	int warn_window_days; /* ... detected within this many days */
	char *user;           /* started as root: run as this user after binding */
	char *timezone;       /* the register's calendar day (IANA name) */
	struct vhd_access *access;
	size_t naccess;
	/* web: the pages under /ui/, sessions, sign-in limits, SSO (issue #12) */
	char *ui_dir;            /* static assets of /ui/ (resolved) */
	int session_idle_s;      /* a session unused this long ends */
	int session_absolute_s;  /* a session ends this long after sign-in */
	int signin_max_failures; /* failed sign-ins per account in the window */
	int signin_max_failures_address; /* per client address */
	int signin_window_s;
	char *sso_proxy;         /* the reverse proxy's address, or NULL: SSO off */
	char *sso_header;        /* the header naming the account it signed in */
};

/* Largest configuration file we read. */
#define VHD_CONFIG_MAX_BYTES (1024 * 1024)

/* Parse a buffer; file names it in messages and anchors relative paths. */
int vhd_config_parse(struct vhd_config **out, const char *file,
		     const char *buf, size_t len, struct vh_diag *d);
/* Read and parse a file. 0, or -1 with every error in d. */
int vhd_config_load(struct vhd_config **out, const char *path,
		    struct vh_diag *d);
void vhd_config_free(struct vhd_config *c);

#endif
