#!/usr/bin/env bash
# Dates the workflow must not accept (docs/security.md): a decision on
# appeal or an annulment signed before what it answers; dates beyond the
# register's window (400 naming the field, never 500, nothing locked for
# ever); and review rights that follow the unit tree as of the day, so a
# merge dated in the future moves nothing today.
. "$(dirname "$0")/lib.sh"

db=$(t_db dates)
port=$(t_free_port)
tok() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
{
	t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$port\"|"
	for spec in "head-p:P" "head-y:Y"; do
		IFS=: read -r name unit <<<"$spec"
		cat <<YAML
  - token_sha256: "$(tok "tok-$name")"
    name: $name
    role: unit_head
    units: ["$unit"]
    no_official: true
YAML
	done
} >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_psql "$db" -q <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name, valid_from) VALUES ('P', 'Tỉnh', '2000-01-01'), ('Y', 'Huyện Y', '2000-01-01');
INSERT INTO units (code, name, parent_id, valid_from) VALUES ('X', 'Xã X', 1, '2000-01-01');
INSERT INTO officials (code, full_name, category, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', 3), ('CC-2', 'Trần Thị Bình', 'cong_chuc', 3),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', 3), ('CC-4', 'Phạm Thị Dung', 'cong_chuc', 3);
SQL
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
call() {
	local out
	out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" -H 'Content-Type: application/json' \
		${3:+--data-binary "$3"} "http://x$2")
	CODE=${out##*$'\n'} BODY=${out%$'\n'*}
}
as() { # as WHO METHOD PATH: over TCP with WHO's token
	CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer tok-$1" -X "$2" "http://127.0.0.1:$port$3")
}
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$BODY"; }
day() { date -d "$1 days" +%F; }

# --- a decision on appeal, and an annulment, are not signed before what they answer
call POST /v1/cases "{\"official\":\"CC-1\",\"rule\":\"TD-01\",\"occurred_on\":\"$(day -40)\",\"detected_on\":\"$(day -35)\",\"source\":\"inspection\",\"description\":\"x\"}"
C=$(jget 'd["case"]')
call POST "/v1/cases/$C/accept"
call POST "/v1/cases/$C/council" '{"members":["CC-2","CC-3","CC-4"]}'
call POST "/v1/cases/$C/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"1/QĐ-UBND\",\"signed_on\":\"$(day -10)\"}"
t_eq "$CODE" 200 "a decision signed 10 days ago"
call POST "/v1/cases/$C/appeal" "{\"filed_on\":\"$(day -5)\"}"
t_eq "$CODE" 200 "an appeal filed 5 days ago"
call POST "/v1/cases/$C/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"2/QĐ-UBND\",\"signed_on\":\"$(day -12)\",\"reason\":\"x\"}"
t_eq "$CODE/$(jget 'd.get("field")')" 400/signed_on "a change signed before the decision it replaces is refused"
t_contains "$BODY" "before the decision" "saying so"
call POST "/v1/cases/$C/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"2/QĐ-UBND\",\"signed_on\":\"$(day -7)\",\"reason\":\"x\"}"
t_eq "$CODE/$(jget 'd.get("field")')" 400/signed_on "a change signed before the appeal is refused"
t_contains "$BODY" "before the appeal" "saying so"
call POST "/v1/cases/$C/annul" "{\"number\":\"3/QĐ-UBND\",\"signed_on\":\"$(day -11)\"}"
t_eq "$CODE/$(jget 'd.get("field")')" 400/signed_on "an annulment signed before the annulled decision is refused"
call POST "/v1/cases/$C/annul" "{\"number\":\"3/QĐ-UBND\",\"signed_on\":\"$(day -6)\"}"
t_eq "$CODE/$(jget 'd.get("field")')" 400/signed_on "an annulment signed before the appeal is refused"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.decisions")" 1 "nothing was written"
call POST "/v1/cases/$C/annul" "{\"number\":\"3/QĐ-UBND\",\"signed_on\":\"$(day -5)\"}"
t_eq "$CODE" 200 "an annulment on the day of the appeal is accepted"

# --- the window: 400 naming the field, never 500, nothing locked for ever
call POST /v1/cases "{\"official\":\"CC-2\",\"rule\":\"TD-01\",\"occurred_on\":\"$(day -30)\",\"source\":\"inspection\",\"description\":\"y\"}"
C2=$(jget 'd["case"]')
call POST "/v1/cases/$C2/accept"
call POST "/v1/cases/$C2/council" '{"members":["CC-1","CC-3","CC-4"]}'
call POST "/v1/cases/$C2/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"9/QĐ-UBND\",\"signed_on\":\"$(day 0)\",\"effective_on\":\"9999-12-31\"}"
t_eq "$CODE/$(jget 'd.get("field")')" 400/effective_on "effective_on 9999-12-31 is 400"
call POST /v1/units '{"code":"Z","name":"Z","valid_from":"9999-12-31"}'
t_eq "$CODE/$(jget 'd.get("field")')" 400/valid_from "a unit valid from 9999-12-31 is 400"
call PUT /v1/officials/CC-9 '{"full_name":"Z","category":"cong_chuc","unit":"X","valid_from":"9999-12-31"}'
t_eq "$CODE/$(jget 'd.get("field")')" 400/valid_from "an official valid from 9999-12-31 is 400"
call PUT /v1/officials/CC-9 "{\"full_name\":\"Z\",\"category\":\"cong_chuc\",\"unit\":\"X\",\"valid_from\":\"$(day 800)\"}"
t_eq "$CODE/$(jget 'd.get("field")')" 400/valid_from "an official valid from two years ahead is 400"
call PUT /v1/officials/CC-9 '{"full_name":"Z","category":"cong_chuc","unit":"X"}'
t_eq "$CODE" 201 "so the record stays open to today's changes"
call POST /v1/units/X/merge '{"into":"Y","on":"9999-12-31"}'
t_eq "$CODE/$(jget 'd.get("field")')" 400/on "a merge on 9999-12-31 is 400"
call POST /v1/cases '{"official":"CC-2","rule":"TD-01","occurred_on":"1899-12-31","source":"inspection","description":"z"}'
t_eq "$CODE/$(jget 'd.get("field")')" 400/occurred_on "a date before 1900 is 400"

# --- scope as of the day: a merge dated in the future moves nothing today
call POST /v1/cases "{\"official\":\"CC-3\",\"rule\":\"TD-01\",\"occurred_on\":\"$(day -20)\",\"source\":\"inspection\",\"description\":\"z\"}"
C3=$(jget 'd["case"]')
call POST /v1/units/X/merge "{\"into\":\"Y\",\"on\":\"$(day 30)\"}"
t_eq "$CODE" 200 "X merges into Y in 30 days"
as head-y GET "/v1/cases/$C3"
t_eq "$CODE" 403 "Y's head has no right on X's case before the merge's date"
as head-p GET "/v1/cases/$C3"
t_eq "$CODE" 200 "X's old parent keeps it until then"
as head-y POST "/v1/cases/$C3/accept"
t_eq "$CODE" 403 "nor may Y's head act on it"
# the merge's day comes (the superuser moves the date back, as time would)
t_psql "$db" -q -c "SET session_replication_role = replica; UPDATE vhcv.units SET valid_to = current_date - 1 WHERE code = 'X'"
as head-y GET "/v1/cases/$C3"
t_eq "$CODE" 200 "from the merge's date, Y's head has it"
t_daemon_stop
t_done
