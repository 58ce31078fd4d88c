/*
 * vhcvd's own scheduler: at start, before serving, and then every
 * scheduler_interval_s in the vhcvd holding the lease of the periodic jobs
 * (lease.c, main.c), it writes the effects and career freezes that ended
 * by themselves (effect_ended, freeze_ended) and stamps the change feed.
 * The work of one tick is vhd_effects_tick(), idempotent by the primary
 * key of effect_endings, so even two ticks at once write each ending once; the first tick after downtime (or
 * after the lease changes hands) writes every ending missed meanwhile,
 * each with the date it really happened: the endings to come wait in
 * effect_pending until their day has passed (migration 0112), so a tick
 * costs what it writes, not the number of decisions.
 */
#include <stdlib.h>

#include "dbq.h"
#include "json_in.h"
#include "log.h"
#include "pool.h"
#include "reports.h"

int
vhd_effects_tick(PGconn *conn, vh_date today)
{
	struct vhd_response resp = { .status = 500 };
	char tbuf[VH_DATE_STRLEN];
	PGresult *res;
	int n = -1;

	/*
	 * effect_until and freeze_until are the last days in force: the
	 * ending happens the day after. A decision replaced before that
	 * day did not end by itself. The endings to come wait in
	 * effect_pending (migration 0112, filled by a trigger on decisions):
	 * those whose day has passed leave it in the statement that writes
	 * them, so a tick reads only them, whatever the number of decisions.
	 * (Ordered as before: by decision, the effect before the freeze.)
	 */
	res = vhd_q(conn, &resp,
		    "WITH due AS (DELETE FROM effect_pending p WHERE p.until < $1::date"
		    "  RETURNING p.decision_id, p.kind, p.until)"
		    " INSERT INTO effect_endings (decision_id, kind, ended_on, actor)"
		    " SELECT due.decision_id, due.kind, due.until + 1, 'vhcvd' FROM due"
		    " WHERE EXISTS (SELECT 1 FROM decisions d WHERE d.id = due.decision_id)"
		    " AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.supersedes_id = due.decision_id"
		    "  AND n.effective_on <= due.until)"
		    " ORDER BY due.decision_id, due.kind"
		    " ON CONFLICT DO NOTHING",
		    1, (const char *[]){ vhd_datestr(tbuf, today) });
	if (res == NULL) {
		log_warnx("effects tick failed: %s",
			  json_string_value(json_object_get(resp.json, "message")));
		goto out;
	}
	n = atoi(PQcmdTuples(res));
	PQclear(res);
	if (n > 0)
		log_info("effects ended=%d on=%s", n, tbuf);
	/* a backlog batch after batch, each its own transaction */
	while (vhd_feed_stamp(conn, NULL) == VHD_FEED_STAMP_BATCH)
		;
out:
	json_decref(resp.json);
	return n;
}

void
vhd_effects_catch_up(void)
{
	PGconn *conn;

	if ((conn = vhd_pool_get(5000)) != NULL) {
		vhd_effects_tick(conn, vh_date_today());
		vhd_pool_put(conn);
	} else {
		log_warnx("effects tick skipped: database unavailable");
	}
}
