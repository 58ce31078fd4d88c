/* The one table of error codes: library strings, JSON ids, HTTP statuses. */
#include "common.h"

static const struct vh_errcode errcodes[] = {
	{ VHCV_OK, "ok", 200, "success" },
	{ VHCV_ERROR, "error", 500, "internal error" },
	{ VHCV_EINVALID, "invalid", 400, "invalid input" },
	{ VHCV_ENOTFOUND, "not_found", 404, "not found" },
	{ VHCV_EFORBIDDEN, "forbidden", 403, "forbidden" },
	{ VHCV_EUNAUTHORIZED, "unauthorized", 401, "not authenticated" },
	{ VHCV_ECONFLICT, "conflict", 409, "conflict with the current state" },
	{ VHCV_EREFUSED, "refused", 422, "refused by the law" },
	{ VHCV_ETOOLARGE, "too_large", 413, "request too large" },
	{ VHCV_EUNAVAILABLE, "unavailable", 503, "service unavailable, retry later" },
	{ VHCV_ENOMEM, "no_memory", 500, "out of memory" },
	{ VHCV_ETIMEOUT, "timeout", 504, "timed out" },
	{ VHCV_EPROTOCOL, "protocol", 502, "malformed answer from the peer" },
};

const struct vh_errcode *
vh_errcode_get(int code)
{
	for (size_t i = 0; i < sizeof(errcodes) / sizeof(errcodes[0]); i++)
		if (errcodes[i].code == code)
			return &errcodes[i];
	return NULL;
}

const struct vh_errcode *
vh_errcode_by_id(const char *id)
{
	for (size_t i = 0; id && i < sizeof(errcodes) / sizeof(errcodes[0]); i++)
		if (strcmp(errcodes[i].id, id) == 0)
			return &errcodes[i];
	return NULL;
}

int
vh_errcode_from_http(int status)
{
	for (size_t i = 1; i < sizeof(errcodes) / sizeof(errcodes[0]); i++)
		if (errcodes[i].http == status)
			return errcodes[i].code;
	return status >= 500 ? VHCV_ERROR : VHCV_EINVALID;
}
