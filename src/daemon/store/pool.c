#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "db.h"
#include "dbq.h"
#include "log.h"
#include "pool.h"

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	PGconn **conns;
	bool *busy;
	int n;
	char *dsn;
	int timeout_ms;
	bool writable; /* a connection to a server in recovery is not kept */
};
/* the primary's, and the optional read pool (database.read_dsn) */
static struct pool wpool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL,
			     NULL, 0, NULL, 0, true };
static struct pool rpool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL,
			     NULL, 0, NULL, 0, false };

static int
pool_init(struct pool *p, const char *dsn, int n, int timeout_ms)
{
	p->n = n;
	p->conns = calloc((size_t)n, sizeof(*p->conns));
	p->busy = calloc((size_t)n, sizeof(*p->busy));
	p->dsn = vh_strdup(dsn);
	p->timeout_ms = timeout_ms;
	if (p->conns == NULL || p->busy == NULL || p->dsn == NULL)
		return -1;
	return 0;
}

int
vhd_pool_init(const struct vhd_config *cfg)
{
	if (pool_init(&wpool, cfg->dsn, cfg->pool, cfg->statement_timeout_ms) < 0)
		return -1;
	if (cfg->read_dsn &&
	    pool_init(&rpool, cfg->read_dsn, cfg->pool, cfg->statement_timeout_ms) < 0)
		return -1;
	return 0;
}

static void
pool_shutdown(struct pool *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->conns[i]) {
			vhd_prep_forget(p->conns[i]);
			PQfinish(p->conns[i]);
		}
	free(p->conns);
	free(p->busy);
	free(p->dsn);
	p->conns = NULL;
	p->busy = NULL;
	p->dsn = NULL;
	p->n = 0;
}

void
vhd_pool_shutdown(void)
{
	pool_shutdown(&wpool);
	pool_shutdown(&rpool);
}

/*
 * An idle connection has nothing to read. If its socket is readable, the
 * server most likely closed it (a restart, pg_terminate_backend): it sent a
 * FATAL message, then EOF. Reading that input lets libpq see the end and
 * mark the connection bad, so it is re-established now instead of failing
 * the request it was about to serve.
 */
static bool
conn_alive(PGconn *conn)
{
	for (int i = 0; i < 8 && PQstatus(conn) == CONNECTION_OK; i++) {
		struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };

		if (pfd.fd < 0 || poll(&pfd, 1, 0) <= 0)
			break;
		if (!PQconsumeInput(conn))
			break;
	}
	return PQstatus(conn) == CONNECTION_OK;
}

/*
 * A writer's connection that ended up on a server in recovery (a standby,
 * or a demoted primary that came back) is dropped, and the reconnect with
 * target_session_attrs=read-write finds the primary. PostgreSQL reports
 * in_hot_standby to the client whenever it changes.
 */
static bool
conn_usable(const struct pool *p, PGconn *conn)
{
	const char *hs;

	if (!conn_alive(conn))
		return false;
	hs = PQparameterStatus(conn, "in_hot_standby");
	return !p->writable || hs == NULL || strcmp(hs, "on") != 0;
}

/*
 * A new connection to the primary: mark where a restart or promotion of
 * PostgreSQL may have made the case number sequences skip (migration
 * 0080; nothing when nothing was recovered). Errors are ignored: a
 * server in recovery, a schema before that migration.
 */
static void
fresh_conn(const struct pool *p, PGconn *conn)
{
	PGresult *res;

	if (conn == NULL || !p->writable)
		return;
	/* without waiting for a synchronous standby (a new primary may have
	 * none yet): the mark is a hint for verification, not history */
	res = PQexec(conn, "BEGIN; SET LOCAL synchronous_commit = local;"
			   " SELECT vhcv.case_number_restart_mark(); COMMIT");
	PQclear(res);
	if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
		res = PQexec(conn, "ROLLBACK");
		PQclear(res);
	}
}

static PGconn *
pool_get(struct pool *pool, int timeout_ms, bool quiet)
{
	struct timespec until;
	PGconn *conn = NULL;
	char *err = NULL;
	int slot = -1;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		/* a free one already connected first: a slot never used (or
		 * lost) connects, 5-40 ms, while an open one may be idle (a
		 * reload of the benchmark paid it while 4 clients used 5 of 16) */
		for (int i = 0; i < pool->n; i++)
			if (!pool->busy[i] &&
			    (slot < 0 || (pool->conns[slot] == NULL && pool->conns[i] != NULL)))
				slot = i;
		if (slot >= 0 ||
		    pthread_cond_timedwait(&pool->freed, &pool->lock, &until) == ETIMEDOUT)
			break;
	}
	if (slot >= 0)
		pool->busy[slot] = true;
	pthread_mutex_unlock(&pool->lock);
	if (slot < 0) {
		if (!quiet)
			log_warnx("database pool: no free connection after %d ms", timeout_ms);
		return NULL;
	}
	conn = pool->conns[slot];
	if (conn && !conn_usable(pool, conn)) {
		/* lost: PQreset reconnects with the same parameters */
		vhd_prep_forget(conn);
		PQreset(conn);
		if (!conn_usable(pool, conn)) {
			PQfinish(conn);
			conn = pool->conns[slot] = NULL;
		} else {
			fresh_conn(pool, conn);
		}
	}
	if (conn == NULL) {
		conn = vhd_db_connect(pool->dsn, pool->timeout_ms, &err);
		vhd_prep_forget(conn); /* (a new connection at a freed one's address) */
		if (conn == NULL) {
			log_warnx("database unavailable: %s", err ? err : "?");
			free(err);
		}
		pool->conns[slot] = conn;
		fresh_conn(pool, conn);
	}
	if (conn == NULL) {
		pthread_mutex_lock(&pool->lock);
		pool->busy[slot] = false;
		pthread_cond_signal(&pool->freed);
		pthread_mutex_unlock(&pool->lock);
	}
	return conn;
}

PGconn *
vhd_pool_get(int timeout_ms)
{
	return pool_get(&wpool, timeout_ms, false);
}

PGconn *
vhd_pool_try_get(void)
{
	return wpool.n > 0 ? pool_get(&wpool, 0, true) : NULL;
}

PGconn *
vhd_pool_get_read(int timeout_ms)
{
	return pool_get(rpool.n > 0 ? &rpool : &wpool, timeout_ms, false);
}

PGconn *
vhd_pool_try_read(int timeout_ms)
{
	return pool_get(rpool.n > 0 ? &rpool : &wpool, timeout_ms, true);
}

int
vhd_pool_read_size(void)
{
	return rpool.n > 0 ? rpool.n : wpool.n;
}

static bool
pool_put(struct pool *pool, PGconn *conn)
{
	bool found = false;

	pthread_mutex_lock(&pool->lock);
	for (int i = 0; i < pool->n && !found; i++)
		if (pool->conns[i] == conn) {
			pool->busy[i] = false;
			found = true;
		}
	if (found)
		pthread_cond_signal(&pool->freed);
	pthread_mutex_unlock(&pool->lock);
	return found;
}

void
vhd_pool_put(PGconn *conn)
{
	if (conn == NULL)
		return;
	if (PQtransactionStatus(conn) != PQTRANS_IDLE &&
	    PQstatus(conn) == CONNECTION_OK) {
		PGresult *res = PQexec(conn, "ROLLBACK");
		PQclear(res);
	}
	if (!pool_put(&wpool, conn))
		pool_put(&rpool, conn);
}
