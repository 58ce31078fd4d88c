/*
 * Who may do what: roles from the access list, scoped to units and their
 * descendants (following merges). Every handler asks here; a denial is
 * 403 and is logged with the identity.
 */
#ifndef VHD_AUTH_H
#define VHD_AUTH_H

#include <libpq-fe.h>

#include "http.h"

enum vhd_op {
	VHD_OP_RULES_READ,
	VHD_OP_UNIT_READ,
	VHD_OP_UNIT_WRITE,
	VHD_OP_OFFICIAL_READ,
	VHD_OP_OFFICIAL_WRITE,
	VHD_OP_CASE_REPORT,
	VHD_OP_CASE_READ,
	VHD_OP_CASE_NOTE,       /* notes and evidence */
	VHD_OP_CASE_DECIDE,     /* every transition, links */
	VHD_OP_AUDIT,
	VHD_OP_RECORD,          /* officials' records, eligibility, decisions export */
	VHD_OP_FEED,            /* the change feed */
	VHD_OP_STATS,           /* statistics, early warnings, case exports */
	VHD_OP_ACCOUNTS,        /* accounts of people (admin only) */
};

/*
 * Whether the identity's role allows op at all. On false sets 403 (or 401
 * when there is no identity) and logs.
 */
bool vhd_auth_role(struct vhd_request *req, struct vhd_response *resp, enum vhd_op op);

/* Whether the role allows op, without a reply or a log line. */
bool vhd_auth_may(const struct vhd_request *req, enum vhd_op op);

/*
 * Whether unit_id lies in the identity's units (the unit, or one of its
 * ancestors or the units it was merged into, is listed). 1 yes, 0 no
 * (403 set and logged), -1 database error (reply set).
 */
int vhd_auth_unit(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		  const char *unit_id, enum vhd_op op);
/*
 * SQL: whether the unit `unit` (a bigint expression), one of its
 * ancestors or a unit it was merged into has its code in `codes` (a
 * text[] expression): vhd_auth_unit's check, for a statement that checks
 * it itself (the report's).
 */
#define VHD_SQL_UNIT_IN_SCOPE(unit, codes)                                          \
	"EXISTS (WITH RECURSIVE up(id) AS (SELECT " unit                            \
	" UNION SELECT x.p FROM up JOIN units u ON u.id = up.id"                    \
	"  CROSS JOIN LATERAL (VALUES (unit_parent_now(u)), (unit_merged_now(u))) AS x(p)" \
	"  WHERE x.p IS NOT NULL)"                                                  \
	" SELECT 1 FROM up JOIN units u USING (id) WHERE u.code = ANY(" codes "))"

/* "*" in the identity's units */
bool vhd_auth_all_units(const struct vhd_request *req);

/*
 * The identity's units as a PostgreSQL text[] literal ('{"A","B"}'),
 * malloc'd; codes are checked by the config loader, so quoting suffices.
 */
char *vhd_auth_units_array(const struct vhd_request *req);

/* The identity is the official with this code: acting on it is refused. */
bool vhd_auth_is_self(const struct vhd_request *req, const char *official_code);

/* set 403 and log, for checks made by handlers */
void vhd_auth_deny(struct vhd_request *req, struct vhd_response *resp,
		   const char *fmt, ...) VH_PRINTF(3, 4);

/*
 * SQL fragment: the ids of the units in scope of $N (text[] of codes), as
 * the unit tree stands on the register's day: a merge dated later does not
 * bring the merged unit in yet. The edges (a unit, the unit above it
 * today) are computed once per statement, not once per unit and level:
 * unit_parent_now() only for a unit merged or moved (a unit with neither
 * is under its parent_id, unit_parent_now's first case), so the subtree
 * of a province costs a few hash joins over the units.
 */
#define VHD_SQL_UNITS_DOWN(param)                                              \
	"WITH RECURSIVE scope_up(id, up) AS MATERIALIZED ("                    \
	" SELECT u.id, CASE WHEN u.merged_into IS NULL AND u.moved_on IS NULL"  \
	"  THEN u.parent_id ELSE unit_parent_now(u) END FROM units u"          \
	" UNION ALL SELECT u.id, unit_merged_now(u) FROM units u"              \
	"  WHERE u.merged_into IS NOT NULL),"                                  \
	" scope(id) AS ("                                                      \
	" SELECT id FROM units WHERE code = ANY(" param "::text[])"            \
	" UNION SELECT e.id FROM scope_up e JOIN scope s ON e.up = s.id) "

#endif
