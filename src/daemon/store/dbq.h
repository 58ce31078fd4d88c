/*
 * Query helpers for handlers: parameterised statements only, checked
 * result shapes, and database errors mapped onto API errors.
 */
#ifndef VHD_DBQ_H
#define VHD_DBQ_H

#include <libpq-fe.h>

#include "http.h"

/*
 * A timestamptz column as RFC 3339 UTC text with microseconds: the form
 * every time in the API takes, and the one event hashes are computed over
 * (vhd_now_rfc3339), so verification reads back exactly what was hashed.
 */
#define VHD_SQL_TIME(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/*
 * Run sql with n text parameters (NULL entries are SQL NULL). Returns the
 * result when its status is COMMAND_OK or TUPLES_OK, else NULL after
 * setting an error reply in resp (unique violation → 409, connection
 * lost or timeout → 503, others → 500) and logging it.
 */
PGresult *vhd_q(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
		const char *const *params);
/* The same with binary parameters or results (lengths and formats as
 * PQexecParams takes them). */
PGresult *vhd_qx(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
		 const char *const *params, const int *lengths, const int *formats,
		 int result_format);
/* The same for a query that must return exactly ncols columns. */
PGresult *vhd_qrows(PGconn *conn, struct vhd_response *resp, const char *sql,
		    int n, const char *const *params, int ncols);
/*
 * A statement without parameters sent now, its rows read later by
 * vhd_recv_rows (errors answered as vhd_qrows does): for a reader that
 * works on one batch of a cursor while the server produces the next. The
 * connection must have nothing else in flight until the rows are read.
 */
bool vhd_send(PGconn *conn, const char *sql);
PGresult *vhd_recv_rows(PGconn *conn, struct vhd_response *resp, int ncols);
/*
 * vhd_qrows as a statement prepared once per connection: for the hot
 * queries, whose SQL is a string literal (its address identifies it) and
 * whose plan does not depend on the parameters' values.
 */
PGresult *vhd_qprep(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
		    const char *const *params, int ncols);
/* a prepared statement and its parameters, for vhd_qprep_all */
struct vhd_pq {
	const char *sql; /* a string literal, as for vhd_qprep */
	int n;
	const char *const *params;
	int ncols;
};
#define VHD_PQ_MAX 8
/*
 * Independent reads sent at once (libpq's pipeline mode): one round trip
 * for n statements instead of n. 0 with res[0..n-1] their results (each
 * TUPLES_OK or COMMAND_OK with its ncols), or -1 with every res[] NULL and
 * the reply set by the first statement that failed.
 */
int vhd_qprep_all(PGconn *conn, struct vhd_response *resp, size_t n, const struct vhd_pq *q,
		  PGresult **res);
/* a connection reset or closed: its prepared statements are gone */
void vhd_prep_forget(const PGconn *conn);
/* Run a command and discard the result: 0 or -1 (reply set). */
int vhd_exec(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
	     const char *const *params);
/* the same, prepared (a string literal, as for vhd_qprep) */
int vhd_execp(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
	      const char *const *params);

int vhd_begin(PGconn *conn, struct vhd_response *resp);
/*
 * BEGIN sent with the next statement on conn, in one round trip (for
 * request paths that use only the vhd_q* functions of this file on it
 * until COMMIT or ROLLBACK). 0.
 */
int vhd_begin_lazy(PGconn *conn, struct vhd_response *resp);
/*
 * COMMIT, then the prepared query sql (a string literal, as for vhd_qprep)
 * in the same round trip. -1 when the commit failed (reply set); 0 when
 * committed, *out the query's result, or NULL when it could not be read.
 */
int vhd_commit_then(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
		    const char *const *params, int ncols, PGresult **out);
/*
 * COMMIT sent with the next statement on conn, in its round trip (when
 * no BEGIN is pending; for request paths that use only the vhd_q*
 * functions of this file on it until then): the transaction's last
 * statement. The COMMIT runs only if that statement succeeded; its result
 * is vhd_commit's (which then sends nothing). vhd_rollback, vhd_conn and
 * vhd_conn_put forget it.
 */
void vhd_commit_lazy(PGconn *conn);
/* COMMIT (or the result of the one sent by vhd_commit_lazy): 0, or -1
 * with the reply set (rolled back, failed, or not confirmed by the
 * synchronous standby) */
int vhd_commit(PGconn *conn, struct vhd_response *resp);
void vhd_rollback(PGconn *conn);

/* field value or NULL when SQL NULL */
const char *vhd_val(const PGresult *res, int row, int col);
/* a JSON string, or JSON null for SQL NULL */
json_t *vhd_jval(const PGresult *res, int row, int col);
json_t *vhd_jbool(const PGresult *res, int row, int col);
json_t *vhd_jint(const PGresult *res, int row, int col);

/*
 * Borrow a pooled connection for a request; on failure sets a 503 reply
 * and returns NULL.
 */
PGconn *vhd_conn(struct vhd_response *resp);
/* the same from the read pool: only for reads that may lag the primary by
 * the replication delay (the list is in docs/deploy.md) */
PGconn *vhd_conn_read(struct vhd_response *resp);
void vhd_conn_put(PGconn *conn);

#endif
