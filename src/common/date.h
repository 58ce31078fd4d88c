/*
 * Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian),
 * so that date arithmetic is integer arithmetic. Pure, no I/O.
 */
#ifndef VH_DATE_H
#define VH_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef int32_t vh_date;

#define VH_DATE_MIN_YEAR 1900
#define VH_DATE_MAX_YEAR 9999
/* a date that sorts after every real one: "open-ended" */
#define VH_DATE_NONE INT32_MAX
#define VH_DATE_STRLEN 11 /* "YYYY-MM-DD" and NUL */

bool vh_date_valid_ymd(int y, int m, int d);
int vh_date_days_in_month(int y, int m);
vh_date vh_date_from_ymd(int y, int m, int d);
void vh_date_to_ymd(vh_date date, int *y, int *m, int *d);
/* strict "YYYY-MM-DD", years 1900..9999, a day the month has: 0 or -1 */
int vh_date_parse(vh_date *out, const char *s);
/* buf receives "YYYY-MM-DD" */
void vh_date_format(char buf[VH_DATE_STRLEN], vh_date date);
/*
 * Add months; a period that ends on a day the month lacks ends on the
 * month's last day (31/01 + 1 month = 28/02 or 29/02).
 */
vh_date vh_date_add_months(vh_date date, int months);
vh_date vh_date_add_years(vh_date date, int years);
/*
 * The register's calendar. Its day is the day in one time zone (vhcvd.yaml
 * `timezone:`, default Asia/Ho_Chi_Minh), whatever the host's zone:
 * vh_date_set_zone makes it the process's zone (TZ) once at start, before
 * any thread, after which localtime_r is thread-safe. A zone is valid when
 * it names a TZif file under TZDIR or /usr/share/zoneinfo (glibc would
 * silently take an unknown name for UTC).
 */
#define VH_DATE_DEFAULT_ZONE "Asia/Ho_Chi_Minh"
bool vh_date_zone_valid(const char *zone);
int vh_date_set_zone(const char *zone);
/* the calendar day of a time, and of now, in the register's zone */
vh_date vh_date_of_time(time_t t);
vh_date vh_date_today(void);

#endif
