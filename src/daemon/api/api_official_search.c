/*
 * GET /v1/officials?q=TEXT[&unit=U][&limit=N][&after=CURSOR]: the officials
 * of the caller's units (and below) whose code begins with TEXT, or whose
 * name has, for every word of TEXT, a word beginning with it.
 *
 * Names are compared folded (migration 0055, name_fold: NFD, marks
 * dropped, đ→d, lower case, one space), so "nguyen van an" and an NFD
 * "Nguyễn Văn An" find "Nguyễn Văn An"; so do "van an", "an nguyen" and
 * "an" (migration 0090: name_query, a tsquery of the text's words each a
 * quoted prefix, ANDed, built by the database from the text passed as a
 * parameter: & | ! : * ( ) ' are separators, never operators). Codes are
 * compared in lower case. A page is codes first (ordered by code), then
 * names that begin with the text (the family name first), then the other
 * names whose words match; both name parts by folded name and code. The
 * first two parts are one ordered range of an index each; the third is
 * the GIN index officials_name_words for a rare word or the name order
 * filtered for a common one (the planner's choice). An identity scoped to
 * some units reads one range per unit of its scope
 * (officials_unit_name_search). The text is a parameter compared with ^@
 * (starts with): % _ ' and \ are ordinary characters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dbq.h"
#include "json_in.h"
#include "routes.h"

/* output columns of both parts */
#define SEARCH_COLS "ph, sk, code, full_name, category, position, status, unit_id"
#define SEARCH_PICK "o.code, o.full_name, o.category, o.position, o.status, o.unit_id"
#define NAME_ORDER " ORDER BY o.name_key COLLATE \"C\", o.code COLLATE \"C\" LIMIT $6::int"
/* the name cursor ($5 folded name, $7 code) applies to the part $9 names */
#define NAME_AFTER(part)                                                             \
	" AND ($9::text <> '" part "' OR (o.name_key COLLATE \"C\", o.code COLLATE \"C\")" \
	"  > ($5::text, $7::text))"                                                  \
	" AND NOT ($1::boolean AND lower(o.code) COLLATE \"C\" ^@ $2::text)"
/* names beginning with the text: after a cursor in this part or the codes */
#define PREFIX_WHERE " $9::text <> 'w' AND o.name_key COLLATE \"C\" ^@ $4::text" NAME_AFTER("n")
/* the other names whose words all match ($8 the tsquery, NULL: no word);
 * MATCH is WORDS_GIN (the GIN index may serve) or WORDS_SCAN (the same
 * test as a function call, which no index serves: names read in order) */
#define WORDS_GIN "to_tsvector('simple'::regconfig, o.name_key) @@ $8::tsquery"
#define WORDS_SCAN "ts_match_vq(to_tsvector('simple'::regconfig, o.name_key), $8::tsquery)"
#define WORDS_WHERE(match)                                                            \
	" $8::tsquery IS NOT NULL AND " match                                        \
	" AND NOT o.name_key COLLATE \"C\" ^@ $4::text" NAME_AFTER("w")

/* codes beginning with the text, after the code cursor */
#define CODES_WHERE                                                                   \
	" WHERE $1::boolean AND lower(o.code) COLLATE \"C\" ^@ $2::text"              \
	" AND ($3::text IS NULL OR (lower(o.code) COLLATE \"C\", o.code COLLATE \"C\")" \
	"  > (lower($3::text), $3::text))"

enum { S_PH, S_SK, S_CODE, S_NAME, S_CAT, S_POS, S_STATUS, S_UNIT, S_UCODE, S_UNAME, S_NCOLS };

/*
 * $1 codes part wanted, $2 the text in lower case, $3 code cursor,
 * $4 the folded text, $5 $7 name cursor (folded name, code), $6 limit + 1,
 * $8 the tsquery of the text's words, $9 the part the cursor is in
 * ("c" codes or none, "n" name prefix, "w" words), $10 units of the scope
 * (scoped only); the first argument is the scope's WITH (or empty), the
 * second the scope filter of the codes part, the third and fourth the
 * name parts' FROM and WHERE.
 */
static const char search_fmt[] =
	"%s SELECT r.ph, r.sk, r.code, r.full_name, r.category, r.position, r.status,"
	" r.unit_id, u.code, u.name FROM ("
	"(SELECT 0 AS ph, lower(o.code) AS sk, " SEARCH_PICK " FROM officials o"
	CODES_WHERE " %s"
	" ORDER BY lower(o.code) COLLATE \"C\", o.code COLLATE \"C\" LIMIT $6::int)"
	" UNION ALL"
	" (SELECT 1, o.name_key, " SEARCH_PICK " %s" NAME_ORDER ")"
	" UNION ALL"
	" (SELECT 2, o.name_key, " SEARCH_PICK " %s" NAME_ORDER ")"
	") r JOIN units u ON u.id = r.unit_id"
	" ORDER BY r.ph, r.sk COLLATE \"C\", r.code COLLATE \"C\" LIMIT $6::int";

/* the name prefix part over all units: one range of officials_name_search */
#define NAMES_ALL(where) "FROM officials o WHERE" where
/*
 * The words part over all units. A page is the first matches in name
 * order. Reading the names in that order (officials_name_search) and
 * keeping those whose words match is fast when the words are common but
 * reads the whole index when they are rare; the GIN index
 * officials_name_words is the converse (every match is read, then
 * sorted). The planner cannot tell the two apart (prefix terms over a few
 * hundred distinct name words get a fixed estimate), so the query does,
 * in three steps whose conditions are InitPlans (a step not needed is not
 * run): the probe reads at most WORDS_WINDOW names in order, and if that
 * gives a full page (limit + 1) it is the page; else the GIN index reads
 * at most WORDS_CAP + 1 matches, and if there are no more than WORDS_CAP
 * they are all the matches, sorted; else the words are common and the
 * names are read in order until a page is full.
 */
#define WORDS_WINDOW "5000"
#define WORDS_CAP "100000"
/* the words part is not read when the codes and the name prefix fill the page */
#define WORDS_NEEDED " (SELECT n FROM head) < $6::int"
#define WORDS_PROBE                                                                  \
	"WITH head AS MATERIALIZED (SELECT"                                          \
	" (SELECT count(*) FROM (SELECT 1 FROM officials o" CODES_WHERE             \
	"  LIMIT $6::int) c) + (SELECT count(*) FROM (SELECT 1 " NAMES_ALL(PREFIX_WHERE) \
	"  LIMIT $6::int) p) AS n),"                                                 \
	" probe AS MATERIALIZED (SELECT o.* FROM (SELECT o.* FROM officials o"      \
	" WHERE" WORDS_NEEDED NAME_AFTER("w")                                       \
	" ORDER BY o.name_key COLLATE \"C\", o.code COLLATE \"C\" LIMIT " WORDS_WINDOW ") o" \
	" WHERE" WORDS_WHERE(WORDS_SCAN) NAME_ORDER "),"                             \
	" gin AS MATERIALIZED (SELECT o.* FROM officials o"                         \
	" WHERE" WORDS_NEEDED " AND (SELECT count(*) FROM probe) < $6::int AND"     \
	WORDS_WHERE(WORDS_GIN)                                                       \
	" LIMIT " WORDS_CAP " + 1) "
#define WORDS_ALL                                                                     \
	"FROM (SELECT * FROM probe WHERE (SELECT count(*) FROM probe) >= $6::int"    \
	" UNION ALL SELECT * FROM gin WHERE (SELECT count(*) FROM gin) <= " WORDS_CAP \
	" UNION ALL SELECT * FROM (SELECT o.* FROM officials o"                      \
	"  WHERE (SELECT count(*) FROM gin) > " WORDS_CAP " AND" WORDS_WHERE(WORDS_SCAN) \
	NAME_ORDER ") t) o"

/* a name part of a scope: per unit, its officials in name order
 * (officials_unit_name_search) */
#define NAMES_SCOPED(where)                                                  \
	"FROM scope s CROSS JOIN LATERAL (SELECT o.* FROM officials o"      \
	" WHERE o.unit_id = s.id AND" where NAME_ORDER ") o"

void
api_officials_search(struct vhd_request *req, const struct vhd_params *p,
		     struct vhd_response *resp)
{
	const char *q = NULL, *unit = NULL, *after = NULL, *after_code = NULL;
	const char *code_cursor = NULL, *name_key = NULL, *name_code = NULL, *scope_units;
	long long limit = 20;
	char lim[24], *units = NULL, *sql = NULL, *lq = NULL, *one = NULL;
	bool scoped, codes;
	struct vhd_in in = { .req = req, .resp = resp };
	PGconn *conn = NULL;
	PGresult *pre = NULL, *ures = NULL, *res = NULL;
	json_t *items;
	int n;

	(void)p;
	if (!vhd_auth_role(req, resp, VHD_OP_OFFICIAL_READ))
		return;
	if (vhd_query_str(&in, "q", 200, &q) == 0)
		vhd_in_fail(&in, "q", "query parameter 'q' (a name or code to search for) is required");
	vhd_query_code(&in, "unit", &unit);
	vhd_query_int(&in, "limit", 1, 100, &limit);
	vhd_query_str(&in, "after", 80, &after);
	if (in.failed)
		goto out;
	/* the cursor is the "next" of the previous page: part and last code */
	if (after) {
		after_code = after + 2;
		if (after[0] == '\0' || strchr("cnw", after[0]) == NULL || after[1] != ':' ||
		    !vhd_is_code(after_code)) {
			vhd_in_fail(&in, "after", "'after' must be the 'next' of a previous page");
			goto out;
		}
	}
	if ((conn = vhd_conn(resp)) == NULL)
		goto out;
	/* the folded text, the cursor's folded name, the words' tsquery */
	pre = vhd_qrows(conn, resp,
			"SELECT name_fold($1::text),"
			" (SELECT name_key FROM officials WHERE code = $2::text),"
			" name_query($1::text)",
			2, (const char *[]){ q, after_code }, 3);
	if (pre == NULL)
		goto out;
	if (PQgetvalue(pre, 0, 0)[0] == '\0') {
		vhd_in_fail(&in, "q", "query parameter 'q' has no letter or digit to search for");
		goto out;
	}
	if (after && PQgetisnull(pre, 0, 1)) {
		vhd_in_fail(&in, "after", "'after' must be the 'next' of a previous page");
		goto out;
	}
	if (after && after[0] == 'c') {
		code_cursor = after_code;
	} else if (after) {
		name_key = PQgetvalue(pre, 0, 1);
		name_code = after_code;
	}
	/* codes have no space nor letter outside ASCII: a name is not looked for there */
	codes = vhd_is_code(q) && (after == NULL || after[0] == 'c');
	if (codes && (lq = vh_strdup(q)) != NULL)
		for (char *c = lq; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	if (unit) {
		ures = vhd_qrows(conn, resp, "SELECT id FROM units WHERE code = $1", 1,
				 (const char *[]){ unit }, 1);
		if (ures == NULL)
			goto out;
		if (PQntuples(ures) != 1) {
			vhd_reply_error(resp, VHCV_ENOTFOUND, "unit", "no unit %s", unit);
			goto out;
		}
		if (vhd_auth_unit(conn, req, resp, PQgetvalue(ures, 0, 0), VHD_OP_OFFICIAL_READ) != 1)
			goto out;
		if ((one = vh_asprintf("{\"%s\"}", unit)) == NULL)
			goto nomem;
		scope_units = one;
	} else {
		if ((units = vhd_auth_units_array(req)) == NULL)
			goto nomem;
		scope_units = units;
	}
	scoped = unit != NULL || !vhd_auth_all_units(req);
	/* unit=: that unit and the units below or merged into them, as the
	 * unit filter of the case list (the caller may read it: checked above);
	 * else the identity's units as on the register's day */
	sql = vh_asprintf(search_fmt,
			  unit ? "WITH RECURSIVE scope(id) AS ("
				 " SELECT id FROM units WHERE code = ANY($10::text[])"
				 " UNION SELECT u.id FROM units u JOIN scope s"
				 "  ON u.parent_id = s.id OR u.merged_into = s.id) "
			  : scoped ? VHD_SQL_UNITS_DOWN("$10") : WORDS_PROBE,
			  scoped ? "AND o.unit_id IN (SELECT id FROM scope)" : "",
			  scoped ? NAMES_SCOPED(PREFIX_WHERE) : NAMES_ALL(PREFIX_WHERE),
			  scoped ? NAMES_SCOPED(WORDS_WHERE(WORDS_SCAN)) : WORDS_ALL);
	if (sql == NULL || (codes && lq == NULL))
		goto nomem;
	snprintf(lim, sizeof(lim), "%lld", limit + 1);
	res = vhd_qrows(conn, resp, sql, scoped ? 10 : 9,
			(const char *[]){ codes ? "t" : "f", codes ? lq : "", code_cursor,
					  PQgetvalue(pre, 0, 0), name_key, lim, name_code,
					  PQgetisnull(pre, 0, 2) ? NULL : PQgetvalue(pre, 0, 2),
					  after ? (const char[]){ after[0], '\0' } : "c",
					  scope_units },
			S_NCOLS);
	if (res == NULL)
		goto out;
	if ((items = json_array()) == NULL)
		goto nomem;
	n = PQntuples(res);
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items,
			json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				  "code", vhd_jval(res, i, S_CODE),
				  "full_name", vhd_jval(res, i, S_NAME),
				  "category", vhd_jval(res, i, S_CAT),
				  "position", vhd_jval(res, i, S_POS),
				  "status", vhd_jval(res, i, S_STATUS),
				  "unit", vhd_jval(res, i, S_UCODE),
				  "unit_name", vhd_jval(res, i, S_UNAME)));
	if (n > limit) {
		char *next = vh_asprintf("%c:%s", "cnw"[PQgetvalue(res, (int)limit - 1, S_PH)[0] - '0'],
					 PQgetvalue(res, (int)limit - 1, S_CODE));
		if (next == NULL) {
			json_decref(items);
			goto nomem;
		}
		vhd_reply_json(resp, 200, json_pack("{s:o, s:s}", "items", items, "next", next));
		free(next);
	} else {
		vhd_reply_json(resp, 200, json_pack("{s:o, s:n}", "items", items, "next"));
	}
	goto out;
nomem:
	vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
out:
	PQclear(pre);
	PQclear(ures);
	PQclear(res);
	vhd_conn_put(conn);
	free(units);
	free(one);
	free(sql);
	free(lq);
	vhd_in_close(&in);
}
