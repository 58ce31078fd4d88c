/*
 * The change feed for HR (GET /v1/changes, docs/feed.md). Rows of the
 * changes table are written by triggers inside the writers' transactions;
 * a reader first stamps the committed, unstamped ones with their place
 * (pos) under one advisory lock, then serves pos > cursor. A number is
 * handed out only to a committed row and never below one handed out
 * before, so a reader that has seen up to N can never later find a row
 * below N: the feed cannot skip, whatever the interleaving of writers and
 * of vhcvd processes on the database.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dbq.h"
#include "json_in.h"
#include "log.h"
#include "reports.h"
#include "routes.h"

int
vhd_feed_stamp(PGconn *conn, struct vhd_response *resp)
{
	struct vhd_response scratch = { .status = 500 };
	struct vhd_response *r = resp ? resp : &scratch;
	PGresult *res = NULL, *res2 = NULL;
	char batch[16];
	int rc = -1, n;

	snprintf(batch, sizeof(batch), "%d", VHD_FEED_STAMP_BATCH);

	if (vhd_begin(conn, r) < 0)
		goto out;
	/* one stamper at a time, database-wide; the others just read */
	res = vhd_qrows(conn, r, "SELECT pg_try_advisory_xact_lock(hashtext('vhcv.changes'))",
			0, NULL, 1);
	if (res == NULL)
		goto out;
	if (PQgetvalue(res, 0, 0)[0] != 't') {
		vhd_rollback(conn);
		rc = 0;
		goto out;
	}
	/* visible now = committed before this statement: numbered after
	 * everything numbered before, in the order of their ids; at most a
	 * batch at a time, so that a backlog (a bulk sync of 100,000
	 * officials) is stamped within the statement timeout, batch after
	 * batch, instead of failing whole on every read for ever */
	res2 = vhd_q(conn, r,
		     "UPDATE changes c SET pos = s.p FROM"
		     " (SELECT id, (SELECT coalesce(max(pos), 0) FROM changes)"
		     "   + row_number() OVER (ORDER BY id) AS p"
		     "  FROM (SELECT id FROM changes WHERE pos IS NULL ORDER BY id"
		     "   LIMIT $1::int) b) s"
		     " WHERE c.id = s.id",
		     1, (const char *[]){ batch });
	if (res2 == NULL)
		goto out;
	n = atoi(PQcmdTuples(res2));
	if (vhd_commit(conn, r) < 0)
		goto out;
	rc = n;
out:
	if (rc < 0) {
		vhd_rollback(conn);
		if (resp == NULL)
			log_warnx("feed stamping failed: %s",
				  json_string_value(json_object_get(scratch.json, "message")));
	}
	json_decref(scratch.json);
	PQclear(res);
	PQclear(res2);
	return rc;
}

/* long-polling readers now waiting */
static atomic_uint waiters;

/*
 * One look at the feed: stamp, then the rows after `after` in scope. 0
 * with *items and next filled, -1 with the reply set.
 */
static int
feed_read(struct vhd_request *req, struct vhd_response *resp, long long after,
	  long long limit, json_t **items, long long *next)
{
	char aft[24], lim[24], *scope = NULL;
	PGconn *conn = vhd_conn(resp);
	PGresult *hi = NULL, *res = NULL;
	long long top;
	int rc = -1, n;

	if (conn == NULL)
		return -1;
	/* every row at or below the top is committed and stamped for good;
	 * the stamping transaction (four round trips) only when some
	 * committed row is not stamped yet (partial index changes_unstamped) */
	if ((hi = vhd_qrows(conn, resp,
			    "SELECT coalesce(max(pos), 0),"
			    " EXISTS (SELECT 1 FROM changes WHERE pos IS NULL) FROM changes",
			    0, NULL, 2)) == NULL)
		goto out;
	if (PQgetvalue(hi, 0, 1)[0] == 't') {
		PQclear(hi);
		hi = NULL;
		if (vhd_feed_stamp(conn, resp) < 0 ||
		    (hi = vhd_qrows(conn, resp, "SELECT coalesce(max(pos), 0) FROM changes", 0,
				    NULL, 1)) == NULL)
			goto out;
	}
	top = atoll(PQgetvalue(hi, 0, 0));
	if ((scope = vhd_auth_units_array(req)) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	snprintf(aft, sizeof(aft), "%lld", after);
	snprintf(lim, sizeof(lim), "%lld", limit);
	res = vhd_qrows(conn, resp,
			VHD_SQL_UNITS_DOWN("$1")
			"SELECT ch.pos, ch.kind, " VHD_SQL_TIME("ch.at") ", o.code, u.code,"
			" fu.code, k.number, ch.data::text"
			" FROM changes ch JOIN officials o ON o.id = ch.official_id"
			" JOIN units u ON u.id = ch.unit_id"
			" LEFT JOIN units fu ON fu.id = ch.from_unit_id"
			" LEFT JOIN cases k ON k.id = ch.case_id"
			" WHERE ch.pos > $3::bigint AND ch.pos <= $4::bigint"
			" AND ($2::boolean OR ch.unit_id IN (SELECT id FROM scope)"
			"  OR ch.from_unit_id IN (SELECT id FROM scope))"
			" ORDER BY ch.pos LIMIT $5::int",
			5, (const char *[]){ scope, vhd_auth_all_units(req) ? "t" : "f", aft,
					     PQgetvalue(hi, 0, 0), lim },
			8);
	if (res == NULL)
		goto out;
	*items = json_array();
	n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		json_t *data = json_loads(PQgetvalue(res, i, 7), 0, NULL);
		json_array_append_new(*items,
			json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				  "cursor", vhd_jval(res, i, 0), "kind", vhd_jval(res, i, 1),
				  "at", vhd_jval(res, i, 2), "official", vhd_jval(res, i, 3),
				  "unit", vhd_jval(res, i, 4), "from_unit", vhd_jval(res, i, 5),
				  "case", vhd_jval(res, i, 6),
				  "data", data ? data : json_object()));
	}
	/* a full page resumes after its last row; otherwise after the top,
	 * past rows of other units too */
	*next = n == limit ? atoll(PQgetvalue(res, n - 1, 0)) : (top > after ? top : after);
	rc = 0;
out:
	PQclear(hi);
	PQclear(res);
	free(scope);
	vhd_conn_put(conn);
	return rc;
}

void
api_changes(struct vhd_request *req, const struct vhd_params *p, struct vhd_response *resp)
{
	struct vhd_in in VHD_IN_AUTO = { .req = req, .resp = resp };
	long long after = 0, wait = 0, limit = 100, next = 0;
	json_t *items = NULL;
	struct timespec start, now;
	bool waiting = false;
	char nbuf[24];

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_FEED))
		return;
	vhd_query_int(&in, "after", 0, INT64_MAX, &after);
	vhd_query_int(&in, "wait", 0, 60, &wait);
	vhd_query_int(&in, "limit", 1, 1000, &limit);
	if (in.failed)
		return;
	/* a waiting reader holds a request thread: only so many may */
	if (wait > 0) {
		if (atomic_fetch_add(&waiters, 1) < vhd_http_max_waiters())
			waiting = true;
		else
			atomic_fetch_sub(&waiters, 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (feed_read(req, resp, after, limit, &items, &next) < 0)
			goto out;
		if (json_array_size(items) > 0 || !waiting)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= wait)
			break;
		json_decref(items);
		items = NULL;
		nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	}
	snprintf(nbuf, sizeof(nbuf), "%lld", next);
	vhd_reply_json(resp, 200, json_pack("{s:o, s:s}", "items", items, "next", nbuf));
	items = NULL;
out:
	json_decref(items);
	if (waiting)
		atomic_fetch_sub(&waiters, 1);
}
