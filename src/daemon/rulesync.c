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
