#!/usr/bin/env bash
# The vhcv CLI end to end on a real vhcvd and PostgreSQL, one identity per
# role (bearer tokens over loopback TCP): units and officials; an inspector
# reports; the unit head accepts, defers, resumes, convenes the council,
# decides with a document number; the official appeals; the decision is
# changed. JSON output and exit status are checked at every step, the
# refusals included (wrong role 4, bad transition 5, law 6, unknown 3).
. "$SRCDIR/tests/integration/lib.sh"

db=$(t_db cli)
PORT=$(t_free_port)
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
T_HR=hr-token-1 T_INSP=insp-token-1 T_HEAD=head-token-1 T_SUBJ=subject-head-token
T_AUD=auditor-token-1
t_config "$db" | sed "/^listen:/a\\  - tcp: \"127.0.0.1:$PORT\"" >"$T_DIR/vhcvd.yaml"
cat >>"$T_DIR/vhcvd.yaml" <<YAML
  - token_sha256: "$(sha $T_HR)"
    name: hr-sync
    role: hr
    units: ["*"]
  - token_sha256: "$(sha $T_INSP)"
    name: thanhtra
    role: inspector
    units: [VY]
  - token_sha256: "$(sha $T_HEAD)"
    name: truong-phong
    role: unit_head
    units: [PT]
    official: LD-1
  - token_sha256: "$(sha $T_SUBJ)"
    name: pho-phong
    role: unit_head
    units: [VY]
    official: CC-1
  - token_sha256: "$(sha $T_AUD)"
    name: kiem-toan
    role: auditor
    units: ["*"]
YAML
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
	sleep 0.05
done
export VHCV_ENDPOINT=http://127.0.0.1:$PORT
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F) # the register's day

# as TOKEN ARGS...: run vhcv --json as that identity; sets OUT and RC
as() {
	local tok=$1
	shift
	RC=0
	OUT=$(VHCV_TOKEN=$tok "$VHCV" --json "$@" 2>"$T_DIR/stderr") || RC=$?
}
# human TOKEN ARGS...: the same without --json
human() {
	local tok=$1
	shift
	RC=0
	OUT=$(VHCV_TOKEN=$tok "$VHCV" "$@" 2>"$T_DIR/stderr") || RC=$?
}
# j EXPR: a Python expression over d, the JSON document in OUT
j() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(($1))" "$OUT" 2>&1; }
# ok DESCRIPTION: exit 0 and one JSON document
ok() {
	t_eq "$RC" 0 "$1: exit 0"
	[ "$RC" == 0 ] || { echo "   out: $OUT" >&2; cat "$T_DIR/stderr" >&2; }
	t_eq "$(j 'type(d).__name__')" dict "$1: one JSON document"
}
# refused STATUS ERROR_ID DESCRIPTION: the exit status and the error document
refused() {
	t_eq "$RC" "$1" "$3: exit $1"
	[ "$RC" == "$1" ] || echo "   out: $OUT" >&2
	t_eq "$(j 'd["error"]')" "$2" "$3: error $2"
	t_eq "$(j 'len(d["message"]) > 0')" True "$3: with a message"
}

# --- units and officials (hr) ---
as $T_HR unit add PT "UBND tỉnh Phú Thọ"
ok "unit add"
t_eq "$(j 'd["code"], d["name"]')" "('PT', 'UBND tỉnh Phú Thọ')" "the unit as created"
as $T_HR unit add VY "UBND huyện Vĩnh Yên" --parent PT
ok "unit add with a parent"
t_eq "$(j 'd["parent"]')" PT "its parent"
as $T_HR unit add VY "Trùng"
refused 5 conflict "a duplicate unit code"
as $T_HR unit add XX "Không cha" --parent NOPE
t_eq "$RC" 3 "an unknown parent: exit 3"
as $T_HR unit list
ok "unit list"
t_eq "$(j 'sorted(u["code"] for u in d["items"]), d["next"]')" "(['PT', 'VY'], None)" "items and next null"
human $T_HR unit list --under PT
t_eq "$RC" 0 "unit list (human)"
t_contains "$OUT" "UBND huyện Vĩnh Yên" "a table with the Vietnamese names"
head_col=$(echo "$OUT" | head -1 | python3 -c 'import sys; l=sys.stdin.read(); print(l.index("PARENT"))')
row_col=$(echo "$OUT" | grep '^VY' | python3 -c 'import sys; l=sys.stdin.read(); print(l.index("PT"))')
t_eq "$row_col" "$head_col" "the PARENT column lines up under Vietnamese names (display width)"

for o in "CC-1|Nguyễn Văn An" "CC-2|Trần Thị Bình" "CC-3|Lê Văn Cường" "CC-4|Phạm Thị Dung"; do
	as $T_HR official add "${o%%|*}" "${o#*|}" --category cong_chuc --unit VY --position "Chuyên viên"
	ok "official add ${o%%|*}"
done
as $T_HR official add LD-1 "Hoàng Văn Em" --category cong_chuc --unit VY --leader
ok "official add a leader"
t_eq "$(j 'd["leader"], d["category"], d["category_name"] is not None')" "(True, 'cong_chuc', True)" \
	"leader flag, category code and display name"
as $T_HR official add CC-9 "Sai" --category khong_co --unit VY
refused 6 invalid "an unknown category"
t_eq "$(j 'd.get("field")')" category "naming the field"
as $T_HR official show NOBODY
refused 3 not_found "an unknown official"
as $T_INSP unit add ZZ "Thanh tra không được"
refused 4 forbidden "an inspector cannot add units"

# --- the conduct code ---
as $T_INSP rules
ok "rules"
t_eq "$(j '"TD-01" in [r["code"] for r in d["items"]]')" True "TD-01 is in force"
as $T_INSP rules --group thai_do
t_eq "$(j 'set(r["group"] for r in d["items"])')" "{'thai_do'}" "rules of one group"
as $T_INSP rule TD-01
ok "rule"
t_eq "$(j 'len(d["versions"]) >= 1 and d["title_vi"] != ""')" True "a rule with its versions"
as $T_INSP rule NOPE-99
refused 3 not_found "an unknown rule"

# --- an inspector reports ---
OCC=$(date -d "$TODAY -20 days" +%F)
as $T_INSP report --official CC-1 --rule TD-01 --occurred "$OCC" --source inspection \
	--text "Đi muộn ba lần trong tuần" --place "Phòng Nội vụ" --key ins-1
ok "report"
C1=$(j 'd["case"]')
t_contains "$C1" "VP-" "a case number"
t_eq "$(j 'd["status"], d["official"]["code"], d["rule"]["code"]')" "('reported', 'CC-1', 'TD-01')" \
	"reported, about CC-1, under TD-01"
t_eq "$(j 'all(k in d for k in ("occurred_on","detected_on","limitation_expires_on","handling_deadline","events","decisions"))')" \
	True "the case carries the fields of the contract"
as $T_INSP report --official CC-1 --rule TD-01 --occurred "$OCC" --source inspection \
	--text "Đi muộn ba lần trong tuần" --place "Phòng Nội vụ" --key ins-1
ok "the same report again with its key"
t_eq "$(j 'd["case"]')" "$C1" "is the same case"
as $T_INSP report --official CC-1 --rule TD-01 --occurred "$OCC" --source inspection --text "Khác" --key ins-1
refused 5 conflict "the key with another body"
as $T_INSP report --official NOBODY --rule TD-01 --occurred "$OCC" --source inspection --text x
refused 3 not_found "a report about an unknown official"
as $T_INSP report --official CC-1 --rule TD-01 --occurred 2025-02-30 --source inspection --text x
refused 6 invalid "an impossible date"
t_eq "$(j 'd.get("field")')" occurred_on "naming the field"
RC=0; "$VHCV" report --official CC-1 >/dev/null 2>&1 || RC=$?
t_eq "$RC" 2 "a missing required option: exit 2"
human $T_INSP case show "$C1"
t_eq "$RC" 0 "case show (human)"
t_contains "$OUT" "Nguyễn Văn An" "shows the official's name"
t_contains "$OUT" "reported" "and the status"

# --- the unit head works the case ---
as $T_INSP case accept "$C1"
refused 4 forbidden "an inspector cannot accept"
as $T_HEAD case accept "$C1" --note "Tiếp nhận"
ok "accept"
t_eq "$(j 'd["status"]')" under_review "under review"
as $T_HEAD case accept "$C1"
refused 5 conflict "accept twice"
as $T_HEAD case defer "$C1" --ground illness --until "$(date -d "$TODAY +10 days" +%F)"
ok "defer"
t_eq "$(j 'd["status"]')" deferred "deferred"
as $T_HEAD case council "$C1" --members CC-2,CC-3,CC-4
refused 5 conflict "no council while deferred"
as $T_HEAD case resume "$C1"
ok "resume"
t_eq "$(j 'd["status"]')" under_review "under review again"
as $T_HEAD case council "$C1" --members CC-2,CC-3,CC-4 --recommend khien_trach
ok "council"
t_eq "$(j 'd["status"], d["council"]["members"]')" "('council', ['CC-2', 'CC-3', 'CC-4'])" \
	"the council and its members"
as $T_HEAD case decide "$C1" --severity it_nghiem_trong --form ha_bac_luong --number "11/QĐ-UBND" --signed "$TODAY"
refused 6 refused "a form the law does not give a công chức"
as $T_HEAD case decide "$C1" --severity it_nghiem_trong --form khien_trach --number "12/QĐ-UBND" \
	--signed "$TODAY" --key dec-1
ok "decide"
t_eq "$(j 'd["status"]')" decided "decided"
t_eq "$(j 'd["decisions"][-1]["form"], d["decisions"][-1]["state"]')" "('khien_trach', 'in_effect')" \
	"the decision is in effect"
t_contains "$(j 'd["decisions"][-1]["number"] + " " + d["decisions"][-1]["issuer"]')" "12" \
	"its number as written"
t_contains "$(j 'd["decisions"][-1]["issuer"]')" "QĐ-UBND" "and the issuer with its Vietnamese letter"
t_eq "$(j 'all(k in d["decisions"][-1] for k in ("form","number","signed_on","effect_until","state"))')" \
	True "a decision carries the fields of the contract"
as $T_HEAD case decide "$C1" --severity it_nghiem_trong --form khien_trach --number "12/QĐ-UBND" \
	--signed "$TODAY" --key dec-1
ok "the same decision again with its key"
t_eq "$(j 'len(d["decisions"])')" 1 "records one decision"

# --- the official appeals; the decision is changed ---
as $T_HEAD case appeal "$C1" --filed "$TODAY" --note "Đơn khiếu nại của đương sự"
ok "appeal"
t_eq "$(j 'd["status"]')" appealed "appealed"
as $T_HEAD case decide "$C1" --severity nghiem_trong --form canh_cao --number "13/QĐ-UBND" \
	--signed "$TODAY" --reason "Tình tiết mới"
ok "change the decision"
t_eq "$(j 'd["status"]')" decided "decided again"
t_eq "$(j '[x["state"] for x in d["decisions"]]')" "['superseded', 'in_effect']" \
	"the first decision superseded, the new one in effect"
as $T_HEAD case appeal "$C1" --filed 2020-01-01
t_eq "$RC" 6 "an appeal dated before the decision: exit 6"
human $T_HR official show CC-1
t_eq "$RC" 0 "official show (human)"
t_contains "$OUT" "canh_cao" "the sanction in effect"
as $T_HR official show CC-1
t_eq "$(j '[s["form"] for s in d["sanctions"]]')" "['canh_cao']" "sanctions in effect, as JSON"

# --- notes, links, evidence ---
as $T_INSP case note "$C1" "Biên bản đã lập"
ok "note"
t_eq "$(j 'd["events"][-1]["kind"]')" note "the note is the last event"
as $T_INSP report --official CC-2 --rule TD-01 --occurred "$OCC" --source citizen --text "Phản ánh"
ok "a second report"
C2=$(j 'd["case"]')
as $T_HEAD case link "$C2" "$C1"
ok "link"
t_eq "$(j '"'"$C1"'" in d["links"]')" True "the cases are linked"
printf 'biên bản\n' >"$T_DIR/biên bản 1.txt"
as $T_INSP evidence add "$C2" "$T_DIR/biên bản 1.txt"
ok "evidence add"
t_eq "$(j 'd["name"], d["sha256"]')" "('biên bản 1.txt', '$(sha256sum <"$T_DIR/biên bản 1.txt" | cut -d' ' -f1)')" \
	"a Vietnamese name with a space, and its SHA-256"
RC=0
VHCV_TOKEN=$T_INSP "$VHCV" evidence get "$C2" "biên bản 1.txt" >"$T_DIR/got" 2>"$T_DIR/stderr" || RC=$?
t_eq "$RC" 0 "evidence get"
t_eq "$(cmp -s "$T_DIR/got" "$T_DIR/biên bản 1.txt" && echo same)" same "the same bytes come back"
as $T_INSP evidence get "$C2" "không có.pdf"
refused 3 not_found "unknown evidence"
# the message says what the rule is: "." and ".." alone, not a '.' inside a name
human $T_INSP evidence add "$C2" "$T_DIR/biên bản 1.txt" --name ..
t_eq "$RC" 2 "evidence add --name ..: a usage error"
t_contains "$(cat "$T_DIR/stderr")" 'nor be "." or ".." alone' "which names the rule: \".\" or \"..\" alone"
t_contains "$(cat "$T_DIR/stderr")" "a '.' inside a name is fine" "and says a '.' inside a name is fine"

# --- the other refusals ---
as $T_HEAD case show VP-1999-999
refused 3 not_found "an unknown case"
as $T_HEAD case accept VP-1999-999
t_eq "$RC" 3 "a transition on an unknown case: exit 3"
as $T_INSP report --official LD-1 --rule TD-01 --occurred "$OCC" --source inspection --text "Về người đứng đầu"
C3=$(j 'd["case"]')
as $T_SUBJ case accept "$C1"
refused 4 forbidden "nobody acts on a case about themselves"
as $T_INSP report --official CC-3 --rule TD-01 --occurred 2019-09-02 --source citizen --text "Chuyện cũ"
ok "report of an old violation"
C4=$(j 'd["case"]')
as $T_HEAD case accept "$C4"
refused 6 refused "past the limitation date, only closing as expired"
as $T_HEAD case close "$C4" --reason expired
ok "close as expired"
t_eq "$(j 'd["status"]')" closed_no_sanction "closed without sanction"
as "not-a-token" case list
t_eq "$RC" 4 "an unknown token: exit 4"
as $T_AUD audit verify
ok "audit verify"
t_eq "$(j 'd["ok"]')" True "the event log verifies"
as $T_INSP audit verify
refused 4 forbidden "an inspector cannot verify the log"

# --- lists ---
as $T_HEAD case list --limit 2
ok "case list"
t_eq "$(j 'len(d["items"]), d["next"] is not None')" "(2, True)" "a page of two and a cursor"
seen=$(j '",".join(c["case"] for c in d["items"])')
as $T_HEAD case list --limit 2 --after "$(j 'd["next"]')"
ok "the next page"
t_eq "$(j 'any(c["case"] in "'"$seen"'".split(",") for c in d["items"])')" False "repeats nothing"
as $T_HEAD case list --status decided
t_eq "$(j '[c["case"] for c in d["items"]]')" "['$C1']" "filter by status"
human $T_HEAD case list
t_eq "$RC" 0 "case list (human)"
t_contains "$OUT" "Trần Thị Bình" "with the officials' names"
as $T_HEAD case list --limit 0
t_eq "$RC" 2 "--limit 0: exit 2"
human $T_HEAD export nope
t_eq "$RC" 2 "export of an unknown kind: exit 2 (usage), the daemon not asked"
t_contains "$(cat "$T_DIR/stderr")" "cases, decisions or eligibility" "the usage error names the kinds"

# --- help and unavailability ---
for c in rules rule unit official report case evidence audit health; do
	RC=0; "$VHCV" $c --help >/dev/null 2>&1 || RC=$?
	t_eq "$RC" 0 "vhcv $c --help"
done
for c in "unit add" "case decide" "case list" "evidence get"; do
	RC=0; "$VHCV" $c --help | grep -q "^usage: vhcv $c" || RC=1
	t_eq "$RC" 0 "vhcv $c --help shows its usage"
done
for c in eligibility stats warnings export changes "official import" "official export"; do
	RC=0; "$VHCV" $c --help | grep -q "^usage: vhcv $c" || RC=1
	t_eq "$RC" 0 "vhcv $c --help shows its usage (issue 11)"
done
t_daemon_stop
as $T_HEAD case show "$C1"
refused 7 unavailable "vhcvd down"

t_done
