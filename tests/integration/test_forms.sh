#!/usr/bin/env bash
# Issue 8: one text in two Unicode forms (NFC at the API's boundary), and
# the other faults found using the register as its users would. Each check
# failed before its fix.
. "$(dirname "$0")/lib.sh"

db=$(t_db forms)
PORT=$(t_free_port)
TOKEN=forms-token-1
t_config "$db" | sed "/^listen:/a\\  - tcp: \"127.0.0.1:$PORT\"" >"$T_DIR/vhcvd.yaml"
cat >>"$T_DIR/vhcvd.yaml" <<YAML
  - token_sha256: "$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)"
    name: hr-forms
    role: hr
    units: ["*"]
YAML
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name, valid_from) VALUES ('VY', 'UBND huyện Vĩnh Yên', '2020-01-01');
INSERT INTO officials (code, full_name, category, leader, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', false, 1),
 ('CC-2', 'Trần Thị Bình', 'cong_chuc', false, 1),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', false, 1),
 ('CC-4', 'Phạm Thị Dung', 'cong_chuc', false, 1),
 ('HD-1', 'Hội đồng Một', 'cong_chuc', false, 1),
 ('HD-2', 'Hội đồng Hai', 'cong_chuc', false, 1),
 ('HD-3', 'Hội đồng Ba', 'cong_chuc', false, 1);
SQL
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
OCC=$(date -d "$TODAY -20 days" +%F)

call() { # call METHOD PATH [JSON]: sets CODE and BODY
	local out
	out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" \
		-H 'Content-Type: application/json' ${3:+--data-binary "$3"} "http://x$2")
	CODE=${out##*$'\n'}
	BODY=${out%$'\n'*}
}
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$BODY"; }
expect() { # expect CODE DESCRIPTION
	t_eq "$CODE" "$1" "$2"
	[ "$CODE" == "$1" ] || echo "   body: $BODY" >&2
}
# nfd TEXT / pct TEXT: the text in NFD; percent-encoded for a path
nfd() { python3 -c 'import sys,unicodedata; print(unicodedata.normalize("NFD", sys.argv[1]), end="")' "$1"; }
pct() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]), end="")' "$1"; }
q() { t_psql "$db" -tAc "SET search_path = vhcv; $1" | tail -1; }
report() { # report OFFICIAL RULE OCCURRED [extra json]: a description unless given
	local extra=${4:-}
	[[ "$extra" == *'"description"'* ]] || extra=",\"description\":\"forms\"$extra"
	call POST /v1/cases "{\"official\":\"$1\",\"rule\":\"$2\",\"occurred_on\":\"$3\",\"source\":\"inspection\"$extra}"
}

# --- 2. one text, two Unicode forms -------------------------------------
name='Nguyễn Thị Hằng'
call PUT /v1/officials/CC-9 "{\"full_name\":\"$name\",\"category\":\"cong_chuc\",\"unit\":\"VY\"}"
expect 201 "an official in NFC"
call PUT /v1/officials/CC-9 "{\"full_name\":\"$(nfd "$name")\",\"category\":\"cong_chuc\",\"unit\":\"VY\"}"
expect 200 "the same name re-sent in NFD"
t_eq "$(q "SELECT count(*) FROM official_versions v JOIN officials o ON o.id = v.official_id WHERE o.code = 'CC-9'")" 1 \
	"NFD of an unchanged name makes no new version"
desc="Biên bản kiểm tra ngày $OCC"
report CC-1 TD-01 "$OCC" ",\"description\":\"$desc\",\"idempotency_key\":\"nfc-1\""
expect 201 "a report in NFC"
C1=$(jget 'd["case"]')
report CC-1 TD-01 "$OCC" ",\"description\":\"$(nfd "$desc")\",\"idempotency_key\":\"nfc-1\""
expect 200 "its repeat in NFD is the same request (idempotency)"
t_eq "$(jget 'd["case"]')" "$C1" "answered with the same case"
t_eq "$(q "SELECT count(*) FROM cases WHERE description IS NFC NORMALIZED AND description LIKE 'Biên%'")" 1 \
	"stored in NFC"
ev='biên-bản.pdf'
out=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X PUT --data-binary 'PDF-1' \
	-H 'Content-Type: application/pdf' "http://x/v1/cases/$C1/evidence/$(pct "$ev")")
t_eq "$out" 201 "evidence named in NFC"
out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" "http://x/v1/cases/$C1/evidence/$(pct "$(nfd "$ev")")")
t_eq "${out##*$'\n'}" 200 "fetched by its name in NFD"
t_eq "${out%$'\n'*}" PDF-1 "the same bytes"
out=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X PUT --data-binary 'PDF-2' \
	-H 'Content-Type: application/pdf' "http://x/v1/cases/$C1/evidence/$(pct "$(nfd "$ev")")")
t_eq "$out" 409 "a second upload in NFD is the same name, not a second file"
t_eq "$(q "SELECT count(*) FROM evidence")" 1 "one evidence file"
call GET "/v1/cases?status=$(pct "$(nfd 'reported')")"
expect 200 "query text goes through the same normalisation"

# to_council CASE: accepted and with a council, ready to decide
to_council() {
	call POST "/v1/cases/$1/accept"
	call POST "/v1/cases/$1/council" '{"members":["HD-1","HD-2","HD-3"]}'
	[ "$CODE" == 200 ] || echo "   council of $1: $BODY" >&2
}
decide() { # decide CASE NUMBER [extra json]
	call POST "/v1/cases/$1/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"$2\",\"signed_on\":\"$TODAY\"${3:-}}"
}

# --- 3. document numbers that differ only in form -----------------------
report CC-2 TD-01 "$OCC"; D1=$(jget 'd["case"]')
report CC-3 TD-01 "$OCC"; D2=$(jget 'd["case"]')
to_council "$D1"
to_council "$D2"
decide "$D1" '700/QĐ-UBND'
expect 200 "700/QĐ-UBND decides a case"
for n in '700/qđ-ubnd' '700/QĐ-UBND ' '700/ QĐ-UBND' ' 700 / QĐ - UBND' '700/QĐ–UBND' '700/QĐ−UBND' \
	"$(nfd '700/QĐ-UBND')" '0700/Qđ-Ubnd'; do
	decide "$D2" "$n"
	expect 409 "'$n' is the same number"
	t_eq "$(jget 'd.get("field")')" number "naming the field"
done
ins() { # ins ISSUER: a decision row of 2020 number 5 written straight into the database
	t_psql "$db" -c "SET search_path = vhcv; SET session_replication_role = replica;
	  INSERT INTO decisions (case_id, kind, form,
	  severity, issuer, year, number, symbol, signed_on, effective_on, regime, actor)
	  SELECT id, 'decision', 'khien_trach', 'it_nghiem_trong', '$1', 2020, 5, '5/$1',
	  '2020-05-05', '2020-05-05', 'b', 'x' FROM cases WHERE number = '$D1'" >/dev/null 2>&1
}
ins 'QĐ-UBND' && t_ok "a row written straight" || t_fail "a row written straight"
ins 'qđ–ubnd' && t_fail "the database takes 5/qđ–ubnd beside 5/QĐ-UBND of the same year" ||
	t_ok "the database's own key refuses another form of a number in any row"
decide "$D2" '701/QĐ-UBND'
expect 200 "another serial is free"
t_eq "$(jget 'd["decisions"][0]["number"]')" '701/QĐ-UBND' "the number is kept as written"

# --- 4. one act, one sanction, across cases -------------------------------
DAY=$(date -d "$TODAY -10 days" +%F)
report CC-4 TD-02 "$DAY"; A=$(jget 'd["case"]')
t_eq "$(jget 'd["probable_duplicates"]')" "[]" "a first report has no probable duplicate"
call POST /v1/cases "{\"official\":\"CC-4\",\"rule\":\"TD-02\",\"occurred_on\":\"$DAY\",\"source\":\"citizen\",\"description\":\"Công dân phản ánh\"}"
expect 201 "the same act reported again, by a citizen"
B=$(jget 'd["case"]')
t_eq "$(jget 'd["probable_duplicates"]')" "['$A']" "the answer flags the probable duplicate"
t_eq "$(jget '[e["data"].get("probable_duplicates") for e in d["events"]][0]')" "['$A']" "and the report event records it"
call GET "/v1/cases/$A"
t_eq "$(jget 'd["probable_duplicates"]')" "['$B']" "the first case shows the link too"
report CC-4 TD-02 "$(date -d "$DAY -1 day" +%F)"; C=$(jget 'd["case"]')
t_eq "$(jget 'd["probable_duplicates"]')" "[]" "another day is another act"
to_council "$A"
to_council "$B"
decide "$A" '800/QĐ-UBND'
expect 200 "the first case is decided"
ladder=$(jget 'd["decisions"][0]["ladder_form"]')
decide "$B" '801/QĐ-UBND'
expect 422 "a second sanction for the same act is refused"
t_eq "$(jget 'd["rule"]')" already_sanctioned "as already_sanctioned"
t_eq "$(jget 'd["other"]')" "$A" "naming the case with the decision"
# the same through the CLI: refused (exit 6) without --separate-act, decided with it
rc=0; VHCV_ENDPOINT=unix:$SOCK "$VHCV" case decide "$B" --severity it_nghiem_trong --form khien_trach \
	--number '801/QĐ-UBND' --signed "$TODAY" >/dev/null 2>&1 || rc=$?
t_eq "$rc" 6 "vhcv case decide of the same act exits 6"
rc=0; VHCV_ENDPOINT=unix:$SOCK "$VHCV" --json case decide "$B" --severity it_nghiem_trong --form khien_trach \
	--number '801/QĐ-UBND' --signed "$TODAY" \
	--separate-act "Hành vi khác: lần vi phạm thứ hai trong ngày" >"$T_DIR/sep.json" 2>&1 || rc=$?
t_eq "$rc" 0 "vhcv case decide --separate-act decides a separate act"
CODE=200 BODY=$(cat "$T_DIR/sep.json")
expect 200 "a separate act, stated with its reason, is decided"
# the human timeline prints every field of the decided event, past booleans and numbers
out=$(VHCV_ENDPOINT=unix:$SOCK "$VHCV" case show "$B" 2>&1)
t_contains "$out" "complex: false" "case show prints a boolean of the event whole"
t_contains "$out" "signed_on: $TODAY" "and the fields after it"
t_contains "$out" "raise_delay_months: " "numbers too"
t_eq "$(jget 'd["decisions"][0]["ladder_form"]')" "$ladder" "the same act's decision is not prior history on the ladder"
t_eq "$(jget '[e["data"].get("separate_act") for e in d["events"] if e["kind"] == "decided"][0]["reason"]')" \
	"Hành vi khác: lần vi phạm thứ hai trong ngày" "the reason is recorded"
# reject as duplicate: never of a rejected case, never in a circle
report CC-1 TD-03 "$DAY"; E=$(jget 'd["case"]')
report CC-1 TD-03 "$DAY"; F=$(jget 'd["case"]')
report CC-1 TD-03 "$DAY"; G=$(jget 'd["case"]')
call POST "/v1/cases/$E/reject" "{\"reason\":\"duplicate\",\"of\":\"$F\"}"
expect 200 "E rejected as a duplicate of F"
call POST "/v1/cases/$F/reject" "{\"reason\":\"duplicate\",\"of\":\"$E\"}"
expect 409 "F cannot then be a duplicate of E: the act would be untracked"
t_eq "$(jget 'd["field"]')" of "naming 'of'"
t_eq "$(q "SELECT status FROM cases WHERE number = '$F'")" reported "F stays open"
call POST "/v1/cases/$G/reject" "{\"reason\":\"duplicate\",\"of\":\"$E\"}"
expect 409 "nor is G a duplicate of the rejected E"
t_eq "$(q "SELECT kind FROM case_links l JOIN cases c ON c.id = l.case_id JOIN cases o ON o.id = l.other_id WHERE c.number = '$E' AND o.number = '$F'")" \
	duplicate "the probable link became the duplicate link"

# --- 6. fields accepted and then lost ------------------------------------
cli() { VHCV_ENDPOINT=unix:$SOCK "$VHCV" "$@" 2>&1; }
report CC-2 TD-03 "$DAY"; R=$(jget 'd["case"]')
call POST "/v1/cases/$R/reject" '{"reason":"not_competent","to":"Công an huyện","note":"Chuyển hồ sơ"}'
expect 200 "reject as not competent, to another authority"
t_eq "$(jget '[e["data"] for e in d["events"] if e["kind"] == "rejected"][0].get("authority")')" "Công an huyện" \
	"the authority is stored in the event"
t_eq "$(jget '[e["data"] for e in d["events"] if e["kind"] == "rejected"][0]["to"]')" rejected \
	"beside the transition"
out=$(cli case show "$R")
t_contains "$out" "authority: Công an huyện" "case show's timeline shows the authority"
t_contains "$out" "reason: not_competent" "and the rejection reason"
t_contains "$out" "note: Chuyển hồ sơ" "and the note"
report CC-3 TD-03 "$DAY"; P=$(jget 'd["case"]')
call POST "/v1/cases/$P/notes" '{"text":"Đã mời làm việc lần 1"}'
call POST "/v1/cases/$P/accept"
UNTIL=$(date -d "$TODAY +30 days" +%F)
call POST "/v1/cases/$P/defer" "{\"ground\":\"illness\",\"until\":\"$UNTIL\",\"note\":\"Nằm viện\"}"
expect 200 "defer with a ground and a date"
t_eq "$(jget 'd["paused_since"]')" "$TODAY" "a deferred case says since when it is paused (JSON)"
t_eq "$(jget '[e["data"] for e in d["events"] if e["kind"] == "deferred"][0]["paused_since"]')" "$TODAY" \
	"and its event"
out=$(cli case show "$P")
t_contains "$out" "text: Đã mời làm việc lần 1" "the timeline shows a note's text"
t_contains "$out" "ground: illness" "the deferral ground"
t_contains "$out" "until: $UNTIL" "the deferral's end"
t_contains "$out" "paused           since $TODAY" "a deferred case shows that it is paused and since when"
call POST "/v1/cases/$P/resume"
call POST "/v1/cases/$P/council" '{"members":["HD-1","HD-2","HD-3"],"recommend":"khien_trach"}'
out=$(cli case show "$P")
t_contains "$out" "members: HD-1, HD-2, HD-3" "the timeline shows the council's members"
t_contains "$out" "recommend: khien_trach" "and its recommendation"
t_contains "$out" "rule             TD-03 v1 " "the rule's version number, not a row id"
decide "$P" '900/QĐ-UBND' ',"complex":true'
expect 200 "a complex decision"
t_eq "$(jget '[e["data"] for e in d["events"] if e["kind"] == "decided"][0]["complex"]')" True "complex is in the event"
t_eq "$(jget 'd["handling_deadline"]')" "$(q "SELECT handling_deadline FROM cases WHERE number = '$P'")" "(deadline read back)"
t_eq "$(q "SELECT handling_deadline > detected_on + 90 FROM cases WHERE number = '$P'")" t \
	"after a complex decision the handling deadline is the longer one"
t_eq "$(jget '[e["data"] for e in d["events"] if e["kind"] == "reported"][0]["description"]')" forms \
	"the report event keeps the description"

# --- 8. the contract and the newcomer's path -----------------------------
# unknown referenced objects: 404 / exit 3 everywhere
report CC-1 XX-99 "$DAY"
expect 404 "an unknown rule is 404, like an unknown official"
t_eq "$(jget 'd["field"]')" rule "naming the rule"
rc=0; cli report --official CC-1 --rule XX-99 --occurred "$DAY" --source inspection --text x >/dev/null || rc=$?
t_eq "$rc" 3 "vhcv report with an unknown rule exits 3"
call GET "/v1/cases?unit=NOPE"
expect 404 "case list of an unknown unit is 404, not an empty list"
call GET "/v1/cases?official=NOPE"
expect 404 "case list about an unknown official is 404"
rc=0; cli case list --unit NOPE >/dev/null || rc=$?
t_eq "$rc" 3 "vhcv case list --unit NOPE exits 3, as unit list --under NOPE"
t_contains "$(cli case list --help)" "oldest first" "case list --help says the order it gives"
out=$(cli case list --status reported --limit 1)
t_contains "$out" "more: vhcv case list --status reported --limit 1 --after " "the more: hint keeps --status and --limit"
# the bearer scheme is case-insensitive (RFC 9110)
for scheme in Bearer bearer BEARER; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $scheme $TOKEN" "http://127.0.0.1:$PORT/v1/units")
	t_eq "$code" 200 "Authorization: $scheme TOKEN is accepted"
done
# bad input named as the user typed it, and what is wrong with it
report CC-1 TD-01 2026-02-30
expect 400 "an impossible day"
t_contains "$(jget 'd["message"]')" "no such day 2026-02-30 (2026-02 has 28 days)" "is called no such day, not a format error"
report CC-1 TD-01 "$DAY" ',"description":"   \n\t "'
expect 400 "a text of white space only is refused"
t_eq "$(jget 'd["field"]')" description "naming the field"
out=$(cli report --official CC-1 --rule TD-01 --occurred 2026-02-30 --source inspection --text x) || true
t_contains "$out" "option --occurred, field: occurred_on" "the CLI names the option typed and the API field"
out=$(cli report --official CC-1 --rule TD-01 --occurred "$DAY" --source inspection --text '   ') || true
t_contains "$out" "option --text, field: description" "--text of spaces: named as typed"
# evidence: -o FILE, and names that are not one path segment
call PUT "/v1/cases/$C1/evidence/bien-ban-2.txt" 'noi dung'
out=$(cd "$T_DIR" && cli evidence get "$C1" bien-ban-2.txt -o got.txt)
t_eq "$(cat "$T_DIR/got.txt" 2>/dev/null)" "noi dung" "evidence get -o FILE writes the file ($out)"
for bad in 'a/b.pdf' '..' '.'; do
	rc=0; out=$(cli evidence get "$C1" "$bad") || rc=$?
	t_eq "$rc" 2 "evidence name '$bad' is refused by the CLI"
	t_contains "$out" "field 'name'" "naming the field, not 'no such path'"
done
# health: the daemon's own answer when it says 503; where vhcv looked
hp=$(t_free_port)
python3 - "$hp" >/dev/null 2>&1 <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"status":"unavailable","database":false,"schema_version":-1}'
        self.send_response(503); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
hpid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$hp") 2>/dev/null && break; sleep 0.05; done
rc=0; out=$(VHCV_ENDPOINT=http://127.0.0.1:$hp "$VHCV" health 2>&1) || rc=$?
kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null || true
t_eq "$rc" 7 "vhcv health with the database down exits 7"
t_contains "$out" '"database":false' "and shows the daemon's answer"
rc=0; out=$(cd "$T_DIR" && env -u VHCV_ENDPOINT "$VHCV" health 2>&1) || rc=$?
t_eq "$rc" 7 "no vhcvd at the default places: exit 7"
t_contains "$out" "looked for ./var/run/vhcvd.sock" "the message says where vhcv looked"
out=$(VHCV_ENDPOINT=garbage "$VHCV" health 2>&1) || true
t_contains "$out" "VHCV_ENDPOINT=garbage" "a bad VHCV_ENDPOINT is named"
# a unit created today (no valid_from) can be merged today
call POST /v1/units '{"code":"NEW-1","name":"Phòng mới"}'
expect 201 "a unit created without valid_from"
call POST /v1/units/NEW-1/merge '{"into":"VY"}'
expect 200 "is merged on its first day"
t_eq "$(jget '[d["valid_from"], d["valid_to"], d["merged_into"]]')" "['$TODAY', '$TODAY', 'VY']" \
	"having lived that one day"
# the schema owner's psql finds the tables
out=$("$PG_BIN/psql" -X -U vhcv_owner -d "$db" -c '\dt' 2>&1)
t_contains "$out" "cases" "psql -U vhcv_owner then \\dt lists the register's tables"

t_done
