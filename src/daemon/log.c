/*
 * Log lines go to stderr, one line each, in logfmt-friendly form; under
 * systemd the journal adds the time. Lines are written with one write(2)
 * so that worker threads do not interleave.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static enum vhd_loglevel loglevel = VHD_LOG_INFO;

void
log_init(enum vhd_loglevel level)
{
	loglevel = level;
}

static void vlog(enum vhd_loglevel level, const char *errstr, const char *fmt, va_list ap)
	VH_PRINTF(3, 0);

static void
vlog(enum vhd_loglevel level, const char *errstr, const char *fmt, va_list ap)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	char msg[4096], line[4300], ts[32];
	struct timespec now;
	struct tm tm;
	int n;

	if (level > loglevel)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "ts=%s.%03ldZ level=%s %s%s%s\n", ts,
		     now.tv_nsec / 1000000, names[level], msg,
		     errstr ? ": " : "", errstr ? errstr : "");
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

#define LOGFN(name, level, witherr)                                      \
	void name(const char *fmt, ...)                                  \
	{                                                                \
		char eb[256];                                            \
		const char *es = NULL;                                   \
		va_list ap;                                              \
		if (witherr)                                             \
			es = strerror_r(errno, eb, sizeof(eb));          \
		va_start(ap, fmt);                                       \
		vlog(level, es, fmt, ap);                                \
		va_end(ap);                                              \
	}

LOGFN(log_warn, VHD_LOG_WARN, 1)
LOGFN(log_warnx, VHD_LOG_WARN, 0)
LOGFN(log_info, VHD_LOG_INFO, 0)
LOGFN(log_debug, VHD_LOG_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	char eb[256];
	const char *es = strerror_r(errno, eb, sizeof(eb));
	va_list ap;

	va_start(ap, fmt);
	vlog(VHD_LOG_ERROR, es, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(VHD_LOG_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
