#!/usr/bin/env bash
# The answer to a report (issue 13): made from the row the report's own
# statement wrote and returned (session 7; read after the COMMIT before),
# its one event as written and its links given by the report's probable
# duplicates (no evidence, council or decision yet), it must be the same
# object as GET /v1/cases/{case} right after: by the one statement and by
# the two-statement way, with every optional field, and for an official
# whose category has changed since the act.
. "$(dirname "$0")/lib.sh"

db=$(t_db report_answer)
cfg=$T_DIR/vhcvd.yaml
t_config "$db" >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ');
INSERT INTO officials (code, full_name, category, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', 1), ('CC-2', 'Trần Thị Bình', 'cong_chuc', 1),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', 1), ('CC-4', 'Phạm Thị Dung', 'vien_chuc', 1);
-- CC-4 was a civil servant and a leader until a month ago
INSERT INTO official_versions (official_id, valid_from, full_name, category, leader, unit_id, status, actor)
 VALUES (4, '2020-01-01', 'Phạm Thị Dung', 'cong_chuc', true, 1, 'active', 'test'),
        (4, current_date - 30, 'Phạm Thị Dung', 'vien_chuc', false, 1, 'active', 'test');
SQL
t_daemon "$cfg"
sock=$T_DIR/vhcvd.sock
DAY=$(date -d '-10 days' +%F)

# report OFFICIAL RULE DESCRIPTION [DAY [MORE JSON MEMBERS]]: the answer
# in $answer, its number in $num
report() {
	t_api "$sock" POST /v1/cases "{\"official\":\"$1\",\"rule\":\"$2\",\"occurred_on\":\"${4:-$DAY}\",\"source\":\"inspection\",\"description\":\"$3\"${5:+,$5}}"
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

# every optional field, and an act that continues
report CC-3 TD-01 "với nơi xảy ra" "$DAY" '"place":"Phòng một cửa","detected_on":"'"$(date -d '-2 days' +%F)"'","continuing":true,"idempotency_key":"k-ans"'
same_as_get "a case with a place, a detection day, a continuing act and a key"
body=$answer
t_eq "$(t_jget 'd["place"], d["reporter"], d["status"], d["events"][0]["data"]["continuing_at"]')" \
	"('Phòng một cửa', 'root', 'reported', '$(date -d '-2 days' +%F)')" "the fields given are in the answer"
report CC-3 TD-02 "kết thúc" "$DAY" "\"ended_on\":\"$(date -d '-5 days' +%F)\""
same_as_get "an act that ended"

# the two-statement way: CC-3 has an act reported on $DAY, after this one
report CC-3 TD-03 "earlier act" "$(date -d '-20 days' +%F)"
same_as_get "an earlier act reported after a later one (the two-statement way)"
body=$answer
t_eq "$(t_jget 'd["official"]["code"], d["rule"]["code"]')" "('CC-3', 'TD-03')" "its official and rule"

# the answer shows the official as now (a public employee, not a leader),
# as GET does; the act's period is the category's on the day (a civil servant)
report CC-4 TD-01 "category changed since" "$(date -d '-60 days' +%F)"
same_as_get "an official whose category changed after the act"
body=$answer
t_eq "$(t_jget 'd["official"]["category"], d["official"]["leader"]')" "('vien_chuc', False)" \
	"the official as now"

# the first case's links seen from its side now name the later ones
t_api "$sock" GET "/v1/cases/$FIRST"
t_eq "$(t_jget 'len(d["probable_duplicates"])')" 2 "the first case lists the two later ones"
t_done
