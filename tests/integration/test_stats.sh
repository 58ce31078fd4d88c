#!/usr/bin/env bash
# Yearly statistics (GET /v1/stats) read the decisions and outcomes from
# stat_facts (migration 0091), kept by triggers, and compute the median
# and p90 in vhcvd from a histogram. This test makes every kind of fact
# through the API (reports, decisions within and past the deadline, a
# complex case whose deadline moves after its decision, a change on
# appeal, an annulment and the case decided again, a rejection, closings,
# a unit merged into another), then checks: stat_facts equals its rebuild
# from the history (stat_facts_fill); every breakdown, whole country and
# under a unit, equals the same figures computed from cases, decisions and
# case_events directly (percentile_cont over the decisions themselves) —
# the definition the statistics had before 0091; and a few figures by hand.
. "$(dirname "$0")/lib.sh"

db=$(t_db stats)
cfg=$T_DIR/vhcvd.yaml
{ t_config "$db"; echo "timezone: Asia/Ho_Chi_Minh"; echo "scheduler_interval_s: 3600"; } >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock
api() { t_api "$SOCK" "$@"; }
ok() { t_api_ok "$SOCK" "$@"; }
jget() { t_jget "$@"; }

ok POST /v1/units '{"code":"PT","name":"Tỉnh","valid_from":"2019-01-01"}'
for u in A B M; do
	ok POST /v1/units "{\"code\":\"$u\",\"name\":\"Sở $u\",\"parent\":\"PT\",\"valid_from\":\"2019-01-01\"}"
done
ok POST /v1/units '{"code":"A1","name":"Phòng A1","parent":"A","valid_from":"2019-01-01"}'
ok POST /v1/units '{"code":"Q","name":"Tỉnh khác","valid_from":"2019-01-01"}'
off() { ok PUT "/v1/officials/$1" "{\"full_name\":\"Cán bộ $1\",\"category\":\"cong_chuc\",\"unit\":\"$2\",\"valid_from\":\"2019-01-01\"}"; }
for i in 1 2 3; do off "CM-$i" PT; done
off O1 A1; off O2 A; off O3 B; off O4 M; off O5 A1; off O6 A; off O7 Q; off O8 A1; off O9 B
N=0
# report OFFICIAL DETECTED [SOURCE] [RULE]: sets CASE
report() {
	N=$((N + 1))
	ok POST /v1/cases "{\"official\":\"$1\",\"rule\":\"${4:-TD-01}\",\"occurred_on\":\"$(date -d "$2 -1 day" +%F)\",\"detected_on\":\"$2\",\"source\":\"${3:-inspection}\",\"description\":\"vụ $N\"}" || return 1
	CASE=$(jget 'd["case"]')
}
# decide CASE SIGNED [FORM] [EXTRA JSON MEMBERS]: accepted, council, decided
decide() {
	ok POST "/v1/cases/$1/accept" '{}' && ok POST "/v1/cases/$1/council" '{"members":["CM-1","CM-2","CM-3"]}' || return 1
	N=$((N + 1))
	ok POST "/v1/cases/$1/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"${3:-khien_trach}\",\"number\":\"$N/QĐ-UBND\",\"signed_on\":\"$2\",\"reason\":\"kịch bản\"${4:+, $4}}"
}
report O1 2025-02-01; decide "$CASE" 2025-02-20; C1=$CASE                  # within the deadline
report O2 2025-01-05 citizen; decide "$CASE" 2025-12-20; C2=$CASE          # long past it
report O3 2025-03-03 front; ok POST "/v1/cases/$CASE/reject" '{"reason":"unfounded"}'
report O4 2025-03-01; decide "$CASE" 2025-03-10 canh_cao; C4=$CASE
ok POST "/v1/cases/$C4/appeal" '{"filed_on":"2025-03-20"}'
ok POST "/v1/cases/$C4/annul" '{"number":"80/QĐ-UBND","signed_on":"2025-05-01"}'
report O5 2025-03-15 self; decide "$CASE" 2025-04-01 canh_cao; C5=$CASE
ok POST "/v1/cases/$C5/appeal" '{"filed_on":"2025-04-05"}'
ok POST "/v1/cases/$C5/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"81/QĐ-UBND","signed_on":"2025-05-15","reason":"đổi khi khiếu nại"}'
report O6 2025-06-01 supervision; ok POST "/v1/cases/$CASE/accept" '{}'
ok POST "/v1/cases/$CASE/close" '{"reason":"no_sanction"}'
report O7 2025-06-10; decide "$CASE" 2025-07-01                             # outside PT
# complex, found so at the decision: the deadline moves after the decision
# is written, and "within the deadline" must follow it
report O8 2025-04-01 citizen; C8=$CASE
ok GET "/v1/cases/$C8"; due8=$(jget 'd["handling_deadline"]')
decide "$C8" "$(date -d "$due8 +5 days" +%F)" khien_trach '"complex": true'
ok GET "/v1/cases/$C8"; t_eq "$(jget 'd["handling_deadline"] > "'"$due8"'"')" True "a complex case's deadline moved at its decision"
report O9 2025-08-08; report O9 2025-12-31 citizen; report O9 2026-01-01     # the year's edges
report O2 2025-09-09 front; ok POST "/v1/cases/$CASE/accept" '{}'             # open
# one decided case closes when its complaint window ended
ok POST "/v1/cases/$C1/close" '{}'
ok POST /v1/units/M/merge '{"into":"A"}'

# ---- stat_facts equals its rebuild from the history
facts="SELECT case_id, m, day, at, unit_id, rule_version_id, source, form, days, deadline FROM vhcv.stat_facts"
same=$(t_psql "$db" -tA -c "BEGIN; CREATE TEMP TABLE kept AS $facts; SELECT vhcv.stat_facts_fill();
	SELECT (SELECT count(*) FROM (TABLE kept EXCEPT ALL $facts) x) || '/' ||
	 (SELECT count(*) FROM ($facts EXCEPT ALL TABLE kept) y) || '/' || (SELECT count(*) FROM kept); ROLLBACK;" | tail -1)
t_eq "$same" "0/0/13" "stat_facts as the triggers kept it equals its rebuild (8 decisions, 1 rejection, 2 appeals, 2 closings)"
t_eq "$(t_psql "$db" -tA -c "SELECT string_agg(m || ':' || n, ',' ORDER BY m) FROM (SELECT m, count(*) n FROM vhcv.stat_facts GROUP BY m) x")" \
	"annulled:1,appealed:2,changed:1,closed:2,decided:6,rejected:1" "every kind of fact"
t_eq "$(t_psql "$db" -tA -c "SELECT f.deadline = c.handling_deadline FROM vhcv.stat_facts f JOIN vhcv.cases c ON c.id = f.case_id WHERE c.number = '$C8'")" t \
	"the complex case's fact has the deadline as moved after the decision"

# ---- every breakdown against the statistics computed from the history
# ref FROM TO [UNIT] BY: rows key|reported|decided|changed|annulled|rejected|appealed|closed|p50|p90|within
ref() {
	local from=$1 to=$2 unit=$3 by=$4 key
	case $by in
	"") key="'total'" ;; rule) key="rv.code::text" ;; group) key="rv.grp::text" ;;
	month) key="to_char(f.day, 'YYYY-MM')" ;; source) key="f.source" ;; form) key="f.form" ;;
	unit) key="au.code::text" ;;
	esac
	t_psql "$db" -tA -F'|' -v from="$from" -v to="$to" -v unit="$unit" <<SQL
WITH RECURSIVE up(unit_id, anc) AS (SELECT id, id FROM vhcv.units UNION
  SELECT up.unit_id, coalesce(u.merged_into, u.parent_id) FROM up JOIN vhcv.units u ON u.id = up.anc
  WHERE coalesce(u.merged_into, u.parent_id) IS NOT NULL),
 scope AS (SELECT up.unit_id AS id FROM up JOIN vhcv.units s ON s.id = up.anc WHERE s.code = :'unit'
  UNION SELECT id FROM vhcv.units WHERE :'unit' = ''),
 facts AS (
  SELECT 'reported' AS m, c.unit_id, c.rule_version_id, c.source, c.detected_on AS day,
   NULL::text AS form, NULL::int AS days, NULL::boolean AS within FROM vhcv.cases c
  WHERE c.detected_on BETWEEN :'from' AND :'to'
  UNION ALL SELECT CASE d.kind WHEN 'decision' THEN 'decided' WHEN 'change' THEN 'changed' ELSE 'annulled' END,
   c.unit_id, c.rule_version_id, c.source, d.signed_on, d.form::text, d.signed_on - c.detected_on,
   d.signed_on <= c.handling_deadline FROM vhcv.decisions d JOIN vhcv.cases c ON c.id = d.case_id
  WHERE d.signed_on BETWEEN :'from' AND :'to'
  UNION ALL SELECT CASE WHEN e.kind IN ('waived', 'expired') THEN 'closed' ELSE e.kind END,
   c.unit_id, c.rule_version_id, c.source, (e.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, NULL, NULL, NULL
  FROM vhcv.case_events e JOIN vhcv.cases c ON c.id = e.case_id
  WHERE e.kind IN ('rejected', 'appealed', 'closed', 'waived', 'expired')
   AND (e.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN :'from' AND :'to'),
 keyed AS (SELECT $key AS key, f.* FROM facts f
  JOIN vhcv.rule_versions rv ON rv.id = f.rule_version_id
  JOIN up ON up.unit_id = f.unit_id AND (up.anc = f.unit_id OR '$by' = 'unit')
  JOIN vhcv.units au ON au.id = up.anc
  WHERE f.unit_id IN (SELECT id FROM scope) AND up.anc IN (SELECT id FROM scope))
SELECT key, count(*) FILTER (WHERE m = 'reported'), count(*) FILTER (WHERE m = 'decided'),
 count(*) FILTER (WHERE m = 'changed'), count(*) FILTER (WHERE m = 'annulled'),
 count(*) FILTER (WHERE m = 'rejected'), count(*) FILTER (WHERE m = 'appealed'),
 count(*) FILTER (WHERE m = 'closed'),
 percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE m = 'decided'),
 percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FILTER (WHERE m = 'decided'),
 count(*) FILTER (WHERE m = 'decided' AND within)
FROM keyed WHERE key IS NOT NULL GROUP BY key ORDER BY key
SQL
}
# same FROM TO UNIT BY: the answer's figures equal ref's
same() {
	local q="from=$1&to=$2${3:+&unit=$3}${4:+&by=$4}" want
	ok GET "/v1/stats?$q" || return 1
	want=$(ref "$1" "$2" "$3" "$4")
	python3 - "$body" "$want" "$4" <<'PY' || { t_fail "GET /v1/stats?$q differs from the history"; return 0; }
import json, sys
d, by = json.loads(sys.argv[1]), sys.argv[3]
want = [l.split("|") for l in sys.argv[2].splitlines() if l]
names = ["reported", "decided", "changed", "annulled", "rejected", "appealed", "closed"]
def row(w):
    decided = int(w[2])
    return {"key": w[0], **{n: int(v) for n, v in zip(names, w[1:8])},
            "median_days_to_decision": float(w[8]) if w[8] else None,
            "p90_days_to_decision": float(w[9]) if w[9] else None,
            "decided_within_deadline": int(w[10]) / decided if decided else None}
rows = [row(w) for w in want]
got = ([dict(d["totals"], key="total")] if rows else []) if by == "" else \
    d["reports_by_source"] if by == "source" else d["outcomes_by_form"] if by == "form" else d["groups"]
if by == "" and not rows:
    assert d["totals"]["reported"] == 0 and d["totals"]["median_days_to_decision"] is None
if by == "form":
    rows = [r for r in rows if r["decided"] + r["changed"] > 0]
if by == "source":
    assert d["groups"] == d["reports_by_source"], "by=source: groups differ from reports_by_source"
if got != rows:
    print("got ", got, "\nwant", rows, file=sys.stderr)
    sys.exit(1)
PY
	[ $? -eq 0 ] && t_ok "GET /v1/stats?$q: $(grep -c . <<<"$want") rows of figures, as computed from the history"
}
Y=$(date +%Y)
for by in "" rule group unit month source form; do
	same 2025-01-01 "$Y-12-31" "" "$by"
	same 2025-01-01 2025-12-31 PT "$by"
done
same 2025-03-01 2025-05-15 A unit
same 2025-04-01 2025-04-01 A1 ""
same "$Y-01-01" "$Y-12-31" "" unit           # this year: the rejection, appeals and closings
same 2030-01-01 2030-12-31 "" unit           # nothing
same 2030-01-01 2030-12-31 "" ""

# ---- by hand (2025, under PT)
ok GET '/v1/stats?from=2025-01-01&to=2025-12-31&unit=PT&by=unit'
t_eq "$(jget '[d["totals"][k] for k in ("reported", "decided", "changed", "annulled")]')" "[10, 5, 1, 1]" \
	"totals under PT: 10 detected in 2025 (not O7's outside, not 1 January 2026), 5 decided, 1 changed, 1 annulled"
t_eq "$(jget '[(g["key"], g["reported"], g["decided"]) for g in d["groups"]]')" \
	"[('A', 7, 5), ('A1', 3, 3), ('B', 3, 0), ('M', 1, 1), ('PT', 10, 5)]" "units rolled up (M merged into A counts under A)"
t_eq "$(jget 'd["totals"]["decided_within_deadline"]')" 0.8 "4 of 5 within the deadline: O2's was late, the complex case's deadline moved past its decision"

# the same answers after a rebuild of stat_facts (what bench/vhgen does)
ok GET '/v1/stats?from=2025-01-01&to=2025-12-31&by=unit'; before=$body
t_psql "$db" -tA -c "SELECT vhcv.stat_facts_fill()" >/dev/null
ok GET '/v1/stats?from=2025-01-01&to=2025-12-31&by=unit'
t_eq "$body" "$before" "byte for byte the same answer after stat_facts_fill()"

# ---- identical requests at once share one statement (single flight),
# each answered as it would be alone. The first one's statement is held on
# a lock of stat_facts; the seven like it that arrive meanwhile wait to be
# answered together by one statement after it, so only one statement of
# vhcvd ever waits on the lock; a public one and one under another unit
# (other parameters) have their own statement and answer.
# (vhcvd sized for the ten at once: a pool of 2 would itself let only
# two statements wait)
t_daemon_stop
# (and a statement timeout longer than the lock is held: on a loaded
# machine the ten requests take seconds to arrive, and the first one's
# statement must still be waiting when they are counted)
sed 's/^  pool: 2$/  pool: 12\n  statement_timeout_ms: 60000/' "$cfg" >"$T_DIR/flight.yaml"
printf 'limits:\n  threads: 12\n' >>"$T_DIR/flight.yaml"
t_daemon "$T_DIR/flight.yaml"
q='/v1/stats?from=2025-01-01&to=2025-12-31&by=unit'
ok GET "$q"; alone=$body
ok GET "$q&public=true"; alone_pub=$body
ok GET '/v1/stats?from=2025-01-01&to=2025-12-31&by=unit&unit=A'; alone_a=$body
# (the lock held until the count below is taken, then cancelled: a loaded
# machine may take seconds to bring the ten requests to it)
t_psql "$db" -c "BEGIN; LOCK TABLE vhcv.stat_facts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30); COMMIT" >/dev/null 2>&1 &
LOCKER=$!
T_PIDS+=("$LOCKER")
# the statements waiting to read stat_facts (its lock asked for, not
# granted): the statistics' (vhcvd's periodic jobs would ask for a lock to
# write it, RowExclusiveLock)
waiting() { t_psql "$db" -tAc "SELECT count(*) FROM pg_locks WHERE relation = 'vhcv.stat_facts'::regclass
	AND mode = 'AccessShareLock' AND NOT granted"; }
# (the lock taken before the first request: at load 5 psql took more than
# the 0.3 s once given, the requests ran unblocked and none was counted)
for _ in $(seq 400); do
	[ "$(t_psql "$db" -tAc "SELECT count(*) FROM pg_locks WHERE relation = 'vhcv.stat_facts'::regclass
		AND mode = 'AccessExclusiveLock' AND granted")" == 1 ] && break
	sleep 0.05
done
get() { curl -sS --unix-socket "$SOCK" -o "$T_DIR/flight.$1" "http://x$2"; }
gets=()
get 0 "$q" &
gets+=($!)
for _ in $(seq 400); do [ "$(waiting)" -ge 1 ] && break; sleep 0.05; done
for i in 1 2 3 4 5 6 7; do get "$i" "$q" & gets+=($!); done
get p "$q&public=true" &
gets+=($!)
get a '/v1/stats?from=2025-01-01&to=2025-12-31&by=unit&unit=A' &
gets+=($!)
# (up to 20 s: on a machine at load 10 the ten curls took over 5 s to
# bring the second statement to the lock; the lock is held 30 s)
for _ in $(seq 400); do [ "$(waiting)" -ge 2 ] && break; sleep 0.05; done
sleep 1 # (the others, had they a statement each, would be waiting by now)
n=$(waiting)
if [ "$n" != 2 ]; then # (what was there, for the log)
	t_psql "$db" -tAc "SELECT pid, usename, state, wait_event_type, wait_event, left(query, 100)
		FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()" >&2
	ls "$T_DIR" >&2
	tail -20 "$T_DIR/vhcvd.log" >&2
fi
t_eq "$n" 2 "one statement of the eight identical requests and the public one (the same rows, its answer made apart) waits on the lock, one under A"
t_psql "$db" -tAc "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
	WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$LOCKER" || true
wait "${gets[@]}"
for i in 0 1 2 3 4 5 6 7; do
	[ "$(cat "$T_DIR/flight.$i")" == "$alone" ] || t_fail "request $i of eight at once: not the answer it gets alone"
done
t_ok "eight identical requests at once: each the answer it gets alone"
t_eq "$(cat "$T_DIR/flight.p")" "$alone_pub" "the public one at the same time: its own answer (small cells suppressed)"
t_eq "$(cat "$T_DIR/flight.a")" "$alone_a" "the one under A at the same time: its own answer"
t_daemon_stop
t_done
