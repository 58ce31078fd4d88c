#!/usr/bin/env bash
# Identity edge cases (docs/security.md): a passwd entry longer than any
# fixed buffer still identifies its user (getpwuid_r grown on ERANGE), and
# a local user name longer than the config allows is nobody, never a cut
# name that matches another entry. nss_wrapper gives vhcvd a passwd file
# of our own.
. "$(dirname "$0")/lib.sh"

NSSW=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -1)
[ -n "$NSSW" ] || { t_fail "libnss-wrapper is not installed (scripts/lib.sh installs it)"; t_done; }
db=$(t_db identity)
me=$(id -un) uid=$(id -u) gid=$(id -g)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
echo "$me:x:$gid:" >"$T_DIR/group"

# run vhcvd as if /etc/passwd were $T_DIR/passwd
nss_daemon() {
	LD_PRELOAD=$NSSW NSS_WRAPPER_PASSWD=$T_DIR/passwd NSS_WRAPPER_GROUP=$T_DIR/group \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 t_daemon "$1"
}
units() { curl -s -o /dev/null -w '%{http_code}' --unix-socket "$T_DIR/vhcvd.sock" http://x/v1/units; }

# our own entry, with a 4000-byte GECOS field: more than a 1 KiB buffer
gecos=$(head -c 4000 /dev/zero | tr '\0' 'g')
echo "$me:x:$uid:$gid:$gecos:$T_DIR:/bin/sh" >"$T_DIR/passwd"
nss_daemon "$T_DIR/vhcvd.yaml"
t_eq "$(units)" 200 "a 4 KB passwd entry still identifies its user"
t_eq "$(grep -c 'not in the access list' "$T_DIR/vhcvd.log")" 0 "nobody was turned away"
t_daemon_stop

# a 128-byte name that starts with a 127-byte name of the access list
long127=$(head -c 127 /dev/zero | tr '\0' 'a')
echo "${long127}b:x:$uid:$gid::$T_DIR:/bin/sh" >"$T_DIR/passwd"
sed "s/unix_user: $me/unix_user: $long127/" "$T_DIR/vhcvd.yaml" >"$T_DIR/long.yaml"
"$VHCVD" -n -c "$T_DIR/long.yaml" >/dev/null 2>&1 && rc=0 || rc=$?
t_eq "$rc" 0 "a 127-byte name is accepted by the config"
nss_daemon "$T_DIR/long.yaml"
t_eq "$(units)" 403 "a 128-byte user is not the 127-byte entry it starts with"
t_contains "$(grep "path=/v1/units" "$T_DIR/vhcvd.log" | tail -1)" "identity=uid:$uid" "and is logged by uid, not by a cut name"
t_daemon_stop

# the config check and the run time agree: 128 bytes are refused
sed "s/unix_user: $me/unix_user: ${long127}b/" "$T_DIR/vhcvd.yaml" >"$T_DIR/long128.yaml"
out=$("$VHCVD" -n -c "$T_DIR/long128.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "a 128-byte name is refused by vhcvd -n"
t_contains "$out" "at most 127 bytes" "saying why"
t_done
