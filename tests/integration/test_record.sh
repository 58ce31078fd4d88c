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
{ t_config "$db"; echo "scheduler_interval_s: 1"; printf 'warnings:\n  cases: 2\n  window_days: 3650\n'; } >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock

# api METHOD PATH [BODY]: sets code and body
api() {
	local m=$1 p=$2
	shift 2
	local args=(-sS --unix-socket "$SOCK" -o "$T_DIR/body" -w '%{http_code}' -X "$m")
	[ $# -gt 0 ] && args+=(-H 'Content-Type: application/json' --data-binary "$1")
	code=$(curl "${args[@]}" "http://x$p")
	body=$(cat "$T_DIR/body")
}
ok() { api "$@"; case $code in 2??) ;; *) t_fail "$1 $2: $code $body"; return 1 ;; esac; }
jget() { python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$body" "$1"; }

ok POST /v1/units '{"code":"PT","name":"UBND tỉnh Phú Thọ","valid_from":"2019-01-01"}'
for u in A B M; do
	ok POST /v1/units "{\"code\":\"$u\",\"name\":\"Sở $u\",\"parent\":\"PT\",\"valid_from\":\"2019-01-01\"}"
done
off() { ok PUT "/v1/officials/$1" "{\"full_name\":\"${3:-Cán bộ $1}\",\"category\":\"cong_chuc\",\"unit\":\"$2\",\"valid_from\":\"${4:-2019-01-01}\"}"; }
for i in 1 2 3; do off "CM-$i" PT; done
for o in E1 E2 E3 E4 E5 E8 F1 F2 W1; do off $o A; done
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

# ---- the record as on a date (issue #8 item 5)
ok GET '/v1/officials/E5/record?on=2025-10-15'
t_eq "$(jget '[(s["number"], s["form"]) for s in d["official"]["sanctions"]]')" "[('$E5_OLD', 'canh_cao')]" "on 2025-10-15 the warning changed on 2025-11-20 is in effect"
t_eq "$(jget '[x["state"] for x in d["decisions"]]')" "['in_effect']" "and the change is not yet known"
ok GET '/v1/officials/E5/record?on=2025-11-20'
t_eq "$(jget '[(s["number"], s["form"]) for s in d["official"]["sanctions"]]')" "[('91/QĐ-UBND', 'khien_trach')]" "from 2025-11-20 the reprimand replaces it"
t_eq "$(jget '[x["state"] for x in d["decisions"]]')" "['superseded', 'in_effect']" "the warning shows as superseded"
t_eq "$(jget '[(a["year"], a["rating"], a["decision"]["number"]) for a in d["assessments"]]')" "[(2025, 'khong_hoan_thanh_nhiem_vu', '91/QĐ-UBND')]" "2025 assessed as not completing duties, by the new decision"
t_eq "$(jget 'd["career_freeze"]["until"]')" 2026-11-20 "career freeze until 12 months after the change took effect"
ok GET '/v1/officials/E4/record?on=2025-08-01'
t_eq "$(jget 'len(d["official"]["sanctions"])')" 1 "E4's reprimand is in effect before its annulment"
ok GET '/v1/officials/E4/record'
t_eq "$(jget 'len(d["official"]["sanctions"])'),$(jget 'd["assessments"]')" "0,[]" "after it, nothing: an annulled decision never counts"
t_eq "$(jget '[x["state"] for x in d["decisions"]]')" "['annulled', 'annulment']" "shown as annulled"
ok GET '/v1/officials/E8/record'
t_eq "$(jget 'd["open_cases"]["count"]'),$(jget 'd["open_cases"]["items"][0]["case"]')" "1,$E8_CASE" "an open case: a count and the first page"
t_eq "$(jget '"retirement" in d["barred_while_open"]')" True "an open case bars retirement"
ok GET '/v1/officials/E5?on=2025-10-15'
t_eq "$(jget '[s["form"] for s in d["sanctions"]]')" "['canh_cao']" "GET /v1/officials?on= judges supersession as of that date too"

# ---- eligibility for 2025 under PT (hand-computed)
ok GET '/v1/eligibility?year=2025&unit=PT&limit=1000'
got=$(jget '";".join("%s:%s:%s:%s" % (i["official"], i["unit"], i["status"], (i["decision"] or {}).get("number") or i["case"] or "") for i in d["items"] if i["official"][0] in "E")')
t_eq "$got" "E1:A:eligible:;E2:A:not_eligible:$E2_NUM;E3:A:eligible:;E4:A:eligible:;E5:A:not_eligible:91/QĐ-UBND;E6:B:not_eligible:$E6_NUM;E7:M:not_eligible:$E7_NUM;E8:A:held:$E8_CASE" "eligibility 2025: 31 Dec counts, 1 Jan does not, annulled does not, changed counts as the new one, moved once under B, merged unit M, open case held"
ok GET '/v1/eligibility?year=2026&unit=PT&limit=1000'
t_eq "$(jget '[i["status"] for i in d["items"] if i["official"] == "E3"]')" "['not_eligible']" "the 1 January decision counts for 2026"
ok GET '/v1/eligibility?year=2025&unit=A&limit=1000'
t_eq "$(jget '"E6" in [i["official"] for i in d["items"]]')" False "E6 is not under A for 2025 (in B on 31 December)"
t_eq "$(jget '"E7" in [i["official"] for i in d["items"]]')" True "the merged unit's official is under A"
ok GET '/v1/eligibility?year=2025&unit=PT&limit=3'
p1=$(jget '[i["official"] for i in d["items"]]') nx=$(jget 'd["next"]')
ok GET "/v1/eligibility?year=2025&unit=PT&limit=3&after=$nx"
t_eq "$p1 $(jget '[i["official"] for i in d["items"]]')" "['CM-1', 'CM-2', 'CM-3'] ['E1', 'E2', 'E3']" "paged by official code"
api GET '/v1/eligibility?unit=PT'
t_eq "$code/$(jget 'd["field"]')" 400/year "year is required, named"
api GET '/v1/eligibility?year=2025&unit=NOPE'
t_eq "$code" 404 "an unknown unit is 404"

t_daemon_stop
t_done
