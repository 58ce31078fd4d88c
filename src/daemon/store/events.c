/*
 * Hash chains and the sealed log. Each case has its own chain, so writers
 * on different cases never wait for each other; the case row lock orders
 * the events of one case. Each event also records what changed in the
 * case's history rows (its `state`), so verification can prove every row
 * the API serves. Every event is a leaf of one Merkle tree (RFC 9162),
 * appended by the sealer; each seal is a signed tree head. docs/audit.md
 * explains the design, docs/security.md the threat model.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#include "auth.h"
#include "dbq.h"
#include "events.h"
#include "log.h"
#include "merkle.h"
#include "pool.h"
#include "vfast.h"

/* problems listed at most; the count goes on */
#define MAX_PROBLEMS 1000
/* rows fetched from a cursor at a time: verification's memory bound */
#define FETCH_ROWS "1000"
/* a statement of verification or of a proof may take this long */
#define VERIFY_TIMEOUT "300s"

static vh_signer *signer;

void
vhd_audit_set_signer(vh_signer *s)
{
	signer = s;
}

void
vhd_now_rfc3339(char buf[40])
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, 40, "%.20s.%06dZ", base, (int)(ts.tv_nsec / 1000) % 1000000);
}

/* the hash of an event whose data and state are already in their
 * canonical text (compact, keys sorted; cstate NULL: none recorded) */
static int
event_hash_text(char hex[VH_SHA256_HEX], const char *prev, const char *case_number,
		long long seq, const char *kind, const char *actor, const char *at,
		const char *canon, const char *cstate)
{
	char *text;
	int r;

	/* events written before states were recorded hash without one */
	text = cstate ? vh_asprintf("%s\n%s\n%lld\n%s\n%s\n%s\n%s\n%s", prev, case_number, seq,
				    kind, actor, at, canon, cstate)
		      : vh_asprintf("%s\n%s\n%lld\n%s\n%s\n%s\n%s", prev, case_number, seq, kind,
				    actor, at, canon);
	if (text == NULL)
		return VHCV_ENOMEM;
	r = vh_sha256_hex(hex, text, strlen(text));
	free(text);
	return r;
}

int
vhd_event_hash(char hex[VH_SHA256_HEX], const char *prev, const char *case_number,
	       long long seq, const char *kind, const char *actor, const char *at,
	       json_t *data, json_t *state)
{
	char *canon, *cstate = NULL;
	int r;

	canon = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : vh_strdup("{}");
	if (canon == NULL)
		return VHCV_ENOMEM;
	if (state && (cstate = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		free(canon);
		return VHCV_ENOMEM;
	}
	r = event_hash_text(hex, prev, case_number, seq, kind, actor, at, canon, cstate);
	free(canon);
	free(cstate);
	return r;
}

/*
 * States: an object of rows ("case", "decision:12", ...), each an object
 * of fields. An event records the difference from the state before it:
 * new rows whole, changed rows by their changed fields, a removed row as
 * null (never written by vhcvd, but replayed faithfully).
 */
void
vhd_state_apply(json_t *acc, json_t *diff)
{
	const char *key;
	json_t *v;

	json_object_foreach(diff, key, v) {
		json_t *row = json_object_get(acc, key);
		if (json_is_null(v))
			json_object_del(acc, key);
		else if (json_is_object(row) && json_is_object(v))
			json_object_update(row, v);
		else
			json_object_set_new(acc, key, json_deep_copy(v));
	}
}

json_t *
vhd_state_diff(json_t *old, json_t *cur)
{
	json_t *diff = json_object(), *v;
	const char *key;

	if (diff == NULL)
		return NULL;
	json_object_foreach(cur, key, v) {
		json_t *was = json_object_get(old, key), *fields, *f;
		const char *fk;

		if (!json_is_object(was) || !json_is_object(v)) {
			json_object_set(diff, key, v);
			continue;
		}
		fields = json_object();
		json_object_foreach(v, fk, f)
			if (!json_equal(f, json_object_get(was, fk)))
				json_object_set(fields, fk, f);
		if (json_object_size(fields))
			json_object_set(diff, key, fields);
		json_decref(fields);
	}
	json_object_foreach(old, key, v)
		if (json_object_get(cur, key) == NULL)
			json_object_set_new(diff, key, json_null());
	return diff;
}

/* replay the states of a case's events (a JSON array text, or NULL) */
static json_t *
state_replay(const char *states)
{
	json_t *arr = states ? json_loads(states, 0, NULL) : json_array(), *acc = json_object(), *v;
	size_t i;

	if (arr == NULL || acc == NULL) {
		json_decref(arr);
		json_decref(acc);
		return NULL;
	}
	json_array_foreach(arr, i, v)
		vhd_state_apply(acc, v);
	json_decref(arr);
	return acc;
}

/* copy the rows of `from` whose key starts with prefix into `to` */
static int
keep_rows(json_t *to, json_t *from, const char *prefix)
{
	const char *key;
	json_t *v;

	json_object_foreach(from, key, v)
		if (strncmp(key, prefix, strlen(prefix)) == 0 &&
		    json_object_set(to, key, v) < 0)
			return -1;
	return 0;
}

/*
 * Write the event seq of case_id after prev, recording what changed from
 * `before` to `now`, and move the case's head to it: one statement (the
 * event and the head used to be two round trips).
 */
static int
event_write(PGconn *conn, struct vhd_response *resp, const char *case_id, const char *number,
	    long long seq, const char *prev, json_t *before, json_t *now, const char *kind,
	    const char *actor, json_t *data, char **listed)
{
	char at[40], hash[VH_SHA256_HEX], seqbuf[24];
	char *datatext = NULL, *statetext = NULL;
	json_t *diff = NULL;
	PGresult *res;
	int r = -1;

	vhd_now_rfc3339(at);
	/* the texts stored are the canonical ones the hash covers: made once */
	if ((diff = vhd_state_diff(before, now)) == NULL ||
	    (datatext = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS)
			     : vh_strdup("{}")) == NULL ||
	    (statetext = json_dumps(diff, JSON_COMPACT | JSON_SORT_KEYS)) == NULL ||
	    event_hash_text(hash, prev, number, seq, kind, actor, at, datatext, statetext) < 0) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	snprintf(seqbuf, sizeof(seqbuf), "%lld", seq);
	res = vhd_qprep(conn, resp,
			"WITH e AS (INSERT INTO case_events (case_id, seq, kind, actor, at, data,"
			" state, prev_hash, hash)"
			" VALUES ($1::bigint, $2::int, $3, $4, $5::timestamptz, $6::jsonb, $7::jsonb,"
			" $8, $9) RETURNING case_id)"
			" UPDATE cases SET event_count = $2::int, event_head = $9, updated_at = now()"
			" WHERE id = (SELECT case_id FROM e)",
			9, (const char *[]){ case_id, seqbuf, kind, actor, at, datatext, statetext,
					     prev, hash }, 0);
	if (res == NULL)
		goto out;
	PQclear(res);
	r = 0;
	/* the event as a case view lists it (CASE_EVENT_ROWS in cases.c: the same
	 * members in the same order, `at` in the same format) */
	if (listed) {
		json_t *ev = json_pack("[{s:I, s:s, s:s, s:s, s:o, s:s}]", "seq", (json_int_t)seq,
				       "kind", kind, "actor", actor, "at", at, "data",
				       data ? json_incref(data) : json_object(), "hash", hash);

		if (ev == NULL || (*listed = json_dumps(ev, JSON_COMPACT)) == NULL) {
			vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
			r = -1;
		}
		json_decref(ev);
	}
out:
	free(datatext);
	free(statetext);
	json_decref(diff);
	return r;
}

int
vhd_event_append(PGconn *conn, struct vhd_response *resp, const char *case_id,
		 const char *kind, const char *actor, json_t *data)
{
	PGresult *res;
	json_t *before = NULL, *now = NULL;
	bool with_evidence;
	int r = -1;

	/*
	 * The case's history rows as they now stand, and as its events say.
	 * Evidence is written only by evidence events and never changes: other
	 * events take its rows from the events and do not read the table.
	 */
	with_evidence = strcmp(kind, "evidence") == 0;
	res = vhd_qprep(conn, resp,
			with_evidence
				? "SELECT c.number, c.event_count, coalesce(c.event_head, $2),"
				  " case_state(c.id)::text,"
				  " (SELECT json_agg(e.state ORDER BY e.seq) FROM case_events e"
				  "  WHERE e.case_id = c.id AND e.state IS NOT NULL)::text"
				  " FROM cases c WHERE c.id = $1::bigint"
				: "SELECT c.number, c.event_count, coalesce(c.event_head, $2),"
				  " case_state_core(c.id)::text,"
				  " (SELECT json_agg(e.state ORDER BY e.seq) FROM case_events e"
				  "  WHERE e.case_id = c.id AND e.state IS NOT NULL)::text"
				  " FROM cases c WHERE c.id = $1::bigint",
			2, (const char *[]){ case_id, VHD_ZERO_HASH }, 5);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no such case");
		goto out;
	}
	if ((before = state_replay(vhd_val(res, 0, 4))) == NULL ||
	    (now = json_loads(PQgetvalue(res, 0, 3), 0, NULL)) == NULL ||
	    (!with_evidence && keep_rows(now, before, "evidence:") < 0)) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	r = event_write(conn, resp, case_id, PQgetvalue(res, 0, 0),
			strtoll(PQgetvalue(res, 0, 1), NULL, 10) + 1, PQgetvalue(res, 0, 2), before,
			now, kind, actor, data, NULL);
out:
	json_decref(before);
	json_decref(now);
	PQclear(res);
	return r;
}

void
vhd_case_number_abandoned(PGconn *conn, const char *year, const char *what, int status)
{
	char why[128];
	PGresult *res;

	vhd_rollback(conn);
	snprintf(why, sizeof(why), "%s (HTTP %d)", what, status);
	res = PQexecParams(conn, "SELECT vhcv.case_number_abandon($1::int, $2)", 2, NULL,
			   (const char *[]){ year, why }, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		log_warnx("a case number of %s given up by a failed report was not recorded"
			  " (audit verify will name it as deleted): %s",
			  year, LOGQ(PQerrorMessage(conn)));
	else if (!PQgetisnull(res, 0, 0))
		log_info("case number VP-%s-%s given up: %s", year, PQgetvalue(res, 0, 0), why);
	PQclear(res);
}

int
vhd_event_first(PGconn *conn, struct vhd_response *resp, const char *case_id,
		const char *number, const char *state, const char *kind, const char *actor,
		json_t *data, char **listed)
{
	json_t *before = json_object(), *now = json_loads(state, 0, NULL);
	int r = -1;

	if (before == NULL || !json_is_object(now))
		vhd_reply_error(resp, VHCV_ERROR, NULL, "the new case's state is not readable");
	else
		r = event_write(conn, resp, case_id, number, 1, VHD_ZERO_HASH, before, now, kind,
				actor, data, listed);
	json_decref(before);
	json_decref(now);
	return r;
}

/*
 * A server-side cursor read FETCH_ROWS at a time: bounded memory. One read
 * ahead (on a connection of its own: nothing else may be in flight on it)
 * asks for its next batch as soon as one arrives, so that the server
 * produces it while the walk checks this one (one more batch in memory).
 */
struct cursor {
	PGconn *conn;
	struct vhd_response *resp;
	const char *name;
	PGresult *res;
	int row, ncols;
	bool done;
	bool ahead;   /* read ahead (set after cur_open) */
	bool sent;    /* the next FETCH is in flight */
	int idrow;    /* the row whose first column id holds (-1: none) */
	long long id;
};

static int
cur_open(struct cursor *c, PGconn *conn, struct vhd_response *resp, const char *name,
	 int ncols, const char *sql, int n, const char *const *params)
{
	char *decl = vh_asprintf("DECLARE %s NO SCROLL CURSOR FOR %s", name, sql);
	int r;

	memset(c, 0, sizeof(*c));
	c->conn = conn;
	c->resp = resp;
	c->name = name;
	c->ncols = ncols;
	if (decl == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	r = vhd_exec(conn, resp, decl, n, params);
	free(decl);
	return r;
}

/* 1: a row at c->res/c->row; 0: no more; -1: error (reply set) */
static int
cur_next(struct cursor *c)
{
	char sql[80];

	if (c->res && ++c->row < PQntuples(c->res))
		return 1;
	PQclear(c->res);
	c->res = NULL;
	if (c->done)
		return 0;
	snprintf(sql, sizeof(sql), "FETCH " FETCH_ROWS " FROM %s", c->name);
	if (c->ahead) {
		if (!c->sent && !vhd_send(c->conn, sql)) {
			c->res = vhd_recv_rows(c->conn, c->resp, c->ncols); /* (the error) */
			PQclear(c->res);
			c->res = NULL;
			return -1;
		}
		c->sent = false;
		c->res = vhd_recv_rows(c->conn, c->resp, c->ncols);
	} else {
		c->res = vhd_qrows(c->conn, c->resp, sql, 0, NULL, c->ncols);
	}
	if (c->res == NULL)
		return -1;
	c->row = 0;
	c->idrow = -1;
	if (PQntuples(c->res) < atoi(FETCH_ROWS))
		c->done = true;
	else if (c->ahead && vhd_send(c->conn, sql))
		c->sent = true; /* (not sent: sent again, and its error read, next time) */
	return PQntuples(c->res) > 0 ? 1 : 0;
}

static void
cur_close(struct cursor *c)
{
	PGresult *res;

	PQclear(c->res);
	c->res = NULL;
	if (c->sent) /* (a walk that stopped early: its batch read ahead dropped) */
		while ((res = PQgetResult(c->conn)) != NULL)
			PQclear(res);
	c->sent = false;
}

static const char *
cv(const struct cursor *c, int col)
{
	return vhd_val(c->res, c->row, col);
}

/* the first column (a case id) of the current row, parsed once: the walk's
 * merge compared it again at every step (strtoll was 6.6 % of vhcvd's CPU
 * in a verify) */
static long long
cur_id(struct cursor *c)
{
	if (c->idrow != c->row) {
		c->id = strtoll(cv(c, 0), NULL, 10);
		c->idrow = c->row;
	}
	return c->id;
}

struct report {
	json_t *problems, *abandoned;
	long long nproblems, nabandoned, cases, events, seals, tree_size, full_checks;
	int walks;
	char root[65];
};

/* a problem found by verification: the case, the event or row, what */
static void
problem(struct report *rep, const char *number, long long seq, const char *event_id,
	const char *row, const char *field, const char *fmt, ...) VH_PRINTF(7, 8);

static void
problem(struct report *rep, const char *number, long long seq, const char *event_id,
	const char *row, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *p;

	if (rep->nproblems++ >= MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p = json_pack("{s:s, s:s}", "case", number ? number : "", "problem", msg);
	if (p == NULL)
		return;
	if (seq > 0)
		json_object_set_new(p, "seq", json_integer(seq));
	if (event_id)
		json_object_set_new(p, "event_id", json_integer(strtoll(event_id, NULL, 10)));
	if (row)
		json_object_set_new(p, "row", json_string(row));
	if (field)
		json_object_set_new(p, "field", json_string(field));
	json_array_append_new(rep->problems, p);
}

/* a value for a message: short, and "absent" when there is none */
static char *
show(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL, *t;

	if (s == NULL)
		return vh_strdup("absent");
	if (strlen(s) > 80) {
		t = vh_asprintf("%.60s… (%zu bytes)", s, strlen(s));
		free(s);
		return t;
	}
	return s;
}


static bool
listed(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/*
 * What an event may change, given the rows before it: a row changed in
 * the table between two events is taken up into the next event's state,
 * so each recorded change must be one vhcvd makes. Rows other than the
 * case are never changed (a pause only gets its end, once), nothing is
 * removed, a case's facts never change, and its status changes only by a
 * transition that names both ends.
 */
static void
check_change(struct report *rep, const char *number, long long seq, const char *id,
	     json_t *before, json_t *diff, json_t *data)
{
	json_t *was = json_object_get(before, "case"), *v, *f;
	const char *key, *fk, *from = json_string_value(json_object_get(data, "from"));

	if (was == NULL)
		return; /* the first recorded state: everything is new */
	if (from && !json_equal(json_object_get(data, "from"), json_object_get(was, "status")))
		problem(rep, number, seq, id, "case", "status",
			"the event says the case was %s but the events before it leave it %s"
			" (changed between events?)", from,
			json_string_value(json_object_get(was, "status")) ?: "?");
	json_object_foreach(diff, key, v) {
		json_t *row = json_object_get(before, key);
		if (json_is_null(v)) {
			problem(rep, number, seq, id, key, NULL,
				"the event records row %s as removed: history rows are never removed",
				key);
			continue;
		}
		if (row == NULL)
			continue; /* a new row */
		json_object_foreach(v, fk, f) {
			bool ok;
			if (strcmp(key, "case") == 0)
				ok = !listed(fk, vhd_case_facts) &&
				     (strcmp(fk, "status") != 0 ||
				      json_equal(f, json_object_get(data, "to")));
			else
				ok = strncmp(key, "pause:", 6) == 0 && strcmp(fk, "ended_on") == 0 &&
				     json_is_null(json_object_get(row, fk));
			if (!ok) {
				char *a = show(f);
				problem(rep, number, seq, id, key, fk,
					"the event records %s.%s becoming %s, a change vhcvd never"
					" makes there (changed between events?)", key, fk, a);
				free(a);
			}
		}
	}
}

/* Compare the rows as the events say with the rows as stored. */
static void
state_compare(struct report *rep, const char *number, json_t *expect, json_t *live)
{
	const char *key, *fk;
	json_t *row, *f;

	json_object_foreach(expect, key, row) {
		json_t *now = json_object_get(live, key);
		if (now == NULL) {
			problem(rep, number, 0, NULL, key, NULL,
				"row %s is recorded by the events but missing (deleted?)", key);
			continue;
		}
		json_object_foreach(row, fk, f) {
			json_t *g = json_object_get(now, fk);
			if (!json_equal(f, g) && !(json_is_null(f) && g == NULL)) {
				char *a = show(g), *b = show(f);
				problem(rep, number, 0, NULL, key, fk,
					"%s.%s is %s but the events say %s", key, fk, a, b);
				free(a);
				free(b);
			}
		}
		json_object_foreach(now, fk, f)
			if (json_object_get(row, fk) == NULL && !json_is_null(f)) {
				char *a = show(f);
				problem(rep, number, 0, NULL, key, fk,
					"%s.%s is %s but no event records it", key, fk, a);
				free(a);
			}
	}
	json_object_foreach(live, key, row)
		if (json_object_get(expect, key) == NULL)
			problem(rep, number, 0, NULL, key, NULL,
				"row %s is recorded by no event (written around the log)", key);
}

/*
 * The full check of one case, which names every problem: its events and
 * its stored rows read again (by the case's indexes), the chain, the
 * case's head, each event's place in the log, the recorded changes, the
 * replayed state against the stored rows, the evidence bytes. Run for the
 * cases the fast check (vfast.c) could not prove clean.
 */
static int
verify_case_full(PGconn *conn, struct vhd_response *resp, struct report *rep, const char *cid,
		 const char *number, long long count, const char *head, const char *bad)
{
	PGresult *ev, *rows;
	const char *prev = VHD_ZERO_HASH;
	long long expect = 1;
	json_t *replay = NULL, *live = NULL, *badbytes = NULL, *b;
	size_t i;
	int r = -1;

	ev = vhd_qrows(conn, resp,
		       "SELECT e.id, e.seq, e.kind, e.actor, " VHD_SQL_TIME("e.at")
		       ", e.data::text, e.state::text, e.prev_hash, e.hash,"
		       " (EXISTS (SELECT 1 FROM audit_log l WHERE l.event_id = e.id)"
		       "  OR EXISTS (SELECT 1 FROM audit_pending p WHERE p.event_id = e.id))"
		       " FROM case_events e WHERE e.case_id = $1::bigint ORDER BY e.seq, e.id",
		       1, (const char *[]){ cid }, 10);
	if (ev == NULL)
		return -1;
	rows = vhd_qrows(conn, resp,
			 "SELECT r.key, r.row::text FROM (" VHD_SQL_CASE_ROWS ") r"
			 " WHERE r.case_id = $1::bigint",
			 1, (const char *[]){ cid }, 2);
	if (rows == NULL)
		goto out;
	replay = json_object();
	live = json_object();
	badbytes = bad ? json_loads(bad, 0, NULL) : NULL;
	for (int k = 0; live && k < PQntuples(rows); k++)
		if (json_object_set_new(live, PQgetvalue(rows, k, 0),
					json_loads(PQgetvalue(rows, k, 1), 0, NULL)) < 0) {
			json_decref(live);
			live = NULL;
		}
	for (int k = 0; k < PQntuples(ev); k++) {
		long long seq = strtoll(PQgetvalue(ev, k, 1), NULL, 10);
		const char *id = PQgetvalue(ev, k, 0), *stored = PQgetvalue(ev, k, 8);
		char hash[VH_SHA256_HEX];
		json_t *data = json_loads(PQgetvalue(ev, k, 5), 0, NULL);
		json_t *state = vhd_val(ev, k, 6) ? json_loads(PQgetvalue(ev, k, 6), 0, NULL) : NULL;

		if (seq != expect)
			problem(rep, number, seq, id, NULL, NULL,
				seq > expect ? "event %lld is missing (deleted?) before this one"
					     : "event %lld appears twice or out of order",
				expect);
		if (strcmp(PQgetvalue(ev, k, 7), prev) != 0)
			problem(rep, number, seq, id, NULL, NULL,
				"does not link to the event before it (deleted or reordered)");
		if (data == NULL || (vhd_val(ev, k, 6) && state == NULL) ||
		    vhd_event_hash(hash, PQgetvalue(ev, k, 7), number, seq, PQgetvalue(ev, k, 2),
				   PQgetvalue(ev, k, 3), PQgetvalue(ev, k, 4), data, state) < 0 ||
		    strcmp(hash, stored) != 0)
			problem(rep, number, seq, id, NULL, NULL,
				"content does not match its hash (changed after it was written)");
		if (PQgetvalue(ev, k, 9)[0] != 't')
			problem(rep, number, seq, id, NULL, NULL,
				"the event is neither in the sealed log nor waiting for the"
				" next seal (taken out of the log?)");
		if (state) {
			check_change(rep, number, seq, id, replay, state, data);
			vhd_state_apply(replay, state);
		}
		json_decref(data);
		json_decref(state);
		prev = stored;
		expect = seq + 1;
	}
	if (expect == 1)
		problem(rep, number, 0, NULL, "case", NULL,
			"the case has no event, not even its report: it was written around"
			" the log");
	else if (count != expect - 1)
		problem(rep, number, count, NULL, NULL, NULL,
			"the case records %lld events but %lld are in the log", count,
			expect - 1);
	else if (count > 0 && (head == NULL || strcmp(head, prev) != 0))
		problem(rep, number, count, NULL, NULL, NULL,
			"the case's head hash does not match its last event");
	/* cases whose events all predate recorded states are not compared */
	if (json_object_size(replay) && live)
		state_compare(rep, number, replay, live);
	json_array_foreach(badbytes, i, b)
		problem(rep, number, 0, NULL, json_string_value(b), "bytes",
			"the bytes of %s do not match its SHA-256 (replaced?)",
			json_string_value(b));
	r = 0;
out:
	json_decref(replay);
	json_decref(live);
	json_decref(badbytes);
	PQclear(ev);
	PQclear(rows);
	return r;
}

/*
 * The stored history rows as the fast check reads them: each table's
 * columns as a record's text (cheap to produce, unlike JSON), named and
 * typed from the catalog, so that they are the fields case_state() and
 * VHD_SQL_CASE_ROWS give (to_jsonb of the row less the columns that are
 * not history). A column of another type comes as its to_jsonb() text.
 */
static const struct {
	const char *prefix, *table, *alias, *key, *case_id, *filter;
	const char *const *only, *const *except;
} row_kinds[] = {
	{ "case", "cases", "c", "'case'::text", "c.id", NULL,
	  (const char *const[]){ "year", "seq", "official_id", "unit_id", "rule_version_id",
				 "source", "reporter", "occurred_on", "detected_on", "place",
				 "description", "status", "severity", "complex",
				 "limitation_expires_on", "handling_deadline", "paused_days",
				 "paused_since", NULL },
	  NULL },
	{ "decision:", "decisions", "d", "'decision:' || d.id", "d.case_id", NULL, NULL,
	  (const char *const[]){ "id", "case_id", "idempotency_key", "request_hash", "at", NULL } },
	{ "council:", "council_members", "m", "'council:' || m.official_id", "m.case_id", NULL,
	  NULL, (const char *const[]){ "case_id", NULL } },
	{ "link:", "case_links", "l", "'link:' || l.other_id", "l.case_id",
	  "l.kind <> 'probable_duplicate'", NULL,
	  (const char *const[]){ "case_id", "at", NULL } },
	{ "pause:", "case_pauses", "p", "'pause:' || p.id", "p.case_id", NULL, NULL,
	  (const char *const[]){ "id", "case_id", NULL } },
	{ "evidence:", "evidence", "e", "'evidence:' || e.id", "e.case_id", NULL, NULL,
	  (const char *const[]){ "id", "case_id", "bytes", "added_at", NULL } },
};
#define NKINDS VH_NELEM(row_kinds)

struct row_spec {
	struct vf_table t[NKINDS];
	char *sql; /* the UNION ALL of the kinds: case_id, key, kind, record text */
};

static void
row_spec_free(struct row_spec *s)
{
	for (size_t k = 0; k < NKINDS; k++) {
		for (int c = 0; c < s->t[k].ncols; c++)
			free(s->t[k].names[c]);
		free(s->t[k].names);
		free(s->t[k].lens);
		free(s->t[k].types);
	}
	free(s->sql);
}

static int
row_spec_make(PGconn *conn, struct vhd_response *resp, struct row_spec *s)
{
	char *sql = vh_strdup("");

	memset(s, 0, sizeof(*s));
	for (size_t k = 0; k < NKINDS; k++) {
		PGresult *cols = vhd_qrows(conn, resp,
					   "SELECT a.attname, a.atttypid::int FROM pg_attribute a"
					   " WHERE a.attrelid = ('vhcv.' || $1)::regclass"
					   " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
					   1, (const char *[]){ row_kinds[k].table }, 2);
		struct vf_table *t = &s->t[k];
		char *rec = vh_strdup(""), *n;
		int nc;

		if (cols == NULL) {
			free(sql);
			free(rec);
			return -1;
		}
		nc = PQntuples(cols);
		snprintf(t->prefix, sizeof(t->prefix), "%s", row_kinds[k].prefix);
		t->names = calloc((size_t)nc + 1, sizeof(char *));
		t->types = calloc((size_t)nc + 1, 1);
		t->lens = calloc((size_t)nc + 1, sizeof(size_t));
		for (int c = 0; c < nc && t->names && t->types && t->lens && rec; c++) {
			const char *name = PQgetvalue(cols, c, 0);
			int oid = atoi(PQgetvalue(cols, c, 1));
			char type = oid == 20 || oid == 21 || oid == 23 ? 'n'
				    : oid == 25 || oid == 1043		 ? 's'
				    : oid == 1082				 ? 'd'
				    : oid == 16					 ? 'b'
										 : 'j';
			char *id;

			if ((row_kinds[k].only && !listed(name, row_kinds[k].only)) ||
			    (row_kinds[k].except && listed(name, row_kinds[k].except)))
				continue;
			if ((id = PQescapeIdentifier(conn, name, strlen(name))) == NULL)
				break;
			n = vh_asprintf(type == 'j' ? "%s%sto_jsonb(%s.%s)" : "%s%s%s.%s", rec,
					*rec ? ", " : "", row_kinds[k].alias, id);
			PQfreemem(id);
			free(rec);
			rec = n;
			t->names[t->ncols] = vh_strdup(name);
			t->lens[t->ncols] = strlen(name);
			t->types[t->ncols++] = type;
		}
		PQclear(cols);
		if (rec == NULL || t->names == NULL || t->types == NULL || t->lens == NULL) {
			free(sql);
			free(rec);
			vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
			return -1;
		}
		n = sql ? vh_asprintf("%s%sSELECT %s AS case_id, %s AS key, %zu AS kind,"
				      " ROW(%s)::text AS rec FROM %s %s%s%s",
				      sql, *sql ? " UNION ALL " : "", row_kinds[k].case_id,
				      row_kinds[k].key, k, rec, row_kinds[k].table,
				      row_kinds[k].alias, row_kinds[k].filter ? " WHERE " : "",
				      row_kinds[k].filter ? row_kinds[k].filter : "")
			: NULL;
		free(sql);
		free(rec);
		sql = n;
	}
	s->sql = sql;
	if (sql == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Whether every event the walks checked is in the sealed log or waiting
 * for the next seal, proven once for the whole register instead of by two
 * index probes per event (a third of the events' statement's time, and
 * 255,000 of its 298,000 buffer accesses for 20,000 cases; session 6 in
 * docs/performance.md). The walks read each event's flag as true and set
 * its id in a bitmap (max_id bits: 0.5 MiB for 4.15 M events); then the
 * ids of the log and of audit_pending are streamed once (COPY, on a second
 * connection in the same snapshot while the case numbers and the log are
 * checked), each clearing its bit. The walks' flags were right if and only
 * if as many bits were cleared as events were checked; otherwise (an event
 * taken out of the log: tampering) the verification is run again with the
 * flags read event by event, so that its answer is exactly that of the
 * probes, problems in the same order.
 */
struct sealed {
	uint64_t *bits;      /* one per event id up to max_id */
	long long max_id;
	long long checked;   /* events the walks checked (bits set) */
	long long cleared;   /* of those, found in the log or pending */
	bool failed;         /* an id beyond max_id, or the stream failed */
};

/* the most event ids the bitmap may cover (16 MiB); beyond, the probes */
#define SEALED_MAX_ID (1LL << 27)

/* one walk over the cases whose ids are in [lo, hi): see verify_cases */
struct range {
	PGconn *conn;
	struct vhd_response *resp;
	struct report rep;
	const struct row_spec *spec;
	const char *units;
	struct sealed *seen; /* NULL: each event's flag probed */
	PGconn *econn, *rconn; /* NULL, or the events' and rows' own, read ahead */
	long long checked;
	char lo[24], hi[24];
	int r;
};

/* an event the walk checked as sealed or pending: its bit set (shared by
 * the walks, whose events' ids interleave) */
static void
sealed_set(struct range *g, const char *id)
{
	long long i = id ? strtoll(id, NULL, 10) : -1;
	uint64_t bit, was;

	g->checked++;
	if (i < 0 || i > g->seen->max_id) {
		g->seen->failed = true; /* (the other walk may set it too: only ever true) */
		return;
	}
	bit = (uint64_t)1 << (i & 63);
	was = __atomic_fetch_or(&g->seen->bits[i >> 6], bit, __ATOMIC_RELAXED);
	if (was & bit)
		g->checked--; /* the same id twice: counted once */
}

#define RANGE_CASES "c.id >= $1::bigint AND c.id < $2::bigint"

static void *
verify_range(void *arg)
{
	struct range *g = arg;
	struct report *rep = &g->rep;
	struct cursor cc, ce, cr;
	char *csql, *esql, *rsql;
	int hc, he, hr;
	const char *params[3] = { g->lo, g->hi, g->units };
	struct vf *v = vf_new();

	g->r = -1;
	memset(&cc, 0, sizeof(cc));
	memset(&ce, 0, sizeof(ce));
	memset(&cr, 0, sizeof(cr));
	csql = vh_asprintf("%sSELECT c.id, c.number, c.event_count, c.event_head, b.bad::text"
			   " FROM cases c LEFT JOIN (SELECT e.case_id, json_agg('evidence:' || e.id) AS bad"
			   "  FROM evidence e WHERE encode(pg_catalog.sha256(e.bytes), 'hex') <> e.sha256"
			   "  AND e.case_id >= $1::bigint AND e.case_id < $2::bigint"
			   "  GROUP BY e.case_id) b ON b.case_id = c.id WHERE " RANGE_CASES "%s"
			   " ORDER BY c.id",
			   g->units ? VHD_SQL_UNITS_DOWN("$3") : "",
			   g->units ? " AND c.unit_id IN (SELECT id FROM scope)" : "");
	rsql = vh_asprintf("%sSELECT r.case_id, r.key, r.kind, r.rec FROM (%s) r"
			   " WHERE r.case_id >= $1::bigint AND r.case_id < $2::bigint%s"
			   " ORDER BY r.case_id",
			   g->units ? VHD_SQL_UNITS_DOWN("$3") : "", g->spec->sql,
			   g->units ? " AND r.case_id IN (SELECT c.id FROM cases c"
				      " WHERE c.unit_id IN (SELECT id FROM scope))" : "");
	/* the time as its own text (to_char costs as much as the rest); the
	 * flag sealed-or-pending true when the bitmap proves it (struct sealed) */
	esql = vh_asprintf("%sSELECT e.case_id, e.id, e.seq, e.kind, e.actor, e.at,"
			   " e.data::text, e.state::text, e.prev_hash, e.hash, %s"
			   " FROM case_events e"
			   " WHERE e.case_id >= $1::bigint AND e.case_id < $2::bigint%s"
			   " ORDER BY e.case_id, e.seq",
			   g->units ? VHD_SQL_UNITS_DOWN("$3") : "",
			   g->seen ? "true"
				   : "(EXISTS (SELECT 1 FROM audit_log l WHERE l.event_id = e.id)"
				     "  OR EXISTS (SELECT 1 FROM audit_pending p WHERE p.event_id = e.id))",
			   g->units ? " AND e.case_id IN (SELECT c.id FROM cases c"
				      " WHERE c.unit_id IN (SELECT id FROM scope))" : "");
	if (v == NULL || csql == NULL || esql == NULL || rsql == NULL) {
		vhd_reply_error(g->resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (cur_open(&cc, g->conn, g->resp, "vc", 5, csql, g->units ? 3 : 2, params) < 0 ||
	    cur_open(&ce, g->econn ? g->econn : g->conn, g->resp, "ve", 11, esql,
		     g->units ? 3 : 2, params) < 0 ||
	    cur_open(&cr, g->rconn ? g->rconn : g->conn, g->resp, "vr", 4, rsql,
		     g->units ? 3 : 2, params) < 0)
		goto out;
	ce.ahead = g->econn != NULL;
	cr.ahead = g->rconn != NULL;
	hc = cur_next(&cc);
	he = cur_next(&ce);
	hr = cur_next(&cr);
	while (hc > 0 || he > 0) {
		long long cid = hc > 0 ? cur_id(&cc) : -1;
		long long eid_case = he > 0 ? cur_id(&ce) : -1;
		char number[64], head[VH_SHA256_HEX], idbuf[24], *bad;
		long long count;
		bool has_head;

		if (he > 0 && (hc <= 0 || eid_case < cid)) {
			/* events whose case row is gone */
			problem(rep, NULL, strtoll(cv(&ce, 2), NULL, 10), cv(&ce, 1), NULL, NULL,
				"event of case id %lld, whose case no longer exists (deleted)",
				eid_case);
			rep->events++;
			if ((he = cur_next(&ce)) < 0)
				goto out;
			continue;
		}
		rep->cases++;
		snprintf(idbuf, sizeof(idbuf), "%s", cv(&cc, 0));
		snprintf(number, sizeof(number), "%s", cv(&cc, 1));
		count = strtoll(cv(&cc, 2), NULL, 10);
		has_head = cv(&cc, 3) != NULL;
		snprintf(head, sizeof(head), "%s", has_head ? cv(&cc, 3) : "");
		bad = cv(&cc, 4) ? vh_strdup(cv(&cc, 4)) : NULL;
		vf_begin(v, number, count, has_head ? head : NULL, cv(&cc, 4) != NULL);
		/* the case's stored rows: the rows cursor is ordered by case too */
		for (; hr > 0 && cur_id(&cr) <= cid; hr = cur_next(&cr))
			if (cur_id(&cr) == cid) {
				size_t kind = strtoul(cv(&cr, 2), NULL, 10);
				vf_row(v, cv(&cr, 1), &g->spec->t[kind < NKINDS ? kind : 0], cv(&cr, 3));
			}
		for (; hr >= 0 && he > 0 && cur_id(&ce) == cid;
		     he = cur_next(&ce)) {
			rep->events++;
			if (g->seen)
				sealed_set(g, cv(&ce, 1));
			vf_event(v, strtoll(cv(&ce, 2), NULL, 10), cv(&ce, 3), cv(&ce, 4), cv(&ce, 5),
				 cv(&ce, 6), cv(&ce, 7), cv(&ce, 8), cv(&ce, 9),
				 cv(&ce, 10) && cv(&ce, 10)[0] == 't');
		}
		if (hr < 0 || he < 0 ||
		    (!vf_clean(v) && ++rep->full_checks &&
		     verify_case_full(g->conn, g->resp, rep, idbuf, number, count,
						      has_head ? head : NULL, bad) < 0)) {
			free(bad);
			goto out;
		}
		free(bad);
		if ((hc = cur_next(&cc)) < 0)
			goto out;
	}
	if (hc < 0 || he < 0)
		goto out;
	g->r = 0;
out:
	cur_close(&cc);
	cur_close(&ce);
	cur_close(&cr);
	free(csql);
	free(esql);
	free(rsql);
	vf_free(v);
	return NULL;
}

/* a second connection of the same pool in the same snapshot, or NULL
 * (extra: only one free at once, else NULL) */
static PGconn *
second_conn(PGconn *conn, bool extra)
{
	PGresult *res = PQexec(conn, "SELECT pg_export_snapshot()");
	PGconn *two = NULL;
	char *set = NULL;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    (two = extra ? vhd_pool_try_read(0) : vhd_pool_get_read(200)) != NULL &&
	    (set = vh_asprintf("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
			       " SET TRANSACTION SNAPSHOT '%s';"
			       " SET LOCAL statement_timeout = '" VERIFY_TIMEOUT "';"
			       " SET LOCAL jit = off; SET LOCAL TimeZone = 'UTC';"
			       " SET LOCAL DateStyle = 'ISO, YMD'",
			       PQgetvalue(res, 0, 0))) != NULL) {
		PGresult *r2 = PQexec(two, set);
		if (PQresultStatus(r2) != PGRES_COMMAND_OK) {
			vhd_pool_put(two);
			two = NULL;
		}
		PQclear(r2);
	} else if (two) {
		vhd_pool_put(two);
		two = NULL;
	}
	free(set);
	PQclear(res);
	return two;
}

/*
 * A walk's events and stored rows read ahead, each on a connection of its
 * own in the same snapshot: the server produces a cursor's next batch while
 * the walk checks this one. With a walk per core, the walk's thread and its
 * backend took turns (one FETCH in flight), so a core idled whenever a
 * backend waited for a page not in the OS cache or vhcvd and the server
 * ran at once. Only when the pool is large enough that requests keep
 * connections (8 for the events, 12 for the rows as well: a verify then
 * holds 4 or 6), and only with connections free at once.
 */
static void
read_ahead(struct range *g, PGconn *conn)
{
	int size = vhd_pool_read_size();

	if (size >= 8)
		g->econn = second_conn(conn, true);
	if (size >= 12 && g->econn)
		g->rconn = second_conn(conn, true);
}

static void
read_ahead_end(struct range *g)
{
	vhd_pool_put(g->econn);
	vhd_pool_put(g->rconn);
	g->econn = g->rconn = NULL;
}

/* add what a second walk found to the first's report */
static void
report_merge(struct report *to, struct report *from)
{
	size_t i;
	json_t *p;

	json_array_foreach(from->problems, i, p)
		if (json_array_size(to->problems) < MAX_PROBLEMS)
			json_array_append(to->problems, p);
	to->nproblems += from->nproblems;
	to->cases += from->cases;
	to->events += from->events;
	to->full_checks += from->full_checks;
	to->walks += from->walks;
}

/*
 * Walk every case (in scope) and its events: one ordered pass of three
 * cursors merged by case id (the cases, their events, their stored rows),
 * each case proven by the fast check and, when it cannot, by the full
 * check that names each problem. When the pool has a second connection,
 * the cases are split in two ranges of ids walked at once, each on its
 * connection in the same snapshot (pg_export_snapshot), so that both
 * cores work.
 */
static int
verify_cases(PGconn *conn, struct vhd_response *resp, struct report *rep, const char *units,
	     struct sealed *seen)
{
	struct row_spec spec;
	struct range a, b;
	struct vhd_response resp2;
	PGresult *mid;
	pthread_t th;
	bool two = false;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&resp2, 0, sizeof(resp2));
	if (row_spec_make(conn, resp, &spec) < 0)
		return -1;
	a.conn = conn;
	a.resp = resp;
	a.rep = *rep;
	a.spec = &spec;
	a.units = units;
	a.seen = seen;
	snprintf(a.lo, sizeof(a.lo), "-1");
	snprintf(a.hi, sizeof(a.hi), "9223372036854775807");
	/* the split: the median case id of the events, from the planner's
	 * statistics (the middle bound of case_events.case_id's equal-count
	 * histogram; no scan), so that both walks have as many events to
	 * check; without statistics, the middle id. The middle id gave the
	 * first walk 54 % of the events of the full dataset (older cases have
	 * more), and the second core idled for the last seventh (session 4) */
	mid = vhd_qrows(conn, resp,
			"SELECT coalesce((SELECT (b::text::bigint[])[array_length(b::text::bigint[], 1) / 2 + 1]"
			"  FROM (SELECT histogram_bounds AS b FROM pg_stats WHERE schemaname = current_schema()"
			"  AND tablename = 'case_events' AND attname = 'case_id') h),"
			" (coalesce(min(id), 0) + coalesce(max(id), 0)) / 2 + 1) FROM cases",
			0, NULL, 1);
	if (mid == NULL) {
		row_spec_free(&spec);
		return -1;
	}
	b = a;
	b.resp = &resp2;
	memset(&b.rep, 0, sizeof(b.rep));
	if ((b.rep.problems = json_array()) != NULL && (b.conn = second_conn(conn, false)) != NULL) {
		snprintf(a.hi, sizeof(a.hi), "%s", PQgetvalue(mid, 0, 0));
		snprintf(b.lo, sizeof(b.lo), "%s", PQgetvalue(mid, 0, 0));
		read_ahead(&b, conn);
		two = pthread_create(&th, NULL, verify_range, &b) == 0;
		if (!two) {
			vhd_pool_put(b.conn);
			read_ahead_end(&b);
			snprintf(a.hi, sizeof(a.hi), "9223372036854775807");
		}
	}
	PQclear(mid);
	a.rep.walks = 1;
	b.rep.walks = 1;
	read_ahead(&a, conn);
	verify_range(&a);
	read_ahead_end(&a);
	*rep = a.rep;
	if (two) {
		pthread_join(th, NULL);
		vhd_pool_put(b.conn);
		read_ahead_end(&b);
		report_merge(rep, &b.rep);
		if (b.r < 0 && a.r == 0) {
			/* the second walk's error is the answer */
			vhd_reply_json(resp, resp2.status ? resp2.status : 500,
				       resp2.json ? resp2.json : json_pack("{s:s}", "error", "verify"));
			resp2.json = NULL;
		}
	}
	if (seen) /* (after the second walk's end) */
		seen->checked = a.checked + (two ? b.checked : 0);
	json_decref(resp2.json);
	json_decref(b.rep.problems);
	row_spec_free(&spec);
	return a.r < 0 || (two && b.r < 0) ? -1 : 0;
}

/*
 * Cases that no longer exist. Numbers given while the per-year counter
 * moved in the report's transaction have no gaps: a missing one is a
 * deleted case. Numbers from the per-year sequences (migration 0050) may
 * have gaps where a report failed after taking its number; vhcvd records
 * each number it gives up (migration 0080), so a missing number up to the
 * sequence's last value is either listed as abandoned (when and why) or
 * named as a deleted case. A deleted case that was sealed is also named
 * by the log.
 */
/*
 * How long a report may have been in flight when PostgreSQL stopped: the
 * longest statement timeout vhcvd accepts (statement_timeout_ms, at most
 * 600,000). A missing number taken in that time before a recovery is
 * listed as skipped, not deleted (docs/audit.md).
 */
#define RESTART_WINDOW "10 minutes"

/* the distinct years of a table with an index on (year, ...), one probe
 * each (a loose index scan), as the CTE name(year): its last row NULL */
#define LOOSE_YEARS(name, table)                                                         \
	name "(year) AS ((SELECT min(year) FROM " table ") UNION ALL SELECT"              \
	" (SELECT min(t.year) FROM " table " t WHERE t.year > " name ".year) FROM " name  \
	" WHERE " name ".year IS NOT NULL)"

static int
verify_numbers(PGconn *conn, struct vhd_response *resp, struct report *rep)
{
	struct cursor c;
	int h, r = -1;

	/*
	 * The numbers no case holds, as runs: between two consecutive numbers
	 * of a year (the first after 0) and after its last, up to the year's
	 * upper bound; one ordered pass over cases_year_seq_key, the years by
	 * a probe each. Every number up to the bound anti-joined with every
	 * case (1.2 M numbers hashed against 1 M cases) and the years read
	 * from every case took 7.8 s at full scale, after the walks and on one
	 * core (docs/performance.md, session 5).
	 */
	if (cur_open(&c, conn, resp, "vn", 4,
		     "WITH RECURSIVE " LOOSE_YEARS("cy", "cases") ", "
		     LOOSE_YEARS("ay", "case_numbers_abandoned") ","
		     " u AS (SELECT y.year, coalesce(cc.last, 0) AS counted,"
		     "  greatest(coalesce(cc.last, 0), coalesce(ps.last_value, 0)) AS upper"
		     " FROM (SELECT year FROM case_counters UNION SELECT year FROM cy"
		     "  WHERE year IS NOT NULL UNION SELECT year FROM ay WHERE year IS NOT NULL) y"
		     " LEFT JOIN case_counters cc ON cc.year = y.year"
		     " LEFT JOIN pg_sequences ps ON ps.schemaname = 'vhcv'"
		     "  AND ps.sequencename = 'case_seq_' || y.year),"
		     " gaps(year, lo, hi) AS (SELECT p.year, p.prev + 1, p.seq - 1 FROM"
		     "  (SELECT c.year, c.seq, lag(c.seq, 1, 0) OVER (PARTITION BY c.year"
		     "  ORDER BY c.seq) AS prev FROM cases c) p WHERE p.seq > p.prev + 1"
		     " UNION ALL SELECT u.year, coalesce((SELECT max(c.seq) FROM cases c"
		     "  WHERE c.year = u.year), 0) + 1, u.upper FROM u)"
		     " SELECT 'VP-' || u.year || '-' || s, s <= u.counted, "
		     VHD_SQL_TIME("coalesce(a.at, k.before)") ", coalesce(a.reason,"
		     " 'skipped: PostgreSQL recovered (a crash or a promotion), its sequence"
		     " logged ahead; reports in flight lost their numbers')"
		     " FROM u JOIN gaps g ON g.year = u.year"
		     " CROSS JOIN LATERAL generate_series(g.lo, least(g.hi, u.upper)) s"
		     " LEFT JOIN case_numbers_abandoned a ON a.year = u.year AND a.seq = s"
		     /* a number a recovery of PostgreSQL may have skipped, or a
		      * report in flight at the crash lost: after the last case whose
		      * report began RESTART_WINDOW before the last transaction
		      * replayed (a report that took a number and had not committed
		      * may have begun before cases that did), up to the mark's bound */
		     " LEFT JOIN LATERAL (SELECT r.before FROM case_number_restarts r"
		     "  WHERE r.year = u.year AND s <= r.upto AND s > coalesce((SELECT max(c.seq)"
		     "   FROM cases c WHERE c.year = u.year"
		     "   AND c.created_at <= r.before - interval '" RESTART_WINDOW "'), 0)"
		     "  ORDER BY r.before LIMIT 1) k ON a.seq IS NULL"
		     " ORDER BY u.year, s",
		     0, NULL) < 0)
		return -1;
	while ((h = cur_next(&c)) > 0) {
		if (cv(&c, 1)[0] == 't')
			problem(rep, cv(&c, 0), 0, NULL, "case", NULL,
				"case %s was numbered but no longer exists (deleted)", cv(&c, 0));
		else if (cv(&c, 2) == NULL)
			problem(rep, cv(&c, 0), 0, NULL, "case", NULL,
				"case %s was numbered (its year's sequence has passed it) but no"
				" longer exists, and no failed report gave the number up (deleted)",
				cv(&c, 0));
		else if (rep->nabandoned++ < MAX_PROBLEMS)
			json_array_append_new(rep->abandoned,
					      json_pack("{s:s, s:s, s:s}", "case", cv(&c, 0), "at",
							cv(&c, 2), "reason", cv(&c, 3) ?: ""));
	}
	if (h == 0)
		r = 0;
	cur_close(&c);
	return r;
}

/* the signed text of a head, checked with the daemon's key */
static bool
head_signed(const char *size, const char *root, const char *at, const char *sig)
{
	char *text;
	bool ok;

	if (signer == NULL)
		return true; /* no key configured: heads are not signed */
	if (sig == NULL)
		return false;
	text = vh_tree_head_text(strtoull(size, NULL, 10), root, at);
	ok = text && vh_verify_sig(vh_signer_public(signer), text, sig);
	free(text);
	return ok;
}

/* the leaf of a logged event hash (hex; a damaged one counts as zeros) */
static void
leaf_of(unsigned char leaf[VH_HASH_LEN], const char *hex)
{
	unsigned char entry[VH_HASH_LEN];

	if (vh_unhex(entry, VH_HASH_LEN, hex) < 0)
		memset(entry, 0, sizeof(entry));
	vh_merkle_leaf(leaf, entry, VH_HASH_LEN);
}

/* append the leaves of a cursor over event hashes (column 0), then close */
static int
append_leaves(struct cursor *c, struct vh_merkle *m)
{
	unsigned char leaf[VH_HASH_LEN];
	int h;

	while ((h = cur_next(c)) > 0) {
		leaf_of(leaf, cv(c, 0));
		vh_merkle_append(m, leaf);
	}
	cur_close(c);
	return h;
}

/*
 * Stream the log in order, rebuilding the tree, and check every signed
 * head against the tree of its size: a leaf changed, removed or inserted
 * before a head changes that head's root.
 */
static int
verify_log(PGconn *conn, struct vhd_response *resp, struct report *rep)
{
	PGresult *heads;
	struct vh_merkle m;
	struct cursor c;
	unsigned char leaf[VH_HASH_LEN], root[VH_HASH_LEN];
	char hex[65];
	unsigned long long next = 0;
	int h, r = -1, k = 0, nh;

	heads = vhd_qrows(conn, resp,
			  "SELECT id, tree_size, root_hash, " VHD_SQL_TIME("sealed_at")
			  ", signature FROM audit_tree_heads ORDER BY tree_size",
			  0, NULL, 5);
	if (heads == NULL)
		return -1;
	nh = PQntuples(heads);
	rep->seals += nh;
	vh_merkle_init(&m);
	if (cur_open(&c, conn, resp, "vl", 5,
		     "SELECT l.pos, l.hash, l.case_number, l.event_id, e.hash"
		     " FROM audit_log l LEFT JOIN case_events e ON e.id = l.event_id ORDER BY l.pos",
		     0, NULL) < 0)
		goto out;
	for (;;) {
		/* every head whose size the tree has reached */
		while (k < nh && strtoull(PQgetvalue(heads, k, 1), NULL, 10) == m.size) {
			vh_merkle_root(&m, root);
			vh_hex(hex, root, VH_HASH_LEN);
			if (strcmp(hex, PQgetvalue(heads, k, 2)) != 0)
				problem(rep, NULL, 0, NULL, NULL, NULL,
					"seal %s (tree size %s): the log no longer matches its root"
					" (an event of the log was changed, removed or inserted)",
					PQgetvalue(heads, k, 0), PQgetvalue(heads, k, 1));
			if (!head_signed(PQgetvalue(heads, k, 1), PQgetvalue(heads, k, 2),
					 PQgetvalue(heads, k, 3), vhd_val(heads, k, 4)))
				problem(rep, NULL, 0, NULL, NULL, NULL,
					"seal %s (tree size %s): the signature does not match the"
					" daemon's key", PQgetvalue(heads, k, 0), PQgetvalue(heads, k, 1));
			k++;
		}
		if ((h = cur_next(&c)) <= 0)
			break;
		if (strtoull(cv(&c, 0), NULL, 10) != next)
			problem(rep, cv(&c, 2), 0, cv(&c, 3), NULL, NULL,
				"log position %llu is missing (deleted?) before position %s",
				next, cv(&c, 0));
		next = strtoull(cv(&c, 0), NULL, 10) + 1;
		if (cv(&c, 4) == NULL)
			problem(rep, cv(&c, 2), 0, cv(&c, 3), NULL, NULL,
				"the sealed event at log position %s no longer exists (deleted)", cv(&c, 0));
		else if (strcmp(cv(&c, 4), cv(&c, 1)) != 0)
			problem(rep, cv(&c, 2), 0, cv(&c, 3), NULL, NULL,
				"the event at log position %s is not the one that was logged",
				cv(&c, 0));
		leaf_of(leaf, cv(&c, 1));
		vh_merkle_append(&m, leaf);
	}
	if (h < 0)
		goto out;
	for (; k < nh; k++)
		problem(rep, NULL, 0, NULL, NULL, NULL,
			"seal %s covers %s events but the log holds %llu (truncated)",
			PQgetvalue(heads, k, 0), PQgetvalue(heads, k, 1),
			(unsigned long long)m.size);
	vh_merkle_root(&m, root);
	vh_hex(rep->root, root, VH_HASH_LEN);
	rep->tree_size = (long long)m.size;
	r = 0;
out:
	cur_close(&c);
	PQclear(heads);
	return r;
}

/* the legacy seals (before the log): chained, each over every case head */
static int
seal_hash(char hex[VH_SHA256_HEX], const char *prev, const char *at, const char *cases,
	  const char *events, const char *heads_hash)
{
	char *text = vh_asprintf("%s\n%s\n%s\n%s\n%s", prev, at, cases, events, heads_hash);
	int r;

	if (text == NULL)
		return VHCV_ENOMEM;
	r = vh_sha256_hex(hex, text, strlen(text));
	free(text);
	return r;
}

static int
verify_legacy_seals(PGconn *conn, struct vhd_response *resp, struct report *rep)
{
	PGresult *seals = NULL, *heads = NULL;
	const char *prev = VHD_ZERO_HASH;
	int r = -1, h = 0;

	seals = vhd_qrows(conn, resp,
			  "SELECT id, " VHD_SQL_TIME("sealed_at") ", cases, events, heads_hash,"
			  " prev_hash, hash FROM audit_seals ORDER BY id",
			  0, NULL, 7);
	if (seals == NULL)
		return -1;
	heads = vhd_qrows(conn, resp,
			  "SELECT h.seal_id, h.case_id, h.event_count, h.head, c.number,"
			  " e.hash, e.id FROM audit_seal_heads h JOIN cases c ON c.id = h.case_id"
			  " LEFT JOIN case_events e ON e.case_id = h.case_id AND e.seq = h.event_count"
			  " ORDER BY h.seal_id, h.case_id",
			  0, NULL, 7);
	if (heads == NULL)
		goto out;
	rep->seals += PQntuples(seals);
	for (int s = 0; s < PQntuples(seals); s++) {
		const char *sid = PQgetvalue(seals, s, 0);
		char hash[VH_SHA256_HEX], hh[VH_SHA256_HEX];
		vh_sha256 *ctx = vh_sha256_new();

		if (ctx == NULL) {
			vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
			goto out;
		}
		for (; h < PQntuples(heads) && strcmp(PQgetvalue(heads, h, 0), sid) == 0; h++) {
			char line[160];
			snprintf(line, sizeof(line), "%s:%s:%s\n", PQgetvalue(heads, h, 1),
				 PQgetvalue(heads, h, 2), PQgetvalue(heads, h, 3));
			vh_sha256_update(ctx, line, strlen(line));
			if (vhd_val(heads, h, 5) == NULL ||
			    strcmp(PQgetvalue(heads, h, 5), PQgetvalue(heads, h, 3)) != 0)
				problem(rep, PQgetvalue(heads, h, 4),
					strtoll(PQgetvalue(heads, h, 2), NULL, 10),
					vhd_val(heads, h, 6), NULL, NULL,
					"event sealed by seal %s is missing or changed", sid);
		}
		vh_sha256_final(ctx, hh);
		vh_sha256_free(ctx);
		if (strcmp(hh, PQgetvalue(seals, s, 4)) != 0)
			problem(rep, NULL, 0, NULL, NULL, NULL,
				"seal %s: its list of case heads was altered", sid);
		if (strcmp(PQgetvalue(seals, s, 5), prev) != 0 ||
		    seal_hash(hash, prev, PQgetvalue(seals, s, 1), PQgetvalue(seals, s, 2),
			      PQgetvalue(seals, s, 3), PQgetvalue(seals, s, 4)) < 0 ||
		    strcmp(hash, PQgetvalue(seals, s, 6)) != 0)
			problem(rep, NULL, 0, NULL, NULL, NULL,
				"seal %s does not match its hash or the seal before it", sid);
		prev = PQgetvalue(seals, s, 6);
	}
	r = 0;
out:
	PQclear(seals);
	PQclear(heads);
	return r;
}

/* the bitmap of struct sealed for the events of the snapshot, or false
 * (nothing logged or replied: the probes then) */
static bool
sealed_init(PGconn *conn, struct sealed *s)
{
	PGresult *res = PQexec(conn, "SELECT coalesce(max(id), 0) FROM case_events");

	memset(s, 0, sizeof(*s));
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		s->max_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (s->max_id <= 0 || s->max_id > SEALED_MAX_ID)
		return false;
	s->bits = calloc((size_t)(s->max_id >> 6) + 1, sizeof(*s->bits));
	return s->bits != NULL;
}

/* the ids of the log and of the pending events, each clearing its bit:
 * s->cleared counts the events checked that are in either */
static void
sealed_clear(PGconn *conn, struct sealed *s)
{
	PGresult *res = PQexec(conn, "COPY (SELECT event_id FROM audit_log"
				     " UNION ALL SELECT event_id FROM audit_pending) TO STDOUT");
	char *line;
	int n;

	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		log_warnx("audit verify: the log's ids: %s", PQerrorMessage(conn));
		s->failed = true;
		PQclear(res);
		return;
	}
	PQclear(res);
	while ((n = PQgetCopyData(conn, &line, 0)) > 0) {
		long long i = strtoll(line, NULL, 10);
		PQfreemem(line);
		if (i >= 0 && i <= s->max_id) {
			uint64_t bit = (uint64_t)1 << (i & 63);
			if (s->bits[i >> 6] & bit) {
				s->bits[i >> 6] &= ~bit;
				s->cleared++;
			}
		}
	}
	if (n == -2)
		s->failed = true;
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_warnx("audit verify: the log's ids: %s", PQresultErrorMessage(res));
			s->failed = true;
		}
		PQclear(res);
	}
}

struct sealed_job {
	PGconn *conn;
	struct sealed *s;
};

static void *
sealed_thread(void *arg)
{
	struct sealed_job *j = arg;

	sealed_clear(j->conn, j->s);
	return NULL;
}

/* an empty report (the verification run again) */
static void
report_reset(struct report *rep)
{
	json_array_clear(rep->problems);
	json_array_clear(rep->abandoned);
	rep->nproblems = rep->nabandoned = rep->cases = rep->events = rep->seals = 0;
	rep->tree_size = rep->full_checks = 0;
	rep->walks = 0;
	rep->root[0] = '\0';
}

json_t *
vhd_audit_verify(PGconn *conn, struct vhd_response *resp, const char *units)
{
	struct report rep = { 0 };
	struct sealed seen = { 0 };
	struct sealed_job job = { 0 };
	pthread_t th;
	bool fast, joined = true;
	json_t *out = NULL;

	/* one snapshot for every walk; each statement fetches a bounded batch,
	 * which a large register may take longer than a request's timeout */
	if ((rep.problems = json_array()) == NULL || (rep.abandoned = json_array()) == NULL ||
	    vhd_exec(conn, resp, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) < 0 ||
	    vhd_exec(conn, resp, "SET LOCAL statement_timeout = '" VERIFY_TIMEOUT "'", 0, NULL) < 0 ||
	    /* its walks are plain ordered scans: compiling them (a second or
	     * more each, on estimates of millions of rows) costs more than it saves */
	    vhd_exec(conn, resp, "SET LOCAL jit = off", 0, NULL) < 0 ||
	    /* the fast check reads times and dates as their text in these */
	    vhd_exec(conn, resp, "SET LOCAL TimeZone = 'UTC'", 0, NULL) < 0 ||
	    vhd_exec(conn, resp, "SET LOCAL DateStyle = 'ISO, YMD'", 0, NULL) < 0)
		goto out;
	/* the whole register: each event's flag proven at once (struct sealed) */
	fast = units == NULL && sealed_init(conn, &seen);
again:
	if (verify_cases(conn, resp, &rep, units, fast ? &seen : NULL) < 0)
		goto out;
	/* the log's ids streamed on a second connection while this one checks
	 * the numbers and the log (one core each), else after them here */
	if (fast && (job.conn = second_conn(conn, false)) != NULL) {
		job.s = &seen;
		if (pthread_create(&th, NULL, sealed_thread, &job) == 0) {
			joined = false;
		} else {
			vhd_pool_put(job.conn);
			job.conn = NULL;
		}
	}
	/* the whole log: only for those who see every unit */
	if (units == NULL && (verify_numbers(conn, resp, &rep) < 0 ||
			      verify_log(conn, resp, &rep) < 0 ||
			      verify_legacy_seals(conn, resp, &rep) < 0))
		goto out;
	if (fast) {
		if (!joined) {
			pthread_join(th, NULL);
			joined = true;
			vhd_pool_put(job.conn);
			job.conn = NULL;
		} else {
			sealed_clear(conn, &seen);
		}
		if (seen.failed || seen.cleared != seen.checked) {
			/* an event checked as sealed that is not: again, with the
			 * flags probed event by event (their problems, in order) */
			log_info("audit verify: %lld of %lld events in the log or pending:"
				 " verifying again event by event", seen.cleared, seen.checked);
			fast = false;
			report_reset(&rep);
			if (vhd_exec(conn, resp, "CLOSE ALL", 0, NULL) < 0)
				goto out;
			goto again;
		}
	}
	out = json_pack("{s:b, s:I, s:I, s:I, s:I, s:O, s:s}", "ok", rep.nproblems == 0,
			"cases", (json_int_t)rep.cases, "events", (json_int_t)rep.events,
			"seals", (json_int_t)rep.seals, "problem_count", (json_int_t)rep.nproblems,
			"problems", rep.problems, "scope", units ? "units" : "all");
	/* how the cases were proven: cases the fast check could not prove and
	 * the full check read again; walks at once (connections) */
	if (out) {
		json_object_set_new(out, "full_checks", json_integer(rep.full_checks));
		json_object_set_new(out, "walks", json_integer(rep.walks));
	}
	if (out && units == NULL) {
		json_object_set(out, "abandoned", rep.abandoned);
		json_object_set_new(out, "tree_size", json_integer(rep.tree_size));
		json_object_set_new(out, "root_hash", json_string(rep.root));
	}
out:
	if (!joined) {
		pthread_join(th, NULL);
		vhd_pool_put(job.conn);
	}
	free(seen.bits);
	vhd_rollback(conn);
	json_decref(rep.problems);
	json_decref(rep.abandoned);
	return out;
}

/* the latest head as JSON, or JSON null when nothing was sealed yet */
static json_t *
head_json(PGconn *conn, struct vhd_response *resp, bool *none)
{
	PGresult *res = vhd_qrows(conn, resp,
				  "SELECT id, tree_size, root_hash, " VHD_SQL_TIME("sealed_at")
				  ", key_id, signature, frontier FROM audit_tree_heads"
				  " ORDER BY tree_size DESC LIMIT 1",
				  0, NULL, 7);
	json_t *out;

	if (res == NULL)
		return NULL;
	*none = PQntuples(res) == 0;
	if (*none) {
		PQclear(res);
		return json_pack("{s:I, s:s}", "tree_size", (json_int_t)0, "frontier", "");
	}
	out = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:s}", "seal",
			(json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10), "tree_size",
			(json_int_t)strtoll(PQgetvalue(res, 0, 1), NULL, 10), "root_hash",
			PQgetvalue(res, 0, 2), "sealed_at", PQgetvalue(res, 0, 3), "key_id",
			vhd_jval(res, 0, 4), "signature", vhd_jval(res, 0, 5), "frontier",
			PQgetvalue(res, 0, 6));
	if (out && signer)
		json_object_set_new(out, "public_key", json_string(vh_signer_public(signer)));
	PQclear(res);
	return out;
}

json_t *
vhd_audit_head(PGconn *conn, struct vhd_response *resp)
{
	bool none;
	json_t *h = head_json(conn, resp, &none);

	if (h)
		json_object_del(h, "frontier");
	return h;
}

/*
 * One seal: move the events written since the last seal into the log (in
 * event order), extend the tree from the last head's frontier, sign the
 * new head. Its cost is what was written since. Seals queue on their own
 * advisory lock, taken before the transaction begins (a snapshot taken
 * before waiting would miss the head just written); the log's primary key
 * makes two sealers writing one position impossible anyway.
 */
json_t *
vhd_audit_seal(PGconn *conn, struct vhd_response *resp, const char *actor)
{
	struct vh_merkle m;
	struct cursor c;
	unsigned char root[VH_HASH_LEN];
	char at[40], roothex[65], sizebuf[24], fromb[24], sig[129], *text = NULL, *frontier = NULL;
	json_t *last = NULL, *out = NULL;
	PGresult *ins = NULL;
	bool locked = false, none;
	long long from;

	(void)actor;
	memset(&c, 0, sizeof(c));
	if (vhd_exec(conn, resp, "SELECT pg_advisory_lock(1986552695)", 0, NULL) < 0)
		return NULL;
	locked = true;
	if (vhd_exec(conn, resp, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL) < 0 ||
	    (last = head_json(conn, resp, &none)) == NULL)
		goto out;
	from = json_integer_value(json_object_get(last, "tree_size"));
	snprintf(fromb, sizeof(fromb), "%lld", from);
	if (vh_merkle_frontier_parse(&m, (uint64_t)from,
				     json_string_value(json_object_get(last, "frontier"))) < 0) {
		vhd_reply_error(resp, VHCV_ERROR, NULL,
				"the latest seal's frontier is damaged: run audit verify");
		goto out;
	}
	ins = vhd_q(conn, resp,
		    "WITH moved AS (INSERT INTO audit_log (pos, event_id, case_number, hash)"
		    " SELECT $1::bigint + row_number() OVER (ORDER BY p.event_id) - 1, p.event_id,"
		    "  c.number, e.hash FROM audit_pending p"
		    "  JOIN case_events e ON e.id = p.event_id JOIN cases c ON c.id = e.case_id"
		    " RETURNING event_id)"
		    " DELETE FROM audit_pending WHERE event_id IN (SELECT event_id FROM moved)",
		    1, (const char *[]){ fromb });
	if (ins == NULL)
		goto out;
	if (strcmp(PQcmdTuples(ins), "0") == 0) {
		/* nothing was written since: the last seal still covers it */
		json_object_del(last, "frontier");
		json_object_set_new(last, "unchanged", json_true());
		json_object_set_new(last, "events", json_integer(from));
		if (!none)
			json_object_set_new(last, "hash", json_incref(json_object_get(last, "root_hash")));
		out = json_incref(last);
		goto out;
	}
	if (cur_open(&c, conn, resp, "sl", 1,
		     "SELECT hash FROM audit_log WHERE pos >= $1::bigint ORDER BY pos", 1,
		     (const char *[]){ fromb }) < 0)
		goto out;
	if (append_leaves(&c, &m) < 0 || vhd_exec(conn, resp, "CLOSE sl", 0, NULL) < 0)
		goto out;
	vh_merkle_root(&m, root);
	vh_hex(roothex, root, VH_HASH_LEN);
	vhd_now_rfc3339(at);
	snprintf(sizebuf, sizeof(sizebuf), "%llu", (unsigned long long)m.size);
	if ((text = vh_tree_head_text(m.size, roothex, at)) == NULL ||
	    (frontier = vh_merkle_frontier_text(&m)) == NULL ||
	    (signer && vh_sign(signer, text, sig) < 0)) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "the seal could not be signed");
		goto out;
	}
	PQclear(ins);
	ins = vhd_qrows(conn, resp,
			"INSERT INTO audit_tree_heads (tree_size, root_hash, sealed_at, frontier,"
			" key_id, signature) VALUES ($1::bigint, $2, $3::timestamptz, $4, $5, $6)"
			" RETURNING id",
			6, (const char *[]){ sizebuf, roothex, at, frontier,
					     signer ? vh_signer_key_id(signer) : NULL,
					     signer ? sig : NULL }, 1);
	if (ins == NULL || vhd_commit(conn, resp) < 0)
		goto out;
	out = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s}", "seal",
			(json_int_t)strtoll(PQgetvalue(ins, 0, 0), NULL, 10), "tree_size",
			(json_int_t)m.size, "events", (json_int_t)m.size, "appended",
			(json_int_t)(m.size - (uint64_t)from), "root_hash", roothex, "hash", roothex,
			"sealed_at", at);
	if (out && signer) {
		json_object_set_new(out, "key_id", json_string(vh_signer_key_id(signer)));
		json_object_set_new(out, "signature", json_string(sig));
		json_object_set_new(out, "public_key", json_string(vh_signer_public(signer)));
	}
out:
	cur_close(&c);
	vhd_rollback(conn);
	if (locked) {
		PGresult *u = PQexec(conn, "SELECT pg_advisory_unlock(1986552695)");
		PQclear(u);
	}
	free(text);
	free(frontier);
	json_decref(last);
	PQclear(ins);
	return out;
}

/* MTH of the log's positions [lo, hi), streamed */
static int
range_hash(PGconn *conn, struct vhd_response *resp, uint64_t lo, uint64_t hi,
	   unsigned char out[VH_HASH_LEN])
{
	struct cursor c;
	struct vh_merkle m;
	char a[24], b[24];

	snprintf(a, sizeof(a), "%llu", (unsigned long long)lo);
	snprintf(b, sizeof(b), "%llu", (unsigned long long)hi);
	vh_merkle_init(&m);
	if (cur_open(&c, conn, resp, "pr", 1,
		     "SELECT hash FROM audit_log WHERE pos >= $1::bigint AND pos < $2::bigint"
		     " ORDER BY pos", 2, (const char *[]){ a, b }) < 0)
		return -1;
	if (append_leaves(&c, &m) < 0 || vhd_exec(conn, resp, "CLOSE pr", 0, NULL) < 0)
		return -1;
	vh_merkle_root(&m, out);
	return 0;
}

json_t *
vhd_audit_proof(PGconn *conn, struct vhd_response *resp, long long from)
{
	struct vh_range ranges[2 * VH_MERKLE_DEPTH];
	unsigned char h[VH_HASH_LEN];
	char hex[65];
	json_t *head = NULL, *proof = NULL, *out = NULL;
	bool none;
	uint64_t n;
	size_t count;

	if (vhd_exec(conn, resp, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) < 0 ||
	    vhd_exec(conn, resp, "SET LOCAL statement_timeout = '" VERIFY_TIMEOUT "'", 0, NULL) < 0 ||
	    (head = head_json(conn, resp, &none)) == NULL || (proof = json_array()) == NULL)
		goto out;
	json_object_del(head, "frontier");
	n = (uint64_t)json_integer_value(json_object_get(head, "tree_size"));
	if (from < 0 || (uint64_t)from > n) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "from",
				"the log holds %llu sealed events, fewer than the %lld of the"
				" head given: it was truncated or the head is not from this log",
				(unsigned long long)n, from);
		goto out;
	}
	count = vh_merkle_proof_ranges((uint64_t)from, n, ranges);
	for (size_t i = 0; i < count; i++) {
		if (range_hash(conn, resp, ranges[i].lo, ranges[i].hi, h) < 0)
			goto out;
		vh_hex(hex, h, VH_HASH_LEN);
		json_array_append_new(proof, json_string(hex));
	}
	out = json_pack("{s:I, s:O, s:O}", "from", (json_int_t)from, "head", head, "proof", proof);
out:
	vhd_rollback(conn);
	json_decref(head);
	json_decref(proof);
	return out;
}
