#!/usr/bin/env bash
# The report in one statement (issue 13, session 5): the official's query
# writes the case when the official's category is one of the rule's, no act
# of theirs was reported after this one and the reporter may report in
# their unit; otherwise it writes nothing and the report goes the
# two-statement way. Both ways answer the same, a refused report takes no
# case number, and a later act still restarts the new act's period.
. "$(dirname "$0")/lib.sh"

db=$(t_db report_path)
cfg=$T_DIR/vhcvd.yaml
tok() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
PORT=$(t_free_port)
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg"
# inspectors of the province (the official's unit is under it) and of another
cat >>"$cfg" <<YAML
  - token_sha256: "$(tok tok-insp-pt)"
    name: insp-pt
    role: inspector
    units: ["PT"]
  - token_sha256: "$(tok tok-insp-hn)"
    name: insp-hn
    role: inspector
    units: ["HN"]
YAML
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ'), ('HN', 'UBND TP Hà Nội');
INSERT INTO units (code, name, parent_id) VALUES ('PT-VT', 'UBND TP Việt Trì', 1);
INSERT INTO officials (code, full_name, category, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', 3), ('LD-1', 'Trần Văn Bảo', 'nguoi_lao_dong', 3),
 ('LD-2', 'Lê Thị Cúc', 'nguoi_lao_dong', 3);
SQL
t_daemon "$cfg"
for _ in $(seq 200); do
	curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/health" && break
	sleep 0.05
done
sock=$T_DIR/vhcvd.sock
DAY=$(date -d '-10 days' +%F)

# as WHO (admin: the socket) METHOD PATH [BODY]: sets code and body
as() {
	local who=$1
	shift
	if [ "$who" = admin ]; then
		t_api "$sock" "$@"
		return
	fi
	local args=(-sS -o "$T_DIR/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer tok-$who")
	[ $# -gt 2 ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
	code=$(curl "${args[@]}" "http://127.0.0.1:$PORT$2")
	body=$(cat "$T_DIR/body")
}
# report WHO OFFICIAL RULE OCCURRED [MORE JSON MEMBERS]
report() {
	as "$1" POST /v1/cases "{\"official\":\"$2\",\"rule\":\"$3\",\"occurred_on\":\"$4\",\"source\":\"inspection\",\"description\":\"x\"${5:+,$5}}"
}
seq_of() { echo "${1##*-}"; }
abandoned() { t_psql "$db" -tAc "SELECT count(*) FROM vhcv.case_numbers_abandoned"; }

report admin CC-1 TD-01 "$DAY"
t_eq "$code" 201 "a report is written"
N1=$(t_jget 'd["case"]')

# refused or failed before a case is written: no number is taken
report admin LD-1 DD-07 "$DAY"
t_eq "$code $(t_jget 'd.get("rule")')" "422 rule_not_applicable" "a rule that does not apply to the official's category is refused"
report admin CC-404 TD-01 "$DAY"
t_eq "$code" 404 "an unknown official is 404"
report insp-hn CC-1 TD-01 "$DAY"
t_eq "$code" 403 "an inspector of another province may not report in this one"
report admin CC-1 TD-01 "$DAY"
t_eq "$code" 201 "the next report is written"
N2=$(t_jget 'd["case"]')
t_eq "$(($(seq_of "$N2") - $(seq_of "$N1")))" 1 "the refused reports took no case number ($N1, then $N2)"
t_eq "$(abandoned)" 0 "and none was recorded as given up"
t_eq "$(t_jget 'd["probable_duplicates"]')" "['$N1']" "the same act of the same official is a probable duplicate"

# an inspector of the official's province (the unit is under it)
report insp-pt CC-1 TD-02 "$DAY"
t_eq "$code" 201 "an inspector reports in a unit under their province"
answer=$body
num=$(t_jget 'd["case"]')
t_eq "$(t_jget 'd["reporter"]')" insp-pt "the inspector is the reporter"
as admin GET "/v1/cases/$num"
t_eq "$(python3 -c 'import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k)) or "same")' "$answer" "$body")" \
	same "the inspector's answer is the case as GET shows it"

# a later act of the official, within the period, restarts it (Law 52/2019
# art. 80; a worker's period is 6 months): the report must not take the
# period of the act alone
report admin LD-2 TD-01 2026-09-01 '"detected_on":"2026-11-01"'
t_eq "$code $(t_jget 'd["limitation_expires_on"]')" "201 2027-03-01" "a worker's act of 01/9: 6 months"
report admin LD-2 TD-02 2026-07-01 '"detected_on":"2026-11-01"'
t_eq "$code $(t_jget 'd["limitation_expires_on"]')" "201 2027-03-01" \
	"an earlier act reported after it counts from the later act (01/9), not 6 months from 01/7"
report admin LD-1 TD-01 2026-07-01 '"detected_on":"2026-11-01"'
t_eq "$(t_jget 'd["limitation_expires_on"]')" 2027-01-01 "without a later act: 6 months from 01/7"

# an idempotency key through the one statement: the same body is the same case
report admin CC-1 TD-03 "$DAY" '"idempotency_key":"k-1"'
t_eq "$code" 201 "a report with a key"
K=$(t_jget 'd["case"]')
report admin CC-1 TD-03 "$DAY" '"idempotency_key":"k-1"'
t_eq "$code $(t_jget 'd["case"]')" "200 $K" "repeated with its key: the same case"
report admin CC-1 TD-04 "$DAY" '"idempotency_key":"k-1"'
t_eq "$code" 409 "the key with another body is a conflict"
t_eq "$(abandoned)" 0 "no number was given up"

t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases")" 7 "seven cases written in all"

# the COMMIT goes in the round trip of the report's last statement, its
# event, when the official has no open case to restart (session 7): an
# event that fails is never committed, and a COMMIT that fails (a deferred
# check) is never answered 201
t_psql "$db" >/dev/null <<'SQL'
INSERT INTO vhcv.officials (code, full_name, category, unit_id) VALUES ('CC-2', 'Đỗ Văn Giang', 'cong_chuc', 3);
CREATE FUNCTION vhcv.test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'refused by the test (%)', TG_NAME; END $$;
CREATE TRIGGER test_fail_event BEFORE INSERT ON vhcv.case_events FOR EACH ROW
  WHEN (NEW.data ->> 'description' = 'fail-event') EXECUTE FUNCTION vhcv.test_fail();
CREATE CONSTRAINT TRIGGER test_fail_commit AFTER INSERT ON vhcv.case_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.data ->> 'description' = 'fail-commit') EXECUTE FUNCTION vhcv.test_fail();
SQL
for what in event commit; do
	as admin POST /v1/cases "{\"official\":\"CC-2\",\"rule\":\"TD-05\",\"occurred_on\":\"$DAY\",\"source\":\"inspection\",\"description\":\"fail-$what\"}"
	t_eq "$([ "$code" -ge 500 ] && echo failed || echo "$code")" failed "a report whose $what fails is answered as failed"
	t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases WHERE description = 'fail-$what'")" 0 \
		"and nothing of it was committed"
done
t_eq "$(abandoned)" 2 "their two numbers were recorded as given up"
report admin CC-2 TD-05 "$DAY"
t_eq "$code" 201 "the next report on the same connections is written"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases")" 8 "eight cases in all"
t_psql "$db" -c "SELECT 1" >/dev/null
t_done
