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

#include "db.h"
#include "log.h"
#include "vhcvd.h"

int
vhd_rules_sync(const struct vhd_config *cfg, const struct vhd_lawset *ls)
{
	PGconn *conn;
	PGresult *res;
	char *err = NULL;
	size_t added = 0;
	int r = -1;

	if ((conn = vhd_db_connect(cfg->dsn, cfg->statement_timeout_ms, &err)) == NULL) {
		log_warnx("rule versions: database unavailable: %s", err ? err : "?");
		free(err);
		return -1;
	}
	res = PQexec(conn, "BEGIN");
	PQclear(res);
	for (size_t i = 0; i < vh_rules_count(ls->rules); i++) {
		const struct vh_rule *rule = vh_rules_get(ls->rules, i);
		char from[VH_DATE_STRLEN], to[VH_DATE_STRLEN];
		const char *params[10];

		vh_date_format(from, rule->valid_from);
		if (rule->valid_to != VH_DATE_NONE)
			vh_date_format(to, rule->valid_to);
		params[0] = rule->code;
		params[1] = rule->ruleset;
		params[2] = rule->group;
		params[3] = rule->title_vi;
		params[4] = rule->title_en;
		params[5] = rule->canonical;
		params[6] = rule->content_hash;
		params[7] = rule->no_limitation ? "true" : "false";
		params[8] = from;
		params[9] = rule->valid_to != VH_DATE_NONE ? to : NULL;
		res = PQexecParams(conn,
				   "INSERT INTO rule_versions (code, ruleset, grp, title_vi, title_en,"
				   " content, content_hash, no_limitation, valid_from, valid_to)"
				   " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::boolean,"
				   " $9::date, $10::date)"
				   " ON CONFLICT (code, content_hash) DO UPDATE"
				   " SET valid_to = EXCLUDED.valid_to"
				   " WHERE rule_versions.valid_to IS DISTINCT FROM EXCLUDED.valid_to",
				   10, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_warnx("rule versions: %s: %s", rule->code, PQresultErrorMessage(res));
			PQclear(res);
			goto out;
		}
		added += strcmp(PQcmdTuples(res), "1") == 0; /* new or closed */
		PQclear(res);
	}
	res = PQexec(conn, "COMMIT");
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		r = 0;
		log_info("rule versions: %zu new or closed of %zu", added, vh_rules_count(ls->rules));
	} else {
		log_warnx("rule versions: %s", PQresultErrorMessage(res));
	}
	PQclear(res);
out:
	PQfinish(conn);
	return r;
}

int
vhd_rules_check_stored(const struct vhd_config *cfg, const struct vhd_lawset *ls,
		       struct vh_diag *d)
{
	PGconn *conn;
	PGresult *res;
	char *err = NULL;
	size_t before = vh_diag_count(d);

	if ((conn = vhd_db_connect(cfg->dsn, cfg->statement_timeout_ms, &err)) == NULL) {
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
		for (size_t k = 0; k < vh_rules_count(ls->rules) && kept == NULL; k++) {
			const struct vh_rule *r = vh_rules_get(ls->rules, k);
			if (strcmp(r->code, code) != 0)
				continue;
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
	PQfinish(conn);
	return vh_diag_count(d) == before ? 0 : -1;
}
