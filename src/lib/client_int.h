/* libvhcv internals: the client handle and the request helper. */
#ifndef VHCV_CLIENT_INT_H
#define VHCV_CLIENT_INT_H

#include <curl/curl.h>
#include <jansson.h>

#include "common.h"
#include "vhcv.h"

struct vhcv_client {
	CURL *curl;
	char *endpoint;
	char *unix_path;   /* for unix: endpoints */
	char *base_url;    /* "http://localhost" for unix sockets */
	char *token;
	char *ca_file;
	long connect_timeout_ms, timeout_ms;
	char errmsg[1024];
	char errfield[64];
};

/* set the message; returns code */
int vhcv__fail(vhcv_client *c, int code, const char *field, const char *fmt, ...)
	VH_PRINTF(4, 5);
void vhcv__ok(vhcv_client *c);

/*
 * One request: method and path ("/v1/..."), an optional JSON body (not
 * stolen). On success *out holds the parsed JSON answer (may be NULL when
 * out is NULL). Error answers become codes with the daemon's message.
 */
int vhcv__request(vhcv_client *c, const char *method, const char *path,
		  json_t *body, json_t **out);

#endif
