#!/usr/bin/env bash
# The promises that need the database or the daemon to go away, on a
# PostgreSQL cluster of this test's own (the shared one serves other tests):
#  1. PostgreSQL restart: 503 `unavailable` while it is down (quickly, the
#     daemon alive), health 503, transparent reconnect, an idempotent repeat
#     gives the same case and one row;
#  2. a request that failed during the outage changed nothing;
#  3. kill -9 of vhcvd: report and decide retried with their keys after a
#     restart give the same result and no second row;
#  4. SIGTERM drains the requests in flight and vhcvd exits 0 (no leaks);
#  5. statement timeout: a blocked query answers 503 in time, then recovers.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/scripts/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "a private cluster is made with runuser: needs root" >&2
	exit 77
fi

# --- a private cluster, always stopped on exit ---
chmod 0711 "$T_DIR" # postgres enters it to reach its own folder
PGD=$T_DIR/pg
PGP=$(free_port)
res_cleanup() {
	local pid
	# our children still running (a vhcvd, curls, a psql holding a lock);
	# those in T_PIDS that were waited for may have had their pid reused
	for pid in $(jobs -p); do kill -KILL "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	# shellcheck disable=SC2034 # read by t_cleanup
	T_PIDS=()
	pg_stop "$PGD"
	if [ -f "$PGD/data/postmaster.pid" ]; then # did not stop: never leave it behind
		pid=$(head -1 "$PGD/data/postmaster.pid")
		if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
	fi
	t_cleanup
}
trap res_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM # so that the EXIT trap stops the cluster
PG_FSYNC=${PG_FSYNC:-off} pg_create "$PGD" "$PGP"
pg_roles "$PGD" "$PGP"
pg_psql "$PGD" "$PGP" -d postgres -c "CREATE DATABASE vhcv OWNER vhcv_owner" >/dev/null
rp() { pg_psql "$PGD" "$PGP" -d vhcv "$@"; }
rq() { rp -tAc "$1"; }
echo "private cluster: $PGD (port $PGP)"

PGHOST=$PGD/run PGPORT=$PGP t_config vhcv >"$T_DIR/vhcvd.yaml"
sed -i 's/^  pool: 2$/  pool: 3/' "$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1 || { t_fail "migrate"; t_done; }
rp <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ');
INSERT INTO units (code, name, parent_id) VALUES ('VY', 'UBND huyện Vĩnh Yên', 1);
INSERT INTO officials (code, full_name, category, leader, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', false, 2),
 ('CC-2', 'Trần Thị Bình', 'cong_chuc', false, 2),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', false, 2),
 ('CC-4', 'Phạm Thị Dung', 'cong_chuc', false, 2),
 ('CC-5', 'Vũ Văn Hải', 'cong_chuc', false, 2);
SQL
SOCK=$T_DIR/vhcvd.sock
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F) # the register's day
t_daemon "$T_DIR/vhcvd.yaml"

# call METHOD PATH [JSON]: sets CODE, BODY and MS (wall time of the call)
call() {
	local out t0 t1
	t0=$(date +%s%N)
	if [ $# -ge 3 ]; then
		out=$(curl -s -m 20 -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" \
			-H 'Content-Type: application/json' --data-binary "$3" "http://x$2") || true
	else
		out=$(curl -s -m 20 -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" "http://x$2") || true
	fi
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	CODE=${out##*$'\n'}
	BODY=${out%$'\n'*}
}
jget() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$BODY" 2>/dev/null || echo "?"; }
expect() { # expect CODE DESCRIPTION
	t_eq "$CODE" "$1" "$2"
	[ "$CODE" == "$1" ] || echo "   body: $BODY" >&2
}
report() { # report OFFICIAL RULE OCCURRED KEY
	call POST /v1/cases "{\"official\":\"$1\",\"rule\":\"$2\",\"occurred_on\":\"$3\",\"source\":\"inspection\",\"description\":\"resilience\",\"idempotency_key\":\"$4\"}"
}
alive() { kill -0 "$T_DAEMON" 2>/dev/null && echo yes || echo no; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_ok PATH: poll until 200 (at most 15 s); sets WAIT_MS and N503
wait_ok() {
	local t0 deadline
	t0=$(now_ms)
	deadline=$((t0 + 15000))
	N503=0
	while :; do
		call GET "$1"
		[ "$CODE" == 200 ] && break
		[ "$CODE" == 503 ] && N503=$((N503 + 1))
		[ "$(now_ms)" -lt "$deadline" ] || break
		sleep 0.05
	done
	WAIT_MS=$(($(now_ms) - t0))
}
# wait until a psql holds ACCESS EXCLUSIVE on vhcv.cases
wait_lock() {
	for _ in $(seq 100); do
		[ "$(rq "SELECT count(*) FROM pg_locks WHERE relation = 'vhcv.cases'::regclass
		          AND mode = 'AccessExclusiveLock' AND granted")" == 1 ] && return 0
		sleep 0.05
	done
	t_fail "the lock was not taken"
}
# kill -9 the daemon, then a new one on the same configuration; the dead
# one left its socket behind, so wait until the new one answers
crash_restart() {
	local code
	kill -KILL "$T_DAEMON"
	wait "$T_DAEMON" 2>/dev/null || true
	[ -S "$SOCK" ] && echo "   (the killed vhcvd left its socket behind)"
	t_daemon "$1"
	for _ in $(seq 200); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" http://x/v1/health) || true
		[ "$code" != 000 ] && return 0
		kill -0 "$T_DAEMON" 2>/dev/null || break
		sleep 0.05
	done
	t_fail "the restarted vhcvd does not answer"
}

# ===== 1 and 2: PostgreSQL goes away and comes back =====
report CC-1 TD-01 2026-10-05 k-restart
expect 201 "report with a key"
C1=$(jget 'd["case"]')

pg_stop "$PGD"
echo "PostgreSQL stopped"
call GET "/v1/cases?limit=5"
expect 503 "a read while the database is down is 503"
t_eq "$(jget 'd["error"]')" unavailable "with error id 'unavailable'"
echo "   503 on a read in $MS ms"
if [ "$MS" -lt 10000 ]; then t_ok "answered, no hang ($MS ms; bound 10 s)"; else t_fail "503 took $MS ms"; fi
report CC-2 TD-02 2026-10-06 k-outage
expect 503 "a report while the database is down is 503"
t_eq "$(jget 'd["error"]')" unavailable "with error id 'unavailable'"
echo "   503 on a report in $MS ms"
if [ "$MS" -lt 10000 ]; then t_ok "answered, no hang ($MS ms; bound 10 s)"; else t_fail "503 took $MS ms"; fi
report CC-1 TD-01 2026-10-05 k-restart
expect 503 "the idempotent repeat too is 503 while down"
call GET /v1/health
expect 503 "health is 503"
t_eq "$(jget 'd["database"]')" False "health says database: false"
echo "   health 503 in $MS ms"
worst=0
for _ in 1 2 3 4 5 6 7 8; do
	call GET "/v1/cases/$C1"
	[ "$CODE" == 503 ] || t_fail "request while down: $CODE"
	[ "$MS" -gt "$worst" ] && worst=$MS
done
echo "   8 more requests while down: all 503, slowest $worst ms"
t_eq "$(alive)" yes "vhcvd is alive through the outage"

t0=$(now_ms)
pg_start "$PGD" "$PGP"
echo "PostgreSQL started again ($(($(now_ms) - t0)) ms)"
wait_ok "/v1/cases?limit=5"
expect 200 "requests succeed again"
echo "   first 200 after PostgreSQL was back: $WAIT_MS ms ($N503 answers 503 before it)"
if [ "$WAIT_MS" -lt 15000 ]; then t_ok "reconnected ($WAIT_MS ms; bound 15 s)"; else t_fail "reconnect took $WAIT_MS ms"; fi
t_eq "$N503" 0 "the first request after the restart already succeeds (transparent reconnect)"
# every pooled connection is used at once: none may still be the dead one
pids=()
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -w '%{http_code}\n' --unix-socket "$SOCK" \
		"http://x/v1/cases?limit=50" >"$T_DIR/par.$i" &
	pids+=($!)
done
wait "${pids[@]}"
t_eq "$(cat "$T_DIR"/par.* | sort | uniq -c | xargs)" "6 200" "six parallel requests after the restart all succeed"
call GET /v1/health
expect 200 "health is 200 again"
t_eq "$(jget 'd["database"]')" True "health says database: true"
report CC-1 TD-01 2026-10-05 k-restart
expect 200 "repeating the report with its key after the restart is 200"
t_eq "$(jget 'd["case"]')" "$C1" "with the same case number"
t_eq "$(rq "SELECT count(*) FROM vhcv.cases WHERE idempotency_key = 'k-restart'")" 1 \
	"one case with that key"
t_eq "$(rq "SELECT count(*) FROM vhcv.cases WHERE idempotency_key = 'k-outage'")" 0 \
	"the report that failed during the outage wrote nothing"
report CC-2 TD-02 2026-10-06 k-outage
expect 201 "retrying it with its key creates the case"
C2=$(jget 'd["case"]')
report CC-2 TD-02 2026-10-06 k-outage
expect 200 "and a further repeat returns it"
t_eq "$(jget 'd["case"]')" "$C2" "the same case"
t_eq "$(rq "SELECT count(*) FROM vhcv.cases WHERE idempotency_key = 'k-outage'")" 1 \
	"exactly one case with the second key"
t_eq "$(rq "SELECT count(*) FROM vhcv.case_events e JOIN vhcv.cases c ON c.id = e.case_id
            WHERE c.idempotency_key IN ('k-restart', 'k-outage')")" 2 "one event per case"

# a restart while vhcvd is idle: every pooled connection is stale at once
pg_stop "$PGD"
pg_start "$PGD" "$PGP"
call GET "/v1/cases/$C1"
expect 200 "after a restart during which nobody called, the first request succeeds"
pids=()
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -w '%{http_code}\n' --unix-socket "$SOCK" \
		"http://x/v1/cases?limit=50" >"$T_DIR/par.$i" &
	pids+=($!)
done
wait "${pids[@]}"
t_eq "$(cat "$T_DIR"/par.* | sort | uniq -c | xargs)" "6 200" "and so do six parallel ones"

# ===== 3: vhcvd crashes =====
report CC-3 TD-03 2026-10-07 k-crash
expect 201 "report before the crash"
C3=$(jget 'd["case"]')
crash_restart "$T_DIR/vhcvd.yaml"
echo "vhcvd killed with SIGKILL and started again"
report CC-3 TD-03 2026-10-07 k-crash
expect 200 "the repeated report after the crash is 200"
t_eq "$(jget 'd["case"]')" "$C3" "with the same case"
t_eq "$(rq "SELECT count(*) FROM vhcv.cases WHERE idempotency_key = 'k-crash'")" 1 "one row"

report CC-4 TD-04 2026-10-08 k-dec-case
expect 201 "a case to decide"
C4=$(jget 'd["case"]')
call POST "/v1/cases/$C4/accept" '{"note":"Tiếp nhận"}'
expect 200 "accept"
call POST "/v1/cases/$C4/council" '{"members":["CC-1","CC-2","CC-3"],"recommend":"khien_trach"}'
expect 200 "council"
DEC='{"severity":"it_nghiem_trong","form":"khien_trach","number":"3/QĐ-UBND","signed_on":"'$TODAY'","idempotency_key":"k-decide"}'
call POST "/v1/cases/$C4/decide" "$DEC"
expect 200 "decide with a key"
D1=$(jget '[x["number"] + " " + x["form"] + " " + x["state"] for x in d["decisions"]]')
crash_restart "$T_DIR/vhcvd.yaml"
echo "vhcvd killed with SIGKILL and started again"
call POST "/v1/cases/$C4/decide" "$DEC"
expect 200 "the repeated decide after the crash is 200"
t_eq "$(jget 'd["status"]')" decided "the case is decided"
t_eq "$(jget '[x["number"] + " " + x["form"] + " " + x["state"] for x in d["decisions"]]')" "$D1" \
	"with the same decision"
t_eq "$(rq "SELECT count(*) FROM vhcv.decisions d JOIN vhcv.cases c ON c.id = d.case_id
            WHERE c.number = '$C4'")" 1 "one decision row"
t_eq "$(rq "SELECT count(*) FROM vhcv.case_events e JOIN vhcv.cases c ON c.id = e.case_id
            WHERE c.number = '$C4' AND e.kind = 'decided'")" 1 "one decided event"

# ===== 4: SIGTERM drains the requests in flight =====
rq "INSERT INTO vhcv.cases (year, seq, official_id, unit_id, rule_version_id, source,
      reporter, occurred_on, detected_on, description)
    SELECT 2020, g, o.id, o.unit_id, (SELECT min(id) FROM vhcv.rule_versions), 'inspection',
      'seed', '2020-01-01', '2020-01-02', repeat('mô tả ', 40)
    FROM generate_series(1, 600) g, vhcv.officials o WHERE o.code = 'CC-5'" >/dev/null
t0=$(now_ms)
call GET "/v1/cases?limit=500"
expect 200 "a list of 500 cases"
t_eq "$(jget 'len(d["items"])')" 500 "with 500 items"
echo "   one list of 500 cases takes $MS ms"
# The kernel completes a client's connect() into the listen queue before
# vhcvd accepts it: such a client got a connection too. sock_state prints
# "QUEUED ACCEPTED": connections waiting in the listen queue of $SOCK, and
# connections vhcvd has accepted and not closed.
sock_state() {
	ss -xan 2>/dev/null | awk -v s="$SOCK" '$5 == s && $2 == "LISTEN" { q = $3 }
		$5 == s && $2 == "ESTAB" { a++ } END { print q + 0, a + 0 }'
}
# drain_round NAME N WHEN: N lists of 500 cases in parallel, SIGTERM when
# WHEN holds, then count the answers. "accepted": every client accepted by
# vhcvd and some still running. "queued": a psql holds a lock on the cases,
# so every worker thread blocks in a request and cannot accept; SIGTERM
# once all clients are connected, some of them still in the listen queue,
# and the lock is released 0.3 s later.
# Sets D_OK D_AFTER D_REFUSED D_BAD D_RC D_MS D_Q D_A
drain_round() {
	local name=$1 n=$2 when=$3 i q a fin crc done_at code items term_at deadline locker=
	local pids=()
	rm -f "$T_DIR"/drain.*
	if [ "$when" == queued ]; then
		PGAPPNAME=res_drain_locker rp -c "BEGIN; LOCK TABLE vhcv.cases IN ACCESS EXCLUSIVE MODE;
			SELECT pg_sleep(20); COMMIT;" >/dev/null 2>&1 &
		locker=$!
		wait_lock
	fi
	for i in $(seq "$n"); do
		(
			rc=0
			curl -s -m 60 -o "$T_DIR/drain.$i.json" -w '%{http_code}' --unix-socket "$SOCK" \
				"http://x/v1/cases?limit=500" >"$T_DIR/drain.$i.code" 2>/dev/null || rc=$?
			echo "$rc $(now_ms)" >"$T_DIR/drain.$i.rc"
		) &
		pids+=($!)
	done
	deadline=$(($(now_ms) + 5000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		read -r q a < <(sock_state)
		fin=$(find "$T_DIR" -name 'drain.*.rc' | wc -l)
		if [ "$when" == accepted ]; then
			[ "$q" == 0 ] && [ $((a + fin)) -ge "$n" ] && [ "$fin" -lt "$n" ] && break
		else
			[ "$q" -gt 0 ] && [ $((q + a)) -ge "$n" ] && break
		fi
		sleep 0.005
	done
	D_Q=$q D_A=$a
	term_at=$(now_ms)
	kill -TERM "$T_DAEMON"
	if [ -n "$locker" ]; then
		sleep 0.3
		rq "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		    WHERE application_name = 'res_drain_locker'" >/dev/null
		wait "$locker" 2>/dev/null || true
	fi
	D_RC=0
	wait "$T_DAEMON" || D_RC=$?
	D_MS=$(($(now_ms) - term_at))
	wait "${pids[@]}" 2>/dev/null || true
	D_OK=0 D_AFTER=0 D_REFUSED=0 D_BAD=""
	for i in $(seq "$n"); do
		read -r crc done_at <"$T_DIR/drain.$i.rc"
		code=$(cat "$T_DIR/drain.$i.code" 2>/dev/null || echo -)
		items=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' \
			"$T_DIR/drain.$i.json" 2>/dev/null || echo -)
		if [ "$crc" == 0 ] && [ "$code" == 200 ] && [ "$items" == 500 ]; then
			D_OK=$((D_OK + 1))
			[ "$done_at" -gt "$term_at" ] && D_AFTER=$((D_AFTER + 1))
		elif [ "$crc" == 7 ]; then
			D_REFUSED=$((D_REFUSED + 1)) # came after the socket was gone: never connected
		else
			D_BAD="$D_BAD #$i(curl=$crc,http=$code,items=$items)"
		fi
	done
	echo "   $name: SIGTERM with $D_A connections accepted and $D_Q in the listen queue;" \
		"$D_OK complete 200s ($D_AFTER finished after the signal), $D_REFUSED never connected," \
		"$((n - D_OK - D_REFUSED)) broken; vhcvd exited $D_MS ms after SIGTERM with $D_RC"
}

# round 1: every client is accepted by vhcvd, most still waiting for an answer
drain_round "accepted" 20 accepted
t_eq "$D_Q" 0 "round 1: no client left in the listen queue at SIGTERM"
t_eq "$D_OK" 20 "every accepted request got a complete 200 answer${D_BAD:+:$D_BAD}"
if [ "$D_AFTER" -gt 0 ]; then
	t_ok "$D_AFTER requests were still running at SIGTERM and were drained"
else
	t_fail "no request was in flight at SIGTERM: the drain was not exercised"
fi
t_eq "$D_RC" 0 "vhcvd exits 0 after draining (no sanitizer report)"
if [ -S "$SOCK" ]; then t_fail "the socket is left behind"; else t_ok "the socket is removed"; fi

# round 2: SIGTERM while clients wait in the listen queue (the workers are
# blocked on a lock, see drain_round). They got a connection, so they are
# owed an answer, not a reset: vhd_http_stop accepts the queued connections
# into the daemon before it closes the listen socket.
t_daemon "$T_DIR/vhcvd.yaml"
drain_round "queued" 40 queued
if [ "$D_Q" == 0 ]; then
	t_ok "round 2: no client was caught in the listen queue this time (nothing to check)"
elif [ -z "$D_BAD" ]; then
	t_ok "clients in the listen queue at SIGTERM were answered, not reset ($D_Q queued)"
else
	t_fail "clients in the listen queue at SIGTERM were reset:$D_BAD"
fi
t_eq "$D_RC" 0 "vhcvd exits 0 after the second drain"
t_eq "$(grep -c 'LeakSanitizer\|AddressSanitizer\|runtime error' "$T_DIR/vhcvd.log" || true)" 0 \
	"no sanitizer report in the log"

# ===== 5: statement timeout =====
sed 's/^  pool: 3$/  pool: 3\n  statement_timeout_ms: 100/' "$T_DIR/vhcvd.yaml" >"$T_DIR/timeout.yaml"
grep -q 'statement_timeout_ms: 100' "$T_DIR/timeout.yaml" || t_fail "timeout config"
t_daemon "$T_DIR/timeout.yaml"
call GET "/v1/cases?limit=5"
expect 200 "with a 100 ms statement timeout, a list works"
PGAPPNAME=res_locker rp -c "BEGIN; LOCK TABLE vhcv.cases IN ACCESS EXCLUSIVE MODE;
	SELECT pg_sleep(8); COMMIT;" >/dev/null 2>&1 &
locker=$!
wait_lock
echo "psql holds ACCESS EXCLUSIVE on vhcv.cases"
call GET "/v1/cases?limit=5"
expect 503 "a read blocked by the lock is 503"
t_eq "$(jget 'd["error"]')" unavailable "with error id 'unavailable'"
echo "   503 after $MS ms (statement_timeout_ms 100, lock held 8 s)"
[ "$MS" -lt 6000 ] && t_ok "before the lock's 8 s are over ($MS ms)" || t_fail "took $MS ms"
report CC-5 TD-05 2026-10-09 k-timeout
expect 503 "a report blocked by the lock is 503"
t_eq "$(alive)" yes "vhcvd is alive"
rq "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'res_locker'" >/dev/null
wait "$locker" 2>/dev/null || true
call GET "/v1/cases?limit=5"
expect 200 "after the lock is released, reads work again"
t_eq "$(rq "SELECT count(*) FROM vhcv.cases WHERE idempotency_key = 'k-timeout'")" 0 \
	"the timed-out report wrote nothing"
report CC-5 TD-05 2026-10-09 k-timeout
expect 201 "and the report, retried, creates its case"
t_daemon_stop

t_done
