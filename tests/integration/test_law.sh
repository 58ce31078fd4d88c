#!/usr/bin/env bash
# The law as it really is (issue #9), end to end through the vhcv CLI on a
# live vhcvd: at least one case per item, each naming its legal basis.
# The exhaustive boundary dates are in tests/unit/legal (engine scenarios).
. "$(dirname "$0")/lib.sh"

db=$(t_db law)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"
export VHCV_ENDPOINT="unix:$T_DIR/vhcvd.sock"
TODAY=$(date +%F)

# v ARGS...: run the CLI with --json; sets RC and OUT
v() { OUT=$("$VHCV" --json "$@" 2>&1) && RC=0 || RC=$?; }
# j EXPR: a Python expression over d (the last OUT)
j() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$OUT"; }
ok() { t_eq "$RC" 0 "$1"; [ "$RC" == 0 ] || echo "   out: $OUT" >&2; }
refused() { # refused RULE DESCRIPTION: exit 6 with the law's machine id and its basis
	t_eq "$RC" 6 "$2 (exit 6)"
	t_contains "$OUT" "$1" "$2: $1"
}
# open_case OFFICIAL RULE OCCURRED [DETECTED]: reported, accepted, in council; sets C
n=0
open_case() {
	v report --official "$1" --rule "$2" --occurred "$3" --detected "${4:-$TODAY}" \
		--source inspection --text "vụ việc"
	C=$(j 'd["case"]')
	v case accept "$C"
}
council() { v case council "$C" --members M-1,M-2,M-3; }
decide() { # decide SEVERITY FORM [more options]
	n=$((n + 1))
	v case decide "$C" --severity "$1" --form "$2" --number "$n/QĐ-UBND" --signed "$TODAY" "${@:3}"
}

v unit add PT "UBND tỉnh Phú Thọ"
for m in M-1 M-2 M-3; do v official add "$m" "Thành viên $m" --category cong_chuc --unit PT; done
v official add CC-1 "Nguyễn Văn An" --category cong_chuc --unit PT
ok "a civil servant"
v official add LD-1 "Hoàng Văn Em" --category nguoi_lao_dong --unit PT
ok "a labour-contract worker"

# --- item 1: 5 years at reprimand level from 15/11/2022 (Resolution 76/2022/QH15)
open_case CC-1 TD-01 2022-12-01 2025-03-01
t_eq "$(j 'd["status"]')" under_review "an act of 01/12/2022 is not time-barred in 2026"
council
decide it_nghiem_trong khien_trach --reason "quá hạn xử lý"
ok "item 1: a reprimand-level act of 01/12/2022 decided in 2026 (was refused on 01/12/2024)"
t_eq "$(j 'd["status"]')" decided "decided"

# --- item 2: the period of the level deserved, never of the form proposed
# (Law 52/2019 art. 80: an act of 10/01/2022 at reprimand level ran 2 years)
open_case CC-1 TD-02 2022-01-10 2023-06-01
council
decide it_nghiem_trong canh_cao --reason "đề nghị nặng hơn"
refused time_barred "item 2: proposing a warning does not revive a reprimand-level act"
t_contains "$OUT" "khien_trach, the level the violation deserves" "item 2: the message names the level"
t_contains "$OUT" "52/2019" "item 2: the refusal names Law 52/2019"
decide nghiem_trong canh_cao --reason "quá hạn xử lý"
ok "item 2: a serious act (warning level, 5 years) of the same day is in time"

# --- item 5: a pause stops the handling deadline only (pauses_extend: false [check])
open_case CC-1 TD-03 2026-10-01
before=$(j 'd["limitation_expires_on"] + " " + d["handling_deadline"]')
v case defer "$C" --ground illness
ok "deferred on illness"
t_psql "$db" -c "SET session_replication_role = replica; UPDATE vhcv.cases SET paused_since = current_date - 30 WHERE number = '$C'" >/dev/null
v case resume "$C"
ok "resumed after 30 days"
after=$(j 'd["limitation_expires_on"] + " " + d["handling_deadline"]')
want_deadline=$(date -d "$(echo "$before" | cut -d' ' -f2) + 30 days" +%F)
t_eq "$after" "$(echo "$before" | cut -d' ' -f1) $want_deadline" \
	"item 5: the limitation is unchanged, the handling deadline moves 30 days"

# --- item 6: labour-contract workers under the Labour Code (art. 123: 6 months)
v report --official LD-1 --rule TD-01 --occurred 2026-07-15 --detected "$TODAY" --source self --text "đi muộn"
ok "item 6: a worker's act reported"
t_eq "$(j 'd["limitation_expires_on"]')" 2027-01-15 "item 6: 6 months, not the civil-service 10 years"
# (another worker: LD-1's later act of 15/7 would restart the period, item 4)
v official add LD-3 "Trịnh Văn Sơn" --category nguoi_lao_dong --unit PT
v report --official LD-3 --rule TD-01 --occurred 2026-05-29 --detected "$TODAY" --source self --text "đi muộn"
C=$(j 'd["case"]')
t_eq "$(j 'd["limitation_expires_on"]')" 2026-11-29 "item 6: 6 months from 29/5"
v case accept "$C"
refused time_barred "item 6: a worker's act of 29/5/2026 is time-barred in 30/11/2026"
t_contains "$OUT" "45/2019" "item 6: the refusal names the Labour Code 2019"

# item 6: 12 months for public assets (Labour Code art. 123(1); DD-04 in the period's classes)
v official add LD-4 "Phan Thị Uyên" --category nguoi_lao_dong --unit PT
v report --official LD-4 --rule DD-04 --occurred 2026-01-05 --detected "$TODAY" --source self --text "xe công"
ok "item 6: a worker's private use of public assets"
t_eq "$(j 'd["limitation_expires_on"]')" 2027-01-05 "item 6: 12 months for an act about assets"

# --- item 14: the Labour Code 2019 from 01/01/2021 (its 2012 predecessor before)
v report --official LD-1 --rule TD-01 --occurred 2020-12-31 --detected 2021-01-05 --source self --text "cũ"
t_eq "$(j 'd["limitation_expires_on"]')" 2021-06-30 "item 14: an act of 31/12/2020 under the Labour Code 2012"
C=$(j 'd["case"]')
v case accept "$C"
t_contains "$OUT" "10/2012/QH13" "item 14: the refusal names the Labour Code 2012"
v report --official LD-1 --rule TD-01 --occurred 2021-01-01 --detected 2021-01-05 --source self --text "cũ"
t_eq "$(j 'd["limitation_expires_on"]')" 2021-07-01 "item 14: an act of 01/01/2021 under the Labour Code 2019"

# --- item 7: Decree 172/2025 has three levels (forms: severities)
open_case CC-1 TD-04 2026-11-02
council
decide dac_biet_nghiem_trong buoc_thoi_viec
refused severity_not_in_regime "item 7: a decision under Decree 172 cannot use 'especially serious'"
t_contains "$OUT" "172/2025" "item 7: the refusal names Decree 172/2025"

# --- item 8: a sanction in effect is judged on the day of the new act
# (CC-2 is reprimanded today; an act of yesterday was not done under it)
v official add CC-2 "Trần Thị Bình" --category cong_chuc --unit PT
open_case CC-2 TD-01 "$TODAY"
council
decide it_nghiem_trong khien_trach
ok "CC-2 reprimanded today"
open_case CC-2 TD-02 "$(date -d yesterday +%F)"
council
decide it_nghiem_trong khien_trach
ok "item 8: an act of yesterday, before the reprimand took effect: the first rung (reprimand)"
open_case CC-2 TD-03 "$TODAY"
council
decide it_nghiem_trong khien_trach
refused ladder_reason_required "item 8: an act of today, under the reprimand: the ladder asks a warning"
t_contains "$OUT" "canh_cao" "item 8: the ladder names the warning"

# --- item 9: cách chức only for cán bộ appointed, bãi nhiệm only for the elected
v official add CB-1 "Chủ tịch xã" --category can_bo --unit PT --leader --elected
ok "item 9: an elected cán bộ"
t_eq "$(j 'd["elected"]')" True "item 9: the record says elected"
open_case CB-1 TD-01 2026-11-01
council
decide rat_nghiem_trong cach_chuc --reason "x"
refused form_not_allowed "item 9: no removal from post for an elected cán bộ"
decide rat_nghiem_trong bai_nhiem
ok "item 9: removal from elected office, as the ladder suggests"
v official add CB-2 "Phó chủ tịch" --category can_bo --unit PT --leader
t_eq "$(j 'd["elected"]')" False "item 9: appointed by default"
open_case CB-2 TD-01 2026-11-01
council
decide rat_nghiem_trong bai_nhiem --reason "x"
refused form_not_allowed "item 9: no removal from elected office for an appointed cán bộ"
# retired: reprimand, warning, removal of the title held (Law 80/2025 art. 43(3))
v official add CC-9 "Về hưu" --category cong_chuc --unit PT --status retired
open_case CC-9 TD-01 2026-10-01
council
decide rat_nghiem_trong xoa_ten_chuc_danh
ok "item 9: a retired official's title removed, as the ladder suggests"

# --- item 10: deferral and waiver grounds per regime
open_case CC-1 TD-05 2026-11-03
v case defer "$C" --ground leave
t_eq "$RC" 6 "item 10: leave is not a deferral ground under Decree 172"
v case waive "$C" --ground approved_innovation
ok "item 10: approved innovation waives under Law 80/2025 art. 34"
t_eq "$(j 'd["status"]')" closed_no_sanction "item 10: closed without sanction"

# --- item 3: continuing and ended acts; a rule binding before the code quoted it
v official add CC-3 "Lê Văn Cường" --category cong_chuc --unit PT
v report --official CC-3 --rule DD-07 --occurred 2012-05-01 --detected 2026-10-01 --source inspection --text "bằng giả"
ok "item 3: a fake degree used in 2012 is recordable (Law 22/2008 version of DD-07)"
t_eq "$(j 'd["limitation_expires_on"]')" 2014-05-01 "item 3: an act that ended in 2012: the 2008 law, 24 months"
v report --official CC-3 --rule DD-07 --occurred 2012-05-01 --detected 2026-10-01 --continuing --source inspection --text "bằng giả vẫn dùng"
ok "item 3: reported as still continuing at detection"
C=$(j 'd["case"]')
t_eq "$(j 'd["limitation_expires_on"]')" None "item 3: continuing until 2026: no limitation for fake degrees (Law 52/2019 art. 80)"
v case accept "$C"
council
decide rat_nghiem_trong buoc_thoi_viec
ok "item 3: and decidable"
v report --official CC-3 --rule TD-01 --occurred 2021-03-01 --ended 2022-11-15 --detected 2026-10-01 --source inspection --text "kéo dài"
t_eq "$(j 'd["limitation_expires_on"]')" 2032-11-15 "item 3: an act that ended on 15/11/2022 counts from its end (10 years)"
v report --official CC-3 --rule TD-01 --occurred 2021-03-01 --ended 2022-11-15 --continuing --source inspection --text "x"
t_eq "$RC" 2 "item 3: --ended and --continuing together is a usage error"

# --- item 4: a new violation restarts the period of an older open one
v official add LD-2 "Vũ Văn Hải" --category nguoi_lao_dong --unit PT
v report --official LD-2 --rule TD-01 --occurred 2026-07-01 --detected "$TODAY" --source self --text "lần 1"
C1=$(j 'd["case"]')
t_eq "$(j 'd["limitation_expires_on"]')" 2027-01-01 "item 4: a worker's act of 01/7/2026: 6 months"
v report --official LD-2 --rule TD-02 --occurred 2026-11-20 --detected "$TODAY" --source self --text "lần 2"
ok "item 4: a new act within the period"
v case show "$C1"
t_eq "$(j 'd["limitation_expires_on"]')" 2027-05-20 "item 4: the old case's period counts again from the new act"
t_eq "$(j '[e["data"].get("new_act_on") for e in d["events"] if e["kind"] == "limitation_restarted"]')" "['2026-11-20']" "item 4: as an event of the old case"

# --- item 11: complaints, 15 days from receipt (Law on Complaints 2011 art. 48)
v official add CC-5 "Ngô Thị Lan" --category cong_chuc --unit PT
open_case CC-5 TD-01 2026-10-01 2026-10-05
council
n=$((n + 1))
v case decide "$C" --severity it_nghiem_trong --form khien_trach --number "$n/QĐ-UBND" --signed 2026-11-05 --received 2026-11-10
ok "item 11: decided on 05/11, received on 10/11"
t_eq "$(j 'd["decisions"][-1]["received_on"]')" 2026-11-10 "item 11: the receipt is recorded"
# item 13: Circular 08/2013: a reprimand of a civil servant delays the raise 6 months
t_eq "$(j 'd["decisions"][-1]["raise_delay_months"]')" 6 "item 13: the salary raise delay is on the decision"
v case appeal "$C" --filed 2026-11-26
refused complaint_window_passed "item 11: filed on 26/11, one day after the 15 days from receipt"
t_contains "$OUT" "2026-11-25" "item 11: the window closed on 25/11"
v case appeal "$C" --filed 2026-11-26 --obstacle-days 3
t_eq "$RC" 6 "item 11: obstacle days need a note saying what hindered"
v case appeal "$C" --filed 2026-11-26 --obstacle-days 3 --note "nằm viện 3 ngày"
ok "item 11: three days in hospital are not counted"
v case uphold "$C"
v case appeal "$C" --filed "$TODAY" --court
refused no_court_action "item 11: no court action against a reprimand"
v case appeal "$C" --filed "$TODAY" --answered 2026-11-27
ok "item 11: a second complaint within 10 days of the answer"

# --- item 12: no council when the case rests on another authority's act
v official add CC-6 "Đinh Văn Phúc" --category cong_chuc --unit PT
open_case CC-6 TD-01 2026-10-01
decide it_nghiem_trong khien_trach
t_eq "$RC" 5 "item 12: without a council or a ground, a civil servant's case is not decided"
v case dispense "$C" --ground court_conviction --ref "Bản án 12/2026/HS-ST" --signed 2026-11-10
ok "item 12: dispensed with the council on a court conviction"
decide it_nghiem_trong khien_trach
ok "item 12: decided straight from under_review"
v official add CC-7 "Mai Văn Quang" --category cong_chuc --unit PT
open_case CC-7 TD-02 2026-10-01
v case dispense "$C" --ground party_sanction --ref "Quyết định 5-QĐ/UBKT" --signed 2026-11-20 --party-form khai_tru
ok "item 12: a Party expulsion"
decide nghiem_trong canh_cao
refused party_form_mismatch "item 12: after an expulsion a warning does not correspond"
t_contains "$OUT" "buoc_thoi_viec" "item 12: expulsion maps to the heaviest form"
decide rat_nghiem_trong buoc_thoi_viec
ok "item 12: forced dismissal corresponds"
# cán bộ are handled without a council
open_case CB-2 TD-02 2026-11-01
decide it_nghiem_trong khien_trach
ok "item 12: a cán bộ's case is decided without a council"

# --- item 13: an open case holds back retirement, resignation, transfer, promotion
open_case CC-6 TD-03 2026-11-01
v official show CC-6
t_eq "$(j '[a["code"] for a in d["open_case_blocks"]["actions"]]')" "['retirement', 'resignation', 'transfer', 'grade_promotion']" "item 13: the record says what an open case holds back"
t_contains "$(j 'd["open_case_blocks"]["basis"]')" "52/2019" "item 13: with its legal basis"

# --- item 15: next_working_day is off by default: a deadline on a Saturday stays
v report --official CC-6 --rule TD-04 --occurred 2025-12-01 --detected 2025-12-07 --source self --text "x"
t_eq "$(j 'd["handling_deadline"]')" 2026-03-07 "item 15: 90 days from 07/12/2025 end on Saturday 07/3/2026 (setting off)"

t_daemon_stop
t_done
