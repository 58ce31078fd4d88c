#!/usr/bin/env bash
# Every libvhcv function against a live vhcvd (test_lib_live.c). With
# $VALGRIND set (suite valgrind), the program runs under it and any leak or
# memory error fails the test.
. "$SRCDIR/tests/integration/lib.sh"
prog=$1

db=$(t_db lib)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"
rc=0
# shellcheck disable=SC2086
${VALGRIND:-} "$prog" "unix:$T_DIR/vhcvd.sock" || rc=$?
t_eq "$rc" 0 "every library function against vhcvd"
t_daemon_stop
t_done
