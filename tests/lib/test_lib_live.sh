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
# a list whose first vhcvd is down (a socket file nobody listens on):
# passed over without an error, every function through the second
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T_DIR/down.sock"
db2=$(t_db lib2)
t_config "$db2" | sed "s#$T_DIR/vhcvd.sock#$T_DIR/second.sock#" >"$T_DIR/second.yaml"
"$VHCVD" --migrate -c "$T_DIR/second.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/second.yaml"
rc=0
# shellcheck disable=SC2086
${VALGRIND:-} "$prog" "unix:$T_DIR/down.sock,unix:$T_DIR/second.sock" || rc=$?
t_eq "$rc" 0 "every library function through an endpoint list whose first vhcvd is down"
t_daemon_stop
t_done
