#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_in.h"
#include "text.h"

void
vhd_in_fail(struct vhd_in *in, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (in->failed)
		return;
	in->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vhd_reply_error(in->resp, VHCV_EINVALID, field, "%s", msg);
}

int
vhd_in_open(struct vhd_in *in, struct vhd_request *req, struct vhd_response *resp,
	    const char *const *known)
{
	json_error_t err;
	const char *key;
	json_t *v;

	memset(in, 0, sizeof(*in));
	in->req = req;
	in->resp = resp;
	if (req->body_len == 0) {
		in->obj = json_object();
		return 0;
	}
	if (!vh_utf8_valid(req->body, req->body_len)) {
		vhd_in_fail(in, NULL, "the body is not valid UTF-8 (byte %zu)",
			    vh_utf8_prefix(req->body, req->body_len));
		return -1;
	}
	/* jansson refuses invalid UTF-8 and \u0000 itself too */
	in->obj = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (in->obj == NULL) {
		vhd_in_fail(in, NULL, "malformed JSON at line %d, column %d: %s",
			    err.line, err.column, err.text);
		return -1;
	}
	if (!json_is_object(in->obj)) {
		vhd_in_fail(in, NULL, "the body must be a JSON object");
		return -1;
	}
	/* one text, one form: every string in NFC before anyone reads or
	 * hashes it (equality, unique keys and idempotency follow) */
	if (vhd_json_nfc(in->obj) < 0) {
		in->failed = true;
		vhd_reply_error(resp, VHCV_ERROR, NULL, "out of memory");
		return -1;
	}
	json_object_foreach(in->obj, key, v) {
		bool ok = false;
		for (const char *const *k = known; k && *k && !ok; k++)
			ok = strcmp(*k, key) == 0;
		if (!ok) {
			vhd_in_fail(in, key, "unknown field '%s'", key);
			return -1;
		}
	}
	return 0;
}

void
vhd_in_close(struct vhd_in *in)
{
	json_decref(in->obj);
	json_decref(in->held);
	in->obj = NULL;
	in->held = NULL;
}

static json_t *
in_get(struct vhd_in *in, const char *key, bool required)
{
	json_t *v;

	if (in->failed)
		return NULL;
	v = json_object_get(in->obj, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			vhd_in_fail(in, key, "'%s' is required", key);
		return NULL;
	}
	return v;
}

/* text fields may hold newlines and tabs, but no other control characters */
static bool
clean_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

int
vhd_in_str(struct vhd_in *in, const char *key, bool required, size_t maxlen,
	   const char **out)
{
	json_t *v = in_get(in, key, required);
	size_t len;

	if (v == NULL)
		return in->failed ? -1 : 0;
	if (!json_is_string(v)) {
		vhd_in_fail(in, key, "'%s' must be a string", key);
		return -1;
	}
	len = json_string_length(v);
	if (len == 0 || len > maxlen) {
		vhd_in_fail(in, key, "'%s' must be 1 to %zu bytes long", key, maxlen);
		return -1;
	}
	if (!clean_text(json_string_value(v))) {
		vhd_in_fail(in, key, "'%s' holds control characters", key);
		return -1;
	}
	if (json_string_value(v)[strspn(json_string_value(v), " \t\r\n")] == '\0') {
		vhd_in_fail(in, key, "'%s' is only white space", key);
		return -1;
	}
	*out = json_string_value(v);
	return 1;
}

bool
vhd_is_code(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-' ||
		      s[n] == '.'))
			return false;
	return n >= 1 && n <= 64;
}

int
vhd_in_code(struct vhd_in *in, const char *key, bool required, const char **out)
{
	const char *s = NULL;
	int r = vhd_in_str(in, key, required, 64, &s);

	if (r <= 0)
		return r;
	if (!vhd_is_code(s)) {
		vhd_in_fail(in, key, "'%s' must be a code of ASCII letters, digits, '_', '-' or '.'",
			    key);
		return -1;
	}
	*out = s;
	return 1;
}

int
vhd_in_date(struct vhd_in *in, const char *key, bool required, vh_date *out)
{
	const char *s = NULL;
	int r = vhd_in_str(in, key, required, 10, &s);

	if (r <= 0)
		return r;
	if (vh_date_parse(out, s) < 0) {
		int y, m, d;
		char end;
		/* the right form but not a day of the calendar: say so */
		if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
		    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 && y >= VH_DATE_MIN_YEAR) {
			if (m < 1 || m > 12)
				vhd_in_fail(in, key, "'%s': no month %02d in %s", key, m, s);
			else
				vhd_in_fail(in, key, "'%s': no such day %s (%04d-%02d has %d days)",
					    key, s, y, m, vh_date_days_in_month(y, m));
			return -1;
		}
		vhd_in_fail(in, key, "'%s' is not a date YYYY-MM-DD: %s", key, s);
		return -1;
	}
	if (!vh_date_in_window(*out)) {
		char last[VH_DATE_STRLEN];
		vh_date_format(last, vh_date_window_last());
		vhd_in_fail(in, key, "'%s' is outside the dates the register accepts"
			    " (%d-01-01 to %s): %s", key, VH_DATE_MIN_YEAR, last, s);
		return -1;
	}
	return 1;
}

int
vhd_in_bool(struct vhd_in *in, const char *key, bool required, bool *out)
{
	json_t *v = in_get(in, key, required);

	if (v == NULL)
		return in->failed ? -1 : 0;
	if (!json_is_boolean(v)) {
		vhd_in_fail(in, key, "'%s' must be true or false", key);
		return -1;
	}
	*out = json_is_true(v);
	return 1;
}

int
vhd_in_enum(struct vhd_in *in, const char *key, bool required,
	    const char *const *allowed, const char **out)
{
	const char *s = NULL;
	char list[256] = "";
	int r = vhd_in_str(in, key, required, 64, &s);

	if (r <= 0)
		return r;
	for (const char *const *a = allowed; *a; a++) {
		if (strcmp(*a, s) == 0) {
			*out = *a;
			return 1;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 a == allowed ? "" : ", ", *a);
	}
	vhd_in_fail(in, key, "'%s' must be one of %s", key, list);
	return -1;
}

int
vhd_in_codes(struct vhd_in *in, const char *key, bool required, size_t min,
	     size_t max, json_t **out)
{
	json_t *v = in_get(in, key, required), *e;
	size_t i;

	if (v == NULL)
		return in->failed ? -1 : 0;
	if (!json_is_array(v) || json_array_size(v) < min || json_array_size(v) > max) {
		vhd_in_fail(in, key, "'%s' must be a list of %zu to %zu codes", key, min, max);
		return -1;
	}
	json_array_foreach(v, i, e)
		if (!json_is_string(e) || !vhd_is_code(json_string_value(e))) {
			vhd_in_fail(in, key, "'%s' item %zu is not a code", key, i + 1);
			return -1;
		}
	*out = v;
	return 1;
}

int
vhd_query_str(struct vhd_in *in, const char *key, size_t maxlen, const char **out)
{
	const char *s;

	if (in->failed)
		return -1;
	if ((s = vhd_query(in->req, key)) == NULL)
		return 0;
	if (*s == '\0' || strlen(s) > maxlen || !vh_utf8_valid(s, strlen(s)) ||
	    !clean_text(s)) {
		vhd_in_fail(in, key, "query parameter '%s' is empty, too long or not UTF-8 text",
			    key);
		return -1;
	}
	/* in NFC, like the body; held until vhd_in_close */
	if ((in->held == NULL && (in->held = json_array()) == NULL) ||
	    json_array_append_new(in->held, json_string(s)) < 0 ||
	    vhd_json_nfc(json_array_get(in->held, json_array_size(in->held) - 1)) < 0) {
		in->failed = true;
		vhd_reply_error(in->resp, VHCV_ERROR, NULL, "out of memory");
		return -1;
	}
	*out = json_string_value(json_array_get(in->held, json_array_size(in->held) - 1));
	return 1;
}

int
vhd_query_code(struct vhd_in *in, const char *key, const char **out)
{
	const char *s = NULL;
	int r = vhd_query_str(in, key, 64, &s);

	if (r <= 0)
		return r;
	if (!vhd_is_code(s)) {
		vhd_in_fail(in, key, "query parameter '%s' is not a code", key);
		return -1;
	}
	*out = s;
	return 1;
}

int
vhd_query_date(struct vhd_in *in, const char *key, vh_date *out)
{
	const char *s = NULL;
	int r = vhd_query_str(in, key, 10, &s);

	if (r <= 0)
		return r;
	if (vh_date_parse(out, s) < 0) {
		vhd_in_fail(in, key, "query parameter '%s' is not a date YYYY-MM-DD: %s", key, s);
		return -1;
	}
	return 1;
}

int
vhd_query_int(struct vhd_in *in, const char *key, long long min, long long max,
	      long long *out)
{
	const char *s = NULL;
	char *end;
	long long v;
	int r = vhd_query_str(in, key, 20, &s);

	if (r <= 0)
		return r;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < min || v > max) {
		vhd_in_fail(in, key, "query parameter '%s' must be an integer %lld..%lld",
			    key, min, max);
		return -1;
	}
	*out = v;
	return 1;
}

const char *
vhd_datestr(char buf[VH_DATE_STRLEN], vh_date d)
{
	vh_date_format(buf, d);
	return buf;
}

int
vhd_in_within_a_year(struct vhd_in *in, const char *key, vh_date d)
{
	char last[VH_DATE_STRLEN];
	vh_date limit = vh_date_add_years(vh_date_today(), 1);

	if (d == VH_DATE_NONE || d <= limit)
		return 0;
	vh_date_format(last, limit);
	vhd_in_fail(in, key, "'%s' is more than a year ahead (after %s): a record cannot be"
		    " held for a date that far", key, last);
	return -1;
}
