/* Legal steps of a case added for issue #9 (api_law.c). */
#ifndef VHD_LAW_H
#define VHD_LAW_H

#include "routes.h"

/*
 * The act days of the official's other cases (not rejected) after
 * `after`, ascending; *out is malloc'd (free it). 0 or -1 (reply set).
 */
int vhd_law_later_acts(PGconn *conn, struct vhd_response *resp, const char *official_id,
		       const char *case_id, vh_date after, vh_date **out, size_t *n);
/* the same, from the text of VHD_SQL_LATER_ACTS (dates joined by ',', or NULL) */
int vhd_law_later_acts_of(struct vhd_response *resp, const char *list, vh_date **out,
			  size_t *n);
/* SQL: the later acts of official `o` after date `after`, one text (a report's query) */
#define VHD_SQL_LATER_ACTS(o, after)                                                  \
	"(SELECT " VHD_SQL_LATER_ACTS_AGG("c") " FROM cases c"                             \
	" WHERE c.official_id = " o " AND " VHD_SQL_IS_LATER_ACT("c", after) ")"
/* its parts: the aggregate over cases `c`, and which of them count */
#define VHD_SQL_LATER_ACTS_AGG(c)                                                     \
	"string_agg(DISTINCT " c ".occurred_on::text, ',' ORDER BY " c ".occurred_on::text)"
#define VHD_SQL_IS_LATER_ACT(c, after)                                                \
	c ".occurred_on > " after " AND " c ".status <> 'rejected'"
/*
 * SQL: the official's other open cases whose act came on or before date
 * `on` and whose period had not run out that day, as a JSON array text of
 * [id, occurred_on, detected_on, act_ended_on, limitation_expires_on,
 * no_limitation, rule code] (read with the official by the report).
 */
#define VHD_SQL_OPEN_BEFORE(o, on)                                                     \
	"(SELECT " VHD_SQL_OPEN_AGG("c", "v") " FROM cases c"                               \
	" JOIN rule_versions v ON v.id = c.rule_version_id"                               \
	" WHERE c.official_id = " o " AND " VHD_SQL_IS_OPEN_BEFORE("c", on) ")::text"
/* its parts: the aggregate over cases `c` with their rule versions `v`,
 * and which cases count */
#define VHD_SQL_OPEN_AGG(c, v)                                                        \
	"json_agg(json_build_array(" c ".id::text, " c ".occurred_on::text,"              \
	"  " c ".detected_on::text, " c ".act_ended_on::text,"                           \
	"  " c ".limitation_expires_on::text, " v ".no_limitation, " v ".code)"          \
	" ORDER BY " c ".id)"
#define VHD_SQL_IS_OPEN_BEFORE(c, on)                                                 \
	c ".status IN ('reported', 'under_review', 'deferred', 'council')"                \
	" AND " c ".occurred_on <= " on " AND " c ".limitation_expires_on >= " on
/*
 * A new act on `occurred` (case number) restarts the limitation of the
 * official's older open cases still within their period (`others`, the
 * text of VHD_SQL_OPEN_BEFORE read before the new case was written); each
 * change is an event 'limitation_restarted'. 0 or -1 (reply set).
 */
int vhd_law_restart_others(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
			   const char *others, const char *number, vh_date occurred,
			   const char *category);

/*
 * The law's part of a decision (api_decide.c), before the engine's check:
 * a case decided from under_review must go without a council (a ground was
 * recorded by dispense, or the category goes without one: 409 otherwise);
 * the official's later acts into c->later_acts (*later, malloc'd); after a
 * Party sanction the form must correspond (422 party_form_mismatch), and a
 * decision later than the Party deadline is noted in t->data. 0 or -1.
 */
struct tx;
struct vh_legal_case;
int vhd_law_decide(struct tx *t, struct vh_legal_case *c, vh_date **later);
/*
 * A complaint filed on `filed` against the case's decision in force (the
 * body's obstacle_days, answered_on, court read from t->in): in its window
 * (Law on Complaints 2011), else 422 complaint_window_passed; a closed
 * case takes only a second complaint or a court action. The window goes
 * into t->data. 0 or -1 (reply set).
 */
int vhd_law_complaint(struct tx *t, vh_date filed);
/*
 * The last day to complain against the case's decision in force, counted
 * from its receipt: *until (VH_DATE_NONE: no decision or no window). 0/-1.
 */
int vhd_law_complaint_until(struct tx *t, vh_date *until);

#endif
