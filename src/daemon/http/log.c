/*
 * Log lines go to stderr, one line each, in logfmt-friendly form; under
 * systemd the journal adds the time. Lines are written with one write(2)
 * so that worker threads do not interleave.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
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

bool
log_wants(enum vhd_loglevel level)
{
	return level <= loglevel;
}

/* length of the valid UTF-8 sequence at s (0: not one) */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

const char *
log_q(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t o = 0;
	bool plain = *p != '\0';

	for (const unsigned char *q = p; *q && plain; q++)
		if (*q <= ' ' || *q == 0x7f || *q == '"' || *q == '\\' || *q == '=' ||
		    (*q >= 0x80 && utf8_len(q) == 0))
			plain = false;
	if (plain && strlen((const char *)p) < size)
		return s;
	if (size < 16)
		return "\"?\"";
	buf[o++] = '"';
	while (*p && o + 8 < size) {
		size_t n = *p >= 0x80 ? utf8_len(p) : 1;
		if (*p == '"' || *p == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)*p++;
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			buf[o++] = '\\';
			buf[o++] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
			p++;
		} else if (*p < 0x20 || *p == 0x7f || n == 0) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", *p++);
		} else {
			if (o + n + 2 >= size)
				break;
			memcpy(buf + o, p, n);
			o += n;
			p += n;
		}
	}
	if (*p) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
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
	/* one event, one line, whatever a value held */
	for (char *q = msg; *q; q++)
		if (*q == '\n' || *q == '\r')
			*q = ' ';
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
