/*
 * Rule versions in the database: at start and on every reload, each rule
 * version whose content hash is new is stored; unchanged ones are not
 * stored again (the unique key (code, content_hash) makes this idempotent
 * also when several vhcvd share one database). Closing a version (setting
 * valid_to) updates that one column of its row: the content hash leaves
 * valid_to out, so cases keep pointing at the same version.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "jsontext.h"
#include "log.h"
#include "vhcvd.h"

/* st holds r: found stored as it is */
static int
cmp_addr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const struct vh_rule *const *)a;
	uintptr_t y = (uintptr_t) * (const struct vh_rule *const *)b;

	return x < y ? -1 : x > y;
}

static bool
stored_as_is(const struct vhd_rules_stored *st, const struct vh_rule *r)
{
	return st && st->n && bsearch(&r, st->same, st->n, sizeof(*st->same), cmp_addr);
}

void
vhd_rules_stored_free(struct vhd_rules_stored *st)
{
	free(st->same);
	st->same = NULL;
	st->n = 0;
}

/* "key": and s as a JSON string, or null; false for invalid UTF-8 */
static bool
jb_field(struct vh_buf *b, const char *key, const char *s)
{
	vh_buf_puts(b, key);
	if (s == NULL) {
		vh_buf_puts(b, "null");
		return true;
	}
	return vh_json_put_string(b, s, strlen(s)) == 0;
}

/*
 * The loaded rule versions not stored as they are, as one JSON array: a
 * single statement stores them; *n receives their number. Written here,
 * the content (the canonical form, JSON already) as it is: through
 * jansson, 1,000 rules took 22 ms of CPU, and the server parsed each
 * content twice (a string, then jsonb).
 */
static char *
versions_json(const struct vhd_lawset *ls, const struct vhd_rules_stored *st, size_t *n)
{
	struct vh_buf b = { NULL, 0, 0, false };
	bool ok = true;

	*n = 0;
	vh_buf_puts(&b, "[");
	for (size_t i = 0; ok && i < vh_rules_count(ls->rules); i++) {
		const struct vh_rule *rule = vh_rules_get(ls->rules, i);
		char from[VH_DATE_STRLEN], to[VH_DATE_STRLEN];

		if (stored_as_is(st, rule))
			continue;
		vh_date_format(from, rule->valid_from);
		if (rule->valid_to != VH_DATE_NONE)
			vh_date_format(to, rule->valid_to);
		ok = jb_field(&b, *n ? ",{\"code\":" : "{\"code\":", rule->code) &&
		     jb_field(&b, ",\"ruleset\":", rule->ruleset) &&
		     jb_field(&b, ",\"grp\":", rule->group) &&
		     jb_field(&b, ",\"title_vi\":", rule->title_vi) &&
		     jb_field(&b, ",\"title_en\":", rule->title_en);
		vh_buf_puts(&b, ",\"content\":");
		vh_buf_puts(&b, rule->canonical);
		ok = ok && jb_field(&b, ",\"content_hash\":", rule->content_hash);
		vh_buf_puts(&b, rule->no_limitation ? ",\"no_limitation\":true"
						    : ",\"no_limitation\":false");
		ok = ok && jb_field(&b, ",\"valid_from\":", from) &&
		     jb_field(&b, ",\"valid_to\":", rule->valid_to != VH_DATE_NONE ? to : NULL);
		vh_buf_puts(&b, "}");
		(*n)++;
	}
	vh_buf_puts(&b, "]");
	if (!ok || b.nomem) {
		vh_buf_free(&b);
		return NULL;
	}
	return b.p;
}

int
vhd_rules_sync(const struct vhd_config *cfg, PGconn *given, const struct vhd_lawset *ls,
	       const struct vhd_rules_stored *st)
{
	PGconn *conn = given;
	PGresult *res;
	char *err = NULL, *rows;
	size_t n;
	int r = -1;

	if ((rows = versions_json(ls, st, &n)) == NULL) {
		log_warnx("rule versions: out of memory (or a text not UTF-8)");
		return -1;
	}
	if (n == 0) {
		/* every one found stored as it is: nothing to send */
		log_info("rule versions: 0 new or closed of %zu (0 sent)", vh_rules_count(ls->rules));
		free(rows);
		return 0;
	}
	if (conn == NULL &&
	    (conn = vhd_db_connect(cfg->dsn, cfg->statement_timeout_ms, &err)) == NULL) {
		log_warnx("rule versions: database unavailable: %s", err ? err : "?");
		free(err);
		free(rows);
		return -1;
	}
	/* one statement for all of them (a reload of 1,000 rules used to send
	 * 1,000): the new are inserted, a closed one gets its valid_to. Those
	 * the comparison found stored as they are were left out above (they
	 * were filtered here by a NOT EXISTS, 1,000 probes: 6 ms of the
	 * server's 40 for 1,000 new rules); one stored meanwhile (another
	 * vhcvd on the same database) is a conflict that changes nothing, so
	 * what is stored does not depend on st */
	res = PQexecParams(conn,
			   "INSERT INTO rule_versions (code, ruleset, grp, title_vi, title_en,"
			   " content, content_hash, no_limitation, valid_from, valid_to)"
			   " SELECT code, ruleset, grp, title_vi, title_en, content,"
			   " content_hash, no_limitation, valid_from, valid_to"
			   " FROM jsonb_to_recordset($1::jsonb) AS r(code text, ruleset text,"
			   "  grp text, title_vi text, title_en text, content jsonb,"
			   "  content_hash text, no_limitation boolean, valid_from date,"
			   "  valid_to date)"
			   " ON CONFLICT (code, content_hash) DO UPDATE"
			   " SET valid_to = EXCLUDED.valid_to"
			   " WHERE rule_versions.valid_to IS DISTINCT FROM EXCLUDED.valid_to",
			   1, NULL, (const char *[]){ rows }, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		r = 0;
		log_info("rule versions: %s new or closed of %zu (%zu sent)", PQcmdTuples(res),
			 vh_rules_count(ls->rules), n);
	} else {
		log_warnx("rule versions: %s", PQresultErrorMessage(res));
	}
	PQclear(res);
	if (conn != given)
		PQfinish(conn);
	free(rows);
	return r;
}

/* the loaded codes as a text[] literal (codes are upper-case letters,
 * digits and '-': nothing to escape) */
static char *
codes_array(const struct vhd_lawset *ls)
{
	size_t n = vh_rules_count(ls->rules), len = 3, at = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(vh_rules_get(ls->rules, i)->code) + 3;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[at++] = '{';
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(s + at, len - at, "%s\"%s\"", i ? "," : "",
				       vh_rules_get(ls->rules, i)->code);
	s[at++] = '}';
	s[at] = '\0';
	return s;
}

int
vhd_rules_check_stored(const struct vhd_config *cfg, PGconn *given,
		       const struct vhd_lawset *ls, struct vh_diag *d,
		       struct vhd_rules_stored *st)
{
	PGconn *conn = given;
	PGresult *res;
	char *err = NULL, *codes;
	size_t before = vh_diag_count(d);

	if (st)
		*st = (struct vhd_rules_stored){ NULL, 0 };
	if ((codes = codes_array(ls)) == NULL) {
		vh_diag_add(d, cfg->file, 0, 0, "note: out of memory, rules not compared");
		return 1;
	}
	if (conn == NULL &&
	    (conn = vhd_db_connect(cfg->dsn, cfg->statement_timeout_ms, &err)) == NULL) {
		vh_diag_add(d, cfg->file, 0, 0,
			    "note: database unavailable, rules not compared with the stored"
			    " versions: %s", err ? err : "?");
		free(err);
		free(codes);
		return 1;
	}
	/* the versions of the loaded codes only: a code no longer in the files
	 * has nothing to clash with, and reading every version ever stored
	 * grew with each change (12,000 stored: 40 ms of the server's time
	 * and 1.5 MB sent, at every reload). Each code probed by the index on
	 * code (the distinct codes: a rule of several versions is listed once
	 * each): for 1,000 codes `code = ANY($1)` was planned as a scan of every
	 * version stored, each tested against the array (17,000 stored: 25-32
	 * ms, and growing with the history; the probes 9-13 ms) */
	res = PQexecParams(conn,
			   "SELECT v.code, v.content_hash, to_char(v.valid_from, 'YYYY-MM-DD'),"
			   " coalesce(to_char(v.valid_to, 'YYYY-MM-DD'), '9999-12-31'),"
			   " v.valid_to IS NULL"
			   " FROM (SELECT DISTINCT unnest($1::text[])) AS c(code)"
			   " CROSS JOIN LATERAL (SELECT * FROM rule_versions r"
			   "  WHERE r.code = c.code OFFSET 0) v"
			   " ORDER BY v.code, v.valid_from",
			   1, NULL, (const char *[]){ codes }, NULL, NULL, 0);
	free(codes);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		vh_diag_add(d, cfg->file, 0, 0, "note: rule versions not readable: %s",
			    PQresultErrorMessage(res));
		PQclear(res);
		if (conn != given)
			PQfinish(conn);
		return 1;
	}
	if (st && (st->same = malloc((size_t)PQntuples(res) * sizeof(*st->same) + 1)) == NULL)
		st = NULL; /* (then every version is sent) */
	for (int i = 0; i < PQntuples(res); i++) {
		const char *code = PQgetvalue(res, i, 0), *hash = PQgetvalue(res, i, 1);
		vh_date from = 0, to = VH_DATE_NONE;
		bool open = PQgetvalue(res, i, 4)[0] == 't';
		const struct vh_rule *kept = NULL, *clash = NULL;

		vh_date_parse(&from, PQgetvalue(res, i, 2));
		if (vh_date_parse(&to, PQgetvalue(res, i, 3)) < 0)
			to = VH_DATE_NONE;
		/* the loaded versions of this code only, by the index (each
		 * stored version against every loaded rule was 6 M comparisons
		 * at 6,000 stored and 1,000 loaded: most of a reload) */
		const struct vh_rule *r;
		for (size_t k = 0; kept == NULL && (r = vh_rules_version(ls->rules, code, k)); k++) {
			if (strcmp(r->content_hash, hash) == 0)
				kept = r;
			else if (clash == NULL && r->valid_from <= to &&
				 (r->valid_to == VH_DATE_NONE || r->valid_to >= from))
				clash = r;
		}
		/* stored as it is: the same text, and the same end (or none) */
		if (kept && st &&
		    (open ? kept->valid_to == VH_DATE_NONE
			  : kept->valid_to != VH_DATE_NONE && kept->valid_to == to))
			st->same[st->n++] = kept;
		if (kept || clash == NULL)
			continue;
		if (clash->valid_from == from)
			vh_diag_add(d, clash->file, clash->line, clash->col,
				    "rule %s: its text changed but it keeps valid_from %s of the"
				    " stored version; a changed rule is a new version with a later"
				    " valid_from (the old one closing the day before)",
				    code, PQgetvalue(res, i, 2));
		else
			vh_diag_add(d, clash->file, clash->line, clash->col,
				    "rule %s: the stored version valid from %s is no longer in the"
				    " files and would overlap this one; keep it, with valid_to the"
				    " day before this version's valid_from",
				    code, PQgetvalue(res, i, 2));
	}
	if (st && st->n)
		qsort(st->same, st->n, sizeof(*st->same), cmp_addr);
	PQclear(res);
	if (conn != given)
		PQfinish(conn);
	return vh_diag_count(d) == before ? 0 : -1;
}
