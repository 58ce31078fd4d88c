#!/usr/bin/env bash
# Seals that scale (slow suite): 20,000 cases generated in SQL with valid
# hash chains, 1,000 seals with a note written between two; the time of a seal
# and of a whole verify, and vhcvd's memory, are printed. Then a head is
# exported: untouched, today's log extends it (--against passes); once
# the log before it is rewritten, --against fails and verify names the
# seals that no longer match.
. "$(dirname "$0")/lib.sh"

CASES=${VHCV_SEAL_CASES:-20000} SEALS=${VHCV_SEALS:-1000}
db=$(t_db seals)
openssl genpkey -algorithm ed25519 -out "$T_DIR/seal.pem" 2>/dev/null
{ t_config "$db"; echo "seal_key: $T_DIR/seal.pem"; echo "seal_interval_s: 0"; } >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
cli() { "$VHCV" -s "unix:$SOCK" "$@"; }
ms() { date +%s%3N; }

t_psql "$db" -q -c "INSERT INTO vhcv.units (code, name) VALUES ('U', 'Đơn vị');
	INSERT INTO vhcv.officials (code, full_name, category, unit_id) VALUES ('O', 'Người', 'cong_chuc', 1)"
# the cases and their report events in bulk, with the hashes vhd_event_hash
# gives an event without a recorded state (data {}), in one transaction as
# the daemon writes a case and its report
t0=$(ms)
t_psql "$db" -q <<SQL >/dev/null
SET search_path = vhcv;
BEGIN;
INSERT INTO cases (year, seq, official_id, unit_id, rule_version_id, source, reporter,
	occurred_on, detected_on, description)
SELECT 2001, g, 1, 1, (SELECT min(id) FROM rule_versions), 'inspection', 'seed',
	'2001-01-01', '2001-01-02', 'mô tả' FROM generate_series(1, $CASES) g;
INSERT INTO case_events (case_id, seq, kind, actor, at, data, prev_hash, hash)
SELECT id, 1, 'reported', 'seed', '2026-01-01T00:00:00Z', '{}', repeat('0', 64),
	encode(pg_catalog.sha256(convert_to(repeat('0', 64) || E'\n' || number
		|| E'\n1\nreported\nseed\n2026-01-01T00:00:00.000000Z\n{}', 'UTF8')), 'hex')
FROM cases ORDER BY id;
UPDATE cases c SET event_count = 1, event_head = e.hash FROM case_events e WHERE e.case_id = c.id;
COMMIT;
SQL
echo "$CASES cases with their report event generated in $(($(ms) - t0)) ms"
curl -s -o /dev/null -X POST --unix-socket "$SOCK" http://x/v1/audit/seal

# SEALS rounds over one connection: a note through the API, then a seal
cases=$(t_psql "$db" -tAc "SELECT number FROM vhcv.cases ORDER BY id LIMIT 50" | xargs)
t0=$(ms)
python3 "$(dirname "$0")/seal_rounds.py" "$SOCK" "$((SEALS - 1))" $cases | tee "$T_DIR/rounds"
echo "$((SEALS - 1)) rounds in $(($(ms) - t0)) ms"
t_contains "$(cat "$T_DIR/rounds")" ", 0 failed" "every round a note and a new seal"
heads=$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.audit_tree_heads")
t_eq "$heads" "$SEALS" "$SEALS seals written"
t0=$(ms)
out=$(curl -s --unix-socket "$SOCK" -X POST http://x/v1/audit/seal)
echo "a seal with nothing new: $(($(ms) - t0)) ms"

rss0=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$T_DAEMON/status")
t0=$(ms)
out=$(cli --json audit verify 2>&1) && rc=0 || rc=$?
dt=$(($(ms) - t0))
[ "$rc" = 0 ] || echo "   verify: ${out:0:600}" >&2
rss1=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$T_DAEMON/status")
hwm=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$T_DAEMON/status")
t_eq "$rc" 0 "the whole log verifies"
size=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["tree_size"], d["seals"], d["events"])' "$out")
echo "verify: $CASES cases, events/seals/tree: $size, in $dt ms; vhcvd RSS ${rss0} MB before, ${rss1} MB after, peak ${hwm} MB (ASan build)"
t_eq "$(echo "$size" | cut -d' ' -f2)" "$SEALS" "every seal checked against the tree rebuilt from the log"

# export, write more, seal: the log extends the exported head
cli audit seal --export >"$T_DIR/head.json"
python3 "$(dirname "$0")/seal_rounds.py" "$SOCK" 3 $cases >/dev/null
t0=$(ms)
out=$(cli audit verify --against "$T_DIR/head.json" 2>&1) && rc=0 || rc=$?
echo "verify --against: $(($(ms) - t0)) ms"
t_eq "$rc" 0 "untouched, today's log extends the exported head"

# rewrite one logged event deep in the log (the superuser), seal again
t_psql "$db" -q -c "SET session_replication_role = replica;
	UPDATE vhcv.audit_log SET hash = repeat('d', 64) WHERE pos = 777" >/dev/null
python3 "$(dirname "$0")/seal_rounds.py" "$SOCK" 1 $cases >/dev/null
out=$(cli audit verify --against "$T_DIR/head.json" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "once the log before it is rewritten, --against fails"
t_contains "$out" "does not extend" "saying so"
out=$(cli --json audit verify) && rc=0 || rc=$?
t_eq "$rc" 1 "and verify fails"
t_contains "$out" "no longer matches its root" "naming the seals whose root changed"
t_contains "$out" "log position 777 is not the one that was logged" "and the rewritten position"
t_daemon_stop
t_done
