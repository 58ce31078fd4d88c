#!/usr/bin/env bash
# Seals that scale (slow suite): 20,000 cases generated in SQL with valid
# hash chains, 1,000 seals with writes between them; the time of a seal
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

# an event with a valid hash, as vhd_event_hash computes it for an event
# without a recorded state (data {}), appended to the case's chain
t_psql "$db" -q <<'SQL'
SET search_path = vhcv;
CREATE FUNCTION public.t_event(cid bigint, k text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	c record;
	h text;
	t text := '2026-01-01T00:00:00.000000Z';
BEGIN
	SELECT number, event_count, coalesce(event_head, repeat('0', 64)) AS head INTO c
	FROM vhcv.cases WHERE id = cid FOR UPDATE;
	h := encode(pg_catalog.sha256(convert_to(c.head || E'\n' || c.number || E'\n' ||
		(c.event_count + 1) || E'\n' || k || E'\nseed\n' || t || E'\n{}', 'UTF8')), 'hex');
	INSERT INTO vhcv.case_events (case_id, seq, kind, actor, at, data, prev_hash, hash)
	VALUES (cid, c.event_count + 1, k, 'seed', t::timestamptz, '{}', c.head, h);
	UPDATE vhcv.cases SET event_count = event_count + 1, event_head = h WHERE id = cid;
END $$;
INSERT INTO units (code, name) VALUES ('U', 'Đơn vị');
INSERT INTO officials (code, full_name, category, unit_id) VALUES ('O', 'Người', 'cong_chuc', 1);
SQL
t0=$(ms)
t_psql "$db" -q <<SQL >/dev/null
SET search_path = vhcv;
BEGIN; -- a case and its report in one transaction, as the daemon writes them
INSERT INTO cases (year, seq, official_id, unit_id, rule_version_id, source, reporter,
	occurred_on, detected_on, description)
SELECT 2001, g, 1, 1, (SELECT min(id) FROM rule_versions), 'inspection', 'seed',
	'2001-01-01', '2001-01-02', 'mô tả' FROM generate_series(1, $CASES) g;
SELECT public.t_event(id, 'reported') FROM cases;
COMMIT;
SQL
echo "$CASES cases with their report event generated in $(($(ms) - t0)) ms"

# SEALS seals, 20 cases written between two
t0=$(ms)
# one psql session writes, and runs curl between its statements (\!)
for s in $(seq 1 "$SEALS"); do
	lo=$(( (s * 20) % CASES ))
	echo "SELECT public.t_event(id, 'note') FROM vhcv.cases WHERE id > $lo AND id <= $lo + 20;"
	echo "\\! curl -s -o /dev/null -X POST --unix-socket $SOCK http://x/v1/audit/seal"
done | t_psql "$db" -q >/dev/null
dt=$(($(ms) - t0))
heads=$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.audit_tree_heads")
t_eq "$heads" "$SEALS" "$SEALS seals written"
echo "seals: $SEALS in $dt ms with 20 events written between two ($((dt / SEALS)) ms a round, psql and curl included)"
t0=$(ms)
out=$(curl -s --unix-socket "$SOCK" http://x/v1/audit/seal)
echo "a seal with nothing new: $(($(ms) - t0)) ms"

rss0=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$T_DAEMON/status")
t0=$(ms)
out=$(cli --json audit verify) && rc=0 || rc=$?
dt=$(($(ms) - t0))
rss1=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$T_DAEMON/status")
hwm=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$T_DAEMON/status")
t_eq "$rc" 0 "the whole log verifies"
size=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["tree_size"], d["seals"], d["events"])' "$out")
echo "verify: $CASES cases, events/seals/tree: $size, in $dt ms; vhcvd RSS ${rss0} MB before, ${rss1} MB after, peak ${hwm} MB (ASan build)"
t_eq "$(echo "$size" | cut -d' ' -f2)" "$SEALS" "every seal checked against the tree rebuilt from the log"

# export, write more, seal: the log extends the exported head
cli audit seal --export >"$T_DIR/head.json"
t_psql "$db" -q -c "SELECT public.t_event(id, 'note') FROM vhcv.cases WHERE id <= 50" >/dev/null
curl -s -o /dev/null -X POST --unix-socket "$SOCK" http://x/v1/audit/seal
t0=$(ms)
out=$(cli audit verify --against "$T_DIR/head.json" 2>&1) && rc=0 || rc=$?
echo "verify --against: $(($(ms) - t0)) ms"
t_eq "$rc" 0 "untouched, today's log extends the exported head"

# rewrite one logged event deep in the log (the superuser), seal again
t_psql "$db" -q -c "SET session_replication_role = replica;
	UPDATE vhcv.audit_log SET hash = repeat('d', 64) WHERE pos = 777" >/dev/null
t_psql "$db" -q -c "SELECT public.t_event(id, 'note') FROM vhcv.cases WHERE id <= 5" >/dev/null
curl -s -o /dev/null -X POST --unix-socket "$SOCK" http://x/v1/audit/seal
out=$(cli audit verify --against "$T_DIR/head.json" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "once the log before it is rewritten, --against fails"
t_contains "$out" "does not extend" "saying so"
out=$(cli --json audit verify) && rc=0 || rc=$?
t_eq "$rc" 1 "and verify fails"
t_contains "$out" "no longer matches its root" "naming the seals whose root changed"
t_contains "$out" "log position 777 is not the one that was logged" "and the rewritten position"
t_daemon_stop
t_done
