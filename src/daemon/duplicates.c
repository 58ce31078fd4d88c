#include <stdio.h>

#include "dbq.h"
#include "duplicates.h"

json_t *
vhd_dup_flag(PGconn *conn, struct vhd_response *resp, const char *case_id, const char *actor)
{
	PGresult *res = vhd_qrows(
		conn, resp,
		"WITH ins AS (INSERT INTO case_links (case_id, other_id, kind, actor)"
		" SELECT $1::bigint, o.id, 'probable_duplicate', $2 FROM cases o"
		" WHERE " VHD_SQL_SAME_ACT("$1") " ON CONFLICT DO NOTHING RETURNING other_id)"
		" SELECT c.number FROM ins JOIN cases c ON c.id = ins.other_id ORDER BY c.id",
		2, (const char *[]){ case_id, actor }, 1);
	json_t *out;

	if (res == NULL)
		return NULL;
	out = json_array();
	for (int i = 0; out && i < PQntuples(res); i++)
		json_array_append_new(out, json_string(PQgetvalue(res, i, 0)));
	PQclear(res);
	if (out == NULL)
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
	return out;
}

int
vhd_dup_sanctioned(PGconn *conn, struct vhd_response *resp, const char *case_id,
		   char other[40])
{
	PGresult *res = vhd_qrows(
		conn, resp,
		"SELECT o.number FROM cases o JOIN decisions d ON d.case_id = o.id"
		" WHERE " VHD_SQL_SAME_ACT("$1") " AND d.kind <> 'annulment'"
		" AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.supersedes_id = d.id)"
		" ORDER BY o.id LIMIT 1",
		1, (const char *[]){ case_id }, 1);

	if (res == NULL)
		return -1;
	snprintf(other, 40, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return 0;
}
