/*
 * Hash chains and the sealed log. Each case has its own chain, so writers
 * on different cases never wait for each other; the case row lock orders
 * the events of one case. Each event also records what changed in the
 * case's history rows (its `state`), so verification can prove every row
 * the API serves. Every event is a leaf of one Merkle tree (RFC 9162),
 * appended by the sealer; each seal is a signed tree head. docs/audit.md
 * explains the design, docs/security.md the threat model.
 */
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

/* problems listed at most; the count goes on */
#define MAX_PROBLEMS 1000
/* rows fetched from a cursor at a time: verification's memory bound */
#define FETCH_ROWS "500"
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

int
vhd_event_hash(char hex[VH_SHA256_HEX], const char *prev, const char *case_number,
	       long long seq, const char *kind, const char *actor, const char *at,
	       json_t *data, json_t *state)
{
	char *canon, *cstate = NULL, *text;
	int r;

	canon = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : vh_strdup("{}");
	if (canon == NULL)
		return VHCV_ENOMEM;
	if (state && (cstate = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		free(canon);
		return VHCV_ENOMEM;
	}
	/* events written before states were recorded hash without one */
	text = cstate ? vh_asprintf("%s\n%s\n%lld\n%s\n%s\n%s\n%s\n%s", prev, case_number, seq,
				    kind, actor, at, canon, cstate)
		      : vh_asprintf("%s\n%s\n%lld\n%s\n%s\n%s\n%s", prev, case_number, seq, kind,
				    actor, at, canon);
	free(canon);
	free(cstate);
	if (text == NULL)
		return VHCV_ENOMEM;
	r = vh_sha256_hex(hex, text, strlen(text));
	free(text);
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
	    const char *actor, json_t *data)
{
	char at[40], hash[VH_SHA256_HEX], seqbuf[24];
	char *datatext = NULL, *statetext = NULL;
	json_t *diff = NULL;
	PGresult *res;
	int r = -1;

	vhd_now_rfc3339(at);
	if ((diff = vhd_state_diff(before, now)) == NULL ||
	    vhd_event_hash(hash, prev, number, seq, kind, actor, at, data, diff) < 0 ||
	    (datatext = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS)
			     : vh_strdup("{}")) == NULL ||
	    (statetext = json_dumps(diff, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
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
			now, kind, actor, data);
out:
	json_decref(before);
	json_decref(now);
	PQclear(res);
	return r;
}

int
vhd_event_first(PGconn *conn, struct vhd_response *resp, const char *case_id,
		const char *number, const char *state, const char *kind, const char *actor,
		json_t *data)
{
	json_t *before = json_object(), *now = json_loads(state, 0, NULL);
	int r = -1;

	if (before == NULL || !json_is_object(now))
		vhd_reply_error(resp, VHCV_ERROR, NULL, "the new case's state is not readable");
	else
		r = event_write(conn, resp, case_id, number, 1, VHD_ZERO_HASH, before, now, kind,
				actor, data);
	json_decref(before);
	json_decref(now);
	return r;
}

/* A server-side cursor read FETCH_ROWS at a time: bounded memory. */
struct cursor {
	PGconn *conn;
	struct vhd_response *resp;
	const char *name;
	PGresult *res;
	int row, ncols;
	bool done;
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
	if ((c->res = vhd_qrows(c->conn, c->resp, sql, 0, NULL, c->ncols)) == NULL)
		return -1;
	c->row = 0;
	if (PQntuples(c->res) < atoi(FETCH_ROWS))
		c->done = true;
	return PQntuples(c->res) > 0 ? 1 : 0;
}

static void
cur_close(struct cursor *c)
{
	PQclear(c->res);
	c->res = NULL;
}

static const char *
cv(const struct cursor *c, int col)
{
	return vhd_val(c->res, c->row, col);
}

struct report {
	json_t *problems, *unaccounted;
	long long nproblems, nunaccounted, cases, events, seals, tree_size;
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

/* what a case is about: set by its first event, never changed after */
static const char *const case_facts[] = { "year", "seq", "official_id", "unit_id",
					  "rule_version_id", "source", "reporter", "occurred_on",
					  "detected_on", "place", "description", NULL };

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
				ok = !listed(fk, case_facts) &&
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
 * Walk every case (in scope) and its events in one ordered pass of three
 * cursors: the chain, the case's head, the event's place in the log, the
 * replayed state against the stored rows, the evidence bytes.
 */
static int
verify_cases(PGconn *conn, struct vhd_response *resp, struct report *rep, const char *units)
{
	struct cursor cc, ce, cr;
	char *csql, *esql, *rsql;
	int r = -1, hc, he, hr;
	const char *params[1] = { units };

	memset(&cc, 0, sizeof(cc));
	memset(&ce, 0, sizeof(ce));
	memset(&cr, 0, sizeof(cr));
	csql = vh_asprintf("%sSELECT c.id, c.number, c.event_count, c.event_head, b.bad::text"
			   " FROM cases c LEFT JOIN (SELECT e.case_id, json_agg('evidence:' || e.id) AS bad"
			   "  FROM evidence e WHERE encode(pg_catalog.sha256(e.bytes), 'hex') <> e.sha256"
			   "  GROUP BY e.case_id) b ON b.case_id = c.id %s ORDER BY c.id",
			   units ? VHD_SQL_UNITS_DOWN("$1") : "",
			   units ? "WHERE c.unit_id IN (SELECT id FROM scope)" : "");
	rsql = vh_asprintf("%sSELECT r.case_id, r.key, r.row::text FROM (" VHD_SQL_CASE_ROWS ") r %s"
			   " ORDER BY r.case_id",
			   units ? VHD_SQL_UNITS_DOWN("$1") : "",
			   units ? "WHERE r.case_id IN (SELECT c.id FROM cases c"
				   " WHERE c.unit_id IN (SELECT id FROM scope))" : "");
	esql = vh_asprintf("%sSELECT e.case_id, e.id, e.seq, e.kind, e.actor, " VHD_SQL_TIME("e.at")
			   ", e.data::text, e.state::text, e.prev_hash, e.hash,"
			   " (EXISTS (SELECT 1 FROM audit_log l WHERE l.event_id = e.id)"
			   "  OR EXISTS (SELECT 1 FROM audit_pending p WHERE p.event_id = e.id))"
			   " FROM case_events e %s ORDER BY e.case_id, e.seq, e.id",
			   units ? VHD_SQL_UNITS_DOWN("$1") : "",
			   units ? "WHERE e.case_id IN (SELECT c.id FROM cases c"
				   " WHERE c.unit_id IN (SELECT id FROM scope))" : "");
	if (csql == NULL || esql == NULL || rsql == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (cur_open(&cc, conn, resp, "vc", 5, csql, units ? 1 : 0, params) < 0 ||
	    cur_open(&ce, conn, resp, "ve", 11, esql, units ? 1 : 0, params) < 0 ||
	    cur_open(&cr, conn, resp, "vr", 3, rsql, units ? 1 : 0, params) < 0)
		goto out;
	hc = cur_next(&cc);
	he = cur_next(&ce);
	hr = cur_next(&cr);
	while (hc > 0 || he > 0) {
		long long cid = hc > 0 ? strtoll(cv(&cc, 0), NULL, 10) : -1;
		long long eid_case = he > 0 ? strtoll(cv(&ce, 0), NULL, 10) : -1;
		const char *number, *head, *prev = VHD_ZERO_HASH;
		char prevbuf[VH_SHA256_HEX] = "";
		long long count, expect = 1;
		json_t *replay, *live, *badbytes, *b;
		char numbuf[64];
		size_t i;

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
		number = cv(&cc, 1);
		count = strtoll(cv(&cc, 2), NULL, 10);
		head = cv(&cc, 3);
		replay = json_object();
		badbytes = cv(&cc, 4) ? json_loads(cv(&cc, 4), 0, NULL) : NULL;
		/* the case's stored rows: the rows cursor is ordered by case too */
		live = json_object();
		for (; hr > 0 && strtoll(cv(&cr, 0), NULL, 10) <= cid; hr = cur_next(&cr))
			if (live && strtoll(cv(&cr, 0), NULL, 10) == cid &&
			    json_object_set_new(live, cv(&cr, 1), json_loads(cv(&cr, 2), 0, NULL)) < 0) {
				json_decref(live);
				live = NULL;
			}
		if (hr < 0) {
			json_decref(replay);
			json_decref(live);
			json_decref(badbytes);
			goto out;
		}
		snprintf(numbuf, sizeof(numbuf), "%s", number);
		number = numbuf;
		for (; he > 0 && strtoll(cv(&ce, 0), NULL, 10) == cid; he = cur_next(&ce)) {
			long long seq = strtoll(cv(&ce, 2), NULL, 10);
			const char *id = cv(&ce, 1), *stored = cv(&ce, 9);
			char hash[VH_SHA256_HEX];
			json_t *data = json_loads(cv(&ce, 6), 0, NULL);
			json_t *state = cv(&ce, 7) ? json_loads(cv(&ce, 7), 0, NULL) : NULL;

			rep->events++;
			if (seq != expect)
				problem(rep, number, seq, id, NULL, NULL,
					seq > expect ? "event %lld is missing (deleted?) before this one"
						     : "event %lld appears twice or out of order",
					expect);
			if (strcmp(cv(&ce, 8), prev) != 0)
				problem(rep, number, seq, id, NULL, NULL,
					"does not link to the event before it (deleted or reordered)");
			if (data == NULL || (cv(&ce, 7) && state == NULL) ||
			    vhd_event_hash(hash, cv(&ce, 8), number, seq, cv(&ce, 3), cv(&ce, 4),
					   cv(&ce, 5), data, state) < 0 ||
			    strcmp(hash, stored) != 0)
				problem(rep, number, seq, id, NULL, NULL,
					"content does not match its hash (changed after it was written)");
			if (cv(&ce, 10)[0] != 't')
				problem(rep, number, seq, id, NULL, NULL,
					"the event is neither in the sealed log nor waiting for the"
					" next seal (taken out of the log?)");
			if (state) {
				check_change(rep, number, seq, id, replay, state, data);
				vhd_state_apply(replay, state);
			}
			json_decref(data);
			json_decref(state);
			snprintf(prevbuf, sizeof(prevbuf), "%s", stored);
			prev = prevbuf;
			expect = seq + 1;
		}
		if (he < 0) {
			json_decref(replay);
			json_decref(live);
			json_decref(badbytes);
			goto out;
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
		json_decref(live);
		json_array_foreach(badbytes, i, b)
			problem(rep, number, 0, NULL, json_string_value(b), "bytes",
				"the bytes of %s do not match its SHA-256 (replaced?)",
				json_string_value(b));
		json_decref(replay);
		json_decref(badbytes);
		if ((hc = cur_next(&cc)) < 0)
			goto out;
	}
	if (hc < 0 || he < 0)
		goto out;
	r = 0;
out:
	cur_close(&cc);
	cur_close(&ce);
	cur_close(&cr);
	free(csql);
	free(esql);
	free(rsql);
	return r;
}

/*
 * Cases that no longer exist. Numbers given while the per-year counter
 * moved in the report's transaction have no gaps: a missing one is a
 * deleted case. Numbers from the per-year sequences (migration 0050) may
 * have gaps where a report failed after taking its number: a missing one
 * is listed as unaccounted (deleted, or a failed report), for an auditor
 * to reconcile with vhcvd's log; a deleted case that was sealed is also
 * named by the log.
 */
static int
verify_numbers(PGconn *conn, struct vhd_response *resp, struct report *rep)
{
	struct cursor c;
	int h, r = -1;

	if (cur_open(&c, conn, resp, "vn", 2,
		     "SELECT 'VP-' || u.year || '-' || s, s <= u.counted FROM ("
		     " SELECT y.year, coalesce(cc.last, 0) AS counted,"
		     "  greatest(coalesce(cc.last, 0), coalesce(ps.last_value, 0)) AS upper"
		     " FROM (SELECT year FROM case_counters UNION SELECT year FROM cases) y"
		     " LEFT JOIN case_counters cc ON cc.year = y.year"
		     " LEFT JOIN pg_sequences ps ON ps.schemaname = 'vhcv'"
		     "  AND ps.sequencename = 'case_seq_' || y.year) u"
		     " CROSS JOIN LATERAL generate_series(1, u.upper) s"
		     " WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.year = u.year AND c.seq = s)"
		     " ORDER BY u.year, s",
		     0, NULL) < 0)
		return -1;
	while ((h = cur_next(&c)) > 0) {
		if (cv(&c, 1)[0] == 't')
			problem(rep, cv(&c, 0), 0, NULL, "case", NULL,
				"case %s was numbered but no longer exists (deleted)", cv(&c, 0));
		else if (rep->nunaccounted++ < MAX_PROBLEMS)
			json_array_append_new(rep->unaccounted, json_string(cv(&c, 0)));
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

json_t *
vhd_audit_verify(PGconn *conn, struct vhd_response *resp, const char *units)
{
	struct report rep = { 0 };
	json_t *out = NULL;

	/* one snapshot for every walk; each statement fetches a bounded batch,
	 * which a large register may take longer than a request's timeout */
	if ((rep.problems = json_array()) == NULL || (rep.unaccounted = json_array()) == NULL ||
	    vhd_exec(conn, resp, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) < 0 ||
	    vhd_exec(conn, resp, "SET LOCAL statement_timeout = '" VERIFY_TIMEOUT "'", 0, NULL) < 0 ||
	    /* its walks are plain ordered scans: compiling them (a second or
	     * more each, on estimates of millions of rows) costs more than it saves */
	    vhd_exec(conn, resp, "SET LOCAL jit = off", 0, NULL) < 0)
		goto out;
	if (verify_cases(conn, resp, &rep, units) < 0)
		goto out;
	/* the whole log: only for those who see every unit */
	if (units == NULL && (verify_numbers(conn, resp, &rep) < 0 ||
			      verify_log(conn, resp, &rep) < 0 ||
			      verify_legacy_seals(conn, resp, &rep) < 0))
		goto out;
	out = json_pack("{s:b, s:I, s:I, s:I, s:I, s:O, s:s}", "ok", rep.nproblems == 0,
			"cases", (json_int_t)rep.cases, "events", (json_int_t)rep.events,
			"seals", (json_int_t)rep.seals, "problem_count", (json_int_t)rep.nproblems,
			"problems", rep.problems, "scope", units ? "units" : "all");
	if (out && units == NULL) {
		json_object_set(out, "unaccounted", rep.unaccounted);
		json_object_set_new(out, "tree_size", json_integer(rep.tree_size));
		json_object_set_new(out, "root_hash", json_string(rep.root));
	}
out:
	vhd_rollback(conn);
	json_decref(rep.problems);
	json_decref(rep.unaccounted);
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
