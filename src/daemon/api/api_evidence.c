/*
 * Evidence: raw bytes under a name on a case, with their SHA-256. The
 * upload is appended to the case's timeline in the same transaction, so
 * the hash chain vouches for the bytes; a download checks them again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "auth.h"
#include "cases.h"
#include "dbq.h"
#include "events.h"
#include "json_in.h"
#include "log.h"
#include "routes.h"

#define EVIDENCE_NAME_MAX 255
#define MEDIA_TYPE_MAX 255

/* a file name that is safe on every client: no path, no control chars */
static bool
name_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > EVIDENCE_NAME_MAX || !vh_utf8_valid(s, len) ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++) {
		const unsigned char *u = (const unsigned char *)s;
		if (*u < 0x20 || *u == 0x7f || *s == '/' || *s == '\\')
			return false;
		/* C1 controls, and the bidirectional controls that make a name
		 * read as another (U+061C, U+200E-F, U+202A-E, U+2066-9) */
		if ((u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) ||
		    (u[0] == 0xd8 && u[1] == 0x9c) ||
		    (u[0] == 0xe2 && u[1] == 0x80 &&
		     (u[2] == 0x8e || u[2] == 0x8f || (u[2] >= 0xaa && u[2] <= 0xae))) ||
		    (u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9))
			return false;
	}
	return true;
}

/*
 * The type evidence is served with: a few inert types as uploaded, all
 * else as bytes to save. With nosniff and as an attachment, a browser
 * never renders an upload as a page of this origin.
 */
static const char *
served_type(const char *media_type)
{
	static const char *const inert[] = { "application/pdf", "image/png", "image/jpeg",
					     "image/gif", "image/webp", "text/plain",
					     "text/csv", NULL };
	size_t n = strcspn(media_type, "; \t");

	for (size_t i = 0; inert[i]; i++)
		if (strlen(inert[i]) == n && strncasecmp(media_type, inert[i], n) == 0)
			return strncmp(inert[i], "text/", 5) == 0 && strcmp(inert[i], "text/csv")
				       ? "text/plain; charset=utf-8"
				       : inert[i];
	return "application/octet-stream";
}

/* Content-Disposition: attachment, the name as RFC 6266/5987 want it */
static char *
attachment(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(name) * 3 + 64), *o = out;

	if (out == NULL)
		return NULL;
	o += sprintf(o, "attachment; filename=\"evidence\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* type/subtype and parameters, printable ASCII */
static bool
media_type_ok(const char *s)
{
	size_t len = strlen(s);
	const char *slash = strchr(s, '/');

	if (len < 3 || len > MEDIA_TYPE_MAX || slash == NULL || slash == s || slash[1] == '\0')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

void
api_evidence_put(struct vhd_request *req, const struct vhd_params *p,
		 struct vhd_response *resp)
{
	const char *number = p->v[0], *name = p->v[1];
	const char *media_type = vhd_header(req, "Content-Type");
	char sha[VH_SHA256_HEX], size[24];
	struct vhd_case_ref ref;
	PGconn *conn = NULL;
	PGresult *dup = NULL, *ins = NULL;
	json_t *data = NULL, *j;

	if (!vhd_auth_role(req, resp, VHD_OP_CASE_NOTE))
		return;
	if (!name_ok(name)) {
		vhd_reply_error(resp, VHCV_EINVALID, "name",
				"an evidence name is 1 to %d bytes of UTF-8, not \".\" or \"..\""
				" alone, without '/', '\\', control characters or bidirectional"
				" controls (a '.' inside a name is fine)", EVIDENCE_NAME_MAX);
		return;
	}
	if (media_type == NULL || *media_type == '\0')
		media_type = "application/octet-stream";
	if (!media_type_ok(media_type)) {
		vhd_reply_error(resp, VHCV_EINVALID, "Content-Type",
				"the Content-Type is not a media type (type/subtype, ASCII)");
		return;
	}
	if (vh_sha256_hex(sha, req->body ? req->body : "", req->body_len) < 0) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		return;
	}
	snprintf(size, sizeof(size), "%zu", req->body_len);
	if ((conn = vhd_conn(resp)) == NULL)
		return;
	if (vhd_begin(conn, resp) < 0)
		goto out;
	/* the case row lock orders this event after any other of the case */
	if (vhd_case_open(conn, req, resp, number, VHD_OP_CASE_NOTE, true, &ref) < 0)
		goto out;
	dup = vhd_qrows(conn, resp, "SELECT 1 FROM evidence WHERE case_id = $1::bigint AND name = $2",
			2, (const char *[]){ ref.id, name }, 1);
	if (dup == NULL)
		goto out;
	if (PQntuples(dup) > 0) {
		vhd_reply_error(resp, VHCV_ECONFLICT, "name", "%s has evidence named %s already",
				ref.number, name);
		goto out;
	}
	ins = vhd_qx(conn, resp,
		       "INSERT INTO evidence (case_id, name, media_type, size, sha256, bytes, added_by)"
		       " VALUES ($1::bigint, $2, $3, $4::bigint, $5, $6::bytea, $7)"
		       " RETURNING name, media_type, size, sha256, added_by,"
		       " " VHD_SQL_TIME("added_at"),
		       7,
		       (const char *[]){ ref.id, name, media_type, size, sha,
					 req->body ? req->body : "", req->id.name },
		       (const int[]){ 0, 0, 0, 0, 0, (int)req->body_len, 0 },
		       (const int[]){ 0, 0, 0, 0, 0, 1, 0 }, 0);
	if (ins == NULL)
		goto out;
	data = json_pack("{s:s, s:s, s:I, s:s}", "name", name, "sha256", sha, "size",
			 (json_int_t)req->body_len, "media_type", media_type);
	if (data == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (vhd_event_append(conn, resp, ref.id, "evidence", req->id.name, data) < 0)
		goto out;
	j = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
		      "name", vhd_jval(ins, 0, 0),
		      "media_type", vhd_jval(ins, 0, 1),
		      "size", vhd_jint(ins, 0, 2),
		      "sha256", vhd_jval(ins, 0, 3),
		      "added_by", vhd_jval(ins, 0, 4),
		      "added_at", vhd_jval(ins, 0, 5));
	if (j == NULL) {
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	vhd_reply_json(resp, 201, j);
	vhd_commit(conn, resp);
out:
	vhd_rollback(conn);
	vhd_conn_put(conn);
	json_decref(data);
	PQclear(dup);
	PQclear(ins);
}

void
api_evidence_get(struct vhd_request *req, const struct vhd_params *p,
		 struct vhd_response *resp)
{
	const char *number = p->v[0], *name = p->v[1];
	char sha[VH_SHA256_HEX];
	struct vhd_case_ref ref;
	PGconn *conn = NULL;
	PGresult *res = NULL;
	size_t len, mtlen;
	char *buf;

	if (!vhd_auth_role(req, resp, VHD_OP_CASE_READ))
		return;
	if ((conn = vhd_conn(resp)) == NULL)
		return;
	if (vhd_case_open(conn, req, resp, number, VHD_OP_CASE_READ, false, &ref) < 0)
		goto out;
	/* binary results: the bytes as they are, not as hex text */
	res = vhd_qx(conn, resp,
		       "SELECT v.media_type, v.sha256::text, v.bytes,"
		       " (SELECT e.data->>'sha256' FROM case_events e WHERE e.case_id = v.case_id"
		       "  AND e.kind = 'evidence' AND e.data->>'name' = v.name"
		       "  ORDER BY e.seq DESC LIMIT 1)"
		       " FROM evidence v WHERE v.case_id = $1::bigint AND v.name = $2",
		       2, (const char *[]){ ref.id, name }, NULL, NULL, 1);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		vhd_reply_error(resp, VHCV_ENOTFOUND, NULL, "%s has no evidence named %s",
				ref.number, name);
		goto out;
	}
	len = (size_t)PQgetlength(res, 0, 2);
	/* the bytes must be the ones the hashed event recorded, not merely
	 * match the row's own SHA-256 (which whoever replaced them can set) */
	if (vh_sha256_hex(sha, PQgetvalue(res, 0, 2), len) < 0 ||
	    strcmp(sha, PQgetvalue(res, 0, 1)) != 0 || vhd_val(res, 0, 3) == NULL ||
	    (size_t)PQgetlength(res, 0, 3) != strlen(sha) ||
	    memcmp(sha, PQgetvalue(res, 0, 3), strlen(sha)) != 0) {
		log_warnx("evidence name=%s case=%s does not match the SHA-256 its event recorded",
			  LOGQ(name), LOGQ(ref.number));
		vhd_reply_error(resp, VHCV_ERROR, NULL,
				"the stored evidence does not match the SHA-256 its event recorded");
		goto out;
	}
	/*
	 * content_type is borrowed until the reply is sent, after this
	 * handler: keep the media type behind the bytes in the buffer the
	 * reply owns (raw_len stops before it).
	 */
	mtlen = strlen(served_type(PQgetvalue(res, 0, 0)));
	if ((buf = malloc(len + mtlen + 1)) == NULL ||
	    (resp->hdr_value = vh_strdup(sha)) == NULL ||
	    (resp->attachment = attachment(name)) == NULL) {
		free(buf);
		vhd_reply_error(resp, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	memcpy(buf, PQgetvalue(res, 0, 2), len);
	memcpy(buf + len, served_type(PQgetvalue(res, 0, 0)), mtlen + 1);
	resp->status = 200;
	resp->raw = buf;
	resp->raw_len = len;
	resp->content_type = buf + len;
	resp->hdr_name = "X-Content-SHA256";
out:
	PQclear(res);
	vhd_conn_put(conn);
}
