#!/usr/bin/env bash
# Answers that tell what happened (issue 10, section 5): idempotency keys
# belong to the identity that sends them, and after COMMIT the answer is
# never "unavailable" — a case that was written is answered with at least
# its number, so that the client does not repeat it.
. "$(dirname "$0")/lib.sh"

db=$(t_db answers)
PORT=$(t_free_port)
cfg=$T_DIR/vhcvd.yaml
tok() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg"
for who in insp-1 insp-2 boss; do
	role=inspector
	[ "$who" = boss ] && role=admin
	cat >>"$cfg" <<YAML
  - token_sha256: "$(tok "tok-$who")"
    name: $who
    role: $role
    units: ["*"]
YAML
done
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name) VALUES ('PT', 'UBND tỉnh Phú Thọ');
INSERT INTO officials (code, full_name, category, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', 1), ('CC-2', 'Trần Thị Bình', 'cong_chuc', 1),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', 1), ('CC-4', 'Phạm Thị Dung', 'cong_chuc', 1),
 ('CC-5', 'Hoàng Văn Em', 'cong_chuc', 1);
SQL
t_daemon "$cfg"
TODAY=$(date +%F)
OCCURRED=$(date -d '-10 days' +%F)

# call WHO METHOD PATH [BODY]: WHO is a token's identity, or "-" for the
# Unix socket (the admin of t_config); sets CODE and BODY
call() {
	local who=$1 method=$2 path=$3 url
	shift 3
	local args=(-s -o "$T_DIR/body" -w '%{http_code}' -X "$method")
	if [ "$who" = - ]; then
		args+=(--unix-socket "$T_DIR/vhcvd.sock")
		url=http://x$path
	else
		args+=(-H "Authorization: Bearer tok-$who")
		url=http://127.0.0.1:$PORT$path
	fi
	[ $# -gt 0 ] && args+=(-H 'Content-Type: application/json' --data-binary "$1")
	CODE=$(curl "${args[@]}" "$url")
	BODY=$(cat "$T_DIR/body")
}
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$BODY"; }
expect() {
	t_eq "$CODE" "$1" "$2"
	[ "$CODE" == "$1" ] || echo "   body: $BODY" >&2
}
report() { # report WHO OFFICIAL DESCRIPTION [KEY]
	local key=
	[ -n "${4:-}" ] && key=",\"idempotency_key\":\"$4\""
	call "$1" POST /v1/cases "{\"official\":\"$2\",\"rule\":\"TD-01\",\"occurred_on\":\"$OCCURRED\",\"source\":\"inspection\",\"description\":\"$3\"$key}"
}
q() { t_psql "$db" -tAc "$1"; }

# ===== keys are scoped to the identity that sends them =====
report insp-2 CC-1 "claimed first by another" shared-key
expect 201 "another identity uses the key first"
OTHER=$(jget 'd["case"]')
report insp-1 CC-2 "the owner's own report" shared-key
expect 201 "the owner's report with the same key is not a conflict"
MINE=$(jget 'd["case"]')
[ -n "$MINE" ] && [ "$MINE" != "$OTHER" ] && t_ok "it is a case of its own ($MINE, not $OTHER)" ||
	t_fail "the owner got '$MINE' (the other's is $OTHER)"
report insp-1 CC-2 "the owner's own report" shared-key
expect 200 "the owner's repeat answers 200"
t_eq "$(jget 'd["case"]')" "$MINE" "with the owner's case"
report insp-2 CC-1 "claimed first by another" shared-key
expect 200 "the other's repeat answers 200"
t_eq "$(jget 'd["case"]')" "$OTHER" "with the other's case, never the owner's"
report insp-1 CC-2 "another body" shared-key
expect 409 "the owner's key with another body is still a conflict"
t_eq "$(q "SELECT count(*) FROM vhcv.cases WHERE idempotency_key = 'shared-key'")" 2 \
	"two cases, one per identity"

# decisions: the same key on two cases by two identities
for c in "$OTHER" "$MINE"; do
	call - POST "/v1/cases/$c/accept"
	expect 200 "accept $c"
	call - POST "/v1/cases/$c/council" '{"members":["CC-3","CC-4","CC-5"]}'
	expect 200 "council for $c"
done
dec() { echo "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"$1/QĐ-UBND\",\"signed_on\":\"$TODAY\",\"idempotency_key\":\"dec-shared\"}"; }
call - POST "/v1/cases/$OTHER/decide" "$(dec 1)"
expect 200 "a decision with a key by one identity"
call boss POST "/v1/cases/$MINE/decide" "$(dec 2)"
expect 200 "the same key by another identity on another case is not a conflict"
t_eq "$(jget 'd["status"]')" decided "and decides its case"
call boss POST "/v1/cases/$MINE/decide" "$(dec 2)"
expect 200 "its repeat answers with its case"
t_eq "$(jget 'd["case"]')" "$MINE" "the case the key was used on"
t_eq "$(q "SELECT count(*) FROM vhcv.decisions WHERE idempotency_key = 'dec-shared'")" 2 \
	"two decisions, one per identity"
t_daemon_stop

# ===== after COMMIT, never "unavailable" =====
# a transition's answer reads the case's evidence after its COMMIT; a lock on it
# holds only the answer (reporting writes case_links: probable duplicates, issue
# 8.4). A report's answer is made from the row it wrote (issue 13, session 7): the
# lock holds nothing of it
sed 's/^  pool: 2$/  pool: 2\n  statement_timeout_ms: 300/' "$cfg" >"$T_DIR/timeout.yaml"
grep -q 'statement_timeout_ms: 300' "$T_DIR/timeout.yaml" || t_fail "timeout config"
t_daemon "$T_DIR/timeout.yaml"
PGAPPNAME=ans_locker t_psql "$db" -c "BEGIN; LOCK TABLE vhcv.evidence IN ACCESS EXCLUSIVE MODE;
	SELECT pg_sleep(20); COMMIT;" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 'vhcv.evidence'::regclass
	        AND mode = 'AccessExclusiveLock' AND granted")" == 1 ] && break
	sleep 0.05
done
n_before=$(q "SELECT count(*) FROM vhcv.cases")
report - CC-1 "written, the answer blocked"
expect 201 "a report while the evidence is locked is written"
NUM=$(jget 'd.get("case")')
t_eq "$(q "SELECT count(*) FROM vhcv.cases WHERE number = '$NUM'")" 1 "the answer names the case written ($NUM)"
t_eq "$(jget 'd.get("partial"), d["status"], len(d["events"]), d["evidence"]')" "None reported 1 []" \
	"and is the whole case: nothing of it is read after the COMMIT"
call - POST "/v1/cases/$NUM/accept"
expect 200 "a committed transition with the answer blocked is 200, not 503"
t_eq "$(jget 'd.get("case")')" "$NUM" "naming its case"
t_eq "$(jget 'd.get("partial")')" True "and says it is partial"
t_eq "$(q "SELECT status FROM vhcv.cases WHERE number = '$NUM'")" under_review "and it was done"
t_eq "$(q "SELECT count(*) FROM vhcv.cases")" "$((n_before + 1))" "one case written, no more"
t_psql "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	WHERE application_name = 'ans_locker'" >/dev/null
wait "$locker" 2>/dev/null || true
call - GET "/v1/cases/$NUM"
expect 200 "once the lock is gone the case reads whole"
t_eq "$(jget 'd["status"] + " " + str(len(d["events"]))')" "under_review 2" "with both events"
t_daemon_stop

t_done
