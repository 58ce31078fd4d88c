/*
 * What issue #11 added for heads of units, HR and the province: the
 * official's record, eligibility, statistics, warnings, exports, bulk sync
 * and the change feed. Shared pieces of the api_*.c files that serve them.
 */
#ifndef VHD_REPORTS_H
#define VHD_REPORTS_H

#include <libpq-fe.h>

#include "auth.h"
#include "date.h"
#include "http.h"
#include "json_in.h"

struct vhd_pq;

/* a struct vhd_in closed (its NFC copies freed) whenever the handler returns */
#define VHD_IN_AUTO __attribute__((cleanup(vhd_in_close)))

/*
 * The unit a request names (query parameter "unit"), resolved and checked
 * against the identity's scope for op: 1 found and allowed (id filled), 0
 * not named, -1 reply set (404 unknown unit, 403 out of scope, 503).
 */
int vhd_named_unit(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		   const char *code, enum vhd_op op, char id[24]);

/*
 * The ids of the units in scope of codes (a text[] literal of unit codes,
 * followed down the tree as VHD_SQL_UNITS_DOWN does), as a bigint[]
 * literal to malloc'd *ids: a statement then filters with
 * "unit_id = ANY($n::bigint[])", whose rows the planner estimates from the
 * real number of units (a recursive CTE is estimated at half the tree,
 * which turns a province's export into scans of every case and official).
 * 0, or -1 with the reply set.
 */
int vhd_scope_ids(PGconn *conn, struct vhd_response *resp, const char *codes, char **ids);

/*
 * Stamp the committed changes not yet in the feed with their place (docs/
 * feed.md), the first VHD_FEED_STAMP_BATCH of them by id. Whoever holds
 * the feed's advisory lock stamps; others return at once. The number
 * stamped (0 when another holds the lock), or -1 on a database error
 * (reply set when resp is given).
 */
#define VHD_FEED_STAMP_BATCH 1000
int vhd_feed_stamp(PGconn *conn, struct vhd_response *resp);

/*
 * The once-per-tick work of the scheduler: write effect_ended and
 * freeze_ended for every decision whose effect or career freeze has run out
 * by `today` and was not written yet, then stamp the feed. Idempotent and
 * safe with several vhcvd on one database (the endings' primary key); a
 * tick after downtime catches up. Returns the number of endings written,
 * or -1 when the database failed (logged).
 */
int vhd_effects_tick(PGconn *conn, vh_date today);
/*
 * One tick through the pool, before vhcvd serves: what ended while it was
 * down is written at once (every vhcvd does it; it is idempotent). The
 * periodic ticks are a job of the lease (main.c).
 */
void vhd_effects_catch_up(void);

/*
 * The official object of official_id as on `on` (api_officials.c): 0 with
 * the reply set to it (status), or -1 with an error reply.
 */
int vhd_reply_official(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		       const char *official_id, const char *on, int status);
/*
 * The same in steps, so that a caller sends more statements in the same
 * round trip (vhd_qprep_all; the record): the statements (at most
 * VHD_OFFICIAL_PQ, their parameters kept in oq; 0 when out of memory;
 * free oq->units after), then the official object from their results,
 * or NULL with an error reply; *decisions (if not NULL) gets its
 * decisions' JSON.
 */
struct vhd_official_q {
	const char *ver[2], *dec[3], *open[5];
	char today[VH_DATE_STRLEN];
	char *units;
};
#define VHD_OFFICIAL_PQ 3
size_t vhd_official_pq(struct vhd_request *req, const char *official_id, const char *on,
		       struct vhd_official_q *oq, struct vhd_pq *q);
json_t *vhd_official_from(struct vhd_request *req, struct vhd_response *resp,
			  PGresult *const *res, size_t n, const char *on, json_t **decisions);

/*
 * SQL CTEs "chain(root, id, depth), cur(root, id)": for each original
 * decision (kind 'decision') matching root_where (over d and c, its case),
 * the decision that stood for it on $on: itself, or the last change or
 * annulment that took effect by then. A superseded decision counts as the
 * one that replaced it; an annulled one not at all. VHD_SQL_CHAIN_D: the
 * same with root_where over d alone (no case read for each decision).
 */
#define VHD_SQL_CHAIN(root_where, on)                                               \
	VHD_SQL_CHAIN_FROM(" JOIN cases c ON c.id = d.case_id", root_where, on)
#define VHD_SQL_CHAIN_D(root_where, on) VHD_SQL_CHAIN_FROM("", root_where, on)
#define VHD_SQL_CHAIN_FROM(join, root_where, on)                                    \
	"chain(root, id, depth) AS (SELECT d.id, d.id, 0 FROM decisions d" join     \
	" WHERE d.kind = 'decision' AND "                                             \
	root_where " UNION ALL SELECT ch.root, n.id, ch.depth + 1 FROM chain ch"    \
	"  JOIN decisions n ON n.supersedes_id = ch.id AND n.effective_on <= " on    \
	"), cur(root, id) AS (SELECT DISTINCT ON (root) root, id FROM chain"        \
	"  ORDER BY root, depth DESC) "

/* Eligibility (api_record.c), shared by its page and its CSV export. */
#define VHD_ELIGIBILITY_NPARAMS 9
struct vhd_eligibility {
	int year;
	const char *unit;         /* NULL: the identity's units */
	const char *after;        /* keyset: the last official code seen */
	char on[VH_DATE_STRLEN];  /* judged with what was known on this day */
	/* filled by vhd_eligibility_params */
	char *scope;              /* owned: the ids of its units (vhd_scope_ids) */
	bool all;
	char year_s[8], end[16], today[VH_DATE_STRLEN];
	/* the parameters of vhd_eligibility_sql(); p[6]: limit */
	const char *p[VHD_ELIGIBILITY_NPARAMS];
};
/* the query for e, its parameters filled (p[6] NULL or not) */
const char *vhd_eligibility_sql(const struct vhd_eligibility *e);
extern const int vhd_eligibility_ncols;
/* resolve the unit and the scope; 0 or -1 with the reply set */
int vhd_eligibility_params(struct vhd_request *req, struct vhd_response *resp, PGconn *conn,
			   struct vhd_eligibility *e);

/* The register's time zone, for days of recorded times in SQL ($N::text). */
const char *vhd_register_zone(void);

/* The most long-polling readers of the feed waiting at once (http.c). */
unsigned vhd_http_max_waiters(void);
/* The configuration the listeners run with (http.c). */
const struct vhd_config *vhd_http_config(void);

/*
 * SQL: the state of decision d as it stood on date $on: "annulment",
 * "annulled", "superseded", "ended" or "in_effect"; judged by the dates of
 * the decisions that replaced it (their effective date), not by today's
 * knowledge (issue #8 item 5). "supersedes_id IS NOT NULL" (implied by the
 * equality) lets the planner answer the test for many rows (an export) from
 * the small partial index decisions_supersedes: without it, it hashed every
 * decision (800,000, 16,000 pages, 100-500 ms at full scale; session 6).
 */
#define VHD_SQL_DECISION_STATE(d, on)                                                 \
	VHD_SQL_DECISION_STATE_IF(d,                                                  \
		"EXISTS (SELECT 1 FROM decisions n_ WHERE n_.supersedes_id = " d ".id"  \
		"  AND n_.kind = 'annulment' AND n_.effective_on <= " on ")",           \
		"EXISTS (SELECT 1 FROM decisions n_ WHERE n_.supersedes_id = " d ".id"  \
		"  AND n_.supersedes_id IS NOT NULL AND n_.effective_on <= " on ")", on)
/* the same with the decision that replaces d joined as n (supersedes_id is
 * unique: at most one), for one case's decisions (the case view) */
#define VHD_SQL_DECISION_STATE_JOINED(d, n, on)                                       \
	VHD_SQL_DECISION_STATE_IF(d,                                                  \
		n ".kind = 'annulment' AND " n ".effective_on <= " on,                  \
		n ".effective_on <= " on, on)
/* the rule of both: d's state given whether an annulment (annulled) or
 * another decision (superseded) replaced it by then */
#define VHD_SQL_DECISION_STATE_IF(d, annulled, superseded, on)                        \
	"CASE WHEN " d ".kind = 'annulment' THEN 'annulment'"                         \
	" WHEN " annulled " THEN 'annulled'"                                          \
	" WHEN " superseded                                                           \
	" THEN 'superseded'"                                                          \
	" WHEN " d ".effect_until IS NOT NULL AND " d ".effect_until < " on           \
	"  THEN 'ended' ELSE 'in_effect' END"

/* SQL: the case statuses during which a case is open (holds commendation) */
#define VHD_SQL_OPEN_STATUSES "('reported', 'under_review', 'deferred', 'council', 'appealed')"

/*
 * SQL: whether case k was open at the end of date $on in the register's
 * zone tz: the last event that set its status, recorded by then, left it
 * open.
 */
#define VHD_SQL_CASE_OPEN_ON(k, on, tz)                                                    \
	"(SELECT e_.kind IN ('reported', 'accepted', 'deferred', 'resumed', 'council',"   \
	"  'appealed') FROM case_events e_ WHERE e_.case_id = " k ".id"                  \
	"  AND e_.kind IN ('reported', 'accepted', 'deferred', 'resumed', 'council',"     \
	"  'appealed', 'decided', 'changed', 'upheld', 'annulled', 'rejected', 'waived',"\
	"  'closed', 'expired') AND e_.at < (" on " + 1)::timestamp AT TIME ZONE " tz       \
	"  ORDER BY e_.seq DESC LIMIT 1)"

#endif
