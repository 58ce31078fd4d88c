#!/usr/bin/env bash
# Issue #11 scenarios with hand-computed answers: the official's record as
# on a date (issue #8 item 5), commendation eligibility at the boundaries
# (31 December vs 1 January, annulled, changed on appeal, moved mid-year,
# merged unit, open case across the year end), effects that end by
# themselves (ending today vs tomorrow, written once), deadlines,
# statistics with public suppression, early warnings, CSV exports parsed
# back strictly, subject access and bulk sync.
. "$(dirname "$0")/lib.sh"

db=$(t_db record)
cfg=$T_DIR/vhcvd.yaml
{ t_config "$db"; echo "scheduler_interval_s: 3600"; printf 'warnings:\n  cases: 2\n  window_days: 3650\n'; } >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock

# api METHOD PATH [BODY]: sets code and body
api() { t_api "$SOCK" "$@"; }
ok() { t_api_ok "$SOCK" "$@"; }
jget() { t_jget "$@"; }

ok POST /v1/units '{"code":"PT","name":"UBND tỉnh Phú Thọ","valid_from":"2019-01-01"}'
for u in A B M; do
	ok POST /v1/units "{\"code\":\"$u\",\"name\":\"Sở $u\",\"parent\":\"PT\",\"valid_from\":\"2019-01-01\"}"
done
ok POST /v1/units '{"code":"Q","name":"Tỉnh khác","valid_from":"2019-01-01"}'   # outside PT
off() { ok PUT "/v1/officials/$1" "{\"full_name\":\"${3:-Cán bộ $1}\",\"category\":\"cong_chuc\",\"unit\":\"$2\",\"valid_from\":\"${4:-2019-01-01}\"}"; }
for i in 1 2 3; do off "CM-$i" PT; done
for o in E1 E2 E3 E4 E5 E8 W1; do off $o A; done
off F1 Q; off F2 Q
off E6 A; off E6 B "Cán bộ E6" 2025-07-01     # moved mid-year
off E7 M                                      # in a unit merged later
N=0
# decided OFFICIAL OCCURRED DETECTED SIGNED [FORM]: a case decided; sets CASE and NUM
decided() {
	N=$((N + 1))
	ok POST /v1/cases "{\"official\":\"$1\",\"rule\":\"TD-01\",\"occurred_on\":\"$2\",\"detected_on\":\"$3\",\"source\":\"inspection\",\"description\":\"vụ $N\"}" || return 1
	CASE=$(jget 'd["case"]')
	[ -z "$4" ] && return 0
	ok POST "/v1/cases/$CASE/accept" '{}' && ok POST "/v1/cases/$CASE/council" '{"members":["CM-1","CM-2","CM-3"]}' || return 1
	NUM="$N/QĐ-UBND"
	ok POST "/v1/cases/$CASE/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"${5:-khien_trach}\",\"number\":\"$NUM\",\"signed_on\":\"$4\",\"reason\":\"kịch bản\"}"
}
decided E2 2025-12-01 2025-12-02 2025-12-31; E2_NUM=$NUM
decided E3 2025-12-01 2025-12-02 2026-01-01
decided E4 2025-05-01 2025-05-02 2025-06-10; E4_CASE=$CASE
ok POST "/v1/cases/$E4_CASE/appeal" '{"filed_on":"2025-06-15"}'
ok POST "/v1/cases/$E4_CASE/annul" '{"number":"90/QĐ-UBND","signed_on":"2025-09-01"}'
decided E5 2025-09-01 2025-09-02 2025-10-01 canh_cao; E5_CASE=$CASE E5_OLD=$NUM
ok POST "/v1/cases/$E5_CASE/appeal" '{"filed_on":"2025-10-05"}'
ok POST "/v1/cases/$E5_CASE/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"91/QĐ-UBND","signed_on":"2025-11-20","reason":"đổi khi khiếu nại"}'
decided E6 2025-03-01 2025-03-02 2025-04-01; E6_NUM=$NUM       # while in A, before the move
decided E7 2025-03-01 2025-03-02 2025-04-02; E7_NUM=$NUM
ok POST /v1/units/M/merge '{"into":"A"}'
decided E8 2025-12-20 2025-12-22 ""; E8_CASE=$CASE              # open across the year end
ok POST "/v1/cases/$E8_CASE/accept" '{}'

# effects ending today and tomorrow (checked after a restart below)
TODAY=$(date +%F)
F1_EFF=$(date -d "$(date -d yesterday +%F) -12 months" +%F)   # effect_until = yesterday: ends today
F2_EFF=$(date -d "$TODAY -12 months" +%F)                     # effect_until = today: ends tomorrow
decided F1 "$(date -d "$F1_EFF -20 days" +%F)" "$(date -d "$F1_EFF -15 days" +%F)" "$F1_EFF"; F1_NUM=$NUM
decided F2 "$(date -d "$F2_EFF -20 days" +%F)" "$(date -d "$F2_EFF -15 days" +%F)" "$F2_EFF"; F2_NUM=$NUM

# ---- the record as on a date (issue #8 item 5)
ok GET '/v1/officials/E5/record?on=2025-10-15'
t_eq "$(jget '[(s["number"], s["form"]) for s in d["sanctions"]]')" "[('$E5_OLD', 'canh_cao')]" "on 2025-10-15 the warning changed on 2025-11-20 is in effect"
t_eq "$(jget '[x["state"] for x in d["decisions"]]')" "['in_effect']" "and the change is not yet known"
ok GET '/v1/officials/E5/record?on=2025-11-20'
t_eq "$(jget '[(s["number"], s["form"]) for s in d["sanctions"]]')" "[('91/QĐ-UBND', 'khien_trach')]" "from 2025-11-20 the reprimand replaces it"
t_eq "$(jget '[x["state"] for x in d["decisions"]]')" "['superseded', 'in_effect']" "the warning shows as superseded"
t_eq "$(jget '[(a["year"], a["rating"], a["decision"]["number"]) for a in d["assessments"]]')" "[(2025, 'khong_hoan_thanh_nhiem_vu', '91/QĐ-UBND')]" "2025 assessed as not completing duties, by the new decision"
t_eq "$(jget 'd["career_freeze"]["until"]')" 2026-11-20 "career freeze until 12 months after the change took effect"
ok GET '/v1/officials/E4/record?on=2025-08-01'
t_eq "$(jget 'len(d["sanctions"])')" 1 "E4's reprimand is in effect before its annulment"
ok GET '/v1/officials/E4/record'
t_eq "$(jget 'len(d["sanctions"])'),$(jget 'd["assessments"]')" "0,[]" "after it, nothing: an annulled decision never counts"
t_eq "$(jget '[x["state"] for x in d["decisions"]]')" "['annulled', 'annulment']" "shown as annulled"
ok GET '/v1/officials/E8/record'
t_eq "$(jget 'd["open_cases_count"]'),$(jget 'd["open_cases"]'),$(jget 'd["open_cases_page"][0]["status"]')" "1,['$E8_CASE'],under_review" "an open case: a count and the first page"
t_eq "$(jget '"retirement" in d["barred_while_open"]')" True "an open case bars retirement"
ok GET '/v1/officials/E5?on=2025-10-15'
t_eq "$(jget '[s["form"] for s in d["sanctions"]]')" "['canh_cao']" "GET /v1/officials?on= judges supersession as of that date too"

# ---- eligibility for 2025 under PT (hand-computed)
ok GET '/v1/eligibility?year=2025&unit=PT&limit=1000'
got=$(jget '";".join("%s:%s:%s:%s" % (i["official"], i["unit"], i["status"], (i["decision"] or {}).get("number") or i["case"] or "") for i in d["items"] if i["official"][0] in "E")')
t_eq "$got" "E1:A:eligible:;E2:A:not_eligible:$E2_NUM;E3:A:eligible:;E4:A:eligible:;E5:A:not_eligible:91/QĐ-UBND;E6:B:not_eligible:$E6_NUM;E7:M:not_eligible:$E7_NUM;E8:A:held:$E8_CASE" "eligibility 2025: 31 Dec counts, 1 Jan does not, annulled does not, changed counts as the new one, moved once under B, merged unit M, open case held"
# the whole register (no unit, an identity of all units) is planned
# differently (officials in code order): the same answers
ok GET '/v1/eligibility?year=2025&limit=1000'
t_eq "$(jget '";".join("%s:%s:%s:%s" % (i["official"], i["unit"], i["status"], (i["decision"] or {}).get("number") or i["case"] or "") for i in d["items"] if i["official"][0] in "E")')" "$got" "eligibility 2025 of the whole register: the same answers as under PT"
ok GET '/v1/eligibility?year=2026&unit=PT&limit=1000'
t_eq "$(jget '[i["status"] for i in d["items"] if i["official"] == "E3"]')" "['not_eligible']" "the 1 January decision counts for 2026"
ok GET '/v1/eligibility?year=2025&unit=A&limit=1000'
t_eq "$(jget '"E6" in [i["official"] for i in d["items"]]')" False "E6 is not under A for 2025 (in B on 31 December)"
t_eq "$(jget '"E7" in [i["official"] for i in d["items"]]')" True "the merged unit's official is under A"
ok GET '/v1/eligibility?year=2025&unit=PT&limit=3'
p1=$(jget '[i["official"] for i in d["items"]]') nx=$(jget 'd["next"]')
ok GET "/v1/eligibility?year=2025&unit=PT&limit=3&after=$nx"
t_eq "$p1 $(jget '[i["official"] for i in d["items"]]')" "['CM-1', 'CM-2', 'CM-3'] ['E1', 'E2', 'E3']" "paged by official code"
# small pages of a unit walk the officials in code order (the plan for a
# page of a large scope): page by page, the same officials and answers as
# in one page, E6 (in B on 31 December) not under A
ok GET '/v1/eligibility?year=2025&unit=A&limit=1000'
whole=$(jget '";".join("%s:%s" % (i["official"], i["status"]) for i in d["items"])')
walked="" nx=""
for _ in $(seq 1 50); do
	ok GET "/v1/eligibility?year=2025&unit=A&limit=2${nx:+&after=$nx}"
	pg=$(jget '";".join("%s:%s" % (i["official"], i["status"]) for i in d["items"])')
	[ -z "$pg" ] || walked="$walked${walked:+;}$pg"
	nx=$(jget 'd["next"] or ""')
	[ -n "$nx" ] || break
done
t_eq "$walked" "$whole" "eligibility of A in pages of 2: the same officials and answers as in one page"
api GET '/v1/eligibility?unit=PT'
t_eq "$code/$(jget 'd["field"]')" 400/year "year is required, named"
api GET '/v1/eligibility?year=2025&unit=NOPE'
t_eq "$code" 404 "an unknown unit is 404"

# vhcvd ticks before it serves (and every hour here): a restart catches up
t_daemon_stop
t_daemon "$cfg"
endings() { t_psql "$db" -tA -c "SELECT string_agg(e.kind || '@' || e.ended_on, ',' ORDER BY e.kind) FROM vhcv.effect_endings e JOIN vhcv.decisions d ON d.id = e.decision_id WHERE d.symbol = '$1'"; }
t_eq "$(endings "$F1_NUM")" "effect_ended@$TODAY,freeze_ended@$TODAY" "an effect whose last day was yesterday ends today, effect and freeze"
t_eq "$(endings "$F2_NUM")" "" "one whose last day is today has not ended"
t_eq "$(endings "$E6_NUM")" "effect_ended@2026-04-02,freeze_ended@2026-04-02" "endings missed while down are written with their real date (catch-up)"
t_eq "$(endings "91/QĐ-UBND")" "effect_ended@2026-11-21,freeze_ended@2026-11-21" "the change of 2025-11-20 ended on 2026-11-21"
t_eq "$(endings "$E2_NUM")" "" "a decision still in effect has none"
t_eq "$(endings "$E5_OLD")" "" "a superseded decision never ends by itself"
# the tick reads only the endings queued in effect_pending (migration
# 0112): what it wrote is what reading every decision finds (the tick's
# statement before 0112, kept here as the reference), and what is left
# queued is exactly the endings still to come
full_scan="SELECT d.id, e.kind, e.until + 1 FROM vhcv.decisions d
	CROSS JOIN LATERAL (VALUES ('effect_ended', d.effect_until), ('freeze_ended', d.freeze_until)) e(kind, until)
	WHERE d.kind <> 'annulment' AND d.form <> 'none' AND e.until IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM vhcv.decisions n WHERE n.supersedes_id = d.id AND n.effective_on <= e.until)"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM ($full_scan AND e.until < current_date
	EXCEPT SELECT decision_id, kind, ended_on FROM vhcv.effect_endings) x")" 0 "every ending a full read of the decisions finds is written, with its date"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM (SELECT decision_id, kind, ended_on FROM vhcv.effect_endings
	EXCEPT $full_scan AND e.until < current_date) x")" 0 "and nothing else"
t_eq "$(t_psql "$db" -tA -c "SELECT string_agg(p.kind, ',' ORDER BY p.kind) FROM vhcv.effect_pending p
	JOIN vhcv.decisions d ON d.id = p.decision_id WHERE p.until < current_date OR d.symbol = '$F2_NUM'")" \
	"effect_ended,freeze_ended" "nothing overdue is left queued; the ending of tomorrow waits"
# a decision written after the last tick whose effect already ran out
# (registered late): a shortcut reading only the days since the last tick
# would miss it; superseded the day its effect was to end, it does not end
off F3 Q; off F4 Q
decided F3 2025-01-10 2025-01-11 2025-02-10; F3_NUM=$NUM
decided F4 2025-01-10 2025-01-11 2025-02-10 canh_cao; F4_CASE=$CASE F4_OLD=$NUM
ok POST "/v1/cases/$F4_CASE/appeal" '{"filed_on":"2025-02-14"}'
ok POST "/v1/cases/$F4_CASE/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"92/QĐ-UBND","signed_on":"2025-03-10","reason":"đổi khi khiếu nại"}'
t_daemon_stop
t_daemon "$cfg"
t_eq "$(endings "$F3_NUM")" "effect_ended@2026-02-11,freeze_ended@2026-02-11" "an ending registered late is written at the next tick, with its real date"
t_eq "$(endings "$F4_OLD")" "" "superseded before its effect ran out: no ending"
t_eq "$(endings "92/QĐ-UBND")" "effect_ended@2026-03-11,freeze_ended@2026-03-11" "its replacement ends by itself"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM (($full_scan AND e.until < current_date)
	EXCEPT SELECT decision_id, kind, ended_on FROM vhcv.effect_endings) x")" 0 "again every ending a full read finds"
# a second vhcvd on the same database ticks too: nothing is written twice
sed "s|vhcvd.sock|vhcvd2.sock|" "$cfg" >"$T_DIR/second.yaml"
FIRST=$T_DAEMON
t_daemon "$T_DIR/second.yaml"
t_daemon_stop
T_DAEMON=$FIRST
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.effect_endings e JOIN vhcv.decisions d ON d.id = e.decision_id WHERE d.symbol = '$F1_NUM'")" 2 "written once, whatever the ticks and daemons"
ok GET '/v1/changes?limit=1000'
t_eq "$(jget '[i["kind"] for i in d["items"] if i["data"].get("number") == "'"$F1_NUM"'"]')" "['decision_made', 'effect_ended', 'freeze_ended']" "the endings reach the change feed"
ok GET '/v1/officials/F1/record'
t_eq "$(jget '[x["state"] for x in d["decisions"]]'),$(jget 'd["career_freeze"]')" "['ended'],None" "F1's record: the effect ended, no career freeze"
ok GET '/v1/officials/F2/record'
t_eq "$(jget '[x["state"] for x in d["decisions"]]'),$(jget 'd["career_freeze"]["until"]')" "['in_effect'],$TODAY" "F2's: in effect through today"

# ---- deadlines: days left, due within, near the limitation date
decided E1 "$(date -d '-3 days' +%F)" "$TODAY" ""; NEW_CASE=$CASE
due=$(jget 'd["handling_deadline"]') lim=$(jget 'd["limitation_expires_on"]')
days=$(( ($(date -d "$due" +%s) - $(date -d "$TODAY" +%s)) / 86400 ))
ldays=$(( ($(date -d "$lim" +%s) - $(date -d "$TODAY" +%s)) / 86400 ))
t_eq "$(jget 'd["days_left"]["handling"]'),$(jget 'd["days_left"]["limitation"]')" "$days,$ldays" "case show: days left to the handling deadline and the limitation date"
listed() { ok GET "/v1/cases?limit=500&$1" && jget '"'"$NEW_CASE"'" in [c["case"] for c in d["items"]]'; }
t_eq "$(listed "due_within=$days") $(listed "due_within=$((days - 1))")" "True False" "due within $days days lists it, within $((days - 1)) not"
t_eq "$(listed "limitation_within=$ldays") $(listed "limitation_within=$((ldays - 1))")" "True False" "near its limitation date at $ldays days, not at $((ldays - 1))"
t_eq "$(listed "overdue=true")" False "a new case is not overdue"
ok GET "/v1/cases?limit=500&overdue=true"
t_eq "$(jget '"'"$E8_CASE"'" in [c["case"] for c in d["items"]]')" True "the case open since 2025 is overdue"
api GET '/v1/cases?due_within=x'
t_eq "$code/$(jget 'd["field"]')" 400/due_within "a bad due_within is refused, named"

# ---- statistics for 2025 under PT (hand-computed above each figure)
ok GET '/v1/stats?from=2025-01-01&to=2025-12-31&unit=PT&by=unit'
t_eq "$(jget '[d["totals"][k] for k in ("reported", "decided", "changed", "annulled", "rejected")]')" "[7, 5, 1, 1, 0]" "totals: 7 detected, 5 decided (not the 1 January one), 1 changed, 1 annulled"
t_eq "$(jget 'd["totals"]["median_days_to_decision"], d["totals"]["p90_days_to_decision"]')" "(30.0, 35.8)" "days to decision 29,29,30,31,39: median 30, p90 35.8"
t_eq "$(jget '[(g["key"], g["reported"]) for g in d["groups"]]')" "[('A', 6), ('B', 1), ('M', 1), ('PT', 7)]" "units rolled up the tree (the merged M into A, B after the move)"
t_eq "$(jget '[(g["key"], g["decided"]) for g in d["outcomes_by_form"]]')" "[('canh_cao', 1), ('khien_trach', 4)]" "outcomes by form (decisions; the change is counted apart)"
t_eq "$(jget '[(g["key"], g["reported"]) for g in d["reports_by_source"]]')" "[('inspection', 7)]" "reports by channel"
ok GET '/v1/stats?from=2025-01-01&to=2025-12-31&unit=PT&by=unit&public=true'
t_eq "$(jget '[d["totals"][k] for k in ("reported", "decided", "changed", "rejected")]')" "[7, 5, '<5', 0]" "public: cells under 5 suppressed"
t_eq "$(jget '[(g["key"], g["reported"]) for g in d["groups"]]')" "[('A', 6), ('B', '<5'), ('M', '<5'), ('PT', 7)]" "also in groups"
api GET '/v1/stats?by=official'
t_eq "$code/$(jget 'd["field"]')" 400/by "an unknown grouping is refused, named"

# ---- early warnings (vhcvd.yaml: 2 cases of one group within 3650 days)
decided W1 2026-01-05 2026-01-06 ""
decided W1 2026-02-05 2026-02-06 ""
ok GET '/v1/warnings?unit=PT'
t_eq "$(jget '[(i["cases"], i["group"]) for i in d["items"] if i["code"] == "W1"]')" "[(2, 'thai_do')]" "W1: two thai_do cases in the window"
t_eq "$(jget 'd["threshold"], d["window_days"]')" "(2, 3650)" "threshold and window from vhcvd.yaml"
t_eq "$(jget '"E2" in [i["code"] for i in d["items"]]')" False "one case is no warning"

# ---- CSV exports parsed back with a strict RFC 4180 reader
ok PUT /v1/officials/X1 "$(python3 -c 'import json; print(json.dumps({"full_name": "=HYPERLINK(\"http://x\"), \"Nguyễn Thị Ánh\"", "category": "cong_chuc", "unit": "B", "valid_from": "2019-01-01"}))')"
decided X1 2024-03-01 2024-03-02 2024-04-01
curl -sS --unix-socket "$SOCK" -o "$T_DIR/cases.csv" -D "$T_DIR/h" 'http://x/v1/export/cases?from=2024-01-01&to=2025-12-31&unit=PT'
csvcheck() { python3 - "$@" <<'PY'
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
text = raw[3:].decode("utf-8")
assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "line ends are not CRLF"
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
print(len(rows) - 1, rows[0][:3], [r for r in rows if r and r[2] == sys.argv[2]][0][3] if len(sys.argv) > 2 else "")
PY
}
t_eq "$(csvcheck "$T_DIR/cases.csv" X1)" "8 ['case', 'status', 'official'] '=HYPERLINK(\"http://x\"), \"Nguyễn Thị Ánh\"" "cases CSV: BOM, CRLF, header, 8 rows, Vietnamese intact, the formula neutralised"
t_contains "$(cat "$T_DIR/h")" "text/csv" "served as text/csv"
curl -sS --unix-socket "$SOCK" -o "$T_DIR/dec.csv" 'http://x/v1/export/decisions?from=2025-01-01&to=2025-12-31&unit=A'
t_eq "$(csvcheck "$T_DIR/dec.csv" | cut -d' ' -f1)" 6 "decisions CSV of A in 2025: E2, E4, E5, E7 (merged M), a change and an annulment (E6's case is in B)"
curl -sS --unix-socket "$SOCK" -o "$T_DIR/el.csv" 'http://x/v1/export/eligibility?year=2025&unit=PT'
t_eq "$(python3 -c 'import csv,io,sys; r=list(csv.reader(io.StringIO(open(sys.argv[1],encoding="utf-8-sig",newline="").read()),strict=True)); print([x[3] for x in r if x[0]=="E2"], [x[8] for x in r if x[0]=="E8"])' "$T_DIR/el.csv")" "['not_eligible'] ['$E8_CASE']" "the eligibility CSV has the same answers"
curl -sS --unix-socket "$SOCK" -o "$T_DIR/el-all.csv" 'http://x/v1/export/eligibility?year=2025'
t_eq "$(grep -a '^E' "$T_DIR/el-all.csv" | md5sum)" "$(grep -a '^E' "$T_DIR/el.csv" | md5sum)" "the eligibility CSV of the whole register (every official's version in one pass) has the same rows as under PT"
t_eq "$(grep -ac '^E' "$T_DIR/el-all.csv")" 8 "the eligibility CSV of the whole register has E1..E8"
api GET '/v1/export/eligibility?unit=PT'
t_eq "$code/$(jget 'd["field"]')" 400/year "the eligibility export needs a year"
api GET '/v1/export/people'
t_eq "$code" 404 "an unknown export is 404"

# ---- subject access
ok GET /v1/officials/E5/export
t_eq "$(jget 'd["official"]["code"], len(d["versions"]), [c["case"] for c in d["cases"]] == ["'"$E5_CASE"'"], len(d["cases"][0]["events"]) > 3, len(d["changes"])')" "('E5', 1, True, True, 5)" "everything held about E5: record, versions, case with its timeline, feed entries (created, decided, changed, effect and freeze ended)"

# ---- bulk sync: a bad row rejects its batch; a re-run is unchanged
rows() { python3 - "$@" <<'PY'
import json, sys
bad = sys.argv[1] == "bad"
for i in range(1, 6):
    r = {"code": "S-%d" % i, "full_name": "Đồng bộ %d" % i, "category": "vien_chuc", "unit": "A", "valid_from": "2026-01-01"}
    if bad and i == 3: r["category"] = "nope"
    if sys.argv[1] == "moved" and i == 5: r["unit"] = "B"; r["valid_from"] = "2026-06-01"
    print(json.dumps(r, ensure_ascii=False))
PY
}
api PUT '/v1/officials?batch=10' "$(rows bad)"
t_eq "$code/$(jget 'd["errors"], d["rejected"], d["created"]')" "200/(1, 4, 0)" "a bad row rejects its batch"
t_eq "$(jget '[(r["row"], r["result"], r.get("field")) for r in d["results"]][1:3]')" "[(2, 'rejected', None), (3, 'error', 'category')]" "naming the row and the field"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.officials WHERE code LIKE 'S-%'")" 0 "and changes nothing"
api PUT '/v1/officials?batch=2' "$(rows bad)"
t_eq "$(jget 'd["created"], d["errors"], d["rejected"]')" "(3, 1, 1)" "with batches of 2, only the bad row's batch (rows 3-4) is rejected"
api PUT '/v1/officials' "$(rows good)"
t_eq "$(jget 'd["created"], d["unchanged"], d["updated"]')" "(2, 3, 0)" "NDJSON: the rest are created"
api PUT '/v1/officials' "$(rows good | python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin]))')"
t_eq "$(jget 'd["created"], d["unchanged"], d["updated"]')" "(0, 5, 0)" "a re-run (as a JSON array) reports everything unchanged"
api PUT '/v1/officials' "$(rows moved)"
t_eq "$(jget 'd["updated"], [r["result"] for r in d["results"]][4]')" "(1, 'updated')" "a move is an update"
ok GET '/v1/officials/S-5?on=2026-05-31'
t_eq "$(jget 'd["unit"]')" A "with a new version from its date"
t_eq "$(t_psql "$db" -tA -c "SELECT string_agg(c.kind || ':' || coalesce(f.code, '-') || '>' || u.code, ' ' ORDER BY c.id) FROM vhcv.changes c JOIN vhcv.officials o ON o.id = c.official_id JOIN vhcv.units u ON u.id = c.unit_id LEFT JOIN vhcv.units f ON f.id = c.from_unit_id WHERE o.code LIKE 'S-%'")" \
	"official_created:->A official_created:->A official_created:->A official_created:->A official_created:->A official_moved:A>B" \
	"the feed: each official created once, then the move from A to B"
mixed() { python3 - "$@" <<'PY'
import json, sys
rs = [{"code": c, "full_name": "Đồng bộ " + c, "category": "cong_chuc", "unit": "B", "valid_from": "2026-02-01"} for c in sys.argv[1:]]
if len(rs) == 3: rs[0]["position"] = "Trưởng phòng"; rs[0]["valid_from"] = "2026-03-01"
print(json.dumps(rs, ensure_ascii=False))
PY
}
api PUT '/v1/officials' "$(mixed S-6 S-7)"
api PUT '/v1/officials' "$(mixed S-6 S-7 S-8)"
t_eq "$(jget '[r["result"] for r in d["results"]], d["created"], d["updated"], d["unchanged"]')" "(['updated', 'unchanged', 'created'], 1, 1, 1)" "a batch of updated, unchanged and created rows: each row's result, in order"
t_eq "$(t_psql "$db" -tA -c "SELECT o.code || ':' || count(*) FROM vhcv.official_versions v JOIN vhcv.officials o ON o.id = v.official_id WHERE o.code IN ('S-6', 'S-7', 'S-8') GROUP BY o.code ORDER BY o.code" | tr '\n' ' ')" \
	"S-6:2 S-7:1 S-8:1 " "only the rows that change get a version"
t_eq "$(t_psql "$db" -tA -c "SELECT string_agg(c.kind, ' ' ORDER BY c.id) FROM vhcv.changes c JOIN vhcv.officials o ON o.id = c.official_id WHERE o.code IN ('S-6', 'S-7', 'S-8')")" \
	"official_created official_created official_changed official_created" "and the feed has each change once"

# ---- the same through the library and the CLI
export VHCV_ENDPOINT=unix:$SOCK
V=$VHCV
out=$($V official show E5 --on 2025-10-15)
t_contains "$out" "canh_cao $E5_OLD signed 2025-10-01" "vhcv official show --on: the warning in effect on 2025-10-15"
t_contains "$($V official show E5)" "2025: Không hoàn thành nhiệm vụ (91/QĐ-UBND)" "vhcv official show: the assessment"
t_eq "$($V --json official show E5 --on 2025-10-15 | python3 -c 'import json,sys; print(json.load(sys.stdin)["decisions"][0]["state"])')" in_effect "--json prints the record"
out=$($V eligibility --year 2025 --unit PT --limit 1000)
t_contains "$out" "held" "vhcv eligibility shows the held official"
t_contains "$(echo "$out" | grep '^E2 ')" "not_eligible" "and E2 not eligible"
t_contains "$($V stats --from 2025-01-01 --to 2025-12-31 --unit PT --by unit --public)" "<5" "vhcv stats --public suppresses small cells"
out=$($V stats --from 2025-01-01 --to 2025-12-31 --unit PT --by form)
t_contains "$out" "p90 days         35.8" "vhcv stats: a label and its figure apart, one decimal"
t_eq "$(grep -c '^  canh_cao ' <<<"$out")" 1 "vhcv stats --by form prints the table by form once"
t_contains "$($V warnings --unit PT)" "W1" "vhcv warnings"
rc=0; out=$($V --json export cases --unit PT 2>&1) || rc=$?
t_eq "$rc" 2 "vhcv --json export is a usage error (CSV is what export prints)"
t_contains "$out" "--json does not apply" "saying why"
$V export cases --from 2024-01-01 --to 2025-12-31 --unit PT >"$T_DIR/cli.csv"
t_eq "$(cmp "$T_DIR/cli.csv" "$T_DIR/cases.csv" && echo same)" same "vhcv export writes the same CSV"
rc=0; $V export eligibility --unit PT >/dev/null 2>&1 || rc=$?
t_eq "$rc" 6 "vhcv export eligibility without --year: exit 6"
n=$($V changes --limit 1000 | grep -c '^20')
t_eq "$n" "$(t_psql "$db" -tA -c 'SELECT count(*) FROM vhcv.changes')" "vhcv changes prints every event"
t_eq "$($V --json changes --after 0 --limit 2 | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"]), d["next"])')" "2 2" "vhcv --json changes: one document, next cursor"
t_eq "$($V official export E5 | python3 -c 'import json,sys; print(json.load(sys.stdin)["official"]["code"])')" E5 "vhcv official export"
printf 'code,full_name,category,unit,valid_from\nI-1,"Nhập, một",cong_chuc,A,2026-01-01\nI-2,Nhập hai,sai,A,2026-01-01\nI-3,Nhập ba,cong_chuc,A,2026-01-01\n' >"$T_DIR/bad.csv"
rc=0; err=$($V official import "$T_DIR/bad.csv" 2>&1 >/dev/null) || rc=$?
t_eq "$rc" 6 "vhcv official import with a bad row: exit 6"
t_contains "$err" "row 2 (I-2): category" "naming the row and the field"
sed 's/,sai,/,vien_chuc,/' "$T_DIR/bad.csv" >"$T_DIR/good.csv"
t_eq "$($V official import "$T_DIR/good.csv")" "3 rows: 3 created, 0 updated, 0 unchanged, 0 in error, 0 rejected with their batch" "vhcv official import a CSV file"
t_eq "$($V official import "$T_DIR/good.csv")" "3 rows: 0 created, 0 updated, 3 unchanged, 0 in error, 0 rejected with their batch" "a re-run: everything unchanged"
ok GET /v1/officials/I-1
t_eq "$(jget 'd["full_name"]')" "Nhập, một" "a quoted CSV cell arrives intact"
rows moved >"$T_DIR/s.jsonl"
t_contains "$($V --json official import "$T_DIR/s.jsonl")" '"unchanged": 5' "JSON lines, --json summary"
t_contains "$($V case show "$NEW_CASE")" "$days to the deadline, $ldays to the limitation date" "vhcv case show: days left"
t_contains "$($V case list --due-within "$days")" "$NEW_CASE" "vhcv case list --due-within"
t_eq "$($V case list --due-within "$((days - 1))" | grep -c "$NEW_CASE")" 0 "not one day less"
t_contains "$($V case list --limitation-within "$ldays")" "$NEW_CASE" "vhcv case list --limitation-within"

t_daemon_stop
t_done
