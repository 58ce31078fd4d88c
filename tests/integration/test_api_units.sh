#!/usr/bin/env bash
# Units, officials, rules and evidence through vhcvd over TCP with bearer
# tokens: every answer, the field named on bad input, nothing written on
# refusal (row counts), SQL metacharacters stored verbatim, units merged
# with history, officials versioned by date, evidence byte-identical.
. "$(dirname "$0")/lib.sh"

db=$(t_db units)
# a free loopback port, derived from our pid
PORT=$(t_free_port)
cfg=$T_DIR/vhcvd.yaml
tok() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg"
for spec in "admin:admin:*" "hr-all:hr:*" "hr-a:hr:UBND-A" "thanhtra:inspector:UBND-A" \
	"insp-b:inspector:UBND-B" "head-a:unit_head:UBND-A" "aud-a:auditor:UBND-A"; do
	IFS=: read -r name role unit <<<"$spec"
	cat >>"$cfg" <<YAML
  - token_sha256: "$(tok "tok-$name")"
    name: $name
    role: $role
    units: ["$unit"]
YAML
done
cat >>"$cfg" <<YAML
limits:
  max_body_bytes: 16384
  max_evidence_bytes: 65536
YAML
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
# t_daemon waits for the socket; the TCP listener may come a moment later
for _ in $(seq 200); do
	curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/health" && break
	sleep 0.05
done

# api WHO METHOD PATH [BODY]: sets code, body (and headers in $T_DIR/hdr)
api() {
	local who=$1 method=$2 path=$3
	shift 3
	local args=(-sS -o "$T_DIR/body" -D "$T_DIR/hdr" -w '%{http_code}' -X "$method"
		-H "Authorization: Bearer tok-$who")
	[ $# -gt 0 ] && args+=(-H 'Content-Type: application/json' --data-binary "$1")
	code=$(curl "${args[@]}" "http://127.0.0.1:$PORT$path")
	body=$(tr -d '\0' <"$T_DIR/body")
}
# jq-like field access with python: jget JSON PYTHON_EXPR_ON_d
jget() {
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))' "$1" "$2"
}
count() { t_psql "$db" -At -c "SELECT count(*) FROM vhcv.$1"; }
# expect STATUS FIELD WHAT: the last answer was STATUS naming FIELD (- for none)
expect() {
	t_eq "$code" "$1" "$3: status"
	if [ "$2" != - ]; then
		t_eq "$(jget "$body" 'd.get("field")')" "$2" "$3: names the field"
	fi
}

# ---------------------------------------------------------------- rules
api thanhtra GET /v1/rules
expect 200 - "rules list"
n_all=$(jget "$body" 'len(d["items"])')
t_eq "$(( n_all >= 20 ))" 1 "rules in force are listed ($n_all)"
t_eq "$(jget "$body" '[r for r in d["items"] if r["code"] == "TD-01"][0]["group_name"]')" \
	"Tinh thần, thái độ làm việc" "a rule carries its group's name"
t_eq "$(jget "$body" 'd["next"]')" null "the list has no next page"
api hr-a GET '/v1/rules?group=thai_do'
expect 200 - "rules of a group"
t_eq "$(jget "$body" 'sorted(set(r["group"] for r in d["items"]))')" '["thai_do"]' "only that group"
t_eq "$(( $(jget "$body" 'len(d["items"])') < n_all ))" 1 "fewer than all"
api hr-a GET '/v1/rules?group=khong_co'
expect 404 group "unknown group"
api hr-a GET '/v1/rules?group=x%20y'
expect 400 group "group that is not a code"

api aud-a GET /v1/rules/td-01
expect 200 - "a rule by code, any case"
t_eq "$(jget "$body" 'd["code"]')" TD-01 "the code as written"
t_eq "$(jget "$body" 'len(d["content_hash"])')" 64 "content hash"
t_eq "$(jget "$body" 'd["valid_to"]')" null "open-ended"
t_eq "$(jget "$body" 'd["default_severity_name"] is not None')" true "severity display name"
# an older text of TD-01, as a reload of a changed rule would store it
t_psql "$db" -q -c "INSERT INTO vhcv.rule_versions (code, ruleset, grp, title_vi, title_en,
	content, content_hash, valid_from, valid_to)
	VALUES ('TD-01', 'vp-kh130-2019', 'thai_do', 'cũ', 'old', '{}', repeat('a', 64),
	        '2019-01-01', '2019-08-05')"
api aud-a GET /v1/rules/TD-01
old='[v for v in d["versions"] if v["content_hash"] == "a" * 64][0]'
t_eq "$(jget "$body" "$old[\"valid_to\"]")" 2019-08-05 "versions from rule_versions, with their end"
t_eq "$(jget "$body" 'd["versions"][0]["content_hash"]')" "$(printf 'a%.0s' $(seq 64))" "oldest first"
t_eq "$(jget "$body" '[v["content_hash"] for v in d["versions"]].count(d["content_hash"])')" 1 \
	"the version in force is among them"
t_contains "$(jget "$body" 'd["versions"][0]["loaded_at"]')" Z "loaded_at is UTC"
t_eq "$(jget "$body" 'isinstance(d["versions"][0]["id"], int)')" true "version ids are numbers"
api aud-a GET '/v1/rules/TD-01?on=2025-02-30'
expect 400 on "impossible date"
api aud-a GET '/v1/rules/TD-01?on=2000-01-01'
expect 404 on "not in force that day"
api aud-a GET '/v1/rules/TD-01?on=2020-03-01'
expect 200 - "in force on a past day"
api aud-a GET /v1/rules/KHONG-CO
expect 404 - "unknown rule"

# ---------------------------------------------------------------- units
api admin POST /v1/units '{"code":"UBND-T","name":"UBND tỉnh","valid_from":"2019-01-01"}'
expect 201 - "add a top unit"
t_eq "$(jget "$body" '[d["code"], d["parent"], d["valid_from"], d["valid_to"], d["merged_into"]]')" \
	'["UBND-T", null, "2019-01-01", null, null]' "the unit object"
for u in A B C; do
	api hr-all POST /v1/units "{\"code\":\"UBND-$u\",\"name\":\"UBND huyện $u\",\"parent\":\"UBND-T\",\"valid_from\":\"2019-01-01\"}"
	expect 201 - "add UBND-$u"
done
api hr-a POST /v1/units '{"code":"UBND-A1","name":"Phòng A1","parent":"UBND-A","valid_from":"2019-01-01"}'
expect 201 - "hr adds a unit below its own"
t_eq "$(jget "$body" 'd["parent"]')" UBND-A "parent code"
api hr-a POST /v1/units '{"code":"UBND-A2","name":"Phòng A2","parent":"UBND-A","valid_from":"2019-01-01"}'
expect 201 - "and another"
evil="'; DROP TABLE units; --"
api hr-all POST /v1/units "{\"code\":\"X.1_y-Z\",\"name\":\"$evil\",\"parent\":\"UBND-C\"}"
expect 201 - "SQL metacharacters in a name"
api hr-all GET /v1/units/X.1_y-Z
t_eq "$(jget "$body" 'd["name"]')" "$evil" "stored verbatim"

units0=$(count units) hist0=$(count unit_history)
t_eq "$hist0" "$units0" "one history row per unit"
api hr-a POST /v1/units '{"code":"UBND-B1","name":"x","parent":"UBND-B"}'
expect 403 - "hr outside its units"
api hr-a POST /v1/units '{"code":"UBND-Z","name":"x"}'
expect 403 - "hr with some units adds no top unit"
for who in thanhtra head-a aud-a insp-b; do
	api "$who" POST /v1/units '{"code":"UBND-A9","name":"x","parent":"UBND-A"}'
	expect 403 - "$who may not add units"
done
api hr-all POST /v1/units '{"code":"UBND-A","name":"again","parent":"UBND-T"}'
expect 409 code "duplicate code"
api hr-all POST /v1/units '{"code":"UBND-Q","name":"x","parent":"KHONG-CO"}'
expect 404 parent "unknown parent"
api hr-all POST /v1/units '{"code":"UBND-Q","name":"x"'
expect 400 - "malformed JSON"
api hr-all POST /v1/units '{"code":"UBND-Q","name":5}'
expect 400 name "wrong type"
api hr-all POST /v1/units '{"code":"UBND-Q","name":"x","colour":"red"}'
expect 400 colour "unknown field"
api hr-all POST /v1/units "$(printf '{"code":"UBND-Q","name":"\xc3\x28"}')"
expect 400 - "invalid UTF-8"
api hr-all POST /v1/units '{"code":"UBND-Q","name":"x","valid_from":"2025-02-30"}'
expect 400 valid_from "impossible date"
api hr-all POST /v1/units '{"code":"UBND Q","name":"x"}'
expect 400 code "a code with a space"
api hr-all POST /v1/units '{"code":"UBND-Q","name":""}'
expect 400 name "empty name"
api hr-all POST /v1/units '{"name":"x"}'
expect 400 code "missing code"
api hr-all POST /v1/units '["UBND-Q"]'
expect 400 - "not an object"
api hr-all POST /v1/units "{\"code\":\"UBND-Q\",\"name\":\"$(head -c 20000 /dev/zero | tr '\0' x)\"}"
expect 413 - "oversized body"
t_eq "$(count units)/$(count unit_history)" "$units0/$hist0" "nothing written by refused adds"

api thanhtra GET /v1/units
expect 200 - "list all units"
t_eq "$(jget "$body" 'len(d["items"])')" "$units0" "every unit"
api thanhtra GET '/v1/units?under=UBND-A'
t_eq "$(jget "$body" '[u["code"] for u in d["items"]]')" '["UBND-A", "UBND-A1", "UBND-A2"]' "a subtree"
api thanhtra GET '/v1/units?under=KHONG-CO'
expect 404 under "unknown subtree root"
api thanhtra GET '/v1/units?under=%27%3B'
expect 400 under "subtree root that is not a code"
api aud-a GET /v1/units/UBND-A1
expect 200 - "one unit"
api aud-a GET /v1/units/KHONG-CO
expect 404 - "unknown unit"

# merges
api hr-a POST /v1/units/UBND-A1/merge '{"into":"UBND-B","on":"2025-07-01"}'
expect 403 - "hr may not merge into a unit outside its units"
api thanhtra POST /v1/units/UBND-A1/merge '{"into":"UBND-A2"}'
expect 403 - "an inspector may not merge"
api hr-all POST /v1/units/UBND-A1/merge '{"into":"UBND-B","on":"2025-07-01"}'
expect 200 - "merge"
t_eq "$(jget "$body" '[d["merged_into"], d["valid_to"], d["parent"]]')" '["UBND-B", "2025-06-30", null]' \
	"merged: successor, last day, and no parent but in the history"
t_eq "$(t_psql "$db" -At -c "SELECT change || ' ' || effective_on || ' ' || actor FROM vhcv.unit_history
	WHERE unit_id = (SELECT id FROM vhcv.units WHERE code = 'UBND-A1') ORDER BY id DESC LIMIT 1")" \
	"merged 2025-07-01 hr-all" "the merge is in the history"
t_eq "$(t_psql "$db" -At -c "SELECT p.code FROM vhcv.unit_history h JOIN vhcv.units p ON p.id = h.parent_id
	WHERE h.change = 'merged'")" UBND-A "the history keeps the former parent"
api aud-a GET '/v1/units?under=UBND-B'
t_eq "$(jget "$body" '[u["code"] for u in d["items"]]')" '["UBND-A1", "UBND-B"]' \
	"the successor's subtree holds the merged unit"
api aud-a GET '/v1/units?under=UBND-A'
t_eq "$(jget "$body" '[u["code"] for u in d["items"]]')" '["UBND-A", "UBND-A2"]' "and the old parent's no more"
units1=$(count units) hist1=$(count unit_history)
api hr-all POST /v1/units/UBND-A1/merge '{"into":"UBND-C"}'
expect 409 - "a unit merged already"
api hr-all POST /v1/units/UBND-C/merge '{"into":"UBND-C"}'
expect 409 into "into itself"
api hr-all POST /v1/units/UBND-C/merge '{"into":"UBND-A1"}'
expect 409 into "into a unit merged away"
api hr-all POST /v1/units/UBND-T/merge '{"into":"UBND-A2"}'
expect 409 into "into its own descendant"
api hr-all POST /v1/units/UBND-T/merge '{"into":"UBND-A1"}'
expect 409 into "into a descendant merged away"
api hr-all POST /v1/units/UBND-C/merge '{"into":"KHONG-CO"}'
expect 404 into "into an unknown unit"
api hr-all POST /v1/units/KHONG-CO/merge '{"into":"UBND-C"}'
expect 404 - "merge of an unknown unit"
api hr-all POST /v1/units/UBND-C/merge '{"into":"UBND-B","on":"2025-02-30"}'
expect 400 on "impossible merge date"
api hr-all POST /v1/units/UBND-C/merge '{"into":"UBND-B","on":"2018-12-31"}'
expect 400 on "a merge before the unit's first day"
api hr-all POST /v1/units/UBND-C/merge '{"to":"UBND-B"}'
expect 400 to "unknown field in a merge"
api hr-all POST /v1/units/UBND-C/merge '{}'
expect 400 into "merge without into"
api hr-all POST /v1/units '{"code":"UBND-Q","name":"x","parent":"UBND-A1"}'
expect 409 parent "a parent merged away"
t_eq "$(count units)/$(count unit_history)" "$units1/$hist1" "nothing written by refused merges"
t_eq "$(t_psql "$db" -At -c "SELECT count(*) FROM vhcv.units WHERE merged_into IS NOT NULL")" 1 "one unit merged"

# ---------------------------------------------------------------- officials
off='{"full_name":"Nguyễn Văn An","category":"cong_chuc","unit":"UBND-A","valid_from":"2020-01-01"}'
api hr-a PUT /v1/officials/CC-0001 "$off"
expect 201 - "add an official"
t_eq "$(jget "$body" '[d["code"], d["full_name"], d["category"], d["leader"], d["unit"], d["position"], d["status"], d["valid_from"]]')" \
	'["CC-0001", "Nguyễn Văn An", "cong_chuc", false, "UBND-A", null, "active", "2020-01-01"]' "the official object"
t_eq "$(jget "$body" 'd["category_name"].lower()')" "công chức" "category display name"
t_eq "$(jget "$body" 'd["sanctions"]')" "[]" "no sanctions"
t_eq "$(jget "$body" '"open_cases" in d')" false "hr does not see cases"
api hr-a PUT /v1/officials/CC-0001 "$off"
expect 200 - "unchanged repeat"
t_eq "$(count official_versions)" 1 "writes no new version"
api hr-a PUT /v1/officials/CC-0001 '{"full_name":"Nguyễn Văn An","category":"cong_chuc","unit":"UBND-A","leader":true,"position":"Trưởng phòng","valid_from":"2024-01-01"}'
expect 200 - "update"
t_eq "$(jget "$body" '[d["leader"], d["position"], d["valid_from"]]')" '[true, "Trưởng phòng", "2024-01-01"]' "updated"
t_eq "$(count official_versions)" 2 "a new version"
api thanhtra GET '/v1/officials/CC-0001?on=2021-06-01'
expect 200 - "an official on a past day"
t_eq "$(jget "$body" '[d["leader"], d["position"], d["valid_from"]]')" '[false, null, "2020-01-01"]' "the version of that day"
t_eq "$(jget "$body" 'd["open_cases"]')" "[]" "readers of cases see open cases"
api thanhtra GET /v1/officials/CC-0001
t_eq "$(jget "$body" 'd["leader"]')" true "today's version"
api thanhtra GET '/v1/officials/CC-0001?on=2019-06-01'
expect 404 on "before the first version"
api thanhtra GET '/v1/officials/CC-0001?on=2025-02-30'
expect 400 on "impossible date"
api thanhtra GET /v1/officials/KHONG-CO
expect 404 - "unknown official"
api insp-b GET /v1/officials/CC-0001
expect 403 - "an official outside the reader's units"
api hr-a GET /v1/officials/CC-0001
expect 200 - "hr reads officials in its units"

versions0=$(count official_versions) officials0=$(count officials)
api hr-a PUT /v1/officials/CC-0001 '{"full_name":"Nguyễn Văn An","category":"cong_chuc","unit":"UBND-A","valid_from":"2023-01-01"}'
expect 409 valid_from "a change cannot start before the latest version"
api hr-a PUT /v1/officials/CC-0001 '{"full_name":"Nguyễn Văn An","category":"cong_chuc","unit":"UBND-B"}'
expect 403 - "hr moves nobody into a unit outside its units"
api hr-all PUT /v1/officials/CC-0002 '{"full_name":"Trần Thị Bình","category":"vien_chuc","unit":"UBND-B","valid_from":"2020-01-01"}'
expect 201 - "an official in B"
versions0=$(count official_versions) officials0=$(count officials)
api hr-a PUT /v1/officials/CC-0002 '{"full_name":"Trần Thị Bình","category":"vien_chuc","unit":"UBND-A"}'
expect 403 - "hr moves nobody out of a unit outside its units"
api hr-all PUT /v1/officials/CC-0003 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A1"}'
expect 409 unit "a new official in a unit merged away"
api hr-all PUT /v1/officials/CC-0003 '{"full_name":"x","category":"cong_chuc","unit":"KHONG-CO"}'
expect 404 unit "unknown unit"
api hr-all PUT /v1/officials/CC-0003 '{"full_name":"x","category":"thu_truong","unit":"UBND-A"}'
expect 400 category "unknown category"
api hr-all PUT /v1/officials/CC-0003 '{"category":"cong_chuc","unit":"UBND-A"}'
expect 400 full_name "missing name"
api hr-all PUT /v1/officials/CC-0003 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A","leader":"yes"}'
expect 400 leader "wrong type"
api hr-all PUT /v1/officials/CC-0003 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A","status":"dead"}'
expect 400 status "unknown status"
api hr-all PUT /v1/officials/CC-0003 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A","salary":1}'
expect 400 salary "unknown field"
api hr-all PUT /v1/officials/CC-0003 "$(printf '{"full_name":"\xff","category":"cong_chuc","unit":"UBND-A"}')"
expect 400 - "invalid UTF-8"
api hr-all PUT /v1/officials/CC-0003 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A","valid_from":"2025-02-30"}'
expect 400 valid_from "impossible date"
api hr-all PUT /v1/officials/CC%200003 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A"}'
expect 400 code "a personnel code with a space"
for who in thanhtra head-a aud-a; do
	api "$who" PUT /v1/officials/CC-0003 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A"}'
	expect 403 - "$who may not put officials"
done
t_eq "$(count officials)/$(count official_versions)" "$officials0/$versions0" "nothing written by refused puts"
api hr-all PUT /v1/officials/CC-0003 "{\"full_name\":\"$evil\",\"category\":\"nguoi_lao_dong\",\"unit\":\"UBND-B\",\"position\":\"\\\"quoted\\\" \\\\ back\"}"
expect 201 - "metacharacters in an official"
api hr-all GET /v1/officials/CC-0003
t_eq "$(jget "$body" '[d["full_name"], d["position"]]')" "$(jget "[\"$evil\", \"\\\"quoted\\\" \\\\ back\"]" 'd')" "stored verbatim"

# concurrent first puts of one official: one creates it, the others find it unchanged
racers=()
for i in 1 2 3 4 5 6; do
	curl -s -o "$T_DIR/race.$i" -w '%{http_code}\n' -X PUT -H "Authorization: Bearer tok-hr-all" \
		--data-binary '{"full_name":"Đinh Văn Đua","category":"cong_chuc","unit":"UBND-B"}' \
		"http://127.0.0.1:$PORT/v1/officials/CC-RACE" >"$T_DIR/race.code.$i" &
	racers+=($!)
done
# not a bare wait: that would wait for vhcvd too
wait "${racers[@]}"
t_eq "$(cat "$T_DIR"/race.code.* | sort | uniq -c | awk '{print $2 "x" $1}' | paste -sd' ')" "200x5 201x1" \
	"six concurrent puts: one 201, five 200"
t_eq "$(t_psql "$db" -At -c "SELECT count(*) FROM vhcv.official_versions v JOIN vhcv.officials o
	ON o.id = v.official_id WHERE o.code = 'CC-RACE'")" 1 "and one version"

# scope follows merges: A1 was merged into B
t_psql "$db" -q -c "INSERT INTO vhcv.officials (code, full_name, category, unit_id)
	SELECT 'CC-0004', 'Lê Văn Cường', 'cong_chuc', id FROM vhcv.units WHERE code = 'UBND-A1';
	INSERT INTO vhcv.official_versions (official_id, valid_from, full_name, category, leader, unit_id, status, actor)
	SELECT id, '2020-01-01', full_name, category, false, unit_id, 'active', 'test' FROM vhcv.officials WHERE code = 'CC-0004'"
api insp-b GET /v1/officials/CC-0004
expect 200 - "the successor's reader reads an official of a merged unit"
t_psql "$db" -q -c "INSERT INTO vhcv.officials (code, full_name, category, unit_id)
	SELECT 'CC-0005', 'Vũ Thị Hoa', 'vien_chuc', id FROM vhcv.units WHERE code = 'UBND-B'"
api insp-b GET '/v1/officials/CC-0005?on=2000-01-01'
expect 200 - "an official loaded without versions"
t_eq "$(jget "$body" '[d["full_name"], d["valid_from"]]')" '["Vũ Thị Hoa", null]' "shows its row"
api hr-all PUT /v1/officials/CC-0004 '{"full_name":"Lê Văn Cường","category":"cong_chuc","unit":"UBND-A1"}'
expect 200 - "an unchanged official in a merged unit"

# sanctions and open cases, from rows written as the lead's handlers do
t_psql "$db" -q <<'SQL'
SET search_path = vhcv;
INSERT INTO rule_versions (code, ruleset, grp, title_vi, title_en, content, content_hash, valid_from)
VALUES ('TD-02', 'vp-kh130-2019', 'thai_do', 'x', 'x', '{}', repeat('b', 64), '2019-08-06');
INSERT INTO cases (year, seq, official_id, unit_id, rule_version_id, source, reporter,
	occurred_on, detected_on, description, status)
SELECT 2024, s, o.id, u.id, r.id, 'inspection', 'thanhtra', '2024-01-10', '2024-01-12', 'mô tả', st
FROM officials o, units u, rule_versions r,
	(VALUES (1, 'decided'), (2, 'decided'), (3, 'under_review'), (4, 'rejected')) AS v(s, st)
WHERE o.code = 'CC-0001' AND u.code = 'UBND-A' AND r.content_hash = repeat('b', 64);
-- VP-2024-1: a reprimand for a year; VP-2024-2: a warning later changed
INSERT INTO decisions (case_id, kind, form, severity, issuer, year, number, symbol, signed_on,
	effective_on, effect_until, regime, actor)
SELECT id, 'decision', 'khien_trach', 'it_nghiem_trong', 'QĐ-UBND', 2024, 1, '1/QĐ-UBND',
	'2024-03-01', '2024-03-01', '2025-02-28', 'A', 'test' FROM cases WHERE number = 'VP-2024-1';
INSERT INTO decisions (case_id, kind, form, severity, issuer, year, number, symbol, signed_on,
	effective_on, effect_until, regime, actor)
SELECT id, 'decision', 'canh_cao', 'nghiem_trong', 'QĐ-UBND', 2024, 2, '2/QĐ-UBND',
	'2024-04-01', '2024-04-01', '2025-03-31', 'A', 'test' FROM cases WHERE number = 'VP-2024-2';
INSERT INTO decisions (case_id, kind, form, severity, issuer, year, number, symbol, signed_on,
	effective_on, effect_until, regime, supersedes_id, actor)
SELECT c.id, 'change', 'none', 'nghiem_trong', 'QĐ-UBND', 2024, 3, '3/QĐ-UBND',
	'2024-05-01', '2024-05-01', NULL, 'A', d.id, 'test'
FROM cases c JOIN decisions d ON d.case_id = c.id WHERE c.number = 'VP-2024-2';
SQL
api thanhtra GET '/v1/officials/CC-0001?on=2024-06-01'
expect 200 - "an official with a sanction"
t_eq "$(jget "$body" '[s["form"] for s in d["sanctions"]]')" '["khien_trach"]' \
	"in effect: the reprimand; not the changed warning nor the 'none' change"
t_eq "$(jget "$body" 'd["sanctions"][0]["form_name"] is not None')" true "sanction form display name"
api thanhtra GET '/v1/officials/CC-0001?on=2024-02-01'
t_eq "$(jget "$body" 'd["sanctions"]')" "[]" "not yet in effect"
api thanhtra GET '/v1/officials/CC-0001?on=2025-03-01'
t_eq "$(jget "$body" 'd["sanctions"]')" "[]" "effect over"
t_eq "$(jget "$body" 'd["open_cases"]')" '["VP-2024-1", "VP-2024-2", "VP-2024-3"]' "open cases, not the rejected one"
api hr-a GET '/v1/officials/CC-0001?on=2024-06-01'
t_eq "$(jget "$body" '[len(d["sanctions"]), "open_cases" in d]')" '[1, false]' "hr sees sanctions, not cases"
api insp-b GET /v1/officials/CC-0004
t_eq "$(jget "$body" 'd["open_cases"]')" "[]" "no cases of others"

# ---------------------------------------------------------------- evidence
ev=$T_DIR/ev.bin
head -c 40000 /dev/urandom >"$ev"
want=$(sha256sum "$ev" | cut -d' ' -f1)
name='biên bản họp (1).pdf'
enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$name")
# evput WHO CASE NAME FILE [CONTENT-TYPE]
evput() {
	local ct=${5-application/pdf}
	code=$(curl -sS -o "$T_DIR/body" -w '%{http_code}' -X PUT -H "Authorization: Bearer tok-$1" \
		-H "Content-Type: $ct" --data-binary "@$4" "http://127.0.0.1:$PORT/v1/cases/$2/evidence/$3")
	body=$(cat "$T_DIR/body")
}
events0=$(count case_events)
evput thanhtra VP-2024-3 "$enc" "$ev"
expect 201 - "upload evidence"
t_eq "$(jget "$body" '[d["name"], d["media_type"], d["size"], d["sha256"], d["added_by"]]')" \
	"[\"$name\", \"application/pdf\", 40000, \"$want\", \"thanhtra\"]" "the evidence object"
t_contains "$(jget "$body" 'd["added_at"]')" Z "added_at is UTC"
t_eq "$(count case_events)" $((events0 + 1)) "an event appended"
t_eq "$(t_psql "$db" -At -c "SELECT kind, data->>'name', data->>'sha256', data->>'size', data->>'media_type'
	FROM vhcv.case_events ORDER BY id DESC LIMIT 1")" "evidence|$name|$want|40000|application/pdf" \
	"the event names the evidence"
api aud-a GET "/v1/cases/VP-2024-3/evidence/$enc"
expect 200 - "download evidence"
cmp -s "$T_DIR/body" "$ev" && t_ok "bytes identical" || t_fail "downloaded bytes differ"
hdr=$(tr -d '\r' <"$T_DIR/hdr")
t_contains "$hdr" "X-Content-SHA256: $want" "SHA-256 header matches sha256sum"
t_contains "$hdr" "Content-Type: application/pdf" "media type"
evidence0=$(count evidence) events0=$(count case_events)
evput head-a VP-2024-3 "$enc" "$ev"
expect 409 name "duplicate name"
head -c 70000 /dev/urandom >"$T_DIR/big.bin"
evput thanhtra VP-2024-3 big.bin "$T_DIR/big.bin"
expect 413 - "over max_evidence_bytes"
evput thanhtra VP-2024-3 'a%5Cb' "$ev"
expect 400 name "a backslash in the name"
evput thanhtra VP-2024-3 'a%01b' "$ev"
expect 400 name "a control character in the name"
evput thanhtra VP-2024-3 'a%C3%28' "$ev"
expect 400 name "a name that is not UTF-8"
evput thanhtra VP-2024-3 "$(head -c 256 /dev/zero | tr '\0' n)" "$ev"
expect 400 name "a name over 255 bytes"
evput thanhtra VP-2024-3 'a%2Fb' "$ev"
t_eq "$(( code >= 400 && code < 500 ))" 1 "a slash in the name: 4xx ($code)"
evput thanhtra VP-2024-3 x.bin "$ev" 'not a type'
expect 400 Content-Type "a bad media type"
evput hr-all VP-2024-3 x.bin "$ev"
expect 403 - "hr adds no evidence"
evput aud-a VP-2024-3 x.bin "$ev"
expect 403 - "an auditor adds no evidence"
evput insp-b VP-2024-3 x.bin "$ev"
expect 403 - "an inspector outside the case's units"
evput thanhtra VP-2099-1 x.bin "$ev"
expect 404 - "unknown case"
t_eq "$(count evidence)/$(count case_events)" "$evidence0/$events0" "nothing written by refused uploads"
evput head-a VP-2024-3 raw "$ev" ''
expect 201 - "upload without a media type"
t_eq "$(jget "$body" 'd["media_type"]')" application/octet-stream "default media type"
: >"$T_DIR/empty"
evput head-a VP-2024-3 empty "$T_DIR/empty"
expect 201 - "an empty file"
api head-a GET /v1/cases/VP-2024-3/evidence/empty
t_eq "$code/$(stat -c %s "$T_DIR/body")" 200/0 "comes back empty"
api insp-b GET "/v1/cases/VP-2024-3/evidence/$enc"
expect 403 - "a reader outside the case's units"
api hr-all GET "/v1/cases/VP-2024-3/evidence/$enc"
expect 403 - "hr reads no evidence"
api aud-a GET /v1/cases/VP-2024-3/evidence/nothing.pdf
expect 404 - "unknown evidence"
api aud-a GET "/v1/cases/VP-2099-1/evidence/$enc"
expect 404 - "evidence of an unknown case"
api aud-a GET /v1/audit/verify
if [ "$code" = 200 ]; then
	t_eq "$(jget "$body" 'd["ok"]')" true "the chain with evidence events verifies"
fi

t_daemon_stop
t_done
