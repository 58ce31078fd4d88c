#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "db.h"
#include "dbq.h"
#include "log.h"
#include "pool.h"

static struct {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	PGconn **conns;
	bool *busy;
	int n;
	char *dsn;
	int timeout_ms;
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL,
	   0, NULL, 0 };

int
vhd_pool_init(const struct vhd_config *cfg)
{
	pool.n = cfg->pool;
	pool.conns = calloc((size_t)pool.n, sizeof(*pool.conns));
	pool.busy = calloc((size_t)pool.n, sizeof(*pool.busy));
	pool.dsn = vh_strdup(cfg->dsn);
	pool.timeout_ms = cfg->statement_timeout_ms;
	if (pool.conns == NULL || pool.busy == NULL || pool.dsn == NULL)
		return -1;
	return 0;
}

void
vhd_pool_shutdown(void)
{
	for (int i = 0; i < pool.n; i++)
		if (pool.conns[i]) {
			vhd_prep_forget(pool.conns[i]);
			PQfinish(pool.conns[i]);
		}
	free(pool.conns);
	free(pool.busy);
	free(pool.dsn);
	pool.conns = NULL;
	pool.busy = NULL;
	pool.dsn = NULL;
	pool.n = 0;
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

PGconn *
vhd_pool_get(int timeout_ms)
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
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		for (int i = 0; i < pool.n && slot < 0; i++)
			if (!pool.busy[i])
				slot = i;
		if (slot >= 0 ||
		    pthread_cond_timedwait(&pool.freed, &pool.lock, &until) == ETIMEDOUT)
			break;
	}
	if (slot >= 0)
		pool.busy[slot] = true;
	pthread_mutex_unlock(&pool.lock);
	if (slot < 0) {
		log_warnx("database pool: no free connection after %d ms", timeout_ms);
		return NULL;
	}
	conn = pool.conns[slot];
	if (conn && !conn_alive(conn)) {
		/* lost: PQreset reconnects with the same parameters */
		vhd_prep_forget(conn);
		PQreset(conn);
		if (PQstatus(conn) != CONNECTION_OK) {
			PQfinish(conn);
			conn = pool.conns[slot] = NULL;
		}
	}
	if (conn == NULL) {
		conn = vhd_db_connect(pool.dsn, pool.timeout_ms, &err);
		vhd_prep_forget(conn); /* (a new connection at a freed one's address) */
		if (conn == NULL) {
			log_warnx("database unavailable: %s", err ? err : "?");
			free(err);
		}
		pool.conns[slot] = conn;
	}
	if (conn == NULL) {
		pthread_mutex_lock(&pool.lock);
		pool.busy[slot] = false;
		pthread_cond_signal(&pool.freed);
		pthread_mutex_unlock(&pool.lock);
	}
	return conn;
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
	pthread_mutex_lock(&pool.lock);
	for (int i = 0; i < pool.n; i++)
		if (pool.conns[i] == conn) {
			pool.busy[i] = false;
			break;
		}
	pthread_cond_signal(&pool.freed);
	pthread_mutex_unlock(&pool.lock);
}
