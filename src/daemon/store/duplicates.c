#include <stdio.h>

#include "dbq.h"
#include "duplicates.h"

int
vhd_dup_sanctioned(PGconn *conn, struct vhd_response *resp, const char *case_id,
		   char other[40])
{
	PGresult *res = vhd_qprep(
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
