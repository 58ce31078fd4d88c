/*
 * Hash chains. Each case has its own chain, so writers on different cases
 * never wait for each other; the case row lock orders the events of one
 * case. Seals hash every case head together, chained seal to seal, so
 * that removing the tail of a chain (and rewinding the case's head) is
 * detected too. docs/audit.md explains the design.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#include "dbq.h"
#include "events.h"
#include "log.h"

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
	       json_t *data)
{
	char *canon, *text;
	int r;

	canon = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : vh_strdup("{}");
	if (canon == NULL)
		return VHCV_ENOMEM;
	text = vh_asprintf("%s\n%s\n%lld\n%s\n%s\n%s\n%s", prev, case_number, seq, kind,
			   actor, at, canon);
	free(canon);
	if (text == NULL)
		return VHCV_ENOMEM;
	r = vh_sha256_hex(hex, text, strlen(text));
	free(text);
	return r;
}

int
vhd_event_append(PGconn *conn, struct vhd_response *resp, const char *case_id,
		 const char *kind, const char *actor, json_t *data)
{
	char at[40], hash[VH_SHA256_HEX], seqbuf[24];
	PGresult *res;
	char *datatext = NULL;
	const char *prev;
	long long seq;
	int r = -1;

	res = vhd_qrows(conn, resp,
			"SELECT number, event_count, coalesce(event_head, $2)"
			" FROM cases WHERE id = $1::bigint",
			2, (const char *[]){ case_id, VHD_ZERO_HASH }, 3);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "no such case");
		goto out;
	}
	seq = strtoll(PQgetvalue(res, 0, 1), NULL, 10) + 1;
	prev = PQgetvalue(res, 0, 2);
	vhd_now_rfc3339(at);
	if (vhd_event_hash(hash, prev, PQgetvalue(res, 0, 0), seq, kind, actor, at, data) < 0 ||
	    (datatext = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS)
			     : vh_strdup("{}")) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	snprintf(seqbuf, sizeof(seqbuf), "%lld", seq);
	if (vhd_exec(conn, resp,
		     "INSERT INTO case_events (case_id, seq, kind, actor, at, data, prev_hash, hash)"
		     " VALUES ($1::bigint, $2::int, $3, $4, $5::timestamptz, $6::jsonb, $7, $8)",
		     8, (const char *[]){ case_id, seqbuf, kind, actor, at, datatext, prev, hash }) < 0)
		goto out;
	if (vhd_exec(conn, resp,
		     "UPDATE cases SET event_count = $2::int, event_head = $3, updated_at = now()"
		     " WHERE id = $1::bigint",
		     3, (const char *[]){ case_id, seqbuf, hash }) < 0)
		goto out;
	r = 0;
out:
	free(datatext);
	PQclear(res);
	return r;
}

/* a problem found by verification */
static void
problem(json_t *list, const char *number, long long seq, const char *event_id,
	const char *fmt, ...) VH_PRINTF(5, 6);

static void
problem(json_t *list, const char *number, long long seq, const char *event_id,
	const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *p;

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
	json_array_append_new(list, p);
}

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

/* Walk the events of every case in one ordered pass. */
static int
verify_chains(PGconn *conn, struct vhd_response *resp, json_t *problems,
	      long long *ncases, long long *nevents)
{
	PGresult *cases = NULL, *ev = NULL;
	int r = -1, e = 0, ne;

	cases = vhd_qrows(conn, resp,
			  "SELECT id, number, event_count, event_head FROM cases ORDER BY id",
			  0, NULL, 4);
	if (cases == NULL)
		return -1;
	ev = vhd_qrows(conn, resp,
		       "SELECT e.case_id, e.id, e.seq, e.kind, e.actor,"
		       " " VHD_SQL_TIME("e.at") ","
		       " e.data::text, e.prev_hash, e.hash"
		       " FROM case_events e ORDER BY e.case_id, e.seq, e.id",
		       0, NULL, 9);
	if (ev == NULL)
		goto out;
	ne = PQntuples(ev);
	*ncases = PQntuples(cases);
	*nevents = ne;
	for (int c = 0; c < PQntuples(cases); c++) {
		long long cid = strtoll(PQgetvalue(cases, c, 0), NULL, 10);
		const char *number = PQgetvalue(cases, c, 1);
		long long count = strtoll(PQgetvalue(cases, c, 2), NULL, 10), expect = 1;
		const char *head = vhd_val(cases, c, 3);
		const char *prev = VHD_ZERO_HASH;

		while (e < ne && strtoll(PQgetvalue(ev, e, 0), NULL, 10) < cid)
			e++; /* events of a case that no longer exists cannot be (FK) */
		for (; e < ne && strtoll(PQgetvalue(ev, e, 0), NULL, 10) == cid; e++) {
			long long seq = strtoll(PQgetvalue(ev, e, 2), NULL, 10);
			const char *id = PQgetvalue(ev, e, 1), *stored = PQgetvalue(ev, e, 8);
			char hash[VH_SHA256_HEX];
			json_t *data = json_loads(PQgetvalue(ev, e, 6), 0, NULL);

			if (seq != expect)
				problem(problems, number, seq, id,
					seq > expect ? "event %lld is missing (deleted?) before this one"
						     : "event %lld appears twice or out of order",
					expect);
			if (strcmp(PQgetvalue(ev, e, 7), prev) != 0)
				problem(problems, number, seq, id,
					"does not link to the event before it (deleted or reordered)");
			if (data == NULL ||
			    vhd_event_hash(hash, PQgetvalue(ev, e, 7), number, seq,
					   PQgetvalue(ev, e, 3), PQgetvalue(ev, e, 4),
					   PQgetvalue(ev, e, 5), data) < 0 ||
			    strcmp(hash, stored) != 0)
				problem(problems, number, seq, id,
					"content does not match its hash (changed after it was written)");
			json_decref(data);
			prev = stored;
			expect = seq + 1;
		}
		if (count != expect - 1)
			problem(problems, number, count, NULL,
				"the case records %lld events but %lld are in the log", count,
				expect - 1);
		else if (count > 0 && (head == NULL || strcmp(head, prev) != 0))
			problem(problems, number, count, NULL,
				"the case's head hash does not match its last event");
	}
	r = 0;
out:
	PQclear(cases);
	PQclear(ev);
	return r;
}

static int
verify_seals(PGconn *conn, struct vhd_response *resp, json_t *problems, long long *nseals)
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
	*nseals = PQntuples(seals);
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
				problem(problems, PQgetvalue(heads, h, 4),
					strtoll(PQgetvalue(heads, h, 2), NULL, 10),
					vhd_val(heads, h, 6),
					"event sealed by seal %s is missing or changed", sid);
		}
		vh_sha256_final(ctx, hh);
		vh_sha256_free(ctx);
		if (strcmp(hh, PQgetvalue(seals, s, 4)) != 0)
			problem(problems, NULL, 0, NULL, "seal %s: its list of case heads was altered",
				sid);
		if (strcmp(PQgetvalue(seals, s, 5), prev) != 0 ||
		    seal_hash(hash, prev, PQgetvalue(seals, s, 1), PQgetvalue(seals, s, 2),
			      PQgetvalue(seals, s, 3), PQgetvalue(seals, s, 4)) < 0 ||
		    strcmp(hash, PQgetvalue(seals, s, 6)) != 0)
			problem(problems, NULL, 0, NULL,
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
vhd_audit_verify(PGconn *conn, struct vhd_response *resp)
{
	json_t *problems = json_array(), *out = NULL;
	long long ncases = 0, nevents = 0, nseals = 0;

	/* one snapshot for both walks */
	if (problems == NULL ||
	    vhd_exec(conn, resp, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) < 0)
		goto out;
	if (verify_chains(conn, resp, problems, &ncases, &nevents) < 0 ||
	    verify_seals(conn, resp, problems, &nseals) < 0)
		goto out;
	out = json_pack("{s:b, s:I, s:I, s:I, s:O}", "ok", json_array_size(problems) == 0,
			"cases", (json_int_t)ncases, "events", (json_int_t)nevents,
			"seals", (json_int_t)nseals, "problems", problems);
out:
	vhd_rollback(conn);
	json_decref(problems);
	return out;
}

json_t *
vhd_audit_seal(PGconn *conn, struct vhd_response *resp, const char *actor)
{
	PGresult *heads = NULL, *last = NULL, *ins = NULL;
	char at[40], hh[VH_SHA256_HEX], hash[VH_SHA256_HEX], ncases[24], nevents[24];
	const char *prev;
	long long events = 0;
	vh_sha256 *ctx = NULL;
	json_t *out = NULL;
	bool locked = false;

	(void)actor;
	/*
	 * Seals queue on their own lock; writers of events never take it. The
	 * lock is taken before the transaction begins: a REPEATABLE READ
	 * snapshot taken before waiting would not see the seal just written
	 * by the sealer we waited for, and would fork the chain.
	 */
	if (vhd_exec(conn, resp, "SELECT pg_advisory_lock(1986552695)", 0, NULL) < 0)
		return NULL;
	locked = true;
	if (vhd_exec(conn, resp, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL) < 0)
		goto out;
	heads = vhd_qrows(conn, resp,
			  "SELECT id, event_count, event_head FROM cases WHERE event_count > 0"
			  " ORDER BY id", 0, NULL, 3);
	last = heads ? vhd_qrows(conn, resp,
				 "SELECT hash, heads_hash, id FROM audit_seals ORDER BY id DESC LIMIT 1",
				 0, NULL, 3)
		     : NULL;
	if (last == NULL || (ctx = vh_sha256_new()) == NULL)
		goto out;
	for (int i = 0; i < PQntuples(heads); i++) {
		char line[160];
		snprintf(line, sizeof(line), "%s:%s:%s\n", PQgetvalue(heads, i, 0),
			 PQgetvalue(heads, i, 1), PQgetvalue(heads, i, 2));
		vh_sha256_update(ctx, line, strlen(line));
		events += strtoll(PQgetvalue(heads, i, 1), NULL, 10);
	}
	vh_sha256_final(ctx, hh);
	if (PQntuples(last) && strcmp(PQgetvalue(last, 0, 1), hh) == 0) {
		/* nothing was written since: the last seal still covers it */
		out = json_pack("{s:I, s:I, s:I, s:s, s:b}", "seal",
				(json_int_t)strtoll(PQgetvalue(last, 0, 2), NULL, 10), "cases",
				(json_int_t)PQntuples(heads), "events", (json_int_t)events,
				"hash", PQgetvalue(last, 0, 0), "unchanged", 1);
		goto out;
	}
	prev = PQntuples(last) ? PQgetvalue(last, 0, 0) : VHD_ZERO_HASH;
	vhd_now_rfc3339(at);
	snprintf(ncases, sizeof(ncases), "%d", PQntuples(heads));
	snprintf(nevents, sizeof(nevents), "%lld", events);
	if (seal_hash(hash, prev, at, ncases, nevents, hh) < 0)
		goto out;
	ins = vhd_qrows(conn, resp,
			"INSERT INTO audit_seals (sealed_at, cases, events, heads_hash, prev_hash, hash)"
			" VALUES ($1::timestamptz, $2::int, $3::bigint, $4, $5, $6) RETURNING id",
			6, (const char *[]){ at, ncases, nevents, hh, prev, hash }, 1);
	if (ins == NULL)
		goto out;
	/* the same snapshot as the heads hashed above */
	if (vhd_exec(conn, resp,
		     "INSERT INTO audit_seal_heads (seal_id, case_id, event_count, head)"
		     " SELECT $1::bigint, id, event_count, event_head FROM cases"
		     " WHERE event_count > 0",
		     1, (const char *[]){ PQgetvalue(ins, 0, 0) }) < 0 ||
	    vhd_commit(conn, resp) < 0)
		goto out;
	out = json_pack("{s:I, s:I, s:I, s:s, s:s}", "seal",
			(json_int_t)strtoll(PQgetvalue(ins, 0, 0), NULL, 10), "cases",
			(json_int_t)PQntuples(heads), "events", (json_int_t)events, "hash", hash,
			"sealed_at", at);
out:
	vhd_rollback(conn);
	if (locked) {
		PGresult *u = PQexec(conn, "SELECT pg_advisory_unlock(1986552695)");
		PQclear(u);
	}
	vh_sha256_free(ctx);
	PQclear(heads);
	PQclear(last);
	PQclear(ins);
	return out;
}
