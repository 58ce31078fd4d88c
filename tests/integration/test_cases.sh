#!/usr/bin/env bash
# Cases end to end over the real socket: every transition allowed and
# refused, the legal refusals, idempotency, pagination while cases arrive,
# bad input that changes nothing, and audit verify naming tampered events.
. "$(dirname "$0")/lib.sh"

db=$(t_db cases)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_psql "$db" -v ON_ERROR_STOP=1 <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ');
INSERT INTO units (code, name, parent_id) VALUES ('VY', 'UBND huyện Vĩnh Yên', 1);
INSERT INTO officials (code, full_name, category, leader, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', false, 2),
 ('CC-2', 'Trần Thị Bình', 'cong_chuc', false, 2),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', false, 2),
 ('CC-4', 'Phạm Thị Dung', 'cong_chuc', false, 2),
 ('LD-1', 'Hoàng Văn Em', 'cong_chuc', true, 2),
 ('VC-1', 'Đỗ Thị Giang', 'vien_chuc', false, 2);
SQL
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F) # the register's day

# call METHOD PATH [JSON]: sets CODE and BODY
call() {
	local out
	if [ $# -ge 3 ]; then
		out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" \
			-H 'Content-Type: application/json' --data-binary "$3" "http://x$2")
	else
		out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" "http://x$2")
	fi
	CODE=${out##*$'\n'}
	BODY=${out%$'\n'*}
}
# jget EXPR: a Python expression over d (the last body)
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$BODY"; }
expect() { # expect CODE DESCRIPTION
	t_eq "$CODE" "$1" "$2"
	[ "$CODE" == "$1" ] || echo "   body: $BODY" >&2
}
report() { # report OFFICIAL RULE OCCURRED [extra json]
	call POST /v1/cases "{\"official\":\"$1\",\"rule\":\"$2\",\"occurred_on\":\"$3\",\"source\":\"inspection\",\"description\":\"test\"${4:-}}"
}
events() { t_psql "$db" -tAc "SELECT count(*) FROM vhcv.case_events"; }

# --- report ---
report CC-1 TD-01 2026-10-05 ',"detected_on":"2026-10-06","place":"Phòng 1","idempotency_key":"r-1"'
expect 201 "report creates a case"
C1=$(jget 'd["case"]')
t_eq "$(jget 'd["status"]')" reported "a new case is reported"
t_eq "$(jget 'd["events"][0]["kind"]')" reported "its first event is the report"
t_eq "$(jget 'd["handling_deadline"]')" "2027-01-04" "deadline 90 days from detection"
t_eq "$(jget 'd["official"]["category_name"] is not None')" True "display name of the category"
n_before=$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases")
report CC-1 TD-01 2026-10-05 ',"detected_on":"2026-10-06","place":"Phòng 1","idempotency_key":"r-1"'
expect 200 "an idempotent repeat answers 200"
t_eq "$(jget 'd["case"]')" "$C1" "with the same case"
report CC-1 TD-01 2026-10-07 ',"idempotency_key":"r-1"'
expect 409 "the same key with another body is a conflict"
t_eq "$(jget 'd["field"]')" idempotency_key "naming the key"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases")" "$n_before" "repeats wrote nothing"

# concurrent repeats of one key: one case
pids=()
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null --unix-socket "$SOCK" -X POST http://x/v1/cases \
		-d '{"official":"CC-2","rule":"TD-02","occurred_on":"2026-11-01","source":"citizen","description":"song song","idempotency_key":"race"}' &
	pids+=($!)
done
wait "${pids[@]}"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases WHERE idempotency_key = 'race'")" 1 "six concurrent repeats make one case"

# --- bad input changes nothing ---
n_before=$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases")
e_before=$(events)
call POST /v1/cases '{"official":"CC-1",'
expect 400 "malformed JSON is 400"
call POST /v1/cases '{"official":"CC-1","rule":"TD-01","occurred_on":"2025-02-30","source":"inspection","description":"x"}'
expect 400 "2025-02-30 is 400"
t_eq "$(jget 'd["field"]')" occurred_on "naming the field"
call POST /v1/cases '{"official":"CC-1","rule":"TD-01","occurred_on":"2026-10-05","source":"inspection","description":42}'
expect 400 "a number for a string is 400"
t_eq "$(jget 'd["field"]')" description "naming the field"
call POST /v1/cases '{"official":"CC-1","rule":"TD-01","occurred_on":"2026-10-05","source":"inspection","description":"x","colour":"red"}'
expect 400 "an unknown field is 400"
t_eq "$(jget 'd["field"]')" colour "naming the field"
call POST /v1/cases "$(printf '{"official":"CC-1","rule":"TD-01","occurred_on":"2026-10-05","source":"inspection","description":"\xc3\x28"}')"
expect 400 "invalid UTF-8 is 400"
call POST /v1/cases '{"official":"CC-1","rule":"XX-99","occurred_on":"2026-10-05","source":"inspection","description":"x"}'
expect 404 "an unknown rule is 404, like an unknown official (issue 8.8)"
t_eq "$(jget 'd["field"]')" rule "naming the rule field"
call POST /v1/cases '{"official":"NOBODY","rule":"TD-01","occurred_on":"2026-10-05","source":"inspection","description":"x"}'
expect 404 "an unknown official is 404"
call POST /v1/cases '{"official":"CC-1","rule":"TD-01","occurred_on":"2026-10-05","source":"radio","description":"x"}'
expect 400 "an unknown source is 400"
call POST /v1/cases '{"official":"CC-1","rule":"TD-01","occurred_on":"2099-01-01","source":"inspection","description":"x"}'
expect 400 "an act in the future is 400"
call POST /v1/cases "{\"official\":\"CC-1\",\"rule\":\"TD-01\",\"occurred_on\":\"2026-10-05\",\"source\":\"inspection\",\"description\":\"$(head -c 30000 /dev/zero | tr '\0' a)\"}"
expect 400 "an over-long description is 400"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T_DIR/big.json"
CODE=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST --data-binary @"$T_DIR/big.json" http://x/v1/cases)
expect 413 "an oversized body is 413"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases")" "$n_before" "no bad request wrote a case"
t_eq "$(events)" "$e_before" "no bad request wrote an event"
# SQL metacharacters are data
report CC-3 TD-03 2026-10-05 ',"place":"'"'"'; DROP TABLE vhcv.cases; --"'
expect 201 "SQL metacharacters are accepted as text"
t_eq "$(jget 'd["place"]')" "'; DROP TABLE vhcv.cases; --" "and stored verbatim"

# --- the workflow, step by step ---
call POST "/v1/cases/$C1/council" '{"members":["CC-2","CC-3","CC-4"]}'
expect 409 "council before accept is a conflict"
t_eq "$(jget 'd["status"]')" reported "the conflict names the current state"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"1/QĐ-UBND","signed_on":"'$TODAY'"}'
expect 409 "decide on a reported case is a conflict"
call POST "/v1/cases/$C1/accept" '{"note":"Tiếp nhận"}'
expect 200 "accept"
t_eq "$(jget 'd["status"]')" under_review "accepted: under review"
call POST "/v1/cases/$C1/accept"
expect 409 "accept twice is a conflict"
call POST "/v1/cases/$C1/defer" '{"ground":"vacation"}'
expect 400 "defer on an unknown ground is 400"
t_eq "$(jget 'd["field"]')" ground "naming the ground"
call POST "/v1/cases/$C1/defer" '{"ground":"illness","until":"2099-01-01"}'
expect 200 "defer on a legal ground"
t_eq "$(jget 'd["status"] + " " + d["paused_since"]')" "deferred $TODAY" "deferred, the clock paused today"
call POST "/v1/cases/$C1/council" '{"members":["CC-2","CC-3","CC-4"]}'
expect 409 "no council while deferred"
call POST "/v1/cases/$C1/resume"
expect 200 "resume"
t_eq "$(jget 'd["status"]')" under_review "resumed: under review again"
call POST "/v1/cases/$C1/council" '{"members":["CC-2","CC-3","CC-1"]}'
expect 400 "the subject cannot sit on the council"
t_eq "$(jget 'd["field"]')" members "naming the members"
call POST "/v1/cases/$C1/council" '{"members":["CC-2","CC-3","CC-4","LD-1"]}'
expect 400 "a council of four is refused"
call POST "/v1/cases/$C1/council" '{"members":["CC-2","CC-3","NOBODY"]}'
expect 404 "an unknown member is 404"
call POST "/v1/cases/$C1/council" '{"members":["CC-2","CC-3","CC-4"],"recommend":"khien_trach"}'
expect 200 "convene the council"
t_eq "$(jget 'd["council"]["recommended_form"]')" khien_trach "the recommendation is kept"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"ha_bac_luong","number":"5/QĐ-UBND","signed_on":"'$TODAY'"}'
expect 422 "a form the category lacks on the decision date is refused"
t_eq "$(jget 'd["rule"]')" form_not_allowed "with the law's rule id"
t_eq "$(jget 'len(d["basis"]) > 0')" True "and the legal basis"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"canh_cao","number":"5/QĐ-UBND","signed_on":"'$TODAY'"}'
expect 422 "a departure from the ladder without a reason is refused"
t_eq "$(jget 'd["rule"]')" ladder_reason_required "naming why"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"5 QĐ-UBND","signed_on":"'$TODAY'"}'
expect 400 "a malformed document number is 400"
t_eq "$(jget 'd["field"]')" number "naming the number"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"05/QĐ-UBND","signed_on":"'$TODAY'","idempotency_key":"dec-1"}'
expect 200 "decide on the ladder"
t_eq "$(jget 'd["status"]')" decided "decided"
t_eq "$(jget 'd["decisions"][0]["form"] + " " + d["decisions"][0]["state"]')" "khien_trach in_effect" "the decision is in effect"
t_eq "$(jget 'd["decisions"][0]["recommended_form"]')" khien_trach "recommended beside decided"
t_eq "$(jget 'd["decisions"][0]["effect_until"] is not None')" True "with an effect end date"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"05/QĐ-UBND","signed_on":"'$TODAY'","idempotency_key":"dec-1"}'
expect 200 "a repeated decide with its key answers the case"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.decisions")" 1 "and writes nothing"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"06/QĐ-UBND","signed_on":"'$TODAY'","idempotency_key":"dec-1"}'
expect 409 "the key with another body is a conflict"
call POST "/v1/cases/$C1/appeal" '{"filed_on":"2020-01-01"}'
expect 400 "an appeal filed before the decision is 400"
call POST "/v1/cases/$C1/appeal" '{"filed_on":"'$TODAY'","note":"Khiếu nại"}'
expect 200 "appeal"
t_eq "$(jget 'd["status"]')" appealed "appealed"
call POST "/v1/cases/$C1/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"5/QĐ-UBND","signed_on":"'$TODAY'"}'
expect 409 "a document number is used once per issuer and year"
t_eq "$(jget 'd["field"]')" number "naming the number"
call POST "/v1/cases/$C1/decide" '{"severity":"nghiem_trong","form":"canh_cao","number":"7/QĐ-UBND","signed_on":"'$TODAY'","reason":"Tình tiết mới"}'
expect 200 "change the decision on appeal"
t_eq "$(jget 'd["status"]')" decided "decided again"
t_eq "$(jget '" ".join(x["state"] for x in d["decisions"])')" "superseded in_effect" "the old decision is superseded, not edited"
t_eq "$(jget 'd["decisions"][1]["supersedes"]')" "05/QĐ-UBND" "the new one names what it supersedes"
call POST "/v1/cases/$C1/close"
expect 422 "a decided case stays open while a complaint may be filed"
t_eq "$(jget 'd["rule"]')" complaint_window_open "naming why"

# a decision signed long enough ago: its complaint window has closed
report CC-4 TD-02 2026-08-20 ',"detected_on":"2026-09-01"'
C8=$(jget 'd["case"]')
call POST "/v1/cases/$C8/accept"
call POST "/v1/cases/$C8/council" '{"members":["CC-1","CC-2","CC-3"]}'
call POST "/v1/cases/$C8/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"30/QĐ-UBND","signed_on":"2026-09-15"}'
expect 200 "decide with an earlier signing date"
call POST "/v1/cases/$C8/appeal" '{"filed_on":"'$TODAY'"}'
expect 422 "an appeal after the complaint window is refused"
t_eq "$(jget 'd["rule"]')" complaint_window_passed "naming why"
call POST "/v1/cases/$C8/appeal" '{"filed_on":"2026-10-01"}'
expect 422 "15 days from receipt (Law on Complaints art. 48): 01/10 is late for 15/9"
call POST "/v1/cases/$C8/appeal" '{"filed_on":"2026-09-30"}'
expect 200 "an appeal filed within the window is accepted"
call POST "/v1/cases/$C8/uphold"
expect 200 "uphold the decision"
t_eq "$(jget 'd["status"]')" closed "upheld: closed"
call POST "/v1/cases/$C8/appeal" '{"filed_on":"'$TODAY'"}'
expect 409 "no appeal on a closed case"
report CC-3 TD-03 2026-08-20 ',"detected_on":"2026-09-01"'
C9=$(jget 'd["case"]')
call POST "/v1/cases/$C9/accept"
call POST "/v1/cases/$C9/council" '{"members":["CC-1","CC-2","CC-4"]}'
expect 200 "a council without the subject" 
call POST "/v1/cases/$C9/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"31/QĐ-UBND","signed_on":"2026-09-15"}'
expect 200 "decide, signed in September"
call POST "/v1/cases/$C9/close"
expect 200 "a decided case closes once its complaint window has ended"
t_eq "$(jget 'd["status"] + " " + d["events"][-1]["data"]["reason"]')" "closed window_ended" "closed, window ended"

# reject with reasons
report CC-2 TD-04 2026-10-01
C2=$(jget 'd["case"]')
call POST "/v1/cases/$C2/reject" '{"reason":"duplicate"}'
expect 400 "a duplicate names its original"
t_eq "$(jget 'd["field"]')" of "naming 'of'"
call POST "/v1/cases/$C2/reject" '{"reason":"not_competent"}'
expect 400 "not competent names the authority"
call POST "/v1/cases/$C2/reject" '{"reason":"duplicate","of":"'$C1'"}'
expect 200 "reject as a duplicate"
t_eq "$(jget 'd["status"] + " " + " ".join(d["links"])')" "rejected $C1" "rejected and linked to the original"

# waive and close without sanction
report CC-3 TD-05 2026-10-01
C3=$(jget 'd["case"]')
call POST "/v1/cases/$C3/waive" '{"ground":"force_majeure"}'
expect 409 "no waiver before review"
call POST "/v1/cases/$C3/accept"
call POST "/v1/cases/$C3/waive" '{"ground":"nonsense"}'
expect 400 "a waiver needs a legal ground"
ground=$(grep -A30 'waiver' "$SRCDIR/config/legal/30-regime-b.yaml" | sed -n 's/^ *- *code: *\([a-z_]*\).*/\1/p' | head -1)
call POST "/v1/cases/$C3/waive" "{\"ground\":\"$ground\"}"
expect 200 "waive on a legal ground ($ground)"
t_eq "$(jget 'd["status"]')" closed_no_sanction "closed without sanction"

report CC-3 TD-06 2026-10-01
C4=$(jget 'd["case"]')
call POST "/v1/cases/$C4/accept"
call POST "/v1/cases/$C4/close" '{"reason":"expired"}'
expect 422 "a case within its limitation cannot close as expired"
call POST "/v1/cases/$C4/close" '{"reason":"no_sanction"}'
expect 200 "close without sanction after review"
t_eq "$(jget 'd["status"]')" closed_no_sanction "closed_no_sanction"

# decide(none) from council closes without sanction
report CC-4 TD-01 2026-10-01
C5=$(jget 'd["case"]')
call POST "/v1/cases/$C5/accept"
call POST "/v1/cases/$C5/council" '{"members":["CC-1","CC-2","CC-3"]}'
call POST "/v1/cases/$C5/decide" '{"severity":"it_nghiem_trong","form":"none","number":"9/QĐ-UBND","signed_on":"'$TODAY'"}'
expect 200 "decide no sanction"
t_eq "$(jget 'd["status"]')" closed_no_sanction "decide(none) closes without sanction"

# annulment on appeal
report LD-1 TD-01 2026-10-01
C6=$(jget 'd["case"]')
call POST "/v1/cases/$C6/accept"
call POST "/v1/cases/$C6/council" '{"members":["CC-1","CC-2","CC-3"]}'
call POST "/v1/cases/$C6/decide" '{"severity":"it_nghiem_trong","form":"khien_trach","number":"20/QĐ-UBND","signed_on":"'$TODAY'"}'
expect 200 "decide on a leader"
call POST "/v1/cases/$C6/appeal" '{"filed_on":"'$TODAY'"}'
call POST "/v1/cases/$C6/annul" '{"number":"21/QĐ-UBND","signed_on":"'$TODAY'","reason":"Sai thẩm quyền"}'
expect 200 "annul on appeal"
t_eq "$(jget 'd["status"] + " " + " ".join(x["state"] for x in d["decisions"])')" "closed annulled annulment" "the decision is annulled by a new one"
call GET "/v1/officials/LD-1"
[ "$CODE" == 200 ] && t_eq "$(jget 'len(d.get("sanctions", []))')" 0 "an annulled sanction is not in effect"

# a time-barred case only closes as expired (24 months before 01/7/2020)
call POST /v1/cases '{"official":"CC-4","rule":"TD-01","occurred_on":"2019-09-01","detected_on":"2019-09-05","source":"inspection","description":"cũ"}'
expect 201 "an old act can be reported"
C7=$(jget 'd["case"]')
t_eq "$(jget 'd["limitation_expires_on"]')" "2021-09-01" "its limitation ended (pre-2020: 24 months)"
call POST "/v1/cases/$C7/accept"
expect 422 "past its limitation a case cannot be accepted"
t_eq "$(jget 'd["rule"]')" time_barred "time_barred"
t_eq "$(jget 'len(d["basis"]) > 0')" True "with the legal basis of the limitation"
call POST "/v1/cases/$C7/close"
expect 200 "but it closes as expired"
t_eq "$(jget 'd["status"] + " " + d["events"][-1]["kind"]')" "closed_no_sanction expired" "closed as expired"

# notes and links; unknown case
call POST "/v1/cases/$C3/notes" '{"text":"Ghi chú"}'
expect 200 "a note on a closed case"
call POST "/v1/cases/$C4/links" '{"other":"'$C3'"}'
expect 200 "link two cases"
call POST "/v1/cases/$C3/links" '{"other":"'$C4'"}'
expect 409 "a link exists once"
call GET /v1/cases/VP-1999-1
expect 404 "an unknown case is 404"
call POST /v1/cases/VP-1999-1/accept
expect 404 "acting on an unknown case is 404"

# --- pagination while cases arrive ---
for i in $(seq 1 25); do report CC-2 TD-02 2026-11-0$((i % 9 + 1)) >/dev/null; done
existing=$(t_psql "$db" -tAc "SELECT number FROM vhcv.cases ORDER BY id" | sort)
( for i in $(seq 1 15); do
	curl -s -o /dev/null --unix-socket "$SOCK" -X POST http://x/v1/cases \
		-d '{"official":"CC-3","rule":"TD-02","occurred_on":"2026-11-02","source":"self","description":"mới"}'
done ) &
writer=$!
seen=""
after=""
for _ in $(seq 1 100); do
	call GET "/v1/cases?limit=7${after:+&after=$after}"
	[ "$CODE" == 200 ] || { t_fail "page: $CODE $BODY"; break; }
	seen+=$(jget '"\n".join(x["case"] for x in d["items"])')$'\n'
	after=$(jget 'd["next"] or ""')
	[ -n "$after" ] || break
done
wait $writer
dups=$(printf '%s' "$seen" | sed '/^$/d' | sort | uniq -d | wc -l)
t_eq "$dups" 0 "no case is returned twice"
missing=$(comm -23 <(printf '%s\n' "$existing") <(printf '%s' "$seen" | sed '/^$/d' | sort) | wc -l)
t_eq "$missing" 0 "every case that existed is returned"
call GET "/v1/cases?status=closed&unit=PT&limit=500"
t_eq "$(jget '{x["status"] for x in d["items"]} == {"closed"}')" True "filter by status and unit subtree"
call GET "/v1/cases?limit=0"
expect 400 "limit 0 is 400"

# --- the list of a unit subtree: a small one (at most 400 units) is read
# unit by unit, a larger one in id order (api_cases.c); both give exactly
# the cases of the subtree in id order, page after page ---
# subtree_of UNIT N OFFICIAL STEP: unit UNIT under PT with N units UNIT-1..N
# under it, and four officials OFFICIAL-1..4, OFFICIAL-g in UNIT-(g * STEP)
subtree_of() {
	t_psql "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET search_path = vhcv;
INSERT INTO units (code, name, parent_id) SELECT '$1', 'Sở $1', id FROM units WHERE code = 'PT';
INSERT INTO units (code, name, parent_id)
 SELECT '$1-' || g, 'Phòng ' || g, (SELECT id FROM units WHERE code = '$1')
 FROM generate_series(1, $2) g;
INSERT INTO officials (code, full_name, category, leader, unit_id)
 SELECT '$3-' || g, 'Vũ Văn ' || g, 'cong_chuc', false, (SELECT id FROM units WHERE code = '$1-' || (g * $4))
 FROM generate_series(1, 4) g;
SQL
}
subtree_of BIG 45 BG 1
for i in 1 2 3 4 5 6 7 8 9; do
	report "BG-$((i % 4 + 1))" TD-02 2026-11-0$i
	[ "$i" != 2 ] || call POST "/v1/cases/$(jget 'd["case"]')/accept"
	report CC-2 TD-02 2026-11-0$i
done >/dev/null
# pages UNIT [QUERY]: the cases of every page of 2, in order
pages() {
	local after="" out=""
	for _ in $(seq 1 60); do
		call GET "/v1/cases?unit=$1&limit=2${2:+&$2}${after:+&after=$after}"
		[ "$CODE" == 200 ] || { echo "HTTP $CODE $BODY"; return; }
		out+=" $(jget '" ".join(x["case"] for x in d["items"])')"
		after=$(jget 'd["next"] or ""')
		[ -n "$after" ] || break
	done
	echo $out
}
# subtree UNIT [SQL CONDITION]: what the database holds, in id order
subtree() {
	t_psql "$db" -tAc "WITH RECURSIVE t(id) AS (SELECT id FROM vhcv.units WHERE code = '$1'
		UNION SELECT u.id FROM vhcv.units u JOIN t ON u.parent_id = t.id)
		SELECT coalesce(string_agg(number, ' ' ORDER BY id), '') FROM vhcv.cases
		WHERE unit_id IN (SELECT id FROM t) ${2:-}"
}
for u in BIG BIG-2 BIG-3 PT VY BIG-45; do
	t_eq "$(pages $u)" "$(subtree $u)" "the list of $u's subtree, by pages of 2, is its cases in id order"
done
t_eq "$(subtree BIG | wc -w) $(subtree BIG-2 | wc -w)" "9 3" "(the subtrees hold cases)"
t_eq "$(pages BIG status=under_review) $(pages BIG-3 status=under_review)" \
	"$(subtree BIG "AND status = 'under_review'") $(subtree BIG-3 "AND status = 'under_review'")" \
	"a status in a large subtree and in a one-unit subtree"
bg3=$(subtree BIG "AND official_id = (SELECT id FROM vhcv.officials WHERE code = 'BG-3')")
t_eq "$(pages BIG official=BG-3)/$(pages BIG-3 official=BG-3)/$(pages BIG official=CC-2)" \
	"$bg3/$bg3/" "an official in a large subtree, in a one-unit subtree, and one not in it"
t_eq "$(wc -w <<<"$bg3")" 2 "(the official has cases there)"
# a subtree of more than 400 units is read in id order, a smaller one unit
# by unit up to a bound (api_cases.c): both ways, with and without a filter
subtree_of HUGE 401 HG 100
for i in 1 2 3 4 5 6 7; do
	report "HG-$((i % 4 + 1))" TD-02 2026-11-0$i
	[ "$i" != 3 ] || call POST "/v1/cases/$(jget 'd["case"]')/accept"
done >/dev/null
t_eq "$(pages HUGE) $(pages HUGE-200)" "$(subtree HUGE) $(subtree HUGE-200)" \
	"the list of a subtree of 402 units and of one of its units, by pages of 2"
t_eq "$(pages HUGE status=under_review)" "$(subtree HUGE "AND status = 'under_review'")" \
	"a status in a subtree of 402 units"
t_eq "$(subtree HUGE | wc -w)" 7 "(the subtree of 402 units holds cases)"
call GET "/v1/cases?unit=BIG&official=NOPE"
t_eq "$CODE $(jget 'd["field"]')" "404 official" "an unknown official with a known unit is 404, named"
call GET "/v1/cases?unit=NOPE&official=CC-2"
t_eq "$CODE $(jget 'd["field"]')" "404 unit" "an unknown unit is 404, named"

# a pause stops only the handling deadline, not the limitation period
# (issue #9 item 5, pauses_extend: false): a case whose limitation passed
# while it was deferred is time-barred (30 days paused, 2 past)
report CC-4 TD-04 2026-10-01
C10=$(jget 'd["case"]')
call POST "/v1/cases/$C10/accept"
call POST "/v1/cases/$C10/defer" '{"ground":"illness"}'
t_psql "$db" -c "SET session_replication_role = replica; UPDATE vhcv.cases SET limitation_expires_on = current_date - 2,
	paused_since = current_date - 30 WHERE number = '$C10'" >/dev/null
call POST "/v1/cases/$C10/waive" "{\"ground\":\"$ground\"}"
expect 422 "a deferral does not extend the limitation"
t_eq "$(jget 'd["rule"]')" time_barred "refused as time_barred"
call POST "/v1/cases/$C10/close" '{"reason":"expired"}'
expect 200 "the paused case closes as expired"
t_eq "$(jget 'd["paused_since"]')" None "closing a deferred case ends its pause"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.case_pauses p JOIN vhcv.cases c ON c.id = p.case_id WHERE c.number = '$C10' AND ended_on IS NULL")" 0 "and its pause record"

# --- tamper-evident history ---
call GET /v1/audit/verify
t_eq "$(jget 'd["ok"]')" True "a clean history verifies"
call POST /v1/audit/seal
expect 201 "seal the heads"
# concurrent seals, with writes between them, never fork the seal chain
for round in 1 2 3; do
	pids=()
	for i in 1 2 3 4; do
		curl -s -o /dev/null --unix-socket "$SOCK" -X POST http://x/v1/audit/seal & pids+=($!)
	done
	call POST "/v1/cases/$C3/notes" "{\"text\":\"vòng $round\"}"
	wait "${pids[@]}"
done
call GET /v1/audit/verify
t_eq "$(jget 'd["ok"]')" True "concurrent seals leave a verifiable chain"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) - count(DISTINCT prev_hash) FROM vhcv.audit_seals")" 0 "no two seals follow the same seal"
call POST /v1/audit/seal
call POST /v1/audit/seal
expect 200 "a second seal with nothing new adds nothing"
t_eq "$(jget 'd["unchanged"]')" True "and says so"
id_c2=$(t_psql "$db" -tAc "SELECT id FROM vhcv.cases WHERE number = '$C2'")
id_c3=$(t_psql "$db" -tAc "SELECT id FROM vhcv.cases WHERE number = '$C3'")
id_c5=$(t_psql "$db" -tAc "SELECT id FROM vhcv.cases WHERE number = '$C5'")
t_psql "$db" <<SQL
SET session_replication_role = replica;
UPDATE vhcv.case_events SET actor = 'mallory' WHERE case_id = $id_c2 AND seq = 2;
DELETE FROM vhcv.case_events WHERE case_id = $id_c3 AND seq = 2;
SQL
call GET /v1/audit/verify
t_eq "$(jget 'd["ok"]')" False "tampering is detected"
t_contains "$BODY" "\"case\":\"$C2\"" "the changed event's case is named"
t_eq "$(jget '[p["seq"] for p in d["problems"] if p["case"] == "'$C2'" and "changed" in p["problem"]]')" "[2]" "the changed event is named by its seq"
t_eq "$(jget 'any(p["case"] == "'$C3'" and "missing" in p["problem"] for p in d["problems"])')" True "the deleted event is named"
# cut the tail of a chain and rewind the case head: only the seal can tell
t_psql "$db" <<SQL
SET session_replication_role = replica;
DELETE FROM vhcv.case_events WHERE case_id = $id_c5 AND seq = (SELECT max(seq) FROM vhcv.case_events WHERE case_id = $id_c5);
UPDATE vhcv.cases SET event_count = event_count - 1,
  event_head = (SELECT hash FROM vhcv.case_events WHERE case_id = $id_c5 ORDER BY seq DESC LIMIT 1)
  WHERE id = $id_c5;
SQL
call GET /v1/audit/verify
t_eq "$(jget 'any(p["case"] == "'$C5'" and "seal" in p["problem"] for p in d["problems"])')" True "a truncated, rewound chain is caught by the seal"

t_daemon_stop
t_done
