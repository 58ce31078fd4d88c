#!/usr/bin/env bash
# The official's record and the official object send their statements as
# one libpq pipeline (vhd_qprep_all). A statement failing in the middle of
# it (cancelled, as a statement timeout is; its backend terminated) is a
# 503, and the pool's connection serves the next requests: not left in
# pipeline mode or in a failed transaction, its results all read.
. "$(dirname "$0")/lib.sh"

db=$(t_db pipeline)
cfg=$T_DIR/vhcvd.yaml
# one connection: every request after a failure uses the one it failed on
t_config "$db" | sed 's/^  pool: 2$/  pool: 1/' >"$cfg"
grep -q '^  pool: 1$' "$cfg" || t_fail "pool config"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock
api() { t_api "$SOCK" "$@"; }
q() { t_psql "$db" -tA -c "$1"; }

api POST /v1/units '{"code":"PL","name":"Đơn vị","valid_from":"2019-01-01"}'
t_eq "$code" 201 "a unit"
api PUT /v1/officials/P-1 '{"full_name":"Cán bộ P","category":"cong_chuc","unit":"PL","valid_from":"2019-01-01"}'
t_eq "$code" 201 "an official"
api POST /v1/cases '{"official":"P-1","rule":"TD-01","occurred_on":"2025-03-01","detected_on":"2025-03-02","source":"inspection","description":"vụ"}'
t_eq "$code" 201 "a case about the official"
REC=/v1/officials/P-1/record
api GET "$REC"
t_eq "$code" 200 "the record (its statements prepared on the connection)"
WANT=$body
api GET /v1/officials/P-1
t_eq "$code" 200 "the official"
WANT_O=$body

# blocked TABLE ACTION PATH WAITING: GET PATH while TABLE is locked; once
# the daemon's backend waits for the lock in a statement matching WAITING
# (so the statements before it in the pipeline ran), ACTION it (cancel,
# terminate); sets code and body of that request
blocked() {
	local table=$1 action=$2 path=$3 waiting=$4 pid="" locker reqpid
	PGAPPNAME=pl_locker t_psql "$db" -c "BEGIN; LOCK TABLE vhcv.$table IN ACCESS EXCLUSIVE MODE;
		SELECT pg_sleep(60); COMMIT;" >/dev/null 2>&1 &
	locker=$!
	for _ in $(seq 200); do
		[ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 'vhcv.$table'::regclass
			AND mode = 'AccessExclusiveLock' AND granted")" == 1 ] && break
		sleep 0.05
	done
	curl -s --unix-socket "$SOCK" -o "$T_DIR/blocked" -w '%{http_code}' "http://x$path" \
		>"$T_DIR/blocked.code" &
	reqpid=$!
	for _ in $(seq 200); do
		pid=$(q "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
			AND usename = 'vhcv_app' AND wait_event_type = 'Lock'
			AND query LIKE '%$waiting%'")
		[ -n "$pid" ] && break
		sleep 0.05
	done
	if [ -z "$pid" ]; then
		t_fail "$path: no backend waits on $table in '$waiting'"
	else
		q "SELECT pg_${action}_backend($pid)" >/dev/null
	fi
	wait "$reqpid" || true
	code=$(cat "$T_DIR/blocked.code")
	body=$(cat "$T_DIR/blocked")
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'pl_locker'" >/dev/null
	wait "$locker" 2>/dev/null || true
}

# after: the next requests are answered whole, as before the failure
after() {
	local i
	for i in 1 2 3; do
		api GET "$REC"
		t_eq "$code $body" "200 $WANT" "$1: record $i after it, whole"
	done
	api GET /v1/officials/P-1
	t_eq "$code $body" "200 $WANT_O" "$1: and the official"
	api GET '/v1/cases?limit=5'
	t_eq "$code" 200 "$1: and a statement outside a pipeline"
}

for action in cancel terminate; do
	# the decisions: the record's second statement of five
	blocked decisions "$action" "$REC" "FROM decisions d JOIN cases c"
	t_eq "$code" 503 "record, $action in its 2nd statement: 503"
	t_contains "$body" '"error":"unavailable"' "record, $action in its 2nd statement: unavailable"
	after "record, $action in the 2nd statement"
	# the rules' versions: the record's fourth statement of five (as of
	# today it reads the cases' stored status, not their events)
	blocked rule_versions "$action" "$REC" "SELECT number, rule, status"
	t_eq "$code" 503 "record, $action in its 4th statement: 503"
	after "record, $action in the 4th statement"
	# the official object's pipeline: its decisions, second of three
	blocked decisions "$action" /v1/officials/P-1 "FROM decisions d JOIN cases c"
	t_eq "$code" 503 "official, $action in its 2nd statement: 503"
	after "official, $action in the 2nd statement"
done
t_eq "$(grep -c 'pipeline mode\|another command is already in progress\|synchronous command' "$T_DIR/vhcvd.log")" 0 \
	"no libpq pipeline state error in the log"

t_daemon_stop
t_done
