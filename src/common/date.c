#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "date.h"

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
vh_date_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool
vh_date_valid_ymd(int y, int m, int d)
{
	return y >= VH_DATE_MIN_YEAR && y <= VH_DATE_MAX_YEAR && m >= 1 &&
	       m <= 12 && d >= 1 && d <= vh_date_days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil */
vh_date
vh_date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (vh_date)(era * 146097 + doe - 719468);
}

void
vh_date_to_ymd(vh_date date, int *y, int *m, int *d)
{
	/* 64 bits: VH_DATE_NONE + 719468 would overflow an int */
	int64_t z = (int64_t)date + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = (int)(z - era * 146097);
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
vh_date_parse(vh_date *out, const char *s)
{
	int y, m, d;

	if (s == NULL || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if ((y = digits(s, 4)) < 0 || (m = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0 || !vh_date_valid_ymd(y, m, d))
		return -1;
	*out = vh_date_from_ymd(y, m, d);
	return 0;
}

void
vh_date_format(char buf[VH_DATE_STRLEN], vh_date date)
{
	int y, m, d;

	vh_date_to_ymd(date, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, VH_DATE_STRLEN, "invalid");
		return;
	}
	snprintf(buf, VH_DATE_STRLEN, "%04d-%02d-%02d", y, m, d);
}

vh_date
vh_date_add_months(vh_date date, int months)
{
	int y, m, d, total, dim;

	vh_date_to_ymd(date, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	dim = vh_date_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return vh_date_from_ymd(y, m, d);
}

vh_date
vh_date_add_years(vh_date date, int years)
{
	return vh_date_add_months(date, years * 12);
}

bool
vh_date_zone_valid(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	FILE *f;
	bool ok;

	if (zone == NULL || zone[0] == '\0' || zone[0] == '/' || strstr(zone, "..") ||
	    strlen(zone) > 100 || zone[strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						"abcdefghijklmnopqrstuvwxyz0123456789_+-/")])
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	if ((f = fopen(path, "rb")) == NULL)
		return false;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

int
vh_date_set_zone(const char *zone)
{
	if (!vh_date_zone_valid(zone) || setenv("TZ", zone, 1) < 0)
		return -1;
	tzset();
	return 0;
}

vh_date
vh_date_of_time(time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return VH_DATE_NONE;
	return vh_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

vh_date
vh_date_today(void)
{
	return vh_date_of_time(time(NULL));
}
