/*
 * Strict reading of request bodies and query parameters: unknown fields,
 * wrong types, invalid UTF-8, impossible dates and over-long strings are
 * 400 with the field named. The first error sets the reply; later calls
 * do nothing, so handlers read every field and check once.
 */
#ifndef VHD_JSON_IN_H
#define VHD_JSON_IN_H

#include "date.h"
#include "http.h"

struct vhd_in {
	json_t *obj;                 /* the body, owned */
	json_t *held;                /* query values in NFC, owned */
	struct vhd_request *req;
	struct vhd_response *resp;
	bool failed;
};

/*
 * Parse the body as one JSON object whose keys are all in known
 * (NULL-terminated). An empty body is {}. 0 or -1 (reply set).
 */
int vhd_in_open(struct vhd_in *in, struct vhd_request *req,
		struct vhd_response *resp, const char *const *known);
void vhd_in_close(struct vhd_in *in);
/* set the error reply (400 invalid, field named) unless one is set */
void vhd_in_fail(struct vhd_in *in, const char *field, const char *fmt, ...)
	VH_PRINTF(3, 4);

/* Each reader: *out untouched when absent. 1 present, 0 absent, -1 error;
 * a missing required field is an error. Strings are borrowed from obj. */
int vhd_in_str(struct vhd_in *in, const char *key, bool required, size_t maxlen,
	       const char **out);
/* a code: ASCII letters, digits, '_', '-', '.', '/', 1..64 bytes */
int vhd_in_code(struct vhd_in *in, const char *key, bool required, const char **out);
int vhd_in_date(struct vhd_in *in, const char *key, bool required, vh_date *out);
int vhd_in_bool(struct vhd_in *in, const char *key, bool required, bool *out);
/* one of allowed (NULL-terminated) */
int vhd_in_enum(struct vhd_in *in, const char *key, bool required,
		const char *const *allowed, const char **out);
/* an array of codes, min..max long; *out borrowed */
int vhd_in_codes(struct vhd_in *in, const char *key, bool required, size_t min,
		 size_t max, json_t **out);

/* Query parameters, with the same rules (text in NFC); field named as the
 * parameter. A handler reading them ends with vhd_in_close. */
int vhd_query_str(struct vhd_in *in, const char *key, size_t maxlen, const char **out);
int vhd_query_code(struct vhd_in *in, const char *key, const char **out);
int vhd_query_date(struct vhd_in *in, const char *key, vh_date *out);
int vhd_query_int(struct vhd_in *in, const char *key, long long min, long long max,
		  long long *out);

bool vhd_is_code(const char *s);
/* "YYYY-MM-DD" into buf */
const char *vhd_datestr(char buf[VH_DATE_STRLEN], vh_date d);

/* a date at most a year from today (when a change takes effect): 0, or
 * -1 with the input failed naming key */
int vhd_in_within_a_year(struct vhd_in *in, const char *key, vh_date d);

#endif
