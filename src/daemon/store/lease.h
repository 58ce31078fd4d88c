/*
 * Once-only work across several vhcvd on one database (docs/deploy.md):
 * the periodic jobs run only in the instance holding the lease, a session
 * advisory lock on a connection of its own, and they run ON that
 * connection, so a job can only do its work while the lock is held.
 */
#ifndef VHD_LEASE_H
#define VHD_LEASE_H

#include <stdbool.h>
#include <time.h>

#include <libpq-fe.h>

#include "config.h"

/* the advisory lock key of the lease ("vhcv" + 2; migrations and seals
 * use + 0 and + 1) */
#define VHD_LEASE_KEY "1986552696"
/* how often an instance without the lease tries to take it (seconds) */
#define VHD_LEASE_RETRY_S 2

struct vhd_job {
	const char *name;
	int interval_s;            /* 0: disabled */
	/* one run on the lease's connection; its errors are logged by it */
	void (*run)(PGconn *conn);
	bool at_once;              /* run as soon as the lease is taken */
	time_t next;               /* set by the lease */
};

void vhd_lease_init(const struct vhd_config *cfg, struct vhd_job *jobs, size_t njobs);
/*
 * Keep or take the lease and run the jobs that are due. Returns the
 * seconds to wait before the next call.
 */
int vhd_lease_tick(void);
/*
 * Tick in a thread of its own (vhd_lease_tick, then wait what it says),
 * so that the main thread's signals, SIGHUP's reload first, never wait
 * for a job: the effects' tick takes a second at a million cases. The
 * signals must be blocked before (the thread inherits the mask). 0 or -1.
 */
int vhd_lease_start(void);
/* this instance holds the lease (for health) */
bool vhd_lease_held(void);
/* stop the thread (after the job it runs), release the lease (close the connection) */
void vhd_lease_shutdown(void);

#endif
