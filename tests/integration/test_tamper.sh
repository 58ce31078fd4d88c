#!/usr/bin/env bash
# The tampering matrix (docs/security.md): for every table that holds a
# case's history, change / delete / insert rows as the database superuser
# (triggers off) and as the daemon's role vhcv_app. audit verify names
# each superuser change by case, row and field; vhcv_app is refused
# everything that bypasses an event. Then seals: a head exported with
# the CLI proves (--against) that an untouched log extends it and fails
# once history before it is rewritten.
. "$(dirname "$0")/lib.sh"

db=$(t_db tamper)
openssl genpkey -algorithm ed25519 -out "$T_DIR/seal.pem" 2>/dev/null
{ t_config "$db"; echo "seal_key: $T_DIR/seal.pem"; echo "seal_interval_s: 0"; } >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ');
INSERT INTO officials (code, full_name, category, leader, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', false, 1), ('CC-2', 'Trần Thị Bình', 'cong_chuc', false, 1),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', false, 1), ('CC-4', 'Phạm Thị Dung', 'cong_chuc', false, 1),
 ('CC-5', 'Hoàng Văn Em', 'cong_chuc', false, 1);
SQL
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
TODAY=$(date +%F)

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
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$BODY"; }
cli() { "$VHCV" -s "unix:$SOCK" "$@"; }

# a case with every kind of history row: facts, status, a pause, a
# council, a decision, evidence, a link
N=0
full_case() {
	N=$((N + 1))
	# a day of its own: the same act twice would be a probable duplicate
	OCC=$(date -d "-$((20 + N)) days" +%F)
	call POST /v1/cases "{\"official\":\"CC-1\",\"rule\":\"TD-01\",\"occurred_on\":\"$OCC\",\"source\":\"inspection\",\"description\":\"vụ $N\"}"
	CASE=$(jget 'd["case"]')
	call POST "/v1/cases/$CASE/accept"
	call POST "/v1/cases/$CASE/defer" '{"ground":"illness"}'
	call POST "/v1/cases/$CASE/resume"
	call POST "/v1/cases/$CASE/council" '{"members":["CC-2","CC-3","CC-4"]}'
	call POST "/v1/cases/$CASE/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"$N/QĐ-UBND\",\"signed_on\":\"$TODAY\",\"reason\":\"thử\"}"
	[ "$CODE" = 200 ] || t_fail "decide $CASE: $CODE $BODY"
	curl -s -o /dev/null --unix-socket "$SOCK" -X PUT -H 'Content-Type: text/plain' \
		--data-binary "biên bản $N" "http://x/v1/cases/$CASE/evidence/bien-ban.txt"
	[ -n "${FIRST:-}" ] && call POST "/v1/cases/$CASE/links" "{\"other\":\"$FIRST\"}"
	FIRST=${FIRST:-$CASE}
	CID=$(t_psql "$db" -tAc "SELECT id FROM vhcv.cases WHERE number = '$CASE'")
}
t0=$(date +%s%N)
full_case
for i in $(seq 2 22); do full_case; eval "C$i=$CASE I$i=$CID"; done
echo "22 full cases written in $((($(date +%s%N) - t0) / 1000000)) ms"
call GET /v1/audit/verify
t_eq "$(jget 'd["ok"]')" True "every history row of a full case verifies"
t_eq "$(jget 'd["problems"]')" "[]" "with no problem"
t_eq "$(jget 'd["full_checks"]')" 0 "every untouched case proven by the fast check (none read again)"

# --- seal and export, before anything is touched
call POST /v1/audit/seal
t_eq "$CODE" 201 "seal"
t_eq "$(jget 'len(d["signature"])')" 128 "the head is signed (Ed25519)"
cli audit seal --export >"$T_DIR/head.json"
t_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted(d))' "$T_DIR/head.json")" \
	"['key_id', 'public_key', 'root_hash', 'seal', 'sealed_at', 'signature', 'tree_size']" \
	"audit seal --export prints the signed head"
call POST "/v1/cases/$C2/notes" '{"text":"sau khi niêm phong"}'
call POST /v1/audit/seal
out=$(cli audit verify --against "$T_DIR/head.json" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "untouched, today's log extends the exported head"
t_contains "$out" "extends the head" "and says so"

# --- vhcv_app: refused whatever bypasses an event (table, what, SQL, why)
app_refused() {
	local what=$1 sql=$2 want=$3 out rc
	out=$(t_psql_app "$db" -c "SET search_path = vhcv; $sql" 2>&1) && rc=0 || rc=$?
	if [ "$rc" != 0 ] && [[ "$out" == *"$want"* ]]; then
		t_ok "vhcv_app: $what refused"
	else
		t_fail "vhcv_app: $what: rc $rc, '$want' not in: $out"
	fi
	APP=$((APP + 1))
}
APP=0
snap=$(t_psql "$db" -tAc "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
	SELECT vhcv.case_state(id)::text x FROM vhcv.cases
	UNION ALL SELECT count(*)::text FROM vhcv.case_events) s")
app_refused "cases: another official" "UPDATE cases SET official_id = 2 WHERE id = $I3" "permission denied"
app_refused "cases: another description" "UPDATE cases SET description = 'khác' WHERE id = $I3" "permission denied"
app_refused "cases: another date" "UPDATE cases SET occurred_on = '2020-01-01' WHERE id = $I3" "permission denied"
app_refused "cases: another reporter" "UPDATE cases SET reporter = 'mallory' WHERE id = $I3" "permission denied"
app_refused "cases: status without an event" "UPDATE cases SET status = 'closed_no_sanction' WHERE id = $I3" "without an event"
app_refused "cases: delete" "DELETE FROM cases WHERE id = $I3" "permission denied"
app_refused "case_counters: move back" "INSERT INTO case_counters VALUES (1999, 5); UPDATE case_counters SET last = 4 WHERE year = 1999" "only move forward"
app_refused "decisions: change" "UPDATE decisions SET form = 'canh_cao' WHERE case_id = $I3" "permission denied"
app_refused "decisions: delete" "DELETE FROM decisions WHERE case_id = $I3" "permission denied"
app_refused "decisions: an annulment without an event" "INSERT INTO decisions (case_id, kind, form, issuer, year, number, symbol, signed_on, effective_on, regime, supersedes_id, actor)
	SELECT $I3, 'annulment', 'none', 'QĐ-UBND', extract(year FROM current_date), 900, '900/QĐ-UBND', current_date, current_date, '-', id, 'mallory' FROM decisions WHERE case_id = $I3" "without an event"
app_refused "council_members: delete" "DELETE FROM council_members WHERE case_id = $I3" "permission denied"
app_refused "council_members: insert without an event" "INSERT INTO council_members VALUES ($I3, 5)" "without an event"
app_refused "evidence: change" "UPDATE evidence SET bytes = 'x' WHERE case_id = $I3" "permission denied"
app_refused "evidence: delete" "DELETE FROM evidence WHERE case_id = $I3" "permission denied"
app_refused "evidence: insert without an event" "INSERT INTO evidence (case_id, name, media_type, size, sha256, bytes, added_by) VALUES ($I3, 'x', 'text/plain', 1, repeat('a', 64), 'x', 'm')" "without an event"
app_refused "case_links: delete" "DELETE FROM case_links WHERE case_id = $I3" "permission denied"
app_refused "case_links: insert without an event" "INSERT INTO case_links (case_id, other_id, actor) VALUES ($I3, $I4, 'm')" "without an event"
app_refused "case_pauses: another start" "UPDATE case_pauses SET started_on = '2020-01-01' WHERE case_id = $I3" "permission denied"
app_refused "case_pauses: delete" "DELETE FROM case_pauses WHERE case_id = $I3" "permission denied"
app_refused "case_pauses: insert without an event" "INSERT INTO case_pauses (case_id, ground, started_on) VALUES ($I3, 'x', current_date)" "without an event"
app_refused "case_events: change" "UPDATE case_events SET actor = 'mallory' WHERE case_id = $I3" "permission denied"
app_refused "case_events: delete" "DELETE FROM case_events WHERE case_id = $I3" "permission denied"
app_refused "audit_log: delete" "DELETE FROM audit_log" "permission denied"
app_refused "audit_tree_heads: change" "UPDATE audit_tree_heads SET root_hash = repeat('0', 64)" "permission denied"
app_refused "audit_tree_heads: delete" "DELETE FROM audit_tree_heads" "permission denied"
app_refused "case_numbers_abandoned: change" "UPDATE case_numbers_abandoned SET reason = 'x'" "permission denied"
app_refused "case_numbers_abandoned: delete" "DELETE FROM case_numbers_abandoned" "permission denied"
t_eq "$(t_psql "$db" -tAc "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
	SELECT vhcv.case_state(id)::text x FROM vhcv.cases
	UNION ALL SELECT count(*)::text FROM vhcv.case_events) s")" "$snap" "vhcv_app's attempts changed nothing"
call GET /v1/audit/verify
t_eq "$(jget 'd["ok"]')" True "and the history still verifies"

# --- the superuser, triggers off: every change is named (case, row, field)
su() { t_psql "$db" -c "SET session_replication_role = replica; SET search_path = vhcv; $1" >/dev/null; SU=$((SU + 1)); }
SU=0
su "UPDATE cases SET description = 'khác' WHERE id = $I3"
su "UPDATE cases SET status = 'closed_no_sanction' WHERE id = $I4"
su "UPDATE cases SET official_id = 5, occurred_on = occurred_on - 1 WHERE id = $I5"
su "UPDATE decisions SET form = 'canh_cao', number = 77, effective_on = effective_on + 1 WHERE case_id = $I6"
su "DELETE FROM decisions WHERE case_id = $I7"
su "INSERT INTO decisions (case_id, kind, form, issuer, year, number, symbol, signed_on, effective_on, regime, supersedes_id, actor)
	SELECT $I8, 'annulment', 'none', 'QĐ-UBND', extract(year FROM current_date), 901, '901/QĐ-UBND', current_date, current_date, '-', id, 'mallory' FROM decisions WHERE case_id = $I8"
su "DELETE FROM council_members WHERE case_id = $I9 AND official_id = 2"
su "INSERT INTO council_members VALUES ($I10, 5)"
su "UPDATE evidence SET bytes = 'fake!'::bytea, size = 5, sha256 = encode(pg_catalog.sha256('fake!'::bytea), 'hex') WHERE case_id = $I11"
su "UPDATE evidence SET bytes = overlay(bytes placing 'X'::bytea from 1 for 1) WHERE case_id = $I12"
su "DELETE FROM evidence WHERE case_id = $I13"
su "DELETE FROM case_links WHERE case_id = $I14"
su "UPDATE case_pauses SET started_on = started_on - 30 WHERE case_id = $I15"
su "DELETE FROM case_pauses WHERE case_id = $I16"
su "UPDATE case_events SET data = '{\"note\":\"khác\"}' WHERE case_id = $I17 AND seq = 2"
su "INSERT INTO case_links (case_id, other_id, actor) VALUES ($I18, $I19, 'mallory')"
# changed, then hidden under a later event of the daemon
su "UPDATE decisions SET form = 'canh_cao' WHERE case_id = $I20"
call POST "/v1/cases/$C20/notes" '{"text":"ghi chú sau"}'
# a whole case, sealed, deleted with everything that points at it
del_case() {
	su "DELETE FROM audit_pending WHERE event_id IN (SELECT id FROM case_events WHERE case_id = $1);
	DELETE FROM case_links WHERE case_id = $1 OR other_id = $1; DELETE FROM council_members WHERE case_id = $1;
	DELETE FROM decisions WHERE case_id = $1; DELETE FROM evidence WHERE case_id = $1;
	DELETE FROM case_pauses WHERE case_id = $1; DELETE FROM case_events WHERE case_id = $1;
	DELETE FROM cases WHERE id = $1"
}
del_case "$I21"
# whole cases never sealed, deleted the same way: one in the middle of
# the year's numbers (C23; C25 after it stays) and the last one (C26)
unsealed() {
	OCC=$(date -d "-$1 days" +%F)
	call POST /v1/cases "{\"official\":\"CC-1\",\"rule\":\"TD-01\",\"occurred_on\":\"$OCC\",\"source\":\"inspection\",\"description\":\"chưa niêm phong $1\"}"
	[ "$CODE" = 201 ] || t_fail "report: $CODE $BODY"
	jget 'd["case"]'
}
# a report that fails after taking its number (its event is refused):
# vhcvd records the number as given up, not deleted
t_psql "$db" >/dev/null <<'SQL'
CREATE FUNCTION public.fail_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the disk is full'; END $$;
CREATE TRIGGER fail_report BEFORE INSERT ON vhcv.case_events FOR EACH ROW
	WHEN (NEW.data->>'description' = 'thất bại') EXECUTE FUNCTION public.fail_report();
SQL
call POST /v1/cases "{\"official\":\"CC-1\",\"rule\":\"TD-01\",\"occurred_on\":\"$(date -d '-70 days' +%F)\",\"source\":\"inspection\",\"description\":\"thất bại\"}"
t_eq "$CODE" 500 "a report whose event fails is not recorded"
t_psql "$db" -c "DROP TRIGGER fail_report ON vhcv.case_events" >/dev/null
FAILED=$(t_psql "$db" -tAc "SELECT 'VP-' || year || '-' || seq FROM vhcv.case_numbers_abandoned")
t_contains "$FAILED" "VP-" "vhcvd recorded the number it gave up"
C23=$(unsealed 61)
C25=$(unsealed 62)
C26=$(unsealed 63)
del_case "$(t_psql "$db" -tAc "SELECT id FROM vhcv.cases WHERE number = '$C23'")"
del_case "$(t_psql "$db" -tAc "SELECT id FROM vhcv.cases WHERE number = '$C26'")"
# a case written around the log
su "INSERT INTO cases (year, seq, official_id, unit_id, rule_version_id, source, reporter, occurred_on, detected_on, description)
	SELECT year, seq + 100, official_id, unit_id, rule_version_id, source, reporter, occurred_on, detected_on, 'ma' FROM cases WHERE id = $I22"
C24=$(t_psql "$db" -tAc "SELECT number FROM vhcv.cases WHERE description = 'ma'")
# an event taken out of the log: neither sealed nor waiting for a seal
# (the walks take every event's flag as proven for the whole register at
# once, find that it is not, and verify again event by event)
C27=$(unsealed 64)
su "DELETE FROM audit_pending WHERE event_id IN (SELECT e.id FROM case_events e
	JOIN cases c ON c.id = e.case_id WHERE c.number = '$C27' AND e.seq = 1)"

call GET /v1/audit/verify
t_eq "$(jget 'd["ok"]')" False "the superuser's changes are detected"
# has CASE ROW FIELD TEXT DESCRIPTION: a problem naming them ("" = any)
has() {
	local got
	got=$(python3 -c '
import json, sys
d = json.loads(sys.argv[1]); c, r, f, t = sys.argv[2:6]
print(any(p["case"] == c and (not r or p.get("row", "").startswith(r)) and (not f or p.get("field") == f)
          and t in p["problem"] for p in d["problems"]))' "$BODY" "$1" "$2" "$3" "$4")
	t_eq "$got" True "$5"
	[ "$got" = True ] || echo "   problems of $1: $(jget "[p for p in d['problems'] if p['case'] == '$1']")" >&2
}
has "$C3" case description "but the events say" "cases UPDATE (facts) named: case, row, field"
has "$C4" case status "but the events say" "cases UPDATE (status) named"
has "$C5" case official_id "" "cases UPDATE (official) named"
has "$C5" case occurred_on "" "cases UPDATE (date) named"
has "$C6" decision: form '"canh_cao" but the events say "khien_trach"' "decisions UPDATE named with both values"
has "$C6" decision: number "" "decisions UPDATE (number) named"
has "$C6" decision: effective_on "" "decisions UPDATE (effect date) named"
has "$C7" decision: "" "missing" "decisions DELETE named"
has "$C8" decision: "" "recorded by no event" "decisions INSERT (annulment) named"
has "$C9" council:2 "" "missing" "council_members DELETE named"
has "$C10" council:5 "" "recorded by no event" "council_members INSERT named"
has "$C11" evidence: sha256 "" "evidence bytes and SHA-256 replaced: named"
has "$C12" evidence: bytes "do not match" "evidence bytes replaced: named"
has "$C13" evidence: "" "missing" "evidence DELETE named"
has "$C14" link: "" "missing" "case_links DELETE named"
has "$C15" pause: started_on "" "case_pauses UPDATE named"
has "$C16" pause: "" "missing" "case_pauses DELETE named"
has "$C17" "" "" "does not match its hash" "case_events UPDATE named"
has "$C18" link: "" "recorded by no event" "case_links INSERT named"
has "$C20" decision: form "never makes" "a change hidden under a later event is named"
has "$C21" "" "" "sealed event" "a deleted sealed case is named by its sealed events"
has "$C21" case "" "no failed report gave the number up (deleted)" "a deleted sealed case is named as deleted by its number too"
has "$C23" case "" "no failed report gave the number up (deleted)" "a deleted unsealed case in the middle of the year's numbers is named as deleted"
has "$C26" case "" "no failed report gave the number up (deleted)" "a deleted unsealed case at the end of the year's numbers is named as deleted"
t_eq "$(jget '[a["case"] for a in d["abandoned"]]')" "['$FAILED']" "the failed report's number is listed as abandoned"
t_contains "$(jget 'd["abandoned"][0]["reason"]')" "the report failed (HTTP 500)" "with why and when"
t_eq "$(jget '"'"$FAILED"'" in {p["case"] for p in d["problems"]}')" False "and is not named as deleted"
has "$C24" case "" "around the log" "a case inserted without events is named"
has "$C27" "" "" "neither in the sealed log nor waiting" "an event taken out of the log is named"
t_contains "$(cat "$T_DIR/vhcvd.log")" "verifying again event by event" \
	"found by the check of the whole log's ids, then named event by event"
named=$(jget 'len({p["case"] for p in d["problems"]})')
t_eq "$named" 22 "twenty-two cases named among the problems, each once or more"
t_eq "$(jget 'sorted({p["case"] for p in d["problems"]} - set("'"$C3 $C4 $C5 $C6 $C7 $C8 $C9 $C10 $C11 $C12 $C13 $C14 $C15 $C16 $C17 $C18 $C20 $C21 $C23 $C24 $C26 $C27"'".split()))' | tr -d ' ')" \
	"[]" "no case named that was not touched"
out=$(cli audit verify 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "vhcv audit verify exits 1"
t_contains "$out" "$C6" "and lists the cases"
# evidence get refuses bytes that are not the ones the event recorded
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" "http://x/v1/cases/$C11/evidence/bien-ban.txt")
t_eq "$code" 500 "evidence get does not serve bytes replaced with their SHA-256"

# --- the log rewritten before the exported head: --against fails
su "UPDATE audit_log SET hash = repeat('e', 64) WHERE pos = 3"
call POST "/v1/cases/$C22/notes" '{"text":"mới"}'
call POST /v1/audit/seal
t_eq "$CODE" 201 "a new seal over the rewritten log"
out=$(cli audit verify --against "$T_DIR/head.json" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "--against fails once history before the head was rewritten"
t_contains "$out" "does not extend" "and says why"
# a head altered in the file is refused by its own signature
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["tree_size"]-=1; json.dump(d, open(sys.argv[2],"w"))' \
	"$T_DIR/head.json" "$T_DIR/forged.json"
out=$(cli audit verify --against "$T_DIR/forged.json" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "a kept head edited by hand is refused"
t_contains "$out" "signature" "by its signature"
call GET /v1/audit/verify
t_contains "$BODY" "no longer matches its root" "verify names the seal whose log was rewritten"
# --- the numbers no case holds, against a count by brute force (every
# number up to each year's bound looked up): with the first number of the
# year deleted, a run of two deleted, and a year with a counter but no case
year=$(t_psql "$db" -tAc "SELECT max(year) FROM vhcv.cases")
for n in 1 5 6; do
	del_case "$(t_psql "$db" -tAc "SELECT id FROM vhcv.cases WHERE year = $year ORDER BY seq OFFSET $((n - 1)) LIMIT 1")"
done
su "INSERT INTO case_counters VALUES (2001, 3)"
want=$(t_psql "$db" -tAc "SELECT string_agg('VP-' || y.year || '-' || s, ' ' ORDER BY y.year, s)
	FROM (SELECT year FROM vhcv.case_counters UNION SELECT year FROM vhcv.cases
	UNION SELECT year FROM vhcv.case_numbers_abandoned) y
	LEFT JOIN vhcv.case_counters cc ON cc.year = y.year
	LEFT JOIN pg_sequences ps ON ps.schemaname = 'vhcv' AND ps.sequencename = 'case_seq_' || y.year
	CROSS JOIN generate_series(1, greatest(coalesce(cc.last, 0), coalesce(ps.last_value, 0))) s
	WHERE NOT EXISTS (SELECT 1 FROM vhcv.cases c WHERE c.year = y.year AND c.seq = s)
	AND NOT EXISTS (SELECT 1 FROM vhcv.case_numbers_abandoned a WHERE a.year = y.year AND a.seq = s)")
call GET /v1/audit/verify
got=$(jget "' '.join(sorted({p['case'] for p in d['problems'] if 'was numbered' in p['problem']},
	key=lambda c: [int(x) for x in c.split('-')[1:]]))")
t_contains "$want" "VP-2001-1 VP-2001-2 VP-2001-3" "(the year with a counter and no case is counted)"
t_contains "$want" "VP-$year-1 " "(the first number of the year is counted)"
t_eq "$got" "$want" "verify names as deleted exactly the numbers no case holds and no failed report gave up"
t_eq "$(jget '[a["case"] for a in d["abandoned"]]')" "['$FAILED']" "and still lists the one given up as abandoned"
# --- the same answer when each walk reads its events and stored rows ahead,
# each on a connection of its own (a pool of 12 or more: read_ahead in
# events.c), the log's ids checked and then every event probed again
small=$BODY
t_daemon_stop
sed -i 's/^  pool: 2$/  pool: 12/' "$T_DIR/vhcvd.yaml"
t_daemon "$T_DIR/vhcvd.yaml"
call GET /v1/audit/verify
t_eq "$BODY" "$small" "the same answer with the events and rows read ahead (pool 12)"
echo "tamper cases: $SU by the superuser, $APP refused to vhcv_app"
t_daemon_stop
t_done
