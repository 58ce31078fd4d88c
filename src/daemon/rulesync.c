/*
 * Rule versions in the database: at start and on every reload, each rule
 * version whose content hash is new is stored; unchanged ones are not
 * stored again (the unique key (code, content_hash) makes this idempotent
 * also when several vhcvd share one database). Closing a version (setting
 * valid_to) updates that one column of its row: the content hash leaves
 * valid_to out, so cases keep pointing at the same version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "db.h"
#include "log.h"
#include "vhcvd.h"

/* the loaded rule versions as one JSON array: a single statement stores them */
static char *
versions_json(const struct vhd_lawset *ls)
{
	json_t *arr = json_array();
	char *text = NULL;

	for (size_t i = 0; arr && i < vh_rules_count(ls->rules); i++) {
		const struct vh_rule *rule = vh_rules_get(ls->rules, i);
		char from[VH_DATE_STRLEN], to[VH_DATE_STRLEN];

		vh_date_format(from, rule->valid_from);
		if (rule->valid_to != VH_DATE_NONE)
			vh_date_format(to, rule->valid_to);
		if (json_array_append_new(
			    arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s?}",
					   "code", rule->code, "ruleset", rule->ruleset, "grp",
					   rule->group, "title_vi", rule->title_vi, "title_en",
					   rule->title_en, "content", rule->canonical,
					   "content_hash", rule->content_hash, "no_limitation",
					   rule->no_limitation, "valid_from", from, "valid_to",
					   rule->valid_to != VH_DATE_NONE ? to : NULL)) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	if (arr)
		text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return text;
}

int
vhd_rules_sync(const struct vhd_config *cfg, PGconn *given, const struct vhd_lawset *ls)
{
	PGconn *conn = given;
	PGresult *res;
	char *err = NULL, *rows;
	int r = -1;

	if ((rows = versions_json(ls)) == NULL) {
		log_warnx("rule versions: out of memory");
		return -1;
	}
	if (conn == NULL &&
	    (conn = vhd_db_connect(cfg->dsn, cfg->statement_timeout_ms, &err)) == NULL) {
		log_warnx("rule versions: database unavailable: %s", err ? err : "?");
		free(err);
		free(rows);
		return -1;
	}
	/* one statement for all of them (a reload of 1,000 rules used to send
	 * 1,000): the new are inserted, a closed one gets its valid_to */
	res = PQexecParams(conn,
			   "INSERT INTO rule_versions (code, ruleset, grp, title_vi, title_en,"
			   " content, content_hash, no_limitation, valid_from, valid_to)"
			   " SELECT code, ruleset, grp, title_vi, title_en, content::jsonb,"
			   " content_hash, no_limitation, valid_from, valid_to"
			   " FROM jsonb_to_recordset($1::jsonb) AS r(code text, ruleset text,"
			   "  grp text, title_vi text, title_en text, content text,"
			   "  content_hash text, no_limitation boolean, valid_from date,"
			   "  valid_to date)"
			   /* the versions stored as they are: not even looked at
			    * (their content parsed, the conflict checked: 230 ms of
			    * a reload of 1,000 unchanged rules) */
			   " WHERE NOT EXISTS (SELECT 1 FROM rule_versions v WHERE v.code = r.code"
			   "  AND v.content_hash = r.content_hash"
			   "  AND v.valid_to IS NOT DISTINCT FROM r.valid_to)"
			   " ON CONFLICT (code, content_hash) DO UPDATE"
			   " SET valid_to = EXCLUDED.valid_to"
			   " WHERE rule_versions.valid_to IS DISTINCT FROM EXCLUDED.valid_to",
			   1, NULL, (const char *[]){ rows }, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		r = 0;
		log_info("rule versions: %s new or closed of %zu", PQcmdTuples(res),
			 vh_rules_count(ls->rules));
	} else {
		log_warnx("rule versions: %s", PQresultErrorMessage(res));
	}
	PQclear(res);
	if (conn != given)
		PQfinish(conn);
	free(rows);
	return r;
}

int
vhd_rules_check_stored(const struct vhd_config *cfg, PGconn *given,
		       const struct vhd_lawset *ls, struct vh_diag *d)
{
	PGconn *conn = given;
	PGresult *res;
	char *err = NULL;
	size_t before = vh_diag_count(d);

	if (conn == NULL &&
	    (conn = vhd_db_connect(cfg->dsn, cfg->statement_timeout_ms, &err)) == NULL) {
		vh_diag_add(d, cfg->file, 0, 0,
			    "note: database unavailable, rules not compared with the stored"
			    " versions: %s", err ? err : "?");
		free(err);
		return 1;
	}
	res = PQexec(conn, "SELECT code, content_hash, to_char(valid_from, 'YYYY-MM-DD'),"
			   " coalesce(to_char(valid_to, 'YYYY-MM-DD'), '9999-12-31')"
			   " FROM rule_versions ORDER BY code, valid_from");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		vh_diag_add(d, cfg->file, 0, 0, "note: rule versions not readable: %s",
			    PQresultErrorMessage(res));
		PQclear(res);
		if (conn != given)
			PQfinish(conn);
		return 1;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *code = PQgetvalue(res, i, 0), *hash = PQgetvalue(res, i, 1);
		vh_date from = 0, to = VH_DATE_NONE;
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
	PQclear(res);
	if (conn != given)
		PQfinish(conn);
	return vh_diag_count(d) == before ? 0 : -1;
}
