/* A fixed pool of PostgreSQL connections, re-established when lost. */
#ifndef VHD_POOL_H
#define VHD_POOL_H

#include <libpq-fe.h>

#include "config.h"

int vhd_pool_init(const struct vhd_config *cfg);
void vhd_pool_shutdown(void);
/*
 * Borrow a connection, waiting at most timeout_ms for a free one; a broken
 * connection is reconnected first. NULL when the database is unreachable
 * (the request answers 503).
 */
PGconn *vhd_pool_get(int timeout_ms);
/*
 * A connection of the primary's pool if one is free now, else NULL at
 * once and nothing logged (a reload then opens one of its own).
 */
PGconn *vhd_pool_try_get(void);
/*
 * For heavy reads that accept a slightly stale view (docs/deploy.md): a
 * connection of the read pool (database.read_dsn, typically a standby),
 * or of the main pool when there is none.
 */
PGconn *vhd_pool_get_read(int timeout_ms);
/* The same if one is free within timeout_ms, else NULL (not logged): for
 * work that could also be done on one connection (a second half of an
 * export) */
PGconn *vhd_pool_try_read(int timeout_ms);
/* How many connections vhd_pool_get_read and vhd_pool_try_read share. */
int vhd_pool_read_size(void);
/* Give it back (to either pool); a connection left in a transaction is rolled back. */
void vhd_pool_put(PGconn *conn);

#endif
