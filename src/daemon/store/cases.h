/* Cases: loading with authorization, JSON views, numbering. */
#ifndef VHD_CASES_H
#define VHD_CASES_H

#include <libpq-fe.h>

#include "auth.h"
#include "dbq.h"
#include "date.h"
#include "http.h"

struct vhd_pq;

/* The parts of a case that authorization and transitions need. */
struct vhd_case_ref {
	char id[24];             /* database id, as text for parameters */
	char number[40];         /* VP-2026-12 */
	char status[32];
	char official[72];       /* personnel code of the subject */
	char official_id[24];
	char unit_id[24];
	char reporter[128];
	vh_date occurred_on, detected_on;
	vh_date limitation;      /* VH_DATE_NONE when there is none */
	vh_date deadline;
	bool complex;
	int paused_days;
	vh_date paused_since;    /* VH_DATE_NONE unless deferred */
	char rule_version_id[24];
};

/*
 * Find case `number` and check that the identity may do op on it: role,
 * unit scope (or, for an inspector, being its reporter), and never on a
 * case about oneself for anything but reading. With lock, the row is
 * locked FOR UPDATE (the caller has begun a transaction). 0, or -1 with
 * the reply set (404, 403, 503 ...).
 */
int vhd_case_open(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		  const char *number, enum vhd_op op, bool lock, struct vhd_case_ref *out);

/*
 * The case as JSON (docs/api.md); full adds events, decisions, evidence,
 * links and council. NULL on error (reply set).
 */
json_t *vhd_case_json(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		      const char *case_id, bool full);

/* the full case view by id ($1) on day $2, and its JSON from that result */
extern const char vhd_case_view_sql[];
extern const int vhd_case_view_ncols;
json_t *vhd_case_view_json(struct vhd_request *req, const PGresult *res);
/*
 * The columns of a case row (c: cases, o: officials, u: units, rv:
 * rule_versions), the first VHD_CASE_NCOLS of every case view; the
 * rule's version is its ordinal among the versions of its code.
 */
#define VHD_CASE_COLUMNS                                                          \
	"c.id, c.number, c.status, o.code, o.full_name, o.category, o.leader,"    \
	" u.code, rv.code, rv.title_vi, (SELECT count(*) FROM rule_versions x"    \
	"  WHERE x.code = rv.code AND (x.valid_from, x.id) <= (rv.valid_from, rv.id)),"\
	" c.source, c.reporter,"                                                  \
	" c.occurred_on, c.detected_on, c.place, c.description, c.severity,"      \
	" c.complex, c.limitation_expires_on, c.handling_deadline, c.paused_days," \
	" " VHD_SQL_TIME("c.created_at") ","                                      \
	" rv.title_en, c.paused_since"
#define VHD_CASE_NCOLS 25
/*
 * The view of a case just reported, from the row of the statement that
 * wrote it: VHD_CASE_COLUMNS from column `base` of row 0 of res, its one
 * event (`event`: vhd_event_first's `listed`) and its probable duplicates'
 * numbers (`dups`: a JSON array text, or NULL). NULL when out of memory.
 */
json_t *vhd_case_new_json(struct vhd_request *req, const PGresult *res, int base,
			  const char *event, const char *dups);
/* the same as JSON text appended to b (row 0 of res): the bytes
 * json_dumps(JSON_COMPACT) writes of vhd_case_view_json's object */
struct vh_buf;
void vhd_case_view_text(struct vh_buf *b, struct vhd_request *req, const PGresult *res);

/* GET /v1/cases/{case}: found, checked and answered with one query */
void vhd_case_show(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		   const char *number);

/* The columns of a case row and its JSON, for lists (cases.c). */
extern const char *vhd_case_select; /* "SELECT ... FROM ..." without WHERE */
extern const int vhd_case_ncols;
json_t *vhd_case_row_json(struct vhd_request *req, const PGresult *res, int row);
/* the same as JSON text, appended to b: the bytes json_dumps(JSON_COMPACT)
 * writes of vhd_case_row_json's object */
void vhd_case_row_text(struct vh_buf *b, struct vhd_request *req, const PGresult *res,
		       int row);
/* open and past its handling deadline (today: the daemon's local date) */
bool vhd_case_overdue(const char *status, const char *deadline);

/* Decisions of a case, or of an official in effect on a date, as JSON. */
json_t *vhd_decisions_json(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
			   const char *case_id, const char *official_id, const char *on);
/* the same in two steps, for a pipeline (vhd_qprep_all): its statement
 * (params: three the caller keeps; today: room for the date), then the
 * JSON of its result */
void vhd_decisions_pq(struct vhd_pq *q, const char *params[3], const char *case_id,
		      const char *official_id, const char *on, char today[VH_DATE_STRLEN]);
json_t *vhd_decisions_from(struct vhd_request *req, const PGresult *res);

/* SHA-256 of a request body's canonical JSON (idempotency) */
int vhd_request_hash(char hex[VH_SHA256_HEX], json_t *body);
/* reply with the full case JSON */
void vhd_reply_case(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		    const char *case_id, int status);
/*
 * COMMIT and reply with the full case, read in the same round trip, or at
 * least its number (never 503 once committed). 0, or -1 when the commit
 * failed (reply set).
 */
int vhd_commit_reply(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		     const char *case_id, const char *number, int status);
/* 422 refused: id is the law's machine id, basis its legal basis */
void vhd_reply_refused(struct vhd_response *resp, const char *id, const char *const *basis,
		       const char *fmt, ...) VH_PRINTF(4, 5);

#endif
