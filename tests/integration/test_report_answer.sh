#!/usr/bin/env bash
# The answer to a report (issue 13, session 4): read after COMMIT with the
# new case's own lists only (its event and evidence read, its links given
# by the report's probable duplicates; no council or decision yet), it must
# be the same object as GET /v1/cases/{case} right after.
. "$(dirname "$0")/lib.sh"

db=$(t_db report_answer)
cfg=$T_DIR/vhcvd.yaml
t_config "$db" >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ');
INSERT INTO officials (code, full_name, category, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', 1), ('CC-2', 'Trần Thị Bình', 'cong_chuc', 1);
SQL
t_daemon "$cfg"
sock=$T_DIR/vhcvd.sock
DAY=$(date -d '-10 days' +%F)

# report OFFICIAL RULE DESCRIPTION: the answer in $answer, its number in $num
report() {
	t_api "$sock" POST /v1/cases "{\"official\":\"$1\",\"rule\":\"$2\",\"occurred_on\":\"$DAY\",\"source\":\"inspection\",\"description\":\"$3\"}"
	t_eq "$code" 201 "report $3 is created"
	answer=$body
	num=$(t_jget 'd["case"]')
}
# same_as_get WHAT: the last answer equals the case read now, member by member
same_as_get() {
	t_api "$sock" GET "/v1/cases/$num"
	t_eq "$code" 200 "$1: the case reads"
	t_eq "$(python3 -c 'import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k)) or "same")' "$answer" "$body")" \
		same "$1: the report's answer is the case as GET shows it"
}

report CC-1 TD-01 first
FIRST=$num
same_as_get "a case with no duplicate"
t_eq "$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(len(d["events"]), d["links"], d["probable_duplicates"], d["council"], d["decisions"], d["evidence"])' "$answer")" \
	"1 [] [] None [] []" "one event, no links, duplicates, council, decisions or evidence"

report CC-1 TD-01 second
SECOND=$num
same_as_get "a case with one probable duplicate"
t_eq "$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["links"], d["probable_duplicates"], d["events"][0]["data"]["probable_duplicates"])' "$answer")" \
	"['$FIRST'] ['$FIRST'] ['$FIRST']" "its link and duplicate are the first case, as its event says"

report CC-1 TD-01 third
same_as_get "a case with two probable duplicates"
body=$answer
t_eq "$(t_jget 'd["probable_duplicates"], d["links"]')" "(['$FIRST', '$SECOND'], ['$FIRST', '$SECOND'])" \
	"both earlier cases, in the order of their ids"

report CC-1 TD-02 "another rule"
same_as_get "another rule on the same day is not a duplicate"
body=$answer
t_eq "$(t_jget 'd["probable_duplicates"]')" "[]" "no duplicate"

report CC-2 TD-01 "another official"
same_as_get "another official"

# the first case's links seen from its side now name the later ones
t_api "$sock" GET "/v1/cases/$FIRST"
t_eq "$(t_jget 'len(d["probable_duplicates"])')" 2 "the first case lists the two later ones"
t_done
