/*
 * The lease of the periodic jobs. A session advisory lock lives exactly as
 * long as the session that took it: when the holding vhcvd dies, loses its
 * connection, or the primary fails over (advisory locks are not
 * replicated), the lock is gone and another vhcvd takes it on its next
 * tick. Each job runs on the lease's own connection, so its work commits
 * only while this session, and so the lock, still exists; jobs are also
 * idempotent (a seal with nothing new is not written), so an instance that
 * took over early costs nothing.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "lease.h"
#include "log.h"

static struct {
	char *dsn;
	int timeout_ms;
	PGconn *conn;
	bool held;
	bool told_busy; /* "held by another" logged once per change */
	struct vhd_job *jobs;
	size_t njobs;
	/* the thread that ticks (vhd_lease_start), and how it is stopped */
	pthread_t thread;
	bool started, stop;
	pthread_mutex_t lock;
	pthread_cond_t wake;
} lease = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };
static atomic_bool lease_held_flag;

void
vhd_lease_init(const struct vhd_config *cfg, struct vhd_job *jobs, size_t njobs)
{
	lease.dsn = vh_strdup(cfg->dsn);
	lease.timeout_ms = cfg->statement_timeout_ms;
	lease.jobs = jobs;
	lease.njobs = njobs;
}

static void
lost(const char *why)
{
	if (lease.held)
		log_warnx("lease lost: %s", why);
	lease.held = false;
	atomic_store(&lease_held_flag, false);
	if (lease.conn)
		PQfinish(lease.conn);
	lease.conn = NULL;
}

/* an idle connection with something to read was closed by the server */
static bool
alive(PGconn *conn)
{
	struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };

	if (PQstatus(conn) != CONNECTION_OK || pfd.fd < 0)
		return false;
	if (poll(&pfd, 1, 0) > 0 && !PQconsumeInput(conn))
		return false;
	return PQstatus(conn) == CONNECTION_OK;
}

static bool
try_take(void)
{
	char *err = NULL, name[64];
	const char *params[1] = { name };
	PGresult *res;
	bool got;

	if (lease.conn == NULL) {
		if ((lease.conn = vhd_db_connect(lease.dsn, lease.timeout_ms, &err)) == NULL) {
			log_debug("lease: database unavailable: %s", err ? err : "?");
			free(err);
			return false;
		}
		/* who holds it, for operators: pg_stat_activity.application_name */
		snprintf(name, sizeof(name), "vhcvd lease pid %d", (int)getpid());
		res = PQexecParams(lease.conn, "SELECT set_config('application_name', $1, false)",
				   1, NULL, params, NULL, NULL, 0);
		PQclear(res);
	}
	res = PQexec(lease.conn, "SELECT pg_try_advisory_lock(" VHD_LEASE_KEY ")");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_debug("lease: %s", PQresultErrorMessage(res));
		PQclear(res);
		lost("database error");
		return false;
	}
	got = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!got) {
		if (!lease.told_busy)
			log_info("lease held by another vhcvd: its periodic jobs run there");
		lease.told_busy = true;
		return false;
	}
	lease.held = true;
	lease.told_busy = false;
	atomic_store(&lease_held_flag, true);
	log_info("lease acquired: this vhcvd runs the periodic jobs");
	/* a job is due one interval after the lease is taken, or at once */
	for (size_t i = 0; i < lease.njobs; i++)
		lease.jobs[i].next = lease.jobs[i].at_once ? 0
				     : time(NULL) + lease.jobs[i].interval_s;
	return true;
}

int
vhd_lease_tick(void)
{
	time_t now, soonest = 0;
	bool any = false;

	for (size_t i = 0; i < lease.njobs; i++)
		any = any || lease.jobs[i].interval_s > 0;
	if (!any)
		return 3600;
	if (lease.conn && !alive(lease.conn))
		lost("connection closed");
	if (!lease.held && !try_take())
		return VHD_LEASE_RETRY_S;
	for (size_t i = 0; i < lease.njobs && lease.held; i++) {
		struct vhd_job *j = &lease.jobs[i];
		if (j->interval_s <= 0)
			continue;
		now = time(NULL);
		if (now >= j->next) {
			j->run(lease.conn);
			j->next = time(NULL) + j->interval_s;
			if (!alive(lease.conn))
				lost("connection closed during a job");
		}
		if (soonest == 0 || j->next < soonest)
			soonest = j->next;
	}
	if (!lease.held)
		return VHD_LEASE_RETRY_S;
	now = time(NULL);
	/* wake at least every few seconds to notice a lost connection */
	return soonest - now < 1 ? 1 : soonest - now > 10 ? 10 : (int)(soonest - now);
}

/* tick, then sleep until the next tick is due or the thread is stopped */
static void *
ticker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lease.lock);
	while (!lease.stop) {
		struct timespec until;
		int wait;

		pthread_mutex_unlock(&lease.lock);
		wait = vhd_lease_tick();
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait;
		pthread_mutex_lock(&lease.lock);
		while (!lease.stop &&
		       pthread_cond_timedwait(&lease.wake, &lease.lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&lease.lock);
	return NULL;
}

int
vhd_lease_start(void)
{
	if (pthread_create(&lease.thread, NULL, ticker, NULL) != 0)
		return -1;
	lease.started = true;
	return 0;
}

bool
vhd_lease_held(void)
{
	return atomic_load(&lease_held_flag);
}

void
vhd_lease_shutdown(void)
{
	if (lease.started) {
		/* a job running now finishes first */
		pthread_mutex_lock(&lease.lock);
		lease.stop = true;
		pthread_cond_signal(&lease.wake);
		pthread_mutex_unlock(&lease.lock);
		pthread_join(lease.thread, NULL);
		lease.started = false;
	}
	if (lease.conn && lease.held) {
		PGresult *res = PQexec(lease.conn, "SELECT pg_advisory_unlock(" VHD_LEASE_KEY ")");
		PQclear(res);
		log_info("lease released");
	}
	lease.held = false;
	atomic_store(&lease_held_flag, false);
	if (lease.conn)
		PQfinish(lease.conn);
	lease.conn = NULL;
	free(lease.dsn);
	lease.dsn = NULL;
}
