/* Reporting, listing and showing cases; notes and links. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "dbq.h"
#include "law.h"
#include "events.h"
#include "json_in.h"
#include "jsontext.h"
#include "legal.h"
#include "log.h"
#include "reports.h"
#include "routes.h"
#include "rules.h"

/* SHA-256 of the canonical body: what an idempotency key promises */
int
vhd_request_hash(char hex[VH_SHA256_HEX], json_t *body)
{
	char *canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	int r;

	if (canon == NULL)
		return VHCV_ENOMEM;
	r = vh_sha256_hex(hex, canon, strlen(canon));
	free(canon);
	return r;
}

/* reply with the full case (status 200 or 201) */
void
vhd_reply_case(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	       const char *case_id, int status)
{
	json_t *c = vhd_case_json(conn, req, resp, case_id, true);

	if (c)
		vhd_reply_json(resp, status, c);
}

/*
 * The answer to a change that is committed. It is never "unavailable":
 * when the case cannot be read back (the database went away, a lock wait
 * ran past the statement timeout) or made (out of memory), the answer
 * says what is known, the case number, so that a client does not repeat
 * a request that was done. Takes c.
 */
static void
reply_committed(struct vhd_response *resp, json_t *c, const char *number, int status)
{
	if (c == NULL) {
		log_warnx("%s: committed, but the case could not be read back", number);
		c = json_pack("{s:s, s:b, s:s}", "case", number, "partial", 1, "message",
			      "committed; the rest of the case could not be read back now");
	}
	vhd_reply_json(resp, status, c);
}

/*
 * The case read by `sql` (the columns of vhd_case_view_sql, n parameters)
 * in the round trip of the COMMIT (vhd_commit_then).
 */
static int
commit_reply_view(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		  const char *sql, int n, const char *const *params, const char *number,
		  int status)
{
	PGresult *res = NULL;
	json_t *c = NULL;

	if (vhd_commit_then(conn, resp, sql, n, params, vhd_case_view_ncols, &res) < 0)
		return -1;
	if (res)
		c = vhd_case_view_json(req, res);
	PQclear(res);
	reply_committed(resp, c, number, status);
	return 0;
}

int
vhd_commit_reply(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		 const char *case_id, const char *number, int status)
{
	char today[VH_DATE_STRLEN];

	return commit_reply_view(conn, req, resp, vhd_case_view_sql, 2,
				 (const char *[]){ case_id, vhd_datestr(today, vh_date_today()) },
				 number, status);
}

/*
 * The same for a report: the new case as the statement that wrote it
 * returned it (VHD_CASE_COLUMNS from column base of row), its event as
 * written and its probable duplicates' numbers; nothing is read after
 * the COMMIT.
 */
static int
commit_reply_new(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
		 const PGresult *row, int base, const char *number, const char *dups,
		 const char *event)
{
	if (vhd_commit(conn, resp) < 0)
		return -1;
	reply_committed(resp, vhd_case_new_json(req, row, base, event, dups), number, 201);
	return 0;
}

/*
 * An idempotency key seen before: the same body answers with the case as
 * it stands (200), another body is a conflict. 1 handled, 0 key unknown,
 * -1 error.
 */
static int
report_replay(PGconn *conn, struct vhd_request *req, struct vhd_response *resp,
	      const char *key, const char *hash)
{
	PGresult *res;
	int r;

	res = vhd_qrows(conn, resp,
			"SELECT id, request_hash FROM cases"
			" WHERE reporter = $2 AND idempotency_key = $1",
			2, (const char *[]){ key, req->id.name }, 2);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		/* keys are scoped to their reporter: another's is not seen */
		r = 0;
	} else if (strcmp(PQgetvalue(res, 0, 1), hash) != 0) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "idempotency_key",
				"idempotency key '%s' was used for another request", key);
		r = 1;
	} else {
		vhd_reply_case(conn, req, resp, PQgetvalue(res, 0, 0), 200);
		r = 1;
	}
	PQclear(res);
	return r;
}

/*
 * The ids of rule versions already looked up: a stored version never
 * changes, so each is asked once per process (one round trip less per
 * report).
 */
static pthread_mutex_t rv_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rv_known {
	char code[72], hash[VH_SHA256_HEX], id[24];
} rv_known[512];
static size_t rv_nknown;

static bool
rule_version_known(const struct vh_rule *rule, char out[24], bool add)
{
	bool found = false;

	pthread_mutex_lock(&rv_lock);
	for (size_t i = 0; i < rv_nknown && !found; i++)
		if (strcmp(rv_known[i].hash, rule->content_hash) == 0 &&
		    strcmp(rv_known[i].code, rule->code) == 0) {
			snprintf(out, 24, "%s", rv_known[i].id);
			found = true;
		}
	if (!found && add && rv_nknown < VH_NELEM(rv_known) && strlen(rule->code) < 72) {
		struct rv_known *k = &rv_known[rv_nknown++];
		snprintf(k->code, sizeof(k->code), "%s", rule->code);
		snprintf(k->hash, sizeof(k->hash), "%s", rule->content_hash);
		snprintf(k->id, sizeof(k->id), "%s", out);
	}
	pthread_mutex_unlock(&rv_lock);
	return found;
}

/* the rule_versions row of a loaded rule version, stored if missing */
static int
rule_version_id(PGconn *conn, struct vhd_response *resp, const struct vh_rule *rule,
		char out[24])
{
	char from[VH_DATE_STRLEN];
	PGresult *res;

	if (rule_version_known(rule, out, false))
		return 0;
	vh_date_format(from, rule->valid_from);
	res = vhd_qrows(conn, resp,
			"WITH ins AS (INSERT INTO rule_versions (code, ruleset, grp, title_vi,"
			" title_en, content, content_hash, no_limitation, valid_from)"
			" VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::boolean, $9::date)"
			" ON CONFLICT (code, content_hash) DO NOTHING RETURNING id)"
			" SELECT id FROM ins UNION ALL SELECT id FROM rule_versions"
			" WHERE code = $1 AND content_hash = $7",
			9, (const char *[]){ rule->code, rule->ruleset, rule->group, rule->title_vi,
					     rule->title_en, rule->canonical, rule->content_hash,
					     rule->no_limitation ? "true" : "false", from },
			1);
	if (res == NULL)
		return -1;
	if (PQntuples(res) < 1) {
		/* committed by a concurrent request after our snapshot */
		PQclear(res);
		res = vhd_qrows(conn, resp,
				"SELECT id FROM rule_versions WHERE code = $1 AND content_hash = $2",
				2, (const char *[]){ rule->code, rule->content_hash }, 1);
		if (res == NULL)
			return -1;
		if (PQntuples(res) < 1) {
			PQclear(res);
			vhd_reply_error(resp, VHCV_ERROR, NULL, "cannot store the rule version");
			return -1;
		}
	}
	snprintf(out, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	/* remembered once it is surely committed: stored by rulesync at start,
	 * or found (not inserted) here */
	rule_version_known(rule, out, true);
	return 0;
}

static bool
rule_applies(const struct vh_rule *rule, const char *category)
{
	for (size_t i = 0; i < rule->n_categories; i++)
		if (strcmp(rule->categories[i], category) == 0)
			return true;
	return false;
}

/* 422 with the law's id and basis */
void
vhd_reply_refused(struct vhd_response *resp, const char *id, const char *const *basis,
		  const char *fmt, ...)
{
	char msg[768], b[512] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (const char *const *x = basis; x && *x; x++)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s", x == basis ? "" : "; ", *x);
	vhd_reply_error(resp, VHCV_EREFUSED, NULL, "%s", msg);
	json_object_set_new(resp->json, "rule", json_string(id));
	json_object_set_new(resp->json, "basis", json_string(b));
}

/*
 * The official as on the day of the act (code `code`, day `day`), else as
 * now; with the acts of theirs reported since, and their open cases whose
 * period the new act restarts (one query instead of three).
 */
#define REPORT_OFFICIAL_SQL(code, day)                                              \
	"SELECT o.id, o.unit_id, coalesce(v.category, o.category) AS category,"     \
	" coalesce(v.leader, o.leader) AS leader,"                                  \
	" " VHD_SQL_LATER_ACTS("o.id", day) " AS later,"                            \
	" " VHD_SQL_OPEN_BEFORE("o.id", day) " AS open"                             \
	" FROM officials o"                                                         \
	" LEFT JOIN LATERAL (SELECT category, leader FROM official_versions"        \
	"  WHERE official_id = o.id AND valid_from <= " day                         \
	"  ORDER BY valid_from DESC, id DESC LIMIT 1) v ON true"                    \
	" WHERE o.code = " code

/*
 * The case, with its number from the year's sequence (no lock held to the
 * commit; a failed report leaves a gap, docs/api.md); the links to the
 * cases about the same act (official, day, rule: VHD_SQL_SAME_ACT of issue
 * 8.4; a new case has no links yet), their numbers; and the case's history
 * state for its first event, from the row as written (case_row_state,
 * migration 0060). `rows` gives the official's id and unit, and the
 * limitation date, to the INSERT (VALUES or a SELECT).
 */
#define REPORT_INSERT_SQL(rows, official, unit, limit, reporter, tail)              \
	REPORT_NEW_CASE_SQL(rows, official, unit, limit, tail) ","                  \
	" dup AS (INSERT INTO case_links (case_id, other_id, kind, actor)"          \
	" SELECT n.id, x.id, 'probable_duplicate', " reporter                       \
	" FROM new_case n JOIN cases x"                                             \
	"  ON x.official_id = n.official_id AND x.occurred_on = n.occurred_on"      \
	" WHERE (SELECT code FROM rule_versions WHERE id = x.rule_version_id)"      \
	"  = (SELECT code FROM rule_versions WHERE id = n.rule_version_id)"         \
	" ON CONFLICT DO NOTHING RETURNING other_id)"
/* the case alone (the CTE new_case) */
#define REPORT_NEW_CASE_SQL(rows, official, unit, limit, tail)                      \
	"new_case AS (INSERT INTO cases (year, seq, official_id, unit_id,"          \
	" rule_version_id, source, reporter, occurred_on, detected_on, place,"      \
	" description, idempotency_key, request_hash, limitation_expires_on,"       \
	" handling_deadline, act_ended_on, continuing)"                             \
	" " rows "$1::int, nextval(format('vhcv.case_seq_%s', $1::int)::regclass),"  \
	" " official ", " unit ", $4::bigint, $5, $6,"                              \
	" $7::date, $8::date, $9, $10, $11, $12, " limit ", $14::date, $15::date,"  \
	" $16::boolean" tail                                                        \
	" ON CONFLICT (reporter, idempotency_key) DO NOTHING"                       \
	" RETURNING id, number, official_id, unit_id, occurred_on, rule_version_id," \
	" status, source, reporter, detected_on, place, description, severity,"     \
	" complex, limitation_expires_on, handling_deadline, paused_days,"          \
	" created_at, paused_since,"                                                \
	" jsonb_build_object('case', case_row_state(cases)) AS state)"
/* the new case's view (VHD_CASE_COLUMNS) from the row as written, new_case c */
#define REPORT_VIEW_FROM(join)                                                      \
	" " join " officials o ON o.id = c.official_id"                            \
	" " join " units u ON u.id = c.unit_id"                                    \
	" " join " rule_versions rv ON rv.id = c.rule_version_id"
#define REPORT_DUPS_SQL                                                             \
	"(SELECT json_agg(x.number ORDER BY x.id) FROM dup JOIN cases x ON x.id = dup.other_id)::text"

/*
 * The official of the one statement below ($2 the code, $7 the day, $17 the
 * rule's code): the same six columns as REPORT_OFFICIAL_SQL, and the
 * cases about the same act (VHD_SQL_SAME_ACT: official, day, rule code),
 * the new case's probable duplicates: their ids (`dups`) and numbers, in
 * the order of their ids. The official's cases are
 * read once for the three (a random official has 0.4 on average; the later
 * acts, the open ones and the same act were three scans of
 * cases_official_day), each case's rule by its key (a join let
 * PostgreSQL's generic plan merge the cases with the whole rule_versions
 * index, read up to the case's version: thousands of entries once rules
 * have many versions), and the version on the day from the index alone
 * (migration 0104).
 */
#define REPORT_SAME_ACT "c.occurred_on = $7::date AND r.code = $17"
#define REPORT_FAST_OFFICIAL_SQL                                                    \
	"SELECT o.id, o.unit_id, coalesce(v.category, o.category) AS category,"     \
	" coalesce(v.leader, o.leader) AS leader, h.later, h.open, h.dups, h.numbers" \
	" FROM officials o"                                                         \
	" LEFT JOIN LATERAL (SELECT category, leader FROM official_versions"        \
	"  WHERE official_id = o.id AND valid_from <= $7::date"                     \
	"  ORDER BY valid_from DESC, id DESC LIMIT 1) v ON true"                    \
	" CROSS JOIN LATERAL (SELECT " VHD_SQL_LATER_ACTS_AGG("c")                  \
	"  FILTER (WHERE " VHD_SQL_IS_LATER_ACT("c", "$7::date") ") AS later,"      \
	"  (" VHD_SQL_OPEN_AGG("c", "r")                                            \
	"  FILTER (WHERE " VHD_SQL_IS_OPEN_BEFORE("c", "$7::date") "))::text AS open," \
	"  array_agg(c.id ORDER BY c.id) FILTER (WHERE " REPORT_SAME_ACT ") AS dups," \
	"  array_agg(c.number ORDER BY c.id) FILTER (WHERE " REPORT_SAME_ACT ") AS numbers" \
	"  FROM cases c CROSS JOIN LATERAL (SELECT no_limitation, code"             \
	"   FROM rule_versions WHERE id = c.rule_version_id LIMIT 1) r"             \
	"  WHERE c.official_id = o.id) h"                                           \
	" WHERE o.code = $2"

/*
 * A report in one statement (the usual case): the official's query of
 * REPORT_FAST_OFFICIAL_SQL ($2 the code, $7 the day), which writes the case
 * when everything the law needs from the database is known: the
 * official's category on that day is one of the rule's ($3, with the
 * limitation of each in $13, computed before: the category decides it),
 * no act of theirs was reported after this one (it would restart the
 * period) and the reporter may report in their unit (the scoped
 * statement: $18 their unit codes). Otherwise it writes nothing and takes no number, and the
 * report goes on with the official's row it returns, as before: the same
 * six columns, then the new case's id, number, state, probable
 * duplicates, and whether the case was to be written (false: a check did
 * not pass; true with no case: the idempotency key was taken meanwhile),
 * then the new case's view (VHD_CASE_COLUMNS, from the row as inserted:
 * the answer needs no read after the COMMIT, which was an eighth of the
 * database's CPU per report; docs/performance.md, "Session 7"). The CTE
 * of the official is `w` in the last SELECT, where `o` is the view's.
 * The duplicates are the numbers of the cases the statement links the new
 * one to, from the official's scan: the new case's id is new, so none of
 * its links can exist already (ON CONFLICT DO NOTHING stays as the other
 * way's), and a data-modifying WITH runs to completion unread.
 */
#define REPORT_FAST_SQL(in_scope)                                                   \
	"WITH o AS (" REPORT_FAST_OFFICIAL_SQL "),"                                 \
	" ok AS (SELECT o.id, o.unit_id, array_position($3::text[], o.category) AS k FROM o" \
	"  WHERE o.later IS NULL AND array_position($3::text[], o.category) IS NOT NULL" \
	in_scope "),"                                                               \
	" " REPORT_NEW_CASE_SQL("SELECT ", "ok.id", "ok.unit_id", "($13::date[])[ok.k]", \
				" FROM ok") ","                                     \
	" dup AS (INSERT INTO case_links (case_id, other_id, kind, actor)"          \
	" SELECT n.id, d.id, 'probable_duplicate', $6"                              \
	" FROM new_case n CROSS JOIN o CROSS JOIN unnest(o.dups) d(id)"             \
	" ON CONFLICT DO NOTHING)"                                                  \
	" SELECT w.id AS official_id, w.unit_id, w.category, w.leader, w.later, w.open," \
	" c.id, c.number, c.state::text AS state,"                                  \
	" CASE WHEN c.id IS NOT NULL THEN to_json(w.numbers)::text END AS dups,"    \
	" EXISTS (SELECT 1 FROM ok) AS eligible, " VHD_CASE_COLUMNS                 \
	" FROM o w LEFT JOIN new_case c ON true" REPORT_VIEW_FROM("LEFT JOIN")
/* the columns of report_fast_sql before the view, and after the official's */
#define REPORT_FAST_NCOLS 11
#define REPORT_FAST_CASE 6
/* (two statements, not "$17 IS NULL OR": PostgreSQL would plan that one
 * anew on every report, its plan for a null $17 being the cheaper) */
static const char report_fast_sql[] = REPORT_FAST_SQL("");
static const char report_fast_scoped_sql[] =
	REPORT_FAST_SQL(" AND " VHD_SQL_UNIT_IN_SCOPE("o.unit_id", "$18::text[]"));

/* the same in two statements: the official, then the case */
static const char report_official_sql[] = REPORT_OFFICIAL_SQL("$1", "$2::date");
static const char report_insert_sql[] =
	"WITH " REPORT_INSERT_SQL("VALUES (", "$2::bigint", "$3::bigint", "$13::date", "$6", ")")
	" SELECT c.id, c.number, c.state::text, " REPORT_DUPS_SQL ", " VHD_CASE_COLUMNS
	" FROM new_case c" REPORT_VIEW_FROM("JOIN");
#define REPORT_INSERT_NCOLS 4

/* a text[] literal of n strings (NULL items are NULL), malloc'd */
static char *
text_array(const char *const *v, size_t n)
{
	size_t len = 3;
	char *s, *w;

	for (size_t i = 0; i < n; i++)
		len += (v[i] ? 2 * strlen(v[i]) + 2 : 4) + 1;
	if ((s = w = malloc(len)) == NULL)
		return NULL;
	*w++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*w++ = ',';
		if (v[i] == NULL) {
			w = stpcpy(w, "NULL");
			continue;
		}
		*w++ = '"';
		for (const char *c = v[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*w++ = '\\';
			*w++ = *c;
		}
		*w++ = '"';
	}
	strcpy(w, "}");
	return s;
}

/*
 * What the one-statement report needs: the limitation of the act for each
 * of the rule's categories, no later act (text[] and date[] literals,
 * malloc'd), with the categories that have one. false: the report goes
 * the two-statement way.
 */
struct fast_report {
	size_t n;
	const char *cat[32];
	vh_date expires[32];
	char *cats, *limits;
};

static bool
fast_report_prepare(struct fast_report *f, const struct vh_legal *legal,
		    const struct vh_rule *rule, const struct vh_legal_limit_query *base)
{
	char dates[32][VH_DATE_STRLEN];
	const char *lims[32];

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < rule->n_categories && f->n < VH_NELEM(f->cat); i++) {
		struct vh_legal_limit_query q = *base;
		struct vh_legal_limit lim;

		q.category = rule->categories[i];
		q.later_acts = NULL;
		q.nlater = 0;
		if (vh_legal_limitation_q(legal, &lim, &q) < 0)
			continue; /* no regime: the two-statement way says so */
		f->cat[f->n] = rule->categories[i];
		f->expires[f->n] = lim.expires;
		if (lim.expires != VH_DATE_NONE)
			vh_date_format(dates[f->n], lim.expires);
		lims[f->n] = lim.expires != VH_DATE_NONE ? dates[f->n] : NULL;
		f->n++;
	}
	if (f->n == 0)
		return false;
	f->cats = text_array(f->cat, f->n);
	f->limits = text_array(lims, f->n);
	return f->cats && f->limits;
}

void
api_case_report(struct vhd_request *req, const struct vhd_params *p,
		struct vhd_response *resp)
{
	static const char *const known[] = { "official", "rule", "occurred_on", "detected_on",
					     "source", "description", "place",
					     "idempotency_key", "ended_on", "continuing", NULL };
	static const char *const sources[] = { "inspection", "supervision", "citizen", "front",
					       "self", NULL };
	const char *official = NULL, *rule_code = NULL, *source = NULL, *text = NULL,
		   *place = NULL, *key = NULL;
	struct vhd_in in;
	vh_date occurred = 0, detected = VH_DATE_NONE, today = vh_date_today(),
		ended = VH_DATE_NONE;
	bool continuing = false;
	char endbuf[VH_DATE_STRLEN];
	vh_date *later = NULL;
	const struct vh_rule *rule;
	struct vh_legal_dates when = VH_LEGAL_DATES_INIT;
	struct vh_legal_limit_query lq;
	struct vh_legal_limit lim;
	struct vh_legal_deadline dl;
	char hash[VH_SHA256_HEX], rvid[24], year[8], occ[VH_DATE_STRLEN], det[VH_DATE_STRLEN],
		limit[VH_DATE_STRLEN], due[VH_DATE_STRLEN];
	PGresult *off = NULL, *ins = NULL, *row = NULL;
	PGconn *conn = NULL;
	char *event = NULL, *units = NULL;
	json_t *data = NULL, *dups = NULL;
	struct fast_report fr = { 0 };
	int lr, y, m, d, col = 0, base = 0;
	bool numbered = false, fast, taken = false;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_CASE_REPORT))
		return;
	if (vhd_in_open(&in, req, resp, known) < 0)
		goto out;
	vhd_in_code(&in, "official", true, &official);
	vhd_in_code(&in, "rule", true, &rule_code);
	vhd_in_date(&in, "occurred_on", true, &occurred);
	vhd_in_date(&in, "detected_on", false, &detected);
	vhd_in_enum(&in, "source", true, sources, &source);
	vhd_in_str(&in, "description", true, 20000, &text);
	vhd_in_str(&in, "place", false, 500, &place);
	vhd_in_str(&in, "idempotency_key", false, 200, &key);
	/* the act ended on a day, or still continues at detection (issue #9 item 3) */
	vhd_in_date(&in, "ended_on", false, &ended);
	vhd_in_bool(&in, "continuing", false, &continuing);
	if (in.failed)
		goto out;
	if (detected == VH_DATE_NONE)
		detected = today;
	if (continuing && ended != VH_DATE_NONE) {
		vhd_in_fail(&in, "ended_on", "an act that is 'continuing' has no 'ended_on'");
		goto out;
	}
	if (continuing)
		ended = detected;
	if (occurred > today) {
		vhd_in_fail(&in, "occurred_on", "'occurred_on' is in the future");
		goto out;
	}
	if (detected > today || detected < occurred) {
		vhd_in_fail(&in, "detected_on",
			    "'detected_on' must be between 'occurred_on' and today");
		goto out;
	}
	if (ended != VH_DATE_NONE && (ended < occurred || ended > detected)) {
		vhd_in_fail(&in, "ended_on",
			    "'ended_on' must be between 'occurred_on' and 'detected_on'");
		goto out;
	}
	rule = vh_rules_find(req->law->rules, rule_code, occurred);
	if (rule == NULL && vh_rules_latest(req->law->rules, rule_code) == NULL) {
		/* an unknown referenced object is 404, like an unknown official */
		vhd_reply_error(resp, VHCV_ENOTFOUND, "rule", "no rule %s in the conduct code",
				rule_code);
		goto out;
	}
	if (rule == NULL) {
		vhd_in_fail(&in, "rule", "rule %s was not in force on %s", rule_code,
			    vhd_datestr(occ, occurred));
		goto out;
	}
	when.violation = occurred;
	when.detection = detected;
	when.ended = ended;
	/* the procedure in force now governs the handling of the case */
	when.decision = today;
	/* the level is not known yet: the longest period of the category */
	memset(&lq, 0, sizeof(lq));
	lq.when = when;
	lq.no_limitation = rule->no_limitation;
	lq.klass = rule->code; /* the rule's code is its limitation class */
	lq.deferral_ended = VH_DATE_NONE;
	vh_date_to_ymd(today, &y, &m, &d);
	snprintf(year, sizeof(year), "%d", y);
	vhd_datestr(occ, occurred);
	vhd_datestr(det, detected);
	if (ended != VH_DATE_NONE)
		vhd_datestr(endbuf, ended);
	/*
	 * One statement for the official and the case when nothing else is
	 * needed first (report_fast_sql): the rule's version is known, the
	 * deadline has a regime, the reporter is not the official named
	 * (refused only once the official is known to exist)
	 */
	fast = vh_legal_deadline(req->law->legal, &dl, &when, false, 0) == 0 &&
	       rule_version_known(rule, rvid, false) && !vhd_auth_is_self(req, official) &&
	       (vhd_auth_all_units(req) || (units = vhd_auth_units_array(req)) != NULL) &&
	       fast_report_prepare(&fr, req->law->legal, rule, &lq);
	if (fast)
		vh_date_format(due, dl.due);
	/* (the body's hash is what an idempotency key promises: only with one) */
	if ((key && vhd_request_hash(hash, in.obj) < 0) || (conn = vhd_conn(resp)) == NULL)
		goto out;
	/* (BEGIN goes with the first statement: one round trip less) */
	if (vhd_begin_lazy(conn, resp) < 0)
		goto out;
	if (key && (lr = report_replay(conn, req, resp, key, hash)) != 0)
		goto out;
	if (fast) {
		numbered = true; /* a failure may have taken a number */
		off = vhd_qprep(conn, resp, units ? report_fast_scoped_sql : report_fast_sql,
				units ? 18 : 17,
				(const char *[]){ year, official, fr.cats, rvid, source,
						  req->id.name, occ, det, place, text, key,
						  key ? hash : NULL, fr.limits, due,
						  ended != VH_DATE_NONE ? endbuf : NULL,
						  continuing ? "t" : "f", rule->code, units },
				REPORT_FAST_NCOLS + VHD_CASE_NCOLS);
	} else {
		off = vhd_qprep(conn, resp, report_official_sql, 2,
				(const char *[]){ official, occ }, 6);
	}
	if (off == NULL)
		goto out;
	if (PQntuples(off) != 1) {
		numbered = false;
		vhd_reply_error(resp, VHCV_ENOTFOUND, "official", "no official %s", official);
		goto out;
	}
	if (fast && vhd_val(off, 0, REPORT_FAST_CASE)) {
		/* written: the limitation of the official's category */
		lim.expires = VH_DATE_NONE;
		for (size_t i = 0; i < fr.n; i++)
			if (strcmp(fr.cat[i], PQgetvalue(off, 0, 2)) == 0)
				lim.expires = fr.expires[i];
		if (lim.expires != VH_DATE_NONE)
			vh_date_format(limit, lim.expires);
		row = off;
		col = REPORT_FAST_CASE;
		base = REPORT_FAST_NCOLS;
		goto inserted;
	}
	if (fast && PQgetvalue(off, 0, REPORT_FAST_NCOLS - 1)[0] == 't') {
		/* to be written, but the same key was committed meanwhile */
		taken = true;
		goto inserted;
	}
	numbered = false;
	if (vhd_auth_unit(conn, req, resp, PQgetvalue(off, 0, 1), VHD_OP_CASE_REPORT) <= 0)
		goto out;
	if (vhd_auth_is_self(req, official)) {
		vhd_auth_deny(req, resp, "nobody reports a case about themselves");
		goto out;
	}
	if (!rule_applies(rule, PQgetvalue(off, 0, 2))) {
		vhd_reply_refused(resp, "rule_not_applicable", rule->legal_basis,
				  "rule %s does not apply to category %s", rule->code,
				  PQgetvalue(off, 0, 2));
		goto out;
	}
	lq.category = PQgetvalue(off, 0, 2);
	/* later acts of the official already reported restart the period (item 4) */
	if (vhd_law_later_acts_of(resp, vhd_val(off, 0, 4), &later, &lq.nlater) < 0)
		goto out;
	lq.later_acts = later;
	if (vh_legal_limitation_q(req->law->legal, &lim, &lq) < 0 ||
	    vh_legal_deadline(req->law->legal, &dl, &when, false, 0) < 0) {
		vhd_reply_refused(resp, "no_regime", NULL,
				  "the legal tables have no regime for a violation on %s", occ);
		goto out;
	}
	if (rule_version_id(conn, resp, rule, rvid) < 0)
		goto out;
	if (lim.expires != VH_DATE_NONE)
		vh_date_format(limit, lim.expires);
	vh_date_format(due, dl.due);
	numbered = true; /* from here a failure gives a number up */
	ins = vhd_qprep(conn, resp, report_insert_sql, 16,
			(const char *[]){ year, PQgetvalue(off, 0, 0), PQgetvalue(off, 0, 1), rvid,
					  source, req->id.name, occ, det, place, text, key,
					  key ? hash : NULL,
					  lim.expires != VH_DATE_NONE ? limit : NULL, due,
					  ended != VH_DATE_NONE ? endbuf : NULL,
					  continuing ? "t" : "f" },
			REPORT_INSERT_NCOLS + VHD_CASE_NCOLS);
	if (ins == NULL)
		goto out;
	taken = PQntuples(ins) == 0;
	row = ins;
	col = 0;
	base = REPORT_INSERT_NCOLS;
inserted:
	if (taken) {
		/* the same key committed by a concurrent request meanwhile */
		vhd_rollback(conn);
		if (report_replay(conn, req, resp, key, hash) == 0)
			vhd_reply_error(resp, VHCV_EUNAVAILABLE, NULL, "retry");
		goto out;
	}
	dups = vhd_val(row, 0, col + 3) ? json_loads(PQgetvalue(row, 0, col + 3), 0, NULL)
					: json_array();
	if (!json_is_array(dups)) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "source", source, "official",
			 official, "rule", rule->code, "rule_hash", rule->content_hash,
			 "occurred_on", occ, "detected_on", det, "limitation_expires_on",
			 lim.expires != VH_DATE_NONE ? json_string(limit) : json_null(),
			 "handling_deadline", due);
	if (data && ended != VH_DATE_NONE)
		json_object_set_new(data, continuing ? "continuing_at" : "ended_on",
				    json_string(endbuf));
	if (data && json_array_size(dups) > 0)
		json_object_set(data, "probable_duplicates", dups);
	/* every field given is in the event (issue 8.6) */
	if (data)
		json_object_set_new(data, "description", json_string(text));
	if (data && place)
		json_object_set_new(data, "place", json_string(place));
	/* without other cases to restart, the event is the last statement: the
	 * COMMIT goes in its round trip */
	if (vhd_val(off, 0, 5) == NULL)
		vhd_commit_lazy(conn);
	if (vhd_event_first(conn, resp, PQgetvalue(row, 0, col), PQgetvalue(row, 0, col + 1),
			    PQgetvalue(row, 0, col + 2), "reported", req->id.name, data, &event) < 0 ||
	    vhd_law_restart_others(conn, req, resp, vhd_val(off, 0, 5),
				   PQgetvalue(row, 0, col + 1), occurred, PQgetvalue(off, 0, 2)) < 0)
		goto out;
	if (commit_reply_new(conn, req, resp, row, base, PQgetvalue(row, 0, col + 1),
			     vhd_val(row, 0, col + 3), event) == 0)
		numbered = false;
out:
	if (conn && numbered)
		vhd_case_number_abandoned(conn, year,
					  taken ? "a concurrent report with the same key came first"
						: "the report failed",
					  resp->status);
	if (conn)
		vhd_rollback(conn);
	free(later);
	free(units);
	free(fr.cats);
	free(fr.limits);
	free(event);
	json_decref(data);
	json_decref(dups);
	PQclear(off);
	PQclear(ins);
	vhd_conn_put(conn);
	vhd_in_close(&in);
}

/* the unit and official a list names exist: 0, or -1 with 404 naming them */
static int
known_refs(PGconn *conn, struct vhd_response *resp, const char *unit, const char *official)
{
	PGresult *res = vhd_qprep(conn, resp,
				  "SELECT $1::text IS NULL OR EXISTS (SELECT 1 FROM units"
				  "  WHERE code = $1::text),"
				  " $2::text IS NULL OR EXISTS (SELECT 1 FROM officials"
				  "  WHERE code = $2::text)",
				  2, (const char *[]){ unit, official }, 2);
	int r = 0;

	if (res == NULL)
		return -1;
	if (PQgetvalue(res, 0, 0)[0] != 't') {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "unit", "no unit %s", unit);
		r = -1;
	} else if (PQgetvalue(res, 0, 1)[0] != 't') {
		vhd_reply_error(resp, VHCV_ENOTFOUND, "official", "no official %s", official);
		r = -1;
	}
	PQclear(res);
	return r;
}

/* what a case list asks: NULL for a condition not asked */
struct list_args {
	const char *after, *limit;
	const char *scope;     /* the identity's units, unless it sees all */
	const char *reporter;  /* an inspector: also the cases they reported */
	const char *unit, *status, *official, *overdue, *today, *due_within,
		*lim_within;
};

struct list_params {
	const char *v[16];
	int n;
};

/* the SQL of one shape of list (which conditions are asked), built once */
static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static char *list_shapes[1 << 8];

static int
list_param(struct list_params *p, const char *v)
{
	p->v[p->n++] = v;
	return p->n;
}

/*
 * A subtree of at most this many units (a province has 78 on average, a
 * district 7) is read unit by unit through cases_unit_id, bounded: each
 * unit's first k cases after the cursor, k = page / units rounded up, give
 * at least a page of candidates; the page-th smallest of them (the bound)
 * has at least a page of the subtree's cases at or below it, so the page
 * is each unit's first cases up to the bound, in id order. A province's
 * first page read 3,378 entries of cases_id_unit in id order (the
 * register's oldest cases, the unit of each tested) and fetched 279 table
 * rows to check their visibility; now 2 x 78 index descents, about 90
 * entries and a dozen fetches (docs/performance.md, "Session 6: case
 * list"). Without a bound (fewer candidates than a page: every unit's
 * cases are candidates) each unit's first page is read, as before. A
 * larger subtree (the country: 4,915 units) is read in id order through
 * cases_id_unit, keeping the cases in the subtree: there a page is found
 * after about a page of entries.
 */
#define LIST_UNITS_ONE_BY_ONE "400"

/*
 * The list's SQL with only the conditions asked, and its parameters: each
 * shape is prepared once per connection (it was parsed and planned on
 * every request, 2 ms of the 3 the query took), and planned without the
 * "$n IS NULL OR" alternatives. The same text for the same shape, so its
 * address identifies the prepared statement.
 *
 * The page's ids are chosen first (page), from the indexes alone when
 * only units are asked, then its cases are read: the case view's joins
 * are made for the page, not for every case looked at.
 */
static const char *
list_sql(struct list_params *p, struct list_args a)
{
	const char *const asked[] = { a.scope, a.reporter, a.unit, a.status, a.official,
				      a.overdue, a.due_within, a.lim_within };
	char *s = NULL, *w = NULL, *t;
	unsigned shape = 0;
	int today = 0, after, limit;

	p->n = 0;
	for (size_t i = 0; i < VH_NELEM(asked); i++)
		shape |= (asked[i] != NULL) << i;
	if (a.scope == NULL)
		shape &= ~2u; /* who sees all units sees an inspector's cases too */
#define ADD(str, fmt, ...)                                                     \
	do {                                                                   \
		t = vh_asprintf("%s" fmt, str ? str : "", ##__VA_ARGS__);      \
		free(str);                                                     \
		if ((str = t) == NULL)                                         \
			goto nomem;                                            \
	} while (0)
	if (shape & 1)
		ADD(s, VHD_SQL_UNITS_DOWN("$%d"), list_param(p, a.scope));
	if (shape & 4)
		ADD(s, "%s flt(id) AS (SELECT id FROM units WHERE code = $%d::text"
		    " UNION SELECT u.id FROM units u JOIN flt f ON u.parent_id = f.id"
		    "  OR u.merged_into = f.id),",
		    shape & 1 ? "," : "WITH RECURSIVE", list_param(p, a.unit));
	else
		ADD(s, "%s", shape & 1 ? "," : "WITH");
	/* keyset on the id: cases that exist when paging starts are each
	 * returned once, whatever is added meanwhile */
	after = list_param(p, a.after);
	/* the conditions on a case c, but its unit in the subtree asked.
	 * "IN (...) OR false": an IN inside an OR stays a hashed filter on the
	 * cases read in id order; at the top level the planner made it a join
	 * that compared each case with every unit of the subtree (7 ms of a
	 * province's first page, 0.5 ms now) */
	ADD(w, " c.id > $%d::bigint", after);
	if ((shape & 3) == 1)
		ADD(w, " AND (c.unit_id IN (SELECT id FROM scope) OR false)");
	if ((shape & 3) == 3)
		ADD(w, " AND (c.unit_id IN (SELECT id FROM scope) OR c.reporter = $%d::text)",
		    list_param(p, a.reporter));
	if (shape & 8)
		ADD(w, " AND c.status = $%d::text", list_param(p, a.status));
	if (shape & 16)
		ADD(w, " AND c.official_id = (SELECT id FROM officials WHERE code = $%d::text)",
		    list_param(p, a.official));
	if (shape & (32 | 64 | 128))
		today = list_param(p, a.today);
	if (shape & 32)
		ADD(w, " AND ($%d::text = 'true') = (c.status IN"
		    "  ('reported', 'under_review', 'council') AND c.handling_deadline < $%d::date)",
		    list_param(p, a.overdue), today);
	/* deadlines: handling due within N days (overdue included), and the
	 * limitation date within N days (paused time excluded) */
	if (shape & 64)
		ADD(w, " AND c.status IN ('reported', 'under_review', 'council')"
		    " AND c.handling_deadline <= $%d::date + $%d::int",
		    today, list_param(p, a.due_within));
	if (shape & 128)
		ADD(w, " AND c.status IN " VHD_SQL_OPEN_STATUSES
		    " AND c.limitation_expires_on + coalesce($%d::date - c.paused_since, 0)"
		    " <= $%d::date + $%d::int",
		    today, today, list_param(p, a.lim_within));
	limit = list_param(p, a.limit);
	if (shape & 4)
		/* the two ways of reading a subtree, the one not taken stopped
		 * by its one-time filters; unit by unit, the candidates (cand)
		 * and their bound first */
		ADD(s, " cand(id) AS (SELECT k.id FROM flt CROSS JOIN LATERAL"
		    "  (SELECT c.id FROM cases c WHERE c.unit_id = flt.id AND%s"
		    "   ORDER BY c.id LIMIT (SELECT ($%d::int + count(*) - 1)"
		    "    / greatest(count(*), 1) FROM flt)) k"
		    "  WHERE (SELECT count(*) FROM flt) <= " LIST_UNITS_ONE_BY_ONE "),"
		    " bound(id) AS (SELECT id FROM cand ORDER BY id OFFSET $%d::int - 1 LIMIT 1),"
		    " page(id) AS ((SELECT c.id FROM cases c WHERE"
		    "  (SELECT count(*) FROM flt) > " LIST_UNITS_ONE_BY_ONE " AND%s"
		    "  AND (c.unit_id IN (SELECT id FROM flt) OR false)"
		    "  ORDER BY c.id LIMIT $%d::int)"
		    " UNION ALL (SELECT k.id FROM flt CROSS JOIN LATERAL"
		    "  (SELECT c.id FROM cases c WHERE c.unit_id = flt.id AND%s"
		    "   AND c.id <= coalesce((SELECT id FROM bound), 9223372036854775807)"
		    "   ORDER BY c.id LIMIT $%d::int) k"
		    "  WHERE (SELECT count(*) FROM flt) <= " LIST_UNITS_ONE_BY_ONE
		    "  ORDER BY k.id LIMIT $%d::int))",
		    w, limit, limit, w, limit, w, limit, limit);
	else
		ADD(s, " page(id) AS (SELECT c.id FROM cases c WHERE%s ORDER BY c.id"
		    " LIMIT $%d::int)", w, limit);
	/* "= ANY(ARRAY(...))": planned for a few rows (10), so the case
	 * view's joins are index probes; "IN (SELECT ...)" was planned for a
	 * tenth of the register (LIMIT $n of a generic plan), with hash joins
	 * over whole tables and JIT compilation (40 ms) */
	ADD(s, " %s WHERE c.id = ANY(ARRAY(SELECT id FROM page)) ORDER BY c.id",
	    vhd_case_select);
#undef ADD
	free(w);
	pthread_mutex_lock(&list_lock);
	if (list_shapes[shape] == NULL)
		list_shapes[shape] = s;
	else
		free(s);
	s = list_shapes[shape];
	pthread_mutex_unlock(&list_lock);
	return s;
nomem:
	free(s);
	free(w);
	return NULL;
}

void
api_cases_list(struct vhd_request *req, const struct vhd_params *p,
	       struct vhd_response *resp)
{
	static const char *const statuses[] = { "reported", "under_review", "deferred", "council",
						"decided", "appealed", "rejected",
						"closed_no_sanction", "closed", NULL };
	const char *unit = NULL, *status = NULL, *official = NULL, *overdue = NULL;
	long long limit = 50, after = 0, due_within = -1, lim_within = -1;
	char lim[24], aft[24], today[VH_DATE_STRLEN], *scope = NULL;
	char duew[24], limw[24];
	const char *sql;
	struct list_params lq;
	struct vhd_in in = { .req = req, .resp = resp };
	PGconn *conn = NULL;
	PGresult *res = NULL;
	struct vh_buf page = { 0 };
	bool all, inspector;
	int n;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_CASE_READ))
		return;
	vhd_query_code(&in, "unit", &unit);
	vhd_query_str(&in, "status", 32, &status);
	vhd_query_code(&in, "official", &official);
	vhd_query_str(&in, "overdue", 5, &overdue);
	vhd_query_int(&in, "limit", 1, 500, &limit);
	vhd_query_int(&in, "after", 0, INT64_MAX, &after);
	vhd_query_int(&in, "due_within", 0, 3660, &due_within);
	vhd_query_int(&in, "limitation_within", 0, 3660, &lim_within);
	if (in.failed)
		goto out;
	snprintf(duew, sizeof(duew), "%lld", due_within);
	snprintf(limw, sizeof(limw), "%lld", lim_within);
	if (status) {
		size_t i;
		for (i = 0; statuses[i] && strcmp(statuses[i], status) != 0; i++)
			;
		if (statuses[i] == NULL) {
			vhd_in_fail(&in, "status", "unknown status '%s'", status);
			goto out;
		}
	}
	if (overdue && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0) {
		vhd_in_fail(&in, "overdue", "'overdue' must be true or false");
		goto out;
	}
	all = vhd_auth_all_units(req);
	inspector = req->id.access->role == VHD_ROLE_INSPECTOR;
	if ((scope = vhd_auth_units_array(req)) == NULL)
		goto out;
	snprintf(lim, sizeof(lim), "%lld", limit + 1);
	snprintf(aft, sizeof(aft), "%lld", after);
	vhd_datestr(today, vh_date_today());
	if ((sql = list_sql(&lq, (struct list_args){ aft, lim, all ? NULL : scope,
						      inspector ? req->id.name : NULL, unit,
						      status, official, overdue, today,
						      due_within >= 0 ? duew : NULL,
						      lim_within >= 0 ? limw : NULL })) == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	res = vhd_qprep(conn, resp, sql, lq.n, lq.v, vhd_case_ncols);
	if (res == NULL)
		goto out;
	n = PQntuples(res);
	/* an unknown unit or official is 404, not an empty list (a list
	 * with cases names known ones: no round trip to ask) */
	if (n == 0 && (unit || official) && known_refs(conn, resp, unit, official) < 0)
		goto out;
	/* written as text at once: the bytes of {"items": [...], "next": ...}
	 * sent compact (building 50 objects, then writing them, was most of
	 * vhcvd's CPU for a page) */
	vh_buf_puts(&page, "{\"items\":[");
	for (int i = 0; i < n && i < limit; i++) {
		if (i > 0)
			vh_buf_put(&page, ",", 1);
		vhd_case_row_text(&page, req, res, i);
	}
	vh_buf_puts(&page, "],\"next\":");
	if (n > limit)
		vh_json_put_string(&page, PQgetvalue(res, (int)limit - 1, 0),
				   strlen(PQgetvalue(res, (int)limit - 1, 0)));
	else
		vh_buf_puts(&page, "null");
	vh_buf_put(&page, "}", 1);
	vhd_reply_json_text(resp, 200, &page);
out:
	vh_buf_free(&page);
	PQclear(res);
	vhd_conn_put(conn);
	free(scope);
	vhd_in_close(&in);
}

void
api_case_get(struct vhd_request *req, const struct vhd_params *p,
	     struct vhd_response *resp)
{
	PGconn *conn = vhd_conn(resp);

	if (conn == NULL)
		return;
	vhd_case_show(conn, req, resp, p->v[0]);
	vhd_conn_put(conn);
}

void
api_case_note(struct vhd_request *req, const struct vhd_params *p,
	      struct vhd_response *resp)
{
	static const char *const known[] = { "text", NULL };
	const char *text = NULL;
	struct vhd_case_ref ref;
	struct vhd_in in;
	PGconn *conn = NULL;
	json_t *data = NULL;

	if (vhd_in_open(&in, req, resp, known) < 0 ||
	    vhd_in_str(&in, "text", true, 20000, &text) < 0)
		goto out;
	if ((conn = vhd_conn(resp)) == NULL || vhd_begin(conn, resp) < 0 ||
	    vhd_case_open(conn, req, resp, p->v[0], VHD_OP_CASE_NOTE, true, &ref) < 0)
		goto out;
	data = json_pack("{s:s}", "text", text);
	if (vhd_event_append(conn, resp, ref.id, "note", req->id.name, data) < 0)
		goto out;
	vhd_commit_reply(conn, req, resp, ref.id, ref.number, 200);
out:
	if (conn)
		vhd_rollback(conn);
	json_decref(data);
	vhd_conn_put(conn);
	vhd_in_close(&in);
}

void
api_case_link(struct vhd_request *req, const struct vhd_params *p,
	      struct vhd_response *resp)
{
	static const char *const known[] = { "other", NULL };
	const char *other = NULL;
	struct vhd_case_ref ref, oref;
	struct vhd_in in;
	PGconn *conn = NULL;
	PGresult *res = NULL;
	json_t *data = NULL;

	if (vhd_in_open(&in, req, resp, known) < 0 ||
	    vhd_in_str(&in, "other", true, 40, &other) < 0)
		goto out;
	if ((conn = vhd_conn(resp)) == NULL || vhd_begin(conn, resp) < 0 ||
	    vhd_case_open(conn, req, resp, p->v[0], VHD_OP_CASE_DECIDE, true, &ref) < 0)
		goto out;
	if (vhd_case_open(conn, req, resp, other, VHD_OP_CASE_READ, false, &oref) < 0) {
		json_object_set_new(resp->json, "field", json_string("other"));
		goto out;
	}
	if (strcmp(ref.id, oref.id) == 0) {
		vhd_in_fail(&in, "other", "a case cannot be linked to itself");
		goto out;
	}
	res = vhd_q(conn, resp,
		    "INSERT INTO case_links (case_id, other_id, actor)"
		    " SELECT $1::bigint, $2::bigint, $3 WHERE NOT EXISTS (SELECT 1 FROM case_links"
		    "  WHERE (case_id, other_id) IN (($1::bigint, $2::bigint), ($2::bigint, $1::bigint)))",
		    3, (const char *[]){ ref.id, oref.id, req->id.name });
	if (res == NULL)
		goto out;
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "other", "%s and %s are already linked",
				ref.number, oref.number);
		goto out;
	}
	data = json_pack("{s:s}", "other", oref.number);
	if (vhd_event_append(conn, resp, ref.id, "linked", req->id.name, data) < 0)
		goto out;
	vhd_commit_reply(conn, req, resp, ref.id, ref.number, 200);
out:
	if (conn)
		vhd_rollback(conn);
	json_decref(data);
	PQclear(res);
	vhd_conn_put(conn);
	vhd_in_close(&in);
}
