/* Daemon logging in OpenSMTPD style: fatal* only at start-up. */
#ifndef VHD_LOG_H
#define VHD_LOG_H

#include "common.h"

enum vhd_loglevel { VHD_LOG_ERROR, VHD_LOG_WARN, VHD_LOG_INFO, VHD_LOG_DEBUG };

void log_init(enum vhd_loglevel level);
/* whether a line of this level is written (skip preparing one that is not) */
bool log_wants(enum vhd_loglevel level);
void log_warn(const char *fmt, ...) VH_PRINTF(1, 2);   /* appends strerror(errno) */
void log_warnx(const char *fmt, ...) VH_PRINTF(1, 2);
void log_info(const char *fmt, ...) VH_PRINTF(1, 2);
void log_debug(const char *fmt, ...) VH_PRINTF(1, 2);
/*
 * A value for a logfmt line: itself when it is plain (printable ASCII or
 * UTF-8, no space, quote, backslash or '='), else quoted with ", \ and
 * control characters escaped and invalid UTF-8 as \xHH. buf receives it
 * when it must change; long values are cut at a character. LOGQ(s) for
 * use inside one log call.
 */
const char *log_q(char *buf, size_t size, const char *s);
#define LOGQ(s) log_q((char[600]){ 0 }, 600, (s))

__attribute__((noreturn)) void fatal(const char *fmt, ...) VH_PRINTF(1, 2);
__attribute__((noreturn)) void fatalx(const char *fmt, ...) VH_PRINTF(1, 2);

#endif
