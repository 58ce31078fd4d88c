#!/usr/bin/env bash
# The change feed never skips and serves commit order: writers put
# officials and decide cases in parallel through two vhcvd on one
# database, while one transaction takes its feed row first and commits
# last (held open in psql); a reader long-polls both daemons in turn. At
# the end the reader has every row of the feed exactly once, cursors
# strictly increasing, and the held row after the rows committed while it
# was open (a reader of "id > last" would have skipped it). Then the
# feed's filtering by the caller's units and the effects ended by the
# scheduler.
. "$(dirname "$0")/lib.sh"

db=$(t_db feed)
PORT=$(t_free_port)
tok() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
cfg1=$T_DIR/vhcvd1.yaml cfg2=$T_DIR/vhcvd2.yaml
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg1"
cat >>"$cfg1" <<YAML
  - token_sha256: "$(tok tok-hr-a)"
    name: hr-a
    role: hr
    units: ["A"]
YAML
sed -e "s|vhcvd.sock|vhcvd2.sock|" -e "/tcp:/d" "$cfg1" >"$cfg2"
"$VHCVD" --migrate -c "$cfg1" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg1"
t_daemon "$cfg2"
S1=$T_DIR/vhcvd.sock S2=$T_DIR/vhcvd2.sock

put() { # SOCK PATH BODY
	local c
	c=$(curl -sS --unix-socket "$1" -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data-binary "$3" "http://x$2")
	case $c in 2??) ;; *) echo "FAIL: PUT $2: $c" >&2; return 1 ;; esac
}
post() {
	curl -sS --unix-socket "$1" -X POST -H 'Content-Type: application/json' --data-binary "$3" "http://x$2"
}
curl -sS --unix-socket "$S1" -X POST --data-binary '{"code":"PT","name":"Tỉnh","valid_from":"2019-01-01"}' http://x/v1/units >/dev/null
for u in A B; do
	curl -sS --unix-socket "$S1" -X POST --data-binary "{\"code\":\"$u\",\"name\":\"Sở $u\",\"parent\":\"PT\",\"valid_from\":\"2019-01-01\"}" http://x/v1/units >/dev/null
done
for i in 1 2 3; do put "$S1" "/v1/officials/CM-$i" '{"full_name":"Thành viên","category":"cong_chuc","unit":"PT","valid_from":"2019-01-01"}'; done
put "$S1" /v1/officials/HOLD '{"full_name":"Giữ","category":"cong_chuc","unit":"A","valid_from":"2019-01-01"}'

# the reader: long-polls the two daemons in turn until told to stop
cat >"$T_DIR/reader.py" <<'PY'
import http.client, json, os, socket, sys, time
socks, stop, out = sys.argv[1:3], sys.argv[3], sys.argv[4]
class UC(http.client.HTTPConnection):
    def __init__(self, path): super().__init__("x", timeout=30); self.path_ = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX); self.sock.connect(self.path_)
seen, after, n, quiet = [], "0", 0, 0
while True:
    c = UC(socks[n % 2]); n += 1
    c.request("GET", "/v1/changes?after=%s&wait=2&limit=7" % after)
    r = c.getresponse(); d = json.loads(r.read()); c.close()
    assert r.status == 200, d
    seen += [(int(i["cursor"]), i["kind"], i["official"]) for i in d["items"]]
    after = d["next"]
    if os.path.exists(stop):
        quiet = quiet + 1 if not d["items"] else 0
        if quiet >= 2: break
json.dump({"seen": seen, "polls": n}, open(out, "w"))
PY
python3 "$T_DIR/reader.py" "$S1" "$S2" "$T_DIR/stop" "$T_DIR/seen.json" &
READER=$!

WRITERS=4 PER=15
# the held transaction: its feed row is written (and its id taken) first,
# and it commits only after every writer's event is in the feed
t_psql_app "$db" -c "BEGIN;
 INSERT INTO vhcv.official_versions (official_id, valid_from, full_name, category, leader, unit_id, status, actor)
 SELECT id, '2026-01-01', 'Giữ lâu', 'cong_chuc', false, unit_id, 'active', 'psql' FROM vhcv.officials WHERE code = 'HOLD';
 -- stay open until every writer's event is committed and placed in the
 -- feed (a new snapshot per statement): the held one must come after them
 DO \$\$ BEGIN
  FOR i IN 1..1200 LOOP
   EXIT WHEN (SELECT count(*) FROM vhcv.changes c JOIN vhcv.officials o ON o.id = c.official_id
              WHERE o.code LIKE 'W%' AND c.pos IS NOT NULL) >= $((WRITERS * PER));
   PERFORM pg_sleep(0.1);
  END LOOP;
 END \$\$;
 COMMIT;" >/dev/null &
HELD=$!
sleep 0.5
held_id=$(t_psql "$db" -tA -c "SELECT max(id) FROM vhcv.changes")
for w in $(seq $WRITERS); do
	(
		s=$S1; [ $((w % 2)) = 0 ] && s=$S2
		for i in $(seq $PER); do
			u=A; [ $((i % 3)) = 0 ] && u=B
			put "$s" "/v1/officials/W$w-$i" "{\"full_name\":\"Người $w-$i\",\"category\":\"cong_chuc\",\"unit\":\"$u\",\"valid_from\":\"2019-01-01\"}" || exit 1
		done
	) &
	WPIDS+=($!)
done
# a fifth writer decides two cases (decision_made events) on the second daemon
(
	for i in 1 2; do
		put "$S2" "/v1/officials/D-$i" '{"full_name":"Bị xử lý","category":"cong_chuc","unit":"A","valid_from":"2019-01-01"}'
		c=$(post "$S2" /v1/cases "{\"official\":\"D-$i\",\"rule\":\"TD-01\",\"occurred_on\":\"2026-01-02\",\"detected_on\":\"2026-01-03\",\"source\":\"inspection\",\"description\":\"vụ\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["case"])')
		post "$S2" "/v1/cases/$c/accept" '{}' >/dev/null
		post "$S2" "/v1/cases/$c/council" '{"members":["CM-1","CM-2","CM-3"]}' >/dev/null
		post "$S2" "/v1/cases/$c/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"$i/QĐ-F\",\"signed_on\":\"2026-02-01\",\"reason\":\"x\"}" >/dev/null
	done
) &
WPIDS+=($!)
wfail=0
for p in "${WPIDS[@]}"; do wait "$p" || wfail=1; done
t_eq "$wfail" 0 "every writer succeeded"
# committed while the held transaction was open, after it took its id
later=$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.changes WHERE id > $held_id")
wait $HELD
touch "$T_DIR/stop"
wait $READER
total=$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.changes")
read -r nseen nuniq ordered held_after polls < <(python3 - "$T_DIR/seen.json" "$db" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); s = d["seen"]
cur = [c for c, _, _ in s]
held = [c for c, k, o in s if o == "HOLD" and k == "official_changed"]
before = [c for c, k, o in s if o.startswith("W")]
print(len(s), len(set(cur)), cur == sorted(cur) and len(set(cur)) == len(cur),
      bool(held) and held[0] > max(before), d["polls"])
PY
)
echo "feed: $WRITERS+1 writers, $total events, $later committed while one transaction held an earlier id, $polls long-polls over 2 vhcvd"
t_eq "$(( later > 0 ))" 1 "rows with later ids committed while the held transaction was open"
t_eq "$nseen" "$total" "the reader saw every event"
t_eq "$nuniq" "$total" "each exactly once"
t_eq "$ordered" True "in strictly increasing cursor order"
t_eq "$held_after" True "the held transaction's event comes after every writer's, committed before it (commit order)"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.changes WHERE pos IS NULL")" 0 "every row is stamped"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.changes WHERE kind = 'decision_made'")" 2 "decisions are in the feed"

# filtered by the caller's units: hr-a (units A) sees A's rows and moves out of A
code=$(curl -sS -o "$T_DIR/hr.json" -w '%{http_code}' -H 'Authorization: Bearer tok-hr-a' "http://127.0.0.1:$PORT/v1/changes?limit=1000")
t_eq "$code" 200 "hr reads the feed"
put "$S1" /v1/officials/W1-1 '{"full_name":"Người 1-1","category":"cong_chuc","unit":"B","valid_from":"2026-03-01"}'
curl -sS -o "$T_DIR/hr2.json" -H 'Authorization: Bearer tok-hr-a' "http://127.0.0.1:$PORT/v1/changes?limit=1000&after=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["next"])' "$T_DIR/hr.json")"
t_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted({i["unit"] for i in d["items"]}))' "$T_DIR/hr.json")" "['A']" "hr of A sees only A's events"
t_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([(i["kind"], i["from_unit"], i["unit"]) for i in d["items"]])' "$T_DIR/hr2.json")" "[('official_moved', 'A', 'B')]" "and an official moving out of A"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer tok-hr-a' "http://127.0.0.1:$PORT/v1/changes?wait=61")
t_eq "$code" 400 "wait is at most 60 seconds"
# a stamped row is never renumbered, even by the owner
t_eq "$(t_psql "$db" -tA -c "UPDATE vhcv.changes SET pos = pos + 1000 WHERE id = 1" 2>&1 | grep -c 'stamped once')" 1 "a stamped place never changes"

t_daemon_stop
T_DAEMON=${T_PIDS[0]}
t_daemon_stop

# a backlog larger than one statement can stamp within the statement
# timeout (a bulk sync of many officials writes a row each) is stamped a
# batch per read; stamped whole, every read timed out and the feed was
# stuck for good (a read that times out on a loaded machine is retried)
sed -e 's/^  pool: 2$/  pool: 2\n  statement_timeout_ms: 300/' -e "s|vhcvd.sock|vhcvd3.sock|" -e "/tcp:/d" "$cfg1" >"$T_DIR/vhcvd3.yaml"
grep -q 'statement_timeout_ms: 300' "$T_DIR/vhcvd3.yaml" || t_fail "timeout config"
t_daemon "$T_DIR/vhcvd3.yaml"
top=$(t_psql "$db" -tA -c "SELECT max(pos) FROM vhcv.changes")
t_psql "$db" -c "INSERT INTO vhcv.changes (kind, official_id, unit_id) SELECT 'official_changed', o.id, o.unit_id FROM (SELECT id, unit_id FROM vhcv.officials ORDER BY id LIMIT 1) o, generate_series(1, 40000)" >/dev/null
reads=0
while [ "$reads" -lt 150 ] && [ "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.changes WHERE pos IS NULL")" != 0 ]; do
	reads=$((reads + 1))
	curl -sS --unix-socket "$T_DIR/vhcvd3.sock" -o /dev/null "http://x/v1/changes?after=$top&limit=1" || true
done
echo "feed backlog: 40,000 rows stamped in $reads reads"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FILTER (WHERE pos IS NULL), count(DISTINCT pos) FILTER (WHERE pos > $top) FROM vhcv.changes")" "0|40000" "40,000 rows waiting, a 300 ms statement timeout: stamped a batch per read, each place once"
code=$(curl -sS --unix-socket "$T_DIR/vhcvd3.sock" -o "$T_DIR/backlog.json" -w '%{http_code}' "http://x/v1/changes?after=$top&limit=5")
t_eq "$code,$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["items"]), sorted({i["kind"] for i in d["items"]}))' "$T_DIR/backlog.json")" "200,5 ['official_changed']" "and served"
t_daemon_stop
t_done
