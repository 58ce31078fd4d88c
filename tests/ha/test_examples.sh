#!/usr/bin/env bash
# The example configuration of a province (examples/ha/, docs/deploy.md)
# is what the tools accept:
#   vhcvd.yaml          vhcvd -n (its /etc paths pointed at this tree)
#   patroni-db1.yml     patroni --validate-config
#   etcd.env            every variable is an option of etcd --help
#   vhcvd.service       systemd-analyze verify
#   vhcv-archive-wal    archives a segment, accepts the same one again,
#                       refuses another one under that name
# and each check refuses a broken copy, so that it can fail.
set -euo pipefail
: "${VHCVD:?run through meson test}" "${SRCDIR:?}"
EX=$SRCDIR/examples/ha
T=$(mktemp -d "${TMPDIR:-/tmp}/test_examples.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
check() { # check DESCRIPTION COMMAND...: the command succeeds
	local d=$1
	shift
	if "$@" >"$T/out" 2>&1; then ok "$d"; else fail "$d: $(cat "$T/out")"; fi
}
refuse() { # refuse DESCRIPTION COMMAND...: the command fails
	local d=$1
	shift
	if "$@" >"$T/out" 2>&1; then fail "$d: accepted"; else ok "$d"; fi
}
need() { command -v "$1" >/dev/null || { echo "$1 is not installed" >&2; exit 77; }; }
need patroni
need etcd
need systemd-analyze
need openssl

# vhcvd.yaml, with a certificate of our own in place of the province's
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=app1.vhcv.example -keyout "$T/app.key" -out "$T/app.crt" 2>/dev/null
sed -e "s#/etc/vhcv/rules#$SRCDIR/config/rules#" -e "s#/etc/vhcv/legal#$SRCDIR/config/legal#" \
	-e "s#/etc/vhcv/tls/app.crt#$T/app.crt#" -e "s#/etc/vhcv/tls/app.key#$T/app.key#" \
	"$EX/vhcvd.yaml" >"$T/vhcvd.yaml"
check "examples/ha/vhcvd.yaml passes vhcvd -n" "$VHCVD" -n -c "$T/vhcvd.yaml"
sed 's/target_session_attrs=read-write/target_session_attr=read-write/' "$T/vhcvd.yaml" >"$T/bad.yaml"
refuse "vhcvd -n refuses a misspelt connection option" "$VHCVD" -n -c "$T/bad.yaml"
grep -q 'target_session_attrs=read-write' "$EX/vhcvd.yaml" && ok "the write DSN asks for a read-write session" ||
	fail "the write DSN does not ask for target_session_attrs=read-write"
grep -q 'target_session_attrs=prefer-standby' "$EX/vhcvd.yaml" && ok "the read DSN prefers a standby" ||
	fail "the read DSN does not prefer a standby"

# Patroni
check "examples/ha/patroni-db1.yml passes patroni --validate-config" \
	patroni --validate-config "$EX/patroni-db1.yml"
sed 's/^  ttl: 30$/  ttl: thirty/; s/^    ttl: 30$/    ttl: thirty/; s#bin_dir: /usr/lib/postgresql/15/bin#bin_dir: /nonexistent#' \
	"$EX/patroni-db1.yml" >"$T/patroni-bad.yml"
refuse "patroni --validate-config refuses a broken copy" patroni --validate-config "$T/patroni-bad.yml"
for k in "synchronous_mode: true" "synchronous_mode_strict: true" "maximum_lag_on_failover: 0" \
	"archive_mode: \"on\""; do
	grep -q "$k" "$EX/patroni-db1.yml" && ok "patroni: $k" || fail "patroni: $k is missing"
done

# etcd: every variable names an option
etcd --help >"$T/etcd.help" 2>&1 || true
etcd_check() {
	local bad=0 var opt
	while IFS= read -r var; do
		opt=--$(echo "${var#ETCD_}" | tr 'A-Z_' 'a-z-')
		grep -q -- "^ *$opt\b" "$T/etcd.help" || { echo "$var: etcd has no $opt"; bad=1; }
	done < <(sed -n 's/^\(ETCD_[A-Z_]*\)=.*/\1/p' "$1")
	return $bad
}
check "examples/ha/etcd.env: every variable is an etcd option" etcd_check "$EX/etcd.env"
{ cat "$EX/etcd.env"; echo 'ETCD_LISTEN_PEER_URL="https://x:2380"'; } >"$T/etcd-bad.env"
refuse "a misspelt variable is caught" etcd_check "$T/etcd-bad.env"

# the systemd unit, with this build's vhcvd and man pages
mkdir -p "$T/man/man8"
cp "$SRCDIR/man/vhcvd.8" "$T/man/man8/"
sed "s#/usr/sbin/vhcvd#$VHCVD#g" "$EX/vhcvd.service" >"$T/vhcvd.service"
check "examples/ha/vhcvd.service passes systemd-analyze verify" \
	env MANPATH="$T/man" systemd-analyze verify "$T/vhcvd.service"
sed 's/^Restart=on-failure$/Restart=sometimes/' "$T/vhcvd.service" >"$T/bad.service"
sed -i 's#^ExecStart=.*#ExecStart=/nonexistent/vhcvd#' "$T/bad.service"
refuse "systemd-analyze verify refuses a broken copy" env MANPATH="$T/man" systemd-analyze verify "$T/bad.service"

# the archive command
mkdir -p "$T/wal" "$T/pg_wal"
head -c 65536 /dev/urandom >"$T/pg_wal/000000010000000000000001"
head -c 65536 /dev/urandom >"$T/other"
check "vhcv-archive-wal archives a segment" \
	env VHCV_WAL_ARCHIVE="$T/wal" "$EX/vhcv-archive-wal" "$T/pg_wal/000000010000000000000001" 000000010000000000000001
check "the archived copy is identical" cmp "$T/pg_wal/000000010000000000000001" "$T/wal/000000010000000000000001"
check "archiving the same segment again succeeds (a retried archive_command)" \
	env VHCV_WAL_ARCHIVE="$T/wal" "$EX/vhcv-archive-wal" "$T/pg_wal/000000010000000000000001" 000000010000000000000001
refuse "another segment under an archived name is refused" \
	env VHCV_WAL_ARCHIVE="$T/wal" "$EX/vhcv-archive-wal" "$T/other" 000000010000000000000001
check "and the archived one is kept" cmp "$T/pg_wal/000000010000000000000001" "$T/wal/000000010000000000000001"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed" >&2; exit 1; }
echo "all checks passed"
