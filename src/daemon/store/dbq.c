#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "dbq.h"
#include "log.h"
#include "metrics.h"
#include "pool.h"

static void
db_error(PGconn *conn, const PGresult *res, struct vhd_response *resp)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;

	vhd_metrics_db_error();
	/* 08: connection exceptions; 57P: the server shuts down, crashed,
	 * is starting, the database was dropped or the session timed out */
	if (PQstatus(conn) != CONNECTION_OK || state == NULL ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
		log_warnx("database connection lost: %.*s", (int)strcspn(msg, "\n"), msg);
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"the database is unavailable; retry later");
		return;
	}
	/* 25006: a write reached a server in recovery (a standby, or a
	 * demoted primary) during a failover; the pool drops that connection */
	if (strcmp(state, "25006") == 0) {
		log_warnx("database is read-only (no primary yet)");
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"the database has no primary at the moment; retry later");
		return;
	}
	if (strcmp(state, "57014") == 0) {
		log_warnx("database statement timeout");
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"the database did not answer in time; retry later");
		return;
	}
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"a concurrent change interfered; retry");
		return;
	}
	if (strcmp(state, "23505") == 0) {
		/* the field a client can change, for the keys a race can hit */
		static const char *const fields[][2] = {
			{ "decisions_issuer_year_number_key", "number" },
			{ "case_links_once", "other" },
			{ "case_links_pkey", "other" },
			{ "evidence_case_id_name_key", "name" },
			{ "units_code_key", "code" },
			{ "officials_code_key", "code" },
		};
		const char *field = NULL;
		for (size_t i = 0; constraint && i < VH_NELEM(fields); i++)
			if (strcmp(fields[i][0], constraint) == 0)
				field = fields[i][1];
		vhd_reply_error(resp, VHCV_ECONFLICT, field, "already exists (%s)",
				constraint ? constraint : "unique");
		return;
	}
	log_warnx("database error %s: %s", state, LOGQ(msg));
	vhd_reply_error(resp, VHCV_ERROR, NULL, "database error %s", state);
}

/*
 * A BEGIN not sent yet (vhd_begin_lazy): it goes to the server with the
 * next statement on that connection, in one round trip (libpq's pipeline
 * mode). One per thread: a request holds one connection at a time.
 */
static _Thread_local PGconn *begin_pending;
/*
 * A COMMIT to send right after the next statement on that connection, in
 * its round trip (vhd_commit_lazy), and once sent the COMMIT's result for
 * vhd_commit, with the count of database warnings before it.
 */
static _Thread_local PGconn *commit_pending;
static _Thread_local PGresult *commit_result;
static _Thread_local unsigned long commit_warnings;

static void
commit_forget(void)
{
	commit_pending = NULL;
	PQclear(commit_result);
	commit_result = NULL;
}

/* what a pipeline that could not be sent whole gave back (each result
 * freed, not leaked) */
static void
discard_results(PGconn *conn)
{
	PGresult *r;

	while ((r = PQgetResult(conn)) != NULL)
		PQclear(r);
}

/* the results of a pipeline's statements until its sync, the last kept */
static PGresult *
pipeline_results(PGconn *conn, int nsent)
{
	PGresult *keep = NULL, *r;

	for (int q = 0; q < nsent; q++)
		while ((r = PQgetResult(conn)) != NULL) {
			ExecStatusType st = PQresultStatus(r);
			/* the first error, else the last statement's result */
			if ((st == PGRES_FATAL_ERROR &&
			     (keep == NULL || PQresultStatus(keep) != PGRES_FATAL_ERROR)) ||
			    (q == nsent - 1 && keep == NULL)) {
				PQclear(keep);
				keep = r;
			} else {
				PQclear(r);
			}
		}
	while ((r = PQgetResult(conn)) != NULL && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		PQclear(r);
	PQclear(r);
	PQexitPipelineMode(conn);
	return keep;
}

/* the results of a pipeline of two statements and its sync (each NULL
 * when the pipeline gave none), the pipeline mode left */
static void
pipeline_pair(PGconn *conn, PGresult **first, PGresult **second)
{
	PGresult *r;

	*first = *second = NULL;
	for (int k = 0; k < 2; k++)
		while ((r = PQgetResult(conn)) != NULL) {
			if (k == 0 && *first == NULL)
				*first = r;
			else if (k == 1 && *second == NULL)
				*second = r;
			else
				PQclear(r);
		}
	while ((r = PQgetResult(conn)) != NULL && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		PQclear(r);
	PQclear(r);
	PQexitPipelineMode(conn);
}

/*
 * The statement, then the COMMIT pending on conn, in one round trip (conn
 * in pipeline mode, left by this): the statement's result; the COMMIT's is kept for vhd_commit. A statement
 * that fails aborts the pipeline: the COMMIT is not run after it (its
 * result is PGRES_PIPELINE_ABORTED) and the transaction is left failed,
 * for the caller's ROLLBACK.
 */
static PGresult *
run_then_commit(PGconn *conn, const char *name, const char *sql, int n,
		const char *const *params)
{
	PGresult *res = NULL;

	commit_pending = NULL;
	commit_warnings = vhd_db_warnings();
	if (!(name ? PQsendQueryPrepared(conn, name, n, params, NULL, NULL, 0)
		   : PQsendQueryParams(conn, sql, n, NULL, params, NULL, NULL, 0)) ||
	    !PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) ||
	    !PQpipelineSync(conn)) {
		/* cannot send: the connection is gone (503, the pool reconnects) */
		discard_results(conn);
		PQexitPipelineMode(conn);
		return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
	}
	pipeline_pair(conn, &res, &commit_result);
	return res ? res : PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
}

/*
 * Run one statement (prepared as `name`, or unnamed with its text), after
 * the BEGIN pending on conn if there is one: both in one round trip (and
 * with the COMMIT pending, if there is one and no BEGIN).
 */
static PGresult *
run(PGconn *conn, const char *name, const char *sql, int n, const char *const *params)
{
	bool begin = begin_pending == conn;

	if (begin)
		begin_pending = NULL;
	/* (a connection that cannot pipeline: the COMMIT is sent alone, by
	 * vhd_commit) */
	if (commit_pending == conn && !begin && PQenterPipelineMode(conn))
		return run_then_commit(conn, name, sql, n, params);
	if (begin && PQenterPipelineMode(conn)) {
		if (PQsendQueryParams(conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) &&
		    (name ? PQsendQueryPrepared(conn, name, n, params, NULL, NULL, 0)
			  : PQsendQueryParams(conn, sql, n, NULL, params, NULL, NULL, 0)) &&
		    PQpipelineSync(conn))
			return pipeline_results(conn, 2);
		/* cannot send: the connection is gone (an error without a
		 * SQLSTATE: answered 503, the pool reconnects) */
		discard_results(conn);
		PQexitPipelineMode(conn);
		return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
	}
	if (begin) {
		PGresult *b = PQexec(conn, "BEGIN");
		if (PQresultStatus(b) != PGRES_COMMAND_OK)
			return b;
		PQclear(b);
	}
	return name ? PQexecPrepared(conn, name, n, params, NULL, NULL, 0)
		    : PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
}

PGresult *
vhd_q(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
      const char *const *params)
{
	return vhd_qx(conn, resp, sql, n, params, NULL, NULL, 0);
}

PGresult *
vhd_qx(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
       const char *const *params, const int *lengths, const int *formats, int result_format)
{
	PGresult *res;
	ExecStatusType st;

	if (lengths || formats || result_format) {
		/* (binary parameters: a pending BEGIN goes first, alone) */
		if (begin_pending == conn) {
			begin_pending = NULL;
			PQclear(PQexec(conn, "BEGIN"));
		}
		res = PQexecParams(conn, sql, n, NULL, params, lengths, formats, result_format);
	} else {
		res = run(conn, NULL, sql, n, params);
	}
	st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	db_error(conn, res, resp);
	PQclear(res);
	return NULL;
}

/*
 * Prepared statements of the hot queries, per connection: an entry is a
 * (connection, SQL text address) pair, named by its index. Only string
 * literals are prepared (their address is their identity); a connection
 * that is reset or replaced forgets its statements (vhd_prep_forget).
 */
static pthread_mutex_t prep_lock = PTHREAD_MUTEX_INITIALIZER;
static struct prep {
	const PGconn *conn;
	const char *sql;
} prep[4096];
static size_t nprep;

/* the entry of (conn, sql), added if new (*fresh); -1 when full */
static long
prep_entry(const PGconn *conn, const char *sql, bool *fresh)
{
	long r = -1, hole = -1;

	*fresh = false;
	pthread_mutex_lock(&prep_lock);
	for (size_t i = 0; i < nprep && r < 0; i++) {
		if (prep[i].conn == conn && prep[i].sql == sql)
			r = (long)i;
		else if (prep[i].conn == NULL && hole < 0)
			hole = (long)i;
	}
	if (r < 0 && (hole >= 0 || nprep < VH_NELEM(prep))) {
		r = hole >= 0 ? hole : (long)nprep++;
		prep[r] = (struct prep){ conn, sql };
		*fresh = true;
	}
	pthread_mutex_unlock(&prep_lock);
	return r;
}

void
vhd_prep_forget(const PGconn *conn)
{
	pthread_mutex_lock(&prep_lock);
	for (size_t i = 0; i < nprep; i++)
		if (prep[i].conn == conn)
			prep[i] = (struct prep){ NULL, NULL };
	pthread_mutex_unlock(&prep_lock);
}

static bool
is_state(const PGresult *res, const char *state)
{
	const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return s && strcmp(s, state) == 0;
}

/* entry i of the table prepared on conn as name: 0, or -1 (reply set) */
static int
prepare(PGconn *conn, struct vhd_response *resp, long i, const char *name, const char *sql,
	int n)
{
	/* (prepared before a pending BEGIN: outside any transaction) */
	PGresult *res = PQprepare(conn, name, sql, n, NULL);

	/* 42P05: a statement of that name survives from a forgotten entry */
	if (PQresultStatus(res) != PGRES_COMMAND_OK && !is_state(res, "42P05")) {
		pthread_mutex_lock(&prep_lock);
		prep[i] = (struct prep){ NULL, NULL };
		pthread_mutex_unlock(&prep_lock);
		db_error(conn, res, resp);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* a prepared statement's result of the wrong status or shape: NULL, reply set */
static PGresult *
checked(PGconn *conn, struct vhd_response *resp, PGresult *res, int ncols)
{
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		db_error(conn, res, resp);
		PQclear(res);
		return NULL;
	}
	if (PQnfields(res) != ncols) {
		log_warnx("query returned %d columns, expected %d", PQnfields(res), ncols);
		vhd_reply_error(resp, VHCV_ERROR, NULL, "unexpected result shape");
		PQclear(res);
		return NULL;
	}
	return res;
}

PGresult *
vhd_qprep(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
	  const char *const *params, int ncols)
{
	PGresult *res;
	char name[32];
	bool fresh;
	long i = prep_entry(conn, sql, &fresh);

	snprintf(name, sizeof(name), "vhd_p%ld", i);
	if (i < 0) {
		/* the table is full: unprepared, the same answer */
		res = run(conn, NULL, sql, n, params);
	} else if (fresh && prepare(conn, resp, i, name, sql, n) < 0) {
		return NULL;
	}
	if (i >= 0)
		res = run(conn, name, NULL, n, params);
	return checked(conn, resp, res, ncols);
}

int
vhd_qprep_all(PGconn *conn, struct vhd_response *resp, size_t n, const struct vhd_pq *q,
	      PGresult **res)
{
	char names[VHD_PQ_MAX][32];
	bool fresh, sent = true;
	size_t k;
	int r = 0;

	memset(res, 0, n * sizeof(*res));
	/* (one at a time: a BEGIN pending, more than a pipeline holds, or a
	 * full table of prepared statements) */
	for (k = 0; k < n && n <= VHD_PQ_MAX && begin_pending != conn; k++) {
		long i = prep_entry(conn, q[k].sql, &fresh);

		if (i < 0)
			break;
		snprintf(names[k], sizeof(names[k]), "vhd_p%ld", i);
		if (fresh && prepare(conn, resp, i, names[k], q[k].sql, q[k].n) < 0)
			return -1;
	}
	if (k < n) {
		for (k = 0; k < n && r == 0; k++)
			if ((res[k] = vhd_qprep(conn, resp, q[k].sql, q[k].n, q[k].params,
						q[k].ncols)) == NULL)
				r = -1;
		goto out;
	}
	if (!PQenterPipelineMode(conn))
		sent = false;
	for (k = 0; k < n && sent; k++)
		sent = PQsendQueryPrepared(conn, names[k], q[k].n, q[k].params, NULL, NULL, 0);
	if (sent)
		sent = PQpipelineSync(conn);
	if (!sent) {
		/* cannot send: the connection is gone (503, the pool reconnects) */
		discard_results(conn);
		PQexitPipelineMode(conn);
		db_error(conn, NULL, resp);
		return -1;
	}
	/* each statement's result, then its end (NULL); the first error is
	 * the reply, the statements after it were not run */
	for (k = 0; k < n; k++) {
		PGresult *x = PQgetResult(conn), *end;

		while ((end = PQgetResult(conn)) != NULL)
			PQclear(end);
		if (r == 0 && (res[k] = checked(conn, resp, x, q[k].ncols)) == NULL)
			r = -1;
		else if (r < 0)
			PQclear(x);
	}
	{
		PGresult *x;
		while ((x = PQgetResult(conn)) != NULL && PQresultStatus(x) != PGRES_PIPELINE_SYNC)
			PQclear(x);
		PQclear(x);
	}
	PQexitPipelineMode(conn);
out:
	if (r < 0)
		for (k = 0; k < n; k++) {
			PQclear(res[k]);
			res[k] = NULL;
		}
	return r;
}

PGresult *
vhd_qrows(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
	  const char *const *params, int ncols)
{
	PGresult *res = vhd_q(conn, resp, sql, n, params);

	if (res && (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != ncols)) {
		log_warnx("query returned %d columns, expected %d", PQnfields(res), ncols);
		vhd_reply_error(resp, VHCV_ERROR, NULL, "unexpected result shape");
		PQclear(res);
		return NULL;
	}
	return res;
}

bool
vhd_send(PGconn *conn, const char *sql)
{
	return PQsendQueryParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0) == 1;
}

PGresult *
vhd_recv_rows(PGconn *conn, struct vhd_response *resp, int ncols)
{
	PGresult *res = PQgetResult(conn), *more;

	while ((more = PQgetResult(conn)) != NULL) /* (to the end of the statement) */
		PQclear(more);
	if (res == NULL) {
		/* (nothing was sent, or the connection is gone) */
		db_error(conn, NULL, resp);
		return NULL;
	}
	return checked(conn, resp, res, ncols);
}

int
vhd_execp(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
	  const char *const *params)
{
	PGresult *res = vhd_qprep(conn, resp, sql, n, params, 0);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
vhd_exec(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
	 const char *const *params)
{
	PGresult *res = vhd_q(conn, resp, sql, n, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
vhd_begin(PGconn *conn, struct vhd_response *resp)
{
	return vhd_exec(conn, resp, "BEGIN", 0, NULL);
}

int
vhd_begin_lazy(PGconn *conn, struct vhd_response *resp)
{
	(void)resp;
	begin_pending = conn;
	return 0;
}

void
vhd_commit_lazy(PGconn *conn)
{
	commit_forget();
	commit_pending = conn;
}

/* a COMMIT answered ROLLBACK: a statement of the transaction had failed */
static void
rolled_back(struct vhd_response *resp)
{
	log_warnx("COMMIT rolled back: a statement of the transaction had failed");
	vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
			"the change was not written (the database rolled it back); retry");
}

int
vhd_commit(PGconn *conn, struct vhd_response *resp)
{
	unsigned long before = vhd_db_warnings();
	PGresult *res;

	if (begin_pending == conn) {
		/* nothing was sent since BEGIN: nothing to commit */
		begin_pending = NULL;
		commit_forget();
		return 0;
	}
	if (commit_result) {
		/* sent with the transaction's last statement (vhd_commit_lazy) */
		res = commit_result;
		commit_result = NULL;
		before = commit_warnings;
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_error(conn, res, resp);
			PQclear(res);
			return -1;
		}
	} else {
		commit_pending = NULL;
		if ((res = vhd_q(conn, resp, "COMMIT", 0, NULL)) == NULL)
			return -1;
	}
	/* (COMMIT of a transaction in which a statement failed is a ROLLBACK) */
	if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		PQclear(res);
		rolled_back(resp);
		return -1;
	}
	PQclear(res);
	/*
	 * A commit whose wait for the synchronous standby was cancelled
	 * (pg_cancel_backend; PostgreSQL does not apply statement_timeout to
	 * that wait) succeeds with only a WARNING: committed here, perhaps on
	 * no other server. That is not
	 * an acknowledgement the register can give; the client's retry with
	 * its key finds the write, or makes it again where it was lost.
	 */
	if (vhd_db_warnings() != before) {
		log_warnx("commit not confirmed by the standby: answered 503");
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"the database did not confirm the write on its standby; retry");
		return -1;
	}
	return 0;
}

int
vhd_commit_then(PGconn *conn, struct vhd_response *resp, const char *sql, int n,
		const char *const *params, int ncols, PGresult **out)
{
	unsigned long before = vhd_db_warnings();
	struct vhd_response scratch = { .status = 500 };
	PGresult *c = NULL, *q = NULL;
	char name[32];
	bool fresh;
	long i;

	*out = NULL;
	i = prep_entry(conn, sql, &fresh);
	if (i >= 0 && fresh) {
		/*
		 * Not prepared yet: never inside the transaction (preparing
		 * takes its tables' locks; a wait ending in a timeout would
		 * abort the write). The first time, after the COMMIT.
		 */
		pthread_mutex_lock(&prep_lock);
		prep[i] = (struct prep){ NULL, NULL };
		pthread_mutex_unlock(&prep_lock);
		i = -1;
	}
	if (i < 0 || begin_pending == conn || commit_pending == conn || commit_result ||
	    !PQenterPipelineMode(conn)) {
		if (vhd_commit(conn, resp) < 0)
			return -1;
		*out = vhd_qprep(conn, &scratch, sql, n, params, ncols);
		vhd_reply_free(&scratch);
		return 0;
	}
	snprintf(name, sizeof(name), "vhd_p%ld", i);
	if (!PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) ||
	    !PQsendQueryPrepared(conn, name, n, params, NULL, NULL, 0) || !PQpipelineSync(conn)) {
		discard_results(conn);
		PQexitPipelineMode(conn);
		db_error(conn, NULL, resp);
		return -1;
	}
	pipeline_pair(conn, &c, &q);
	if (PQresultStatus(c) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(c), "COMMIT") != 0) {
		if (PQresultStatus(c) == PGRES_COMMAND_OK)
			rolled_back(resp);
		else
			db_error(conn, c, resp);
		PQclear(c);
		PQclear(q);
		return -1;
	}
	PQclear(c);
	/* as vhd_commit: a commit the standby did not confirm is not one */
	if (vhd_db_warnings() != before) {
		PQclear(q);
		log_warnx("commit not confirmed by the standby: answered 503");
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"the database did not confirm the write on its standby; retry");
		return -1;
	}
	if (PQresultStatus(q) == PGRES_TUPLES_OK && PQnfields(q) == ncols)
		*out = q;
	else
		PQclear(q);
	return 0;
}

void
vhd_rollback(PGconn *conn)
{
	if (begin_pending == conn)
		begin_pending = NULL;
	commit_forget();
	if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(conn, "ROLLBACK");
		PQclear(res);
	}
}

const char *
vhd_val(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

json_t *
vhd_jval(const PGresult *res, int row, int col)
{
	const char *v = vhd_val(res, row, col);

	return v ? json_string(v) : json_null();
}

json_t *
vhd_jbool(const PGresult *res, int row, int col)
{
	const char *v = vhd_val(res, row, col);

	return v ? json_boolean(v[0] == 't') : json_null();
}

json_t *
vhd_jint(const PGresult *res, int row, int col)
{
	const char *v = vhd_val(res, row, col);

	return v ? json_integer(strtoll(v, NULL, 10)) : json_null();
}

static PGconn *
conn_or_503(PGconn *conn, struct vhd_response *resp)
{
	if (conn == NULL) {
		vhd_metrics_db_error();
		vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL,
				"the database is unavailable; retry later");
	}
	return conn;
}

PGconn *
vhd_conn(struct vhd_response *resp)
{
	begin_pending = NULL;
	commit_forget();
	return conn_or_503(vhd_pool_get(5000), resp);
}

PGconn *
vhd_conn_read(struct vhd_response *resp)
{
	return conn_or_503(vhd_pool_get_read(5000), resp);
}

void
vhd_conn_put(PGconn *conn)
{
	if (begin_pending == conn)
		begin_pending = NULL;
	commit_forget();
	vhd_pool_put(conn);
}
