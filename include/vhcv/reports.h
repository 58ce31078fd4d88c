/**
 * @file vhcv/reports.h
 * @brief What heads of units, HR and the province read (libvhcv 1.1):
 * the official's record, eligibility, deadlines, statistics, early
 * warnings, CSV exports, subject access, bulk sync and the change feed.
 *
 * These answers are JSON documents (docs/api.md describes each), handed
 * over as text so that the documents can grow without a new ABI. Free
 * them with vhcv_string_free().
 */
#ifndef VHCV_REPORTS_H
#define VHCV_REPORTS_H

#include <stddef.h>

#include "cases.h"
#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Free a JSON text returned by this header's functions; accepts NULL. */
VHCV_EXTERN void vhcv_string_free(char *s);

/**
 * The official's record as on a day (GET /v1/officials/{code}/record):
 * decisions judged as on that day, sanctions in effect, career freeze,
 * annual assessments, cases and the open ones (a count and a first page).
 *
 * @param json receives the JSON document (vhcv_string_free())
 * @param on YYYY-MM-DD, or NULL for today
 * @return 0, VHCV_ENOTFOUND, VHCV_EFORBIDDEN, or another code
 */
VHCV_EXTERN int vhcv_official_record(char **json, vhcv_client *client, const char *code,
				     const char *on);

/** Everything held about one official (GET /v1/officials/{code}/export). */
VHCV_EXTERN int vhcv_official_export(char **json, vhcv_client *client, const char *code);

/**
 * Commendation eligibility of a year (GET /v1/eligibility), one page.
 *
 * @param unit a unit code (it and the units below), or NULL for the
 *        identity's units
 * @param after the "next" of the previous page, or NULL
 * @param limit 1..1000 per page; 0: the daemon's default (100)
 */
VHCV_EXTERN int vhcv_eligibility(char **json, vhcv_client *client, int year, const char *unit,
				 const char *after, int limit);

/**
 * Statistics (GET /v1/stats). NULL arguments take the daemon's defaults.
 *
 * @param by "rule", "group", "unit", "month", "source", "form" or NULL
 * @param public_figures 1: anonymised, counts under 5 shown as "<5"
 */
VHCV_EXTERN int vhcv_stats(char **json, vhcv_client *client, const char *from, const char *to,
			   const char *unit, const char *by, int public_figures);

/** Early warnings (GET /v1/warnings), within unit or the identity's units. */
VHCV_EXTERN int vhcv_warnings(char **json, vhcv_client *client, const char *unit);

/**
 * Cases by deadline (GET /v1/cases with due_within, limitation_within):
 * as vhcv_case_list(), plus running cases due within @p due_within days
 * and open cases within @p limitation_within days of their limitation
 * date; a negative number does not filter.
 */
VHCV_EXTERN int vhcv_case_list_due(vhcv_case_page **out, vhcv_client *client,
				   const vhcv_case_filter *filter, int due_within,
				   int limitation_within);

/** Receives the bytes of a CSV export as they arrive; returns len to go on. */
typedef size_t (*vhcv_write_fn)(const void *buf, size_t len, void *arg);

/**
 * A CSV export (GET /v1/export/{what}), streamed to @p write: RFC 4180,
 * UTF-8 with a byte-order mark, one header row.
 *
 * @param what "cases", "decisions" or "eligibility"
 * @param year the year, for eligibility (0 otherwise)
 * @return 0, or a code; an error answer is not written to @p write
 */
VHCV_EXTERN int vhcv_export(vhcv_client *client, const char *what, const char *from,
			    const char *to, const char *unit, int year, vhcv_write_fn write,
			    void *arg);

/**
 * Bulk sync of officials (PUT /v1/officials): @p body is a JSON array or
 * NDJSON of officials; @p batch rows per transaction (0: 1000). The answer
 * has a result per row; a bad row rejects its batch.
 */
VHCV_EXTERN int vhcv_officials_sync(char **json, vhcv_client *client, const char *body,
				    size_t len, int batch);

/**
 * The change feed (GET /v1/changes): the events after @p after (NULL or
 * "0": from the start), waiting up to @p wait_s seconds (0-60) for one
 * when there is none. Resume with the answer's "next".
 */
VHCV_EXTERN int vhcv_changes(char **json, vhcv_client *client, const char *after, int wait_s,
			     int limit);

/**
 * Officials found by the beginning of their name or code (GET /v1/officials,
 * libvhcv 1.3): among the officials of the identity's units (and below),
 * or of @p unit and below, those whose code begins with @p q (any case),
 * then those whose name begins with @p q compared without diacritics, case
 * or Unicode form ("nguyen van an" finds "Nguyễn Văn An"). One page:
 * {"items": [{"code", "full_name", "category", "position", "status",
 * "unit", "unit_name"}], "next": text or null}.
 *
 * @param json receives the JSON document, owned by the caller
 *        (vhcv_string_free()); NULL on error
 * @param q the text, 1..200 bytes of UTF-8 with a letter or digit; required
 * @param unit a unit code (it and the units below), or NULL for the
 *        identity's units
 * @param after the "next" of the previous page, or NULL for the first
 * @param limit 1..100 officials per page; 0: the daemon's default (20)
 * @return 0; VHCV_EINVALID naming the field ("q", "unit", "after",
 *         "limit"); VHCV_ENOTFOUND for an unknown unit; VHCV_EFORBIDDEN
 *         for a unit outside the identity's units or a role that may not
 *         read officials; another code of vhcv/errors.h
 */
VHCV_EXTERN int vhcv_official_search(char **json, vhcv_client *client, const char *q,
				     const char *unit, const char *after, int limit);

#ifdef __cplusplus
}
#endif

#endif
