#!/usr/bin/env bash
# The loss of the primary under load (issue #14), on PostgreSQL's own
# streaming replication, all on this machine:
#   a primary and a synchronous hot standby (synchronous_standby_names),
#   two vhcvd on a multi-host DSN with target_session_attrs=read-write,
#   keyed report and decide bursts through both; the primary's postmaster
#   killed with SIGKILL at a random moment; the standby promoted with
#   pg_ctl promote; a new standby made from the new primary; the vhcvd
#   reconnect by themselves and the clients retry what was not
#   acknowledged. Afterwards every acknowledged write exists exactly once,
#   with the answer the client was given, and audit verify passes.
# Several rounds (VHCV_HA_ROUNDS, default 3); the figures are printed.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/scripts/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "the clusters are run with runuser: needs root" >&2
	exit 77
fi
ROUNDS=${VHCV_HA_ROUNDS:-3}
LOAD="python3 $SRCDIR/tests/ha/load.py"

chmod 0711 "$T_DIR" # postgres enters it to reach the nodes' folders
PGP=$(free_port) # every node listens only on a socket in its own folder
ORPHANS=()
ha_cleanup() {
	local pid d
	for pid in $(jobs -p); do kill -KILL "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	# shellcheck disable=SC2034 # read by t_cleanup
	T_PIDS=()
	for d in "$T_DIR"/n*; do
		[ -d "$d" ] && pg_stop "$d"
		if [ -f "$d/data/postmaster.pid" ]; then
			pid=$(head -1 "$d/data/postmaster.pid")
			[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	# backends of a killed postmaster exit by themselves; never leave one
	for pid in "${ORPHANS[@]}"; do
		grep -qs postgres "/proc/$pid/cmdline" && kill -KILL "$pid" 2>/dev/null || true
	done
	t_cleanup
}
trap ha_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

node() { echo "$T_DIR/n$1"; }
np() { pg_psql "$(node "$1")" "$PGP" -d vhcv "${@:2}"; }
nq() { np "$1" -tAc "$2"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# the standby named 'standby' of node FROM, in node TO, streaming synchronously
mk_standby() {
	local from to
	from=$(node "$1") to=$(node "$2")
	mkdir -p "$to"
	chown postgres:postgres "$to"
	chmod 0711 "$to"
	runuser -u postgres -- "$PG_BIN/pg_basebackup" -h "$from/run" -p "$PGP" -U postgres \
		-D "$to/data" -X stream -R -c fast >"$to/basebackup.log" 2>&1 ||
		{ cat "$to/basebackup.log" >&2; t_fail "pg_basebackup"; return 1; }
	runuser -u postgres -- sh -c "echo \"primary_conninfo = 'host=$from/run port=$PGP user=postgres application_name=standby'\" >>'$to/data/postgresql.auto.conf'"
	runuser -u postgres -- mkdir -p "$to/run"
	# what the primary must ask of its own standby, once promoted
	runuser -u postgres -- sh -c "echo \"synchronous_standby_names = 'standby'\" >>'$to/data/postgresql.auto.conf'"
	pg_start "$to" "$PGP"
	# sync once synchronous_standby_names names it, async before
	for _ in $(seq 200); do
		[ "$(nq "$1" "SELECT state || ' ' || sync_state FROM pg_stat_replication
			WHERE application_name = 'standby'")" == "streaming $3" ] && return 0
		sleep 0.05
	done
	t_fail "node $2 is not a $3 standby of node $1"
}

# --- node 0: the first primary; node 1 its synchronous standby ---
PG_FSYNC=off pg_create "$(node 0)" "$PGP"
pg_roles "$(node 0)" "$PGP"
pg_psql "$(node 0)" "$PGP" -d postgres -c "CREATE DATABASE vhcv OWNER vhcv_owner" >/dev/null
HOSTS=$(for i in $(seq 0 "$ROUNDS"); do printf '%s/run,' "$(node "$i")"; done)
HOSTS=${HOSTS%,}
for v in 1 2; do
	cat >"$T_DIR/v$v.yaml" <<YAML
listen:
  - unix: $T_DIR/v$v.sock
database:
  dsn: "host=$HOSTS port=$PGP dbname=vhcv user=vhcv_app target_session_attrs=read-write"
  read_dsn: "host=$HOSTS port=$PGP dbname=vhcv user=vhcv_app target_session_attrs=prefer-standby"
  migrate_dsn: "host=$(node 0)/run port=$PGP dbname=vhcv user=vhcv_owner"
  pool: 4
  statement_timeout_ms: 2000
rules: $SRCDIR/config/rules
legal: $SRCDIR/config/legal
migrations: $SRCDIR/migrations
seal_interval_s: 1
access:
  - unix_user: $(id -un)
    role: admin
    units: ["*"]
YAML
done
"$VHCVD" --migrate -c "$T_DIR/v1.yaml" >/dev/null 2>&1 || { t_fail "migrate"; t_done; }
np 0 <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ');
INSERT INTO officials (code, full_name, category, leader, unit_id)
SELECT 'O-' || g, 'Công chức ' || g, 'cong_chuc', false, 1 FROM generate_series(1, 400) g
UNION ALL SELECT 'P-' || g, 'Viên chức ' || g, 'cong_chuc', false, 1 FROM generate_series(0, 999) g
UNION ALL SELECT 'M-' || g, 'Thành viên ' || g, 'cong_chuc', false, 1 FROM generate_series(1, 3) g;
SQL
mk_standby 0 1 async
nq 0 "ALTER SYSTEM SET synchronous_standby_names = 'standby'" >/dev/null
nq 0 "SELECT pg_reload_conf()" >/dev/null
sleep 0.2
t_eq "$(nq 0 "SHOW synchronous_standby_names")/$(nq 0 "SELECT sync_state FROM pg_stat_replication")" \
	"standby/sync" "node 0 is the primary with node 1 as its synchronous standby"

t_start_named 1
t_start_named 2
SOCKS=$T_DIR/v1.sock,$T_DIR/v2.sock
ALL="writes=0 acked=0 lost=0 dup=0 wrong=0"

P=0 # the primary
for r in $(seq 1 "$ROUNDS"); do
	S=$r # its standby
	$LOAD prepare "$SOCKS" "R$r" 40 "$T_DIR/cases.$r" || { t_fail "round $r: prepare"; break; }
	rm -f "$T_DIR/stop.$r"
	$LOAD burst "$SOCKS" "R$r" "$T_DIR/cases.$r" "$T_DIR/stop.$r" "$T_DIR/writes.$r" 6 &
	load=$!
	# a random moment into the burst
	sleep "$((RANDOM % 1500 + 1000))e-3"
	pm=$(head -1 "$(node $P)/data/postmaster.pid")
	read -ra kids < <(pgrep -P "$pm" | xargs)
	ORPHANS+=("${kids[@]}")
	t_kill=$(now_ms)
	kill -KILL "$pm"
	while kill -0 "$pm" 2>/dev/null; do sleep 0.01; done
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$(node "$S")/data" promote -w >/dev/null ||
		t_fail "round $r: promote"
	t_promoted=$(now_ms)
	# the new primary's own synchronous standby (strict: until it streams,
	# commits wait for it; clients wait, or time out and retry by key).
	# Meanwhile the commits waiting for it are cancelled: PostgreSQL then
	# reports them committed with a WARNING, and vhcvd must answer 503.
	sleep 1
	cancelled=$(nq "$S" "SELECT count(*) FROM (SELECT pg_cancel_backend(pid) FROM pg_stat_activity
		WHERE wait_event = 'SyncRep') c")
	CANCELLED=$((${CANCELLED:-0} + cancelled))
	mk_standby "$S" "$((S + 1))" sync
	t_standby=$(now_ms)
	sleep 1
	touch "$T_DIR/stop.$r"
	wait "$load" || t_fail "round $r: the load failed"
	P=$S
	# the figures of the round, and the checks against the new primary
	read -r writes acked failed wrong gave_up gap feed_bad < <(python3 - "$T_DIR/writes.$r" "$t_kill" <<'PY'
import collections, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
t_kill = int(sys.argv[2])
# the follower read the feed through the failover: each acknowledged
# decision exactly once
seen = collections.Counter(i.get("case") for i in map(json.loads, open(sys.argv[1] + ".feed"))
                           if i["kind"] == "decision_made")
feed_bad = sum(1 for r in recs if r["kind"] == "decide" and "ack" in r and seen[r["case"]] != 1)
acks = sorted(r["ack"] for r in recs if "ack" in r)
# the longest time without any acknowledged write, from the kill on
before = [a for a in acks if a <= t_kill]
after = [a for a in acks if a > t_kill]
gap = (after[0] - t_kill) if after else -1
for a, b in zip(after, after[1:]):
    gap = max(gap, b - a)
print(len(recs), len(acks), sum(r["failed"] for r in recs),
      sum(1 for r in recs if "wrong" in r), sum(1 for r in recs if "gave_up" in r), gap,
      feed_bad)
PY
)
	# every acknowledged write, with the answer given, against the database
	python3 - "$T_DIR/writes.$r" >"$T_DIR/acked.$r.csv" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if "ack" in r:
        print(f'{r["kind"]},{r["key"]},{r["case"]}')
PY
	np "$P" -tA >"$T_DIR/check.$r" <<SQL
CREATE TEMP TABLE acked (kind text, key text, number text);
\\copy acked FROM '$T_DIR/acked.$r.csv' WITH (FORMAT csv)
SELECT 'lost', (SELECT count(*) FROM acked a WHERE a.kind = 'report' AND NOT EXISTS
	(SELECT 1 FROM vhcv.cases c WHERE c.idempotency_key = a.key AND c.number = a.number))
 + (SELECT count(*) FROM acked a WHERE a.kind = 'decide' AND NOT EXISTS
	(SELECT 1 FROM vhcv.decisions d JOIN vhcv.cases c ON c.id = d.case_id
	 WHERE d.idempotency_key = a.key AND c.number = a.number));
SELECT 'dup', (SELECT count(*) - count(DISTINCT idempotency_key) FROM vhcv.cases
	WHERE idempotency_key LIKE 'R$r-%')
 + (SELECT count(*) - count(DISTINCT case_id) FROM vhcv.decisions d JOIN vhcv.cases c ON c.id = d.case_id
	WHERE c.idempotency_key LIKE 'R$r-prep-%')
 + (SELECT count(*) - count(DISTINCT case_id) FROM vhcv.case_events e JOIN vhcv.cases c ON c.id = e.case_id
	WHERE c.idempotency_key LIKE 'R$r-prep-%' AND e.kind = 'decided');
SELECT 'unacked_rows', (SELECT count(*) FROM vhcv.cases c WHERE c.idempotency_key LIKE 'R$r-r-%'
	AND NOT EXISTS (SELECT 1 FROM acked a WHERE a.key = c.idempotency_key));
SQL
	lost=$(grep -o 'lost|[0-9]*' "$T_DIR/check.$r" | cut -d'|' -f2)
	dup=$(grep -o 'dup|[0-9]*' "$T_DIR/check.$r" | cut -d'|' -f2)
	stray=$(grep -o 'unacked_rows|[0-9]*' "$T_DIR/check.$r" | cut -d'|' -f2)
	printf '   round %d: writes=%d acknowledged=%d lost=%s duplicates=%s wrong=%d gave_up=%d' \
		"$r" "$writes" "$acked" "$lost" "$dup" "$wrong" "$gave_up"
	printf ' retried_attempts=%d without_primary_ms=%d new_standby_ms=%d no_write_acknowledged_ms=%d\n' \
		"$failed" "$((t_promoted - t_kill))" "$((t_standby - t_promoted))" "$gap"
	t_eq "$writes/$lost/$dup/$wrong/$gave_up/${stray:-?}" "$acked/0/0/0/0/0" \
		"round $r: every write acknowledged, none lost, none twice, no wrong answer, no row unaccounted for"
	[ "$wrong" == 0 ] || grep '"wrong"' "$T_DIR/writes.$r" | head -3 >&2
	t_eq "$feed_bad" 0 "round $r: a follower of the change feed through the failover saw each acknowledged decision once"
	if [ "$failed" -gt 0 ]; then t_ok "round $r: $failed attempts failed during the failover and were retried";
	else t_fail "round $r: no attempt failed: the kill did not hit the load"; fi
	ALL=$(echo "$ALL" | awk -v w="$writes" -v a="$acked" -v l="$lost" -v d="$dup" -v x="$wrong" '{
		split($0, f, /[ =]/); printf "writes=%d acked=%d lost=%d dup=%d wrong=%d", f[2] + w, f[4] + a, f[6] + l, f[8] + d, f[10] + x }')
done

# the change feed read from its start: every decision once
$LOAD feed "$SOCKS" "$T_DIR/feed.all"
t_eq "$(python3 - "$T_DIR/feed.all" <<'PY'
import collections, json, sys
items = [json.loads(l) for l in open(sys.argv[1])]
made = collections.Counter(i["case"] for i in items if i["kind"] == "decision_made")
cursors = [int(i["cursor"]) for i in items]
print(len(made), sum(1 for c in made.values() if c != 1), int(cursors == sorted(set(cursors))))
PY
)" "$(nq "$P" "SELECT count(*) FROM vhcv.decisions") 0 1" \
	"the change feed from its start has every decision once, in order"

# the whole history, through both vhcvd (audit verify reads a standby)
for v in 1 2; do
	out=$("$VHCV" -s "unix:$T_DIR/v$v.sock" --json audit verify 2>&1) || true
	t_contains "$out" '"ok": true' "audit verify through vhcvd $v passes after $ROUNDS failovers"
done
t_eq "$(nq "$P" "SELECT count(*) FROM vhcv.audit_seals s WHERE EXISTS (SELECT 1 FROM vhcv.audit_seals t
	WHERE t.id < s.id AND t.heads_hash = s.heads_hash)")" 0 "no state sealed twice across the failovers"
sealers=$(grep -l 'sealed seal=' "$T_DIR"/v1.log "$T_DIR"/v2.log | wc -l)
echo "   seals: $(nq "$P" "SELECT count(*) FROM vhcv.audit_seals"), written by $sealers of the 2 vhcvd over the rounds"
echo "   total: $ALL"
warned=$(cat "$T_DIR"/v1.log "$T_DIR"/v2.log | grep -c 'postgres warning: .*canceling wait for synchronous replication' || true)
answered=$(cat "$T_DIR"/v1.log "$T_DIR"/v2.log | grep -c 'commit not confirmed by the standby: answered 503' || true)
echo "   commits waiting for the standby, cancelled: $CANCELLED; warnings vhcvd received: $warned; answered 503: $answered"
if [ "$CANCELLED" -gt 0 ] && [ "$warned" -ge 1 ]; then
	t_eq "$answered" "$warned" "every commit whose wait was cancelled (committed with a WARNING) was answered 503, not success"
else
	t_fail "no commit waiting for the standby was cancelled: the path was not exercised ($CANCELLED cancelled, $warned warnings)"
fi
for v in 1 2; do
	t_eq "$(grep -c 'AddressSanitizer\|runtime error' "$T_DIR/v$v.log" || true)" 0 "no sanitizer report from vhcvd $v"
done
if [ "$T_FAILS" -gt 0 ]; then tail -20 "$T_DIR"/v1.log "$T_DIR"/v2.log >&2; fi
t_done
