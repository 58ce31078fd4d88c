#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "log.h"

/* advisory lock key of migrations: "vhcv" in ASCII */
#define MIGRATE_LOCK_KEY "1986552694"

/* warnings received by this thread (vhd_db_warnings) */
static _Thread_local unsigned long warnings;

static void
notice_to_log(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorMessage(res);

	(void)arg;
	if (sev && strcmp(sev, "WARNING") == 0) {
		warnings++;
		log_warnx("postgres warning: %.*s", (int)strcspn(msg, "\n"), msg);
	} else {
		log_debug("postgres notice: %.*s", (int)strcspn(msg, "\n"), msg);
	}
}

unsigned long
vhd_db_warnings(void)
{
	return warnings;
}

PGconn *
vhd_db_connect(const char *dsn, int statement_timeout_ms, char **err)
{
	/* connect_timeout: a host that drops packets answers 503, not a hang */
	const char *keys[] = { "dbname", "client_encoding", "options",
			       "application_name", "connect_timeout", NULL };
	char options[256];
	const char *vals[6], *zone = getenv("TZ");
	PGconn *conn;

	*err = NULL;
	/* expand_dbname: the first dbname is the whole connection string.
	 * vhcv.zone: the register's calendar, for SQL's register_today().
	 * jit off: compiling a plan cost more than running it for every query
	 * vhcvd sends (yearly statistics at 100,000 cases: 2.2 s of JIT in
	 * 3.2 s; docs/performance.md, "Session 3: analytics") */
	if (zone == NULL || strlen(zone) > 64 || strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						     "abcdefghijklmnopqrstuvwxyz0123456789_+-/") !=
								  strlen(zone))
		zone = "";
	snprintf(options, sizeof(options),
		 "-c search_path=vhcv,pg_catalog -c statement_timeout=%d -c TimeZone=UTC"
		 " -c jit=off%s%s", statement_timeout_ms, *zone ? " -c vhcv.zone=" : "", zone);
	vals[0] = dsn;
	vals[1] = "UTF8";
	vals[2] = options;
	vals[3] = "vhcvd";
	vals[4] = "5";
	vals[5] = NULL;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL) {
		*err = vh_strdup("out of memory");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		const char *m = PQerrorMessage(conn);
		*err = vh_strndup(m, strcspn(m, "\n"));
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeReceiver(conn, notice_to_log, NULL);
	return conn;
}

/* Run a command expecting status; logs and returns -1 otherwise. */
static int
exec_ok(PGconn *conn, const char *sql, ExecStatusType want)
{
	PGresult *res = PQexec(conn, sql);
	int r = 0;

	if (PQresultStatus(res) != want) {
		log_warnx("database: %s", PQresultErrorMessage(res));
		r = -1;
	}
	PQclear(res);
	return r;
}

struct migration {
	int version;
	char *name;
	char *sql;
	char sha[VH_SHA256_HEX];
};

static int
cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static void
migrations_free(struct migration *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].sql);
	}
	free(m);
}

/* NNNN_name.sql */
static int
migration_version(const char *name)
{
	size_t len = strlen(name);

	if (len < 9 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return -1;
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return -1;
	return atoi(name) > 0 ? atoi(name) : -1;
}

static int
migrations_read(const char *dir, struct migration **out, size_t *outn)
{
	DIR *d;
	struct dirent *de;
	struct migration *m = NULL;
	size_t n = 0;
	int r = -1;

	*out = NULL;
	*outn = 0;
	if ((d = opendir(dir)) == NULL) {
		log_warn("migrations: %s", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		int v = migration_version(de->d_name);
		struct migration *nm;
		char *path;
		size_t len;
		int rr;

		if (v < 0)
			continue;
		if ((nm = realloc(m, (n + 1) * sizeof(*m))) == NULL)
			goto out;
		m = nm;
		memset(&m[n], 0, sizeof(m[n]));
		m[n].version = v;
		m[n].name = vh_strdup(de->d_name);
		n++;
		path = vh_asprintf("%s/%s", dir, de->d_name);
		rr = path ? vh_file_read(path, 16 << 20, &m[n - 1].sql, &len) : -ENOMEM;
		if (rr < 0) {
			log_warnx("migrations: %s: %s", path ? path : de->d_name, strerror(-rr));
			free(path);
			goto out;
		}
		free(path);
		vh_sha256_hex(m[n - 1].sha, m[n - 1].sql, len);
	}
	qsort(m, n, sizeof(*m), cmp_migration);
	for (size_t i = 1; i < n; i++)
		if (m[i].version == m[i - 1].version) {
			log_warnx("migrations: %s and %s have the same number",
				  m[i - 1].name, m[i].name);
			goto out;
		}
	*out = m;
	*outn = n;
	m = NULL;
	n = 0;
	r = 0;
out:
	migrations_free(m, n);
	closedir(d);
	return r;
}

static int
apply_one(PGconn *conn, const struct migration *m)
{
	const char *params[3];
	char version[16];
	PGresult *res;

	if (exec_ok(conn, "BEGIN", PGRES_COMMAND_OK) < 0)
		return -1;
	/* The file is ours, not input: it may hold many statements. */
	res = PQexec(conn, m->sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_warnx("migration %s failed: %s", m->name, PQresultErrorMessage(res));
		PQclear(res);
		exec_ok(conn, "ROLLBACK", PGRES_COMMAND_OK);
		return -1;
	}
	PQclear(res);
	snprintf(version, sizeof(version), "%d", m->version);
	params[0] = version;
	params[1] = m->name;
	params[2] = m->sha;
	res = PQexecParams(conn,
			   "INSERT INTO vhcv.schema_migrations (version, name, sha256)"
			   " VALUES ($1::int, $2, $3)",
			   3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_warnx("migration %s: %s", m->name, PQresultErrorMessage(res));
		PQclear(res);
		exec_ok(conn, "ROLLBACK", PGRES_COMMAND_OK);
		return -1;
	}
	PQclear(res);
	if (exec_ok(conn, "COMMIT", PGRES_COMMAND_OK) < 0)
		return -1;
	log_info("migration applied: %s sha256=%s", m->name, m->sha);
	return 0;
}

int
vhd_db_migrate(PGconn *conn, const char *dir)
{
	struct migration *m = NULL;
	size_t n = 0, applied = 0;
	PGresult *res = NULL;
	int r = -1, locked = 0;

	if (migrations_read(dir, &m, &n) < 0)
		return -1;
	/* a session lock: two vhcvd --migrate wait for each other */
	if (exec_ok(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
		    PGRES_TUPLES_OK) < 0)
		goto out;
	locked = 1;
	if (exec_ok(conn,
		    "SET client_min_messages = warning;"
		    "CREATE SCHEMA IF NOT EXISTS vhcv;"
		    "CREATE TABLE IF NOT EXISTS vhcv.schema_migrations ("
		    " version integer PRIMARY KEY CHECK (version > 0),"
		    " name text NOT NULL UNIQUE,"
		    " sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),"
		    " applied_at timestamptz NOT NULL DEFAULT now())",
		    PGRES_COMMAND_OK) < 0)
		goto out;
	res = PQexec(conn, "SELECT version, name, sha256 FROM vhcv.schema_migrations"
			   " ORDER BY version");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 3) {
		log_warnx("schema_migrations: %s", PQresultErrorMessage(res));
		goto out;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		int v = atoi(PQgetvalue(res, i, 0));
		const char *name = PQgetvalue(res, i, 1), *sha = PQgetvalue(res, i, 2);
		size_t k;

		for (k = 0; k < n && m[k].version != v; k++)
			;
		if (k == n) {
			log_warnx("the database has migration %s, which %s does not have:"
				  " it is newer than this vhcvd", name, dir);
			goto out;
		}
		if (strcmp(m[k].sha, sha) != 0 || strcmp(m[k].name, name) != 0) {
			log_warnx("migration %s was applied with sha256 %s but %s/%s has %s:"
				  " applied migrations must not change",
				  name, sha, dir, m[k].name, m[k].sha);
			goto out;
		}
		applied++;
	}
	/* applied ones match files 0..applied-1 only if no file was added
	 * below an applied one */
	for (size_t i = 0; i < applied; i++)
		if (m[i].version != atoi(PQgetvalue(res, (int)i, 0))) {
			log_warnx("migration %s is not applied but later ones are:"
				  " migrations only move forward", m[i].name);
			goto out;
		}
	PQclear(res);
	res = NULL;
	for (size_t i = applied; i < n; i++)
		if (apply_one(conn, &m[i]) < 0)
			goto out;
	log_info("schema at version %d (%zu applied now, %zu already)",
		 n ? m[n - 1].version : 0, n - applied, applied);
	r = 0;
out:
	PQclear(res);
	if (locked)
		exec_ok(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")",
			PGRES_TUPLES_OK);
	migrations_free(m, n);
	return r;
}

int
vhd_db_schema_version(PGconn *conn, char **err)
{
	PGresult *res;
	int v = -1;

	*err = NULL;
	res = PQexec(conn, "SELECT coalesce(max(version), 0) FROM vhcv.schema_migrations");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    PQnfields(res) == 1)
		v = atoi(PQgetvalue(res, 0, 0));
	else if (strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE) ?
			PQresultErrorField(res, PG_DIAG_SQLSTATE) : "", "42P01") == 0 ||
		 strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE) ?
			PQresultErrorField(res, PG_DIAG_SQLSTATE) : "", "3F000") == 0)
		v = 0; /* no schema yet */
	else
		*err = vh_strndup(PQresultErrorMessage(res),
				  strcspn(PQresultErrorMessage(res), "\n"));
	PQclear(res);
	return v;
}
