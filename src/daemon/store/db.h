/* PostgreSQL access: connections, checked results, migrations. */
#ifndef VHD_DB_H
#define VHD_DB_H

#include <libpq-fe.h>

#include "common.h"

/* The highest migration this vhcvd knows; tests check it against migrations/. */
#define VHD_SCHEMA_VERSION 112

/*
 * Connect with a libpq connection string; sets client_encoding, a safe
 * search_path and the statement timeout (ms, 0 for none). Returns NULL and
 * a message in err (malloc'd) on failure.
 */
PGconn *vhd_db_connect(const char *dsn, int statement_timeout_ms, char **err);

/*
 * How many WARNING notices the connections used by this thread received
 * (compare before and after a statement).
 */
unsigned long vhd_db_warnings(void);

/*
 * Apply the pending migrations of dir in order, each in its own
 * transaction, under an advisory lock. Refuses when an applied file's
 * checksum changed or the database is newer than dir. Progress and errors
 * go to the log. 0 or -1.
 */
int vhd_db_migrate(PGconn *conn, const char *dir);

/*
 * The schema version of the database (0 for none). -1 on error.
 */
int vhd_db_schema_version(PGconn *conn, char **err);

#endif
