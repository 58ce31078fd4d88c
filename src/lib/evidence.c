/* Evidence: PUT and GET /v1/cases/{case}/evidence/{name}. */
#include <ctype.h>
#include <stdlib.h>

#include "client_int.h"

static const struct vhcv__field evidence_fields[] = {
	VHCV__F(vhcv_evidence, REQ, "name", name),
	VHCV__F(vhcv_evidence, STR, "media_type", media_type),
	VHCV__F(vhcv_evidence, I64, "size", size),
	VHCV__F(vhcv_evidence, STR, "sha256", sha256),
	VHCV__F(vhcv_evidence, STR, "added_by", added_by),
	VHCV__F(vhcv_evidence, STR, "added_at", added_at),
};
const struct vhcv__shape vhcv__evidence_shape = VHCV__SHAPE(vhcv_evidence, evidence_fields);

VHCV_EXTERN void
vhcv_evidence_free(vhcv_evidence *e)
{
	vhcv__shape_free(e, &vhcv__evidence_shape);
}

static char *
evidence_path(const char *case_number, const char *name)
{
	struct vhcv__path p = { 0 };

	vhcv__path_lit(&p, "/v1/cases");
	vhcv__path_seg(&p, case_number);
	vhcv__path_lit(&p, "/evidence");
	vhcv__path_seg(&p, name);
	return vhcv__path_done(&p);
}

static bool
media_type_ok(const char *s)
{
	/* it becomes a header line: no control characters */
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

VHCV_EXTERN int
vhcv_evidence_add(vhcv_evidence **out, vhcv_client *c, const char *case_number,
		  const char *name, const char *media_type, const void *data, size_t size)
{
	struct vhcv__conv cv = { 0 };
	struct vhcv__resp resp = { 0 };
	json_t *answer = NULL;
	vhcv_evidence *e = NULL;
	char *path = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	if ((r = vhcv__need(c, case_number, "case")) < 0 || (r = vhcv__need(c, name, "name")) < 0)
		return r;
	if (!vh_utf8_valid(name, strlen(name)))
		return vhcv__fail(c, VHCV_EINVALID, "name", "name: not valid UTF-8");
	if (data == NULL && size > 0)
		return vhcv__fail(c, VHCV_EINVALID, "data", "data is NULL");
	if (media_type == NULL || *media_type == '\0')
		media_type = "application/octet-stream";
	if (!media_type_ok(media_type))
		return vhcv__fail(c, VHCV_EINVALID, "media_type", "media type has control characters");
	if ((path = evidence_path(case_number, name)) == NULL)
		return vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	/* not resent on its own: a second PUT could meet the first one's file */
	r = vhcv__http(c, "PUT", path, data ? data : "", size, media_type, false, &resp);
	if (r < 0)
		goto out;
	if (resp.status < 200 || resp.status >= 300) {
		r = vhcv__http_error(c, &resp);
		goto out;
	}
	if ((answer = json_loadb(resp.body ? resp.body : "", resp.len, 0, NULL)) == NULL) {
		r = vhcv__fail(c, VHCV_EPROTOCOL, NULL, "vhcvd sent invalid JSON");
		goto out;
	}
	if (out == NULL)
		goto out;
	e = vhcv__shape_from(&cv, answer, &vhcv__evidence_shape);
	if ((r = vhcv__conv_end(c, &cv)) < 0) {
		vhcv_evidence_free(e);
		goto out;
	}
	*out = e;
out:
	json_decref(answer);
	vhcv__resp_clear(&resp);
	free(path);
	return r;
}

VHCV_EXTERN int
vhcv_evidence_get(vhcv_evidence_data **out, vhcv_client *c, const char *case_number,
		  const char *name)
{
	struct vhcv__resp resp = { 0 };
	vhcv_evidence_data *d = NULL;
	char hex[VH_SHA256_HEX];
	char *path = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	*out = NULL;
	if ((r = vhcv__need(c, case_number, "case")) < 0 || (r = vhcv__need(c, name, "name")) < 0)
		return r;
	if (!vh_utf8_valid(case_number, strlen(case_number)) || !vh_utf8_valid(name, strlen(name)))
		return vhcv__fail(c, VHCV_EINVALID, "name", "case or name: not valid UTF-8");
	if ((path = evidence_path(case_number, name)) == NULL)
		return vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
	if ((r = vhcv__http(c, "GET", path, NULL, 0, NULL, true, &resp)) < 0)
		goto out;
	if (resp.status < 200 || resp.status >= 300) {
		r = vhcv__http_error(c, &resp);
		goto out;
	}
	if (vh_sha256_hex(hex, resp.body ? resp.body : "", resp.len) < 0) {
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "cannot hash the evidence");
		goto out;
	}
	if (resp.sha256 == NULL) {
		r = vhcv__fail(c, VHCV_EPROTOCOL, NULL, "vhcvd sent evidence without X-Content-SHA256");
		goto out;
	}
	for (char *q = resp.sha256; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	if (strcmp(hex, resp.sha256) != 0) {
		r = vhcv__fail(c, VHCV_EPROTOCOL, NULL,
			       "evidence %s: SHA-256 of the bytes is %s, vhcvd says %s", name, hex,
			       resp.sha256);
		goto out;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* the body buffer is NUL-terminated already; hand it over */
	d->data = (unsigned char *)(resp.body ? resp.body : calloc(1, 1));
	d->size = resp.len;
	d->sha256 = resp.sha256;
	d->media_type = resp.content_type ? resp.content_type
					  : vh_strdup("application/octet-stream");
	resp.body = resp.sha256 = resp.content_type = NULL;
	d->json = NULL;
	if (d->data != NULL && d->media_type != NULL) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s}", "case", case_number, "name",
				      name, "media_type", d->media_type, "size",
				      (json_int_t)d->size, "sha256", d->sha256);
		/* the media type is the daemon's header: it may not be UTF-8 */
		if (j == NULL)
			j = json_pack("{s:s, s:s, s:n, s:I, s:s}", "case", case_number, "name",
				      name, "media_type", "size", (json_int_t)d->size, "sha256",
				      d->sha256);
		d->json = j ? json_dumps(j, 0) : NULL;
		json_decref(j);
	}
	if (d->data == NULL || d->media_type == NULL || d->json == NULL) {
		vhcv_evidence_data_free(d);
		r = vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
		goto out;
	}
	*out = d;
	r = 0;
out:
	vhcv__resp_clear(&resp);
	free(path);
	return r;
}

VHCV_EXTERN void
vhcv_evidence_data_free(vhcv_evidence_data *d)
{
	if (d == NULL)
		return;
	free(d->json);
	free(d->media_type);
	free(d->sha256);
	free(d->data);
	free(d);
}
