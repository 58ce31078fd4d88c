# Helpers for integration tests: a database of their own in the throwaway
# cluster that scripts/test started, a vhcvd on a private socket, asserts.
# shellcheck shell=bash
set -euo pipefail

: "${VHCVD:?run through meson test}" "${VHCV:?}" "${SRCDIR:?}"
if [ -z "${VHCV_TEST_PGHOST:-}" ]; then
	echo "no test cluster: run scripts/test (VHCV_TEST_PGHOST is not set)" >&2
	exit 77
fi
PG_BIN=/usr/lib/postgresql/15/bin
export PGHOST=$VHCV_TEST_PGHOST PGPORT=$VHCV_TEST_PGPORT
T_NAME=$(basename "$0" .sh)
T_DIR=$(mktemp -d "${VHCV_TEST_TMP:-/tmp}/$T_NAME.XXXXXX")
T_DBS=()
T_PIDS=()
T_FAILS=0

t_cleanup() {
	local pid db
	for pid in "${T_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	done
	for db in "${T_DBS[@]}"; do
		t_psql postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	done
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

t_psql() {
	local db=$1
	shift
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$db" "$@"
}
# psql as the daemon's role
t_psql_app() {
	local db=$1
	shift
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -U vhcv_app -d "$db" "$@"
}

# t_db NAME: a new empty database owned by the schema owner
t_db() {
	local db="t_${T_NAME}_$1_$$"
	t_psql postgres -c "CREATE DATABASE $db OWNER vhcv_owner" >/dev/null
	T_DBS+=("$db")
	echo "$db"
}

# t_config DB [MIGRATIONS_DIR] > file: a configuration for this test
t_config() {
	local db=$1 mig=${2:-$SRCDIR/migrations}
	cat <<YAML
listen:
  - unix: $T_DIR/vhcvd.sock
database:
  dsn: "host=$PGHOST port=$PGPORT dbname=$db user=vhcv_app"
  migrate_dsn: "host=$PGHOST port=$PGPORT dbname=$db user=vhcv_owner"
  pool: 2
rules: $SRCDIR/config/rules
legal: $SRCDIR/config/legal
migrations: $mig
access:
  - unix_user: $(id -un)
    role: admin
    units: ["*"]
YAML
}

# t_daemon CONFIG: start vhcvd and wait for its socket
t_daemon() {
	local cfg=$1 sock
	sock=$(sed -n 's/^  - unix: //p' "$cfg" | head -1)
	"$VHCVD" -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1 &
	T_PIDS+=($!)
	T_DAEMON=$!
	for _ in $(seq 200); do
		[ -S "$sock" ] && break
		kill -0 "$T_DAEMON" 2>/dev/null || { cat "$T_DIR/vhcvd.log" >&2; t_fail "vhcvd exited"; return 1; }
		sleep 0.05
	done
	[ -S "$sock" ] || { t_fail "vhcvd did not open $sock"; return 1; }
	# TCP listeners may open a moment after the socket
	local port
	for port in $(sed -n 's/^  - tcp: "\{0,1\}[^"]*:\([0-9]*\)"\{0,1\}$/\1/p' "$cfg"); do
		for _ in $(seq 200); do
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
			sleep 0.05
		done
	done
}

# t_start_named N: vhcvd with $T_DIR/vN.yaml (listening on $T_DIR/vN.sock),
# its log in $T_DIR/vN.log, its pid in T_NAMED[N]; waits until it answers
declare -A T_NAMED
t_start_named() {
	"$VHCVD" -c "$T_DIR/v$1.yaml" >>"$T_DIR/v$1.log" 2>&1 &
	T_NAMED[$1]=$!
	T_PIDS+=($!)
	for _ in $(seq 200); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$T_DIR/v$1.sock" \
			http://x/v1/health 2>/dev/null)" == 200 ] && return 0
		sleep 0.05
	done
	t_fail "vhcvd $1 does not answer"
}

# stop the daemon and check it exits 0 (sanitizers report leaks on exit)
t_daemon_stop() {
	local rc=0
	kill -TERM "$T_DAEMON"
	wait "$T_DAEMON" || rc=$?
	t_eq "$rc" 0 "vhcvd exits 0 on SIGTERM"
}

# a TCP port nobody listens on, below the kernel's ephemeral range (32768
# and up), so that no client connection of a parallel test can take it
t_free_port() {
	local p
	for _ in $(seq 200); do
		p=$((20000 + (RANDOM + $$) % 12000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}

t_fail() {
	echo "FAIL: $*" >&2
	T_FAILS=$((T_FAILS + 1))
}
t_ok() { echo "ok: $*"; }

t_eq() {
	if [ "$1" == "$2" ]; then t_ok "$3"; else t_fail "$3: got '$1', want '$2'"; fi
}
t_contains() {
	if [[ "$1" == *"$2"* ]]; then t_ok "$3"; else t_fail "$3: '$2' not in: $1"; fi
}

t_done() {
	if [ "$T_FAILS" -gt 0 ]; then
		echo "$T_FAILS check(s) failed; vhcvd log:" >&2
		cat "$T_DIR/vhcvd.log" >&2 2>/dev/null || true
		exit 1
	fi
	echo "all checks passed"
}

# t_api SOCK METHOD PATH [BODY]: one request to vhcvd over its Unix socket
# (as the socket's user), a JSON body when given; sets code and body
t_api() {
	local sock=$1 m=$2 p=$3
	shift 3
	local args=(-sS --unix-socket "$sock" -o "$T_DIR/body" -w '%{http_code}' -X "$m")
	[ $# -gt 0 ] && args+=(-H 'Content-Type: application/json' --data-binary "$1")
	code=$(curl "${args[@]}" "http://x$p")
	body=$(cat "$T_DIR/body")
}
# t_api_ok SOCK METHOD PATH [BODY]: t_api, and a failed check unless 2xx
t_api_ok() {
	t_api "$@"
	case $code in 2??) ;; *) t_fail "$2 $3: $code $body"; return 1 ;; esac
}
# t_jget EXPR: a Python expression over d, the JSON document in body
t_jget() { python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$body" "$1"; }
