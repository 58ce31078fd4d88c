/*
 * One act, one sanction, across cases (issue 8.4). Two cases are about the
 * same act when they concern the same official and rule and the act's
 * dates overlap (one day each: the same occurred_on), or when they are
 * linked as duplicates. Reporting flags and links probable duplicates;
 * deciding refuses `already_sanctioned` while a case about the same act
 * has a decision standing, unless the decider states a separate act; a
 * duplicate's decision is never prior history on the ladder.
 */
#ifndef VHD_DUPLICATES_H
#define VHD_DUPLICATES_H

#include <jansson.h>
#include <libpq-fe.h>

#include "http.h"

/*
 * SQL condition: case alias `o` is about the same act as the case whose id
 * is parameter `p` (text of "$N"), o being another case.
 */
#define VHD_SQL_SAME_ACT(p)                                                              \
	"(o.id IN (SELECT x.id FROM cases s JOIN cases x ON x.official_id = s.official_id"  \
	"  AND x.occurred_on = s.occurred_on AND x.id <> s.id"                                \
	"  WHERE s.id = " p "::bigint AND (SELECT code FROM rule_versions"                   \
	"   WHERE id = x.rule_version_id) = (SELECT code FROM rule_versions"                 \
	"   WHERE id = s.rule_version_id)"                                                    \
	" UNION ALL SELECT CASE WHEN l.case_id = " p "::bigint THEN l.other_id"              \
	"  ELSE l.case_id END FROM case_links l WHERE (l.case_id = " p "::bigint"           \
	"  OR l.other_id = " p "::bigint) AND l.kind IN ('duplicate', 'probable_duplicate')))"

/*
 * A standing decision (neither superseded nor annulled) of another case
 * about the same act: its case number into `other`, "" when none. 0 or -1.
 */
int vhd_dup_sanctioned(PGconn *conn, struct vhd_response *resp, const char *case_id,
		       char other[40]);

#endif
