#!/usr/bin/env bash
# The authorization matrix of docs/api.md: each role × each operation ×
# a target inside / outside the role's units → allowed (the operation's
# success status) or denied (403). The table below is the "who" column of
# the routes; every allowed cell runs on fresh objects prepared by an
# admin, so that it must succeed, and every denied cell must change
# nothing. Then the special cells: an inspector's own reports, a case
# about oneself, unknown and missing tokens, lists filtered by scope.
. "$(dirname "$0")/lib.sh"

db=$(t_db authz)
PORT=$(t_free_port)
cfg=$T_DIR/vhcvd.yaml
tok() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg"
# role → identity (units [UBND-A] unless admin); head-a is the official LD-A
declare -A WHO=([inspector]=insp-a [unit_head]=head-a [hr]=hr-a [auditor]=aud-a [admin]=admin)
for role in inspector unit_head hr auditor admin; do
	unit=UBND-A
	[ "$role" = admin ] && unit='*'
	cat >>"$cfg" <<YAML
  - token_sha256: "$(tok "tok-${WHO[$role]}")"
    name: ${WHO[$role]}
    role: $role
    units: ["$unit"]
YAML
	[ "$role" = unit_head ] && echo "    official: LD-A" >>"$cfg"
done
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
# t_daemon waits for the socket; the TCP listener may come a moment later
for _ in $(seq 200); do
	curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/health" && break
	sleep 0.05
done
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F) # the register's day
OCCURRED=$(date -d "$TODAY -20 days" +%F)

# call WHO METHOD PATH [BODY]: sets code and body
call() {
	local who=$1 method=$2 path=$3
	shift 3
	local args=(-sS -o "$T_DIR/body" -w '%{http_code}' -X "$method")
	# s-*: an account signed in with a session cookie (and its CSRF token)
	if [[ "$who" == s-* ]]; then
		args+=(-b "$T_DIR/$who.jar" -H "X-CSRF-Token: $(cat "$T_DIR/$who.csrf")")
	elif [ "$who" != - ]; then
		args+=(-H "Authorization: Bearer tok-$who")
	fi
	[ $# -gt 0 ] && args+=(-H 'Content-Type: application/json' --data-binary "$1")
	code=$(curl "${args[@]}" "http://127.0.0.1:$PORT$path")
	body=$(tr -d '\0' <"$T_DIR/body")
}
jget() { python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$body" "$1"; }
# as the admin, and the setup must work
setup() {
	call admin "$@"
	case $code in 2??) ;; *) t_fail "setup $2 $3: $code $body"; return 1 ;; esac
}

# the organisation: T above A (the roles' units) and B (outside them)
setup POST /v1/units '{"code":"UBND-T","name":"UBND tỉnh","valid_from":"2019-01-01"}'
for u in A B; do
	setup POST /v1/units "{\"code\":\"UBND-$u\",\"name\":\"UBND $u\",\"parent\":\"UBND-T\",\"valid_from\":\"2019-01-01\"}"
	for i in 1 2 3; do
		setup PUT "/v1/officials/CM-$u$i" "{\"full_name\":\"Thành viên $u$i\",\"category\":\"cong_chuc\",\"unit\":\"UBND-$u\",\"valid_from\":\"2019-01-01\"}"
	done
	setup PUT "/v1/officials/CC-$u" "{\"full_name\":\"Công chức $u\",\"category\":\"cong_chuc\",\"unit\":\"UBND-$u\",\"valid_from\":\"2019-01-01\"}"
done
setup PUT /v1/officials/LD-A '{"full_name":"Trưởng phòng A","category":"cong_chuc","leader":true,"unit":"UBND-A","valid_from":"2019-01-01"}'

N=0
next() { N=$((N + 1)); }
unit_of() { [ "$1" = in ] && echo UBND-A || echo UBND-B; }
letter_of() { [ "$1" = in ] && echo A || echo B; }

# a reprimand numbered N (unique per issuer and year)
decision() {
	echo "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"$N/QĐ-MT\",\"signed_on\":\"$TODAY\",\"reason\":\"ma trận\"}"
}
# fresh_case SCOPE STATE [OFFICIAL]: a new case in that state, as the admin; sets CASE
fresh_case() {
	local scope=$1 state=$2 l off
	l=$(letter_of "$scope")
	off=${3:-}
	if [ -z "$off" ]; then
		next
		off=M-$l$N
		setup PUT "/v1/officials/$off" "{\"full_name\":\"Người $N\",\"category\":\"cong_chuc\",\"unit\":\"UBND-$l\",\"valid_from\":\"2019-01-01\"}" || return 1
	fi
	setup POST /v1/cases "{\"official\":\"$off\",\"rule\":\"TD-01\",\"occurred_on\":\"$OCCURRED\",\"source\":\"inspection\",\"description\":\"ma trận\"}" || return 1
	CASE=$(jget 'd["case"]')
	case $state in reported) return 0 ;; esac
	setup POST "/v1/cases/$CASE/accept" '{}' || return 1
	case $state in
	under_review) return 0 ;;
	deferred) setup POST "/v1/cases/$CASE/defer" '{"ground":"illness"}'; return ;;
	esac
	setup POST "/v1/cases/$CASE/council" "$(members "$scope")" || return 1
	[ "$state" = council ] && return 0
	next
	setup POST "/v1/cases/$CASE/decide" "$(decision)" || return 1
	[ "$state" = decided ] && return 0
	setup POST "/v1/cases/$CASE/appeal" "{\"filed_on\":\"$TODAY\"}"
}

# ---- the operations: op_NAME WHO SCOPE prepares (as admin) and calls as WHO
op_health() { call "$1" GET /v1/health; }
op_metrics() { call "$1" GET /metrics; }
op_rules_list() { call "$1" GET /v1/rules; }
op_rule_get() { call "$1" GET /v1/rules/TD-01; }
op_unit_add() { next; call "$1" POST /v1/units "{\"code\":\"U-$N\",\"name\":\"Đơn vị $N\",\"parent\":\"$(unit_of "$2")\"}"; }
op_units_list() { call "$1" GET "/v1/units?under=$(unit_of "$2")"; }
op_unit_get() { call "$1" GET "/v1/units/$(unit_of "$2")"; }
op_unit_merge() {
	next
	setup POST /v1/units "{\"code\":\"U-$N\",\"name\":\"Sáp nhập $N\",\"parent\":\"$(unit_of "$2")\",\"valid_from\":\"2019-01-01\"}" || return
	call "$1" POST "/v1/units/U-$N/merge" "{\"into\":\"$(unit_of "$2")\"}"
}
op_official_put() {
	next
	call "$1" PUT "/v1/officials/P-$N" "{\"full_name\":\"Mới $N\",\"category\":\"vien_chuc\",\"unit\":\"$(unit_of "$2")\"}"
}
op_official_get() { call "$1" GET "/v1/officials/CC-$(letter_of "$2")"; }
op_case_report() {
	call "$1" POST /v1/cases "{\"official\":\"CC-$(letter_of "$2")\",\"rule\":\"TD-02\",\"occurred_on\":\"$OCCURRED\",\"source\":\"inspection\",\"description\":\"báo cáo\"}"
}
op_cases_list() { call "$1" GET "/v1/cases?unit=$(unit_of "$2")"; }
# act WHO SCOPE STATE ACTION BODY: ACTION on a fresh case in STATE
act() { fresh_case "$2" "$3" && call "$1" POST "/v1/cases/$CASE/$4" "$5"; }
members() { local l; l=$(letter_of "$1"); echo "{\"members\":[\"CM-${l}1\",\"CM-${l}2\",\"CM-${l}3\"]}"; }
op_case_show() { fresh_case "$2" reported && call "$1" GET "/v1/cases/$CASE"; }
op_case_accept() { act "$@" reported accept '{"note":"tiếp nhận"}'; }
op_case_reject() { act "$@" reported reject '{"reason":"unfounded"}'; }
op_case_defer() { act "$@" under_review defer '{"ground":"illness"}'; }
op_case_resume() { act "$@" deferred resume '{}'; }
op_case_council() { act "$@" under_review council "$(members "$2")"; }
op_case_decide() { next; act "$@" council decide "$(decision)"; }
op_case_appeal() { act "$@" decided appeal "{\"filed_on\":\"$TODAY\"}"; }
op_case_uphold() { act "$@" appealed uphold '{}'; }
op_case_annul() { next; act "$@" appealed annul "{\"number\":\"$N/QĐ-MT\",\"signed_on\":\"$TODAY\"}"; }
op_case_waive() { act "$@" under_review waive '{"ground":"force_majeure"}'; }
op_case_close() { act "$@" under_review close '{"reason":"no_sanction"}'; }
op_case_note() { act "$@" reported notes '{"text":"ghi chú"}'; }
op_case_link() {
	local other
	fresh_case "$2" reported || return
	other=$CASE
	fresh_case "$2" reported && call "$1" POST "/v1/cases/$CASE/links" "{\"other\":\"$other\"}"
}
op_evidence_put() {
	fresh_case "$2" reported || return
	code=$(printf 'chứng cứ' | curl -sS -o "$T_DIR/body" -w '%{http_code}' -X PUT \
		-H "Authorization: Bearer tok-$1" -H 'Content-Type: text/plain' --data-binary @- \
		"http://127.0.0.1:$PORT/v1/cases/$CASE/evidence/b%C3%A1o-c%C3%A1o.txt")
	body=$(cat "$T_DIR/body")
}
op_evidence_get() {
	fresh_case "$2" reported || return
	code=$(printf 'ảnh' | curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer tok-admin' \
		-H 'Content-Type: image/jpeg' --data-binary @- "http://127.0.0.1:$PORT/v1/cases/$CASE/evidence/anh.jpg")
	[ "$code" = 201 ] || { t_fail "setup evidence: $code"; return 1; }
	call "$1" GET "/v1/cases/$CASE/evidence/anh.jpg"
}
op_audit_verify() { call "$1" GET /v1/audit/verify; }
# something new since the last seal, so that a new seal is made (201)
op_audit_seal() { fresh_case in reported && call "$1" POST /v1/audit/seal; }
# accounts of people (issue #12): admin only
op_account_add() { next; call "$1" POST /v1/accounts "{\"name\":\"acc-$N\",\"role\":\"inspector\",\"units\":[\"$(unit_of "$2")\"]}"; }
op_accounts_list() { call "$1" GET /v1/accounts; }
fresh_account() { next; setup POST /v1/accounts "{\"name\":\"acc-$N\",\"role\":\"inspector\",\"units\":[\"UBND-A\"]}"; }
op_account_disable() { fresh_account && call "$1" POST "/v1/accounts/acc-$N/disable"; }
op_account_password() { fresh_account && call "$1" PUT "/v1/accounts/acc-$N/password" '{"password":"mật khẩu mới"}'; }

op_official_record() { call "$1" GET "/v1/officials/CC-$(letter_of "$2")/record"; }
op_official_export() { call "$1" GET "/v1/officials/CC-$(letter_of "$2")/export"; }
op_units_sync() { next; call "$1" PUT /v1/units "[{\"code\":\"US-$N\",\"name\":\"Đồng bộ $N\",\"parent\":\"$(unit_of "$2")\"}]"; }
op_officials_sync() { next; call "$1" PUT /v1/officials "[{\"code\":\"S-$N\",\"full_name\":\"Đồng bộ\",\"category\":\"vien_chuc\",\"unit\":\"$(unit_of "$2")\"}]"; }
op_eligibility() { call "$1" GET "/v1/eligibility?year=2026&unit=$(unit_of "$2")"; }
op_changes() { call "$1" GET /v1/changes; }
op_stats() { call "$1" GET "/v1/stats?unit=$(unit_of "$2")&by=rule"; }
op_warnings() { call "$1" GET "/v1/warnings?unit=$(unit_of "$2")"; }
op_export_cases() { call "$1" GET "/v1/export/cases?unit=$(unit_of "$2")"; }
op_export_decisions() { call "$1" GET "/v1/export/decisions?unit=$(unit_of "$2")"; }
op_export_eligibility() { call "$1" GET "/v1/export/eligibility?year=2026&unit=$(unit_of "$2")"; }
# official search (issue #12): within unit=; without it only the caller's units (test_search.sh)
op_official_search() { call "$1" GET "/v1/officials?q=cong&unit=$(unit_of "$2")"; }
op_vocabulary() { call "$1" GET /v1/vocabulary; }

# ---- the table: operation | roles allowed (docs/api.md "who") | scoped to units | status when allowed
# "any" is every role; a scoped operation is denied outside the role's
# units, except to the admin ("*").
MATRIX="
health          any                                 no   200
metrics         any                                 no   200
rules_list      any                                 no   200
rule_get        any                                 no   200
unit_add        hr,admin                            yes  201
units_list      any                                 no   200
unit_get        any                                 no   200
unit_merge      hr,admin                            yes  200
official_put    hr,admin                            yes  201
official_get    any                                 yes  200
case_report     inspector,unit_head,admin           yes  201
cases_list      inspector,unit_head,auditor,admin   no   200
case_show       inspector,unit_head,auditor,admin   yes  200
case_accept     unit_head,admin                     yes  200
case_reject     unit_head,admin                     yes  200
case_defer      unit_head,admin                     yes  200
case_resume     unit_head,admin                     yes  200
case_council    unit_head,admin                     yes  200
case_decide     unit_head,admin                     yes  200
case_appeal     unit_head,admin                     yes  200
case_uphold     unit_head,admin                     yes  200
case_annul      unit_head,admin                     yes  200
case_waive      unit_head,admin                     yes  200
case_close      unit_head,admin                     yes  200
case_note       inspector,unit_head,admin           yes  200
case_link       unit_head,admin                     yes  200
evidence_put    inspector,unit_head,admin           yes  201
evidence_get    inspector,unit_head,auditor,admin   yes  200
audit_verify    auditor,admin                       no   200
audit_seal      auditor,admin                       no   201
account_add     admin                               no   201
accounts_list   admin                               no   200
account_disable admin                               no   200
account_password admin                              no   200
official_record hr,unit_head,auditor,admin          yes  200
official_export hr,unit_head,auditor,admin          yes  200
officials_sync  hr,admin                            no   200
units_sync      hr,admin                            no   200
eligibility     hr,unit_head,auditor,admin          yes  200
changes         hr,auditor,admin                    no   200
stats           unit_head,auditor,admin             yes  200
warnings        unit_head,auditor,admin             yes  200
export_cases    unit_head,auditor,admin             yes  200
export_decisions hr,unit_head,auditor,admin         yes  200
export_eligibility hr,unit_head,auditor,admin       yes  200
official_search any                                 yes  200
vocabulary      any                                 no   200
"
cells=0 allowed=0 denied=0
# matrix_run TABLE WHO-ARRAY: every cell of the table by the identities of the array
matrix_run() {
local -n who_of=$2
while read -r op roles scoped ok <&3; do
	[ -n "$op" ] || continue
	for role in inspector unit_head hr auditor admin; do
		for scope in in out; do
			[ "$scoped" = no ] && [ "$scope" = out ] && continue
			want=403
			if [ "$roles" = any ] || [[ ",$roles," == *",$role,"* ]]; then
				[ "$scope" = in ] || [ "$role" = admin ] && want=$ok
			fi
			"op_$op" "${who_of[$role]}" "$scope" || { t_fail "$op: preparation failed"; continue; }
			t_eq "$code" "$want" "$op by $role ($scope its units)"
			[ "$code" = "$want" ] || echo "   body: $body" >&2
			cells=$((cells + 1))
			[ "$want" = 403 ] && denied=$((denied + 1)) || allowed=$((allowed + 1))
		done
	done
done 3<<<"$1"
}
matrix_run "$MATRIX" WHO
# the same cells for accounts signed in with a session cookie: an account
# acts exactly as a configured identity of its role and units
declare -A SWHO=()
for role in inspector unit_head hr auditor admin; do
	unit='"UBND-A"'
	[ "$role" = admin ] && unit='"*"'
	off=
	[ "$role" = unit_head ] && off=',"official":"LD-A"'
	setup POST /v1/accounts "{\"name\":\"s-$role\",\"role\":\"$role\",\"units\":[$unit],\"password\":\"phiên của $role\"$off}"
	code=$(curl -sS -o "$T_DIR/body" -w '%{http_code}' -c "$T_DIR/s-$role.jar" -H 'Content-Type: application/json' \
		--data-binary "{\"name\":\"s-$role\",\"password\":\"phiên của $role\"}" "http://127.0.0.1:$PORT/v1/session")
	body=$(cat "$T_DIR/body")
	t_eq "$code" 201 "account s-$role signs in"
	jget 'd["csrf_token"]' >"$T_DIR/s-$role.csrf"
	SWHO[$role]=s-$role
done
matrix_run "$(grep -E '^(case_show|case_accept|unit_add|account_add) ' <<<"$MATRIX")" SWHO
echo "matrix: $cells cells, $allowed allowed, $denied denied"
t_eq "$(grep -c 'level=warn denied identity=' "$T_DIR/vhcvd.log")" "$denied" "every denial is logged with the identity"

# ---- the special cells
# an inspector reads and annotates the cases they reported, even outside their units
t_psql "$db" -q -c "SET session_replication_role = replica; INSERT INTO vhcv.cases (year, seq, official_id, unit_id, rule_version_id, source,
	reporter, occurred_on, detected_on, description)
	SELECT 2000, 1, o.id, o.unit_id, r.id, 'inspection', 'insp-a', '$OCCURRED', '$OCCURRED', 'cũ'
	FROM vhcv.officials o, vhcv.rule_versions r WHERE o.code = 'CC-B' AND r.code = 'TD-01'
	ORDER BY r.id DESC LIMIT 1"
call insp-a GET /v1/cases/VP-2000-1
t_eq "$code" 200 "an inspector reads their own report outside their units"
call insp-a POST /v1/cases/VP-2000-1/notes '{"text":"bổ sung"}'
t_eq "$code" 200 "and adds notes to it"
call insp-a POST /v1/cases/VP-2000-1/accept '{}'
t_eq "$code" 403 "but moves it no further"
call insp-a GET '/v1/cases?unit=UBND-B&limit=500'
t_eq "$(jget '"VP-2000-1" in [c["case"] for c in d["items"]]')" True "and lists it"

# nobody acts on a case about themselves (head-a is LD-A), reading is allowed
fresh_case in reported LD-A
call head-a GET "/v1/cases/$CASE"
t_eq "$code" 200 "a head reads a case about themselves"
call head-a POST "/v1/cases/$CASE/accept" '{}'
t_eq "$code" 403 "a head may not accept a case about themselves"
call head-a POST "/v1/cases/$CASE/reject" '{"reason":"unfounded"}'
t_eq "$code" 403 "nor reject it"
call head-a PUT "/v1/cases/$CASE/evidence/x.txt" 'x'
t_eq "$code" 403 "nor add evidence to it"
call head-a POST "/v1/cases/$CASE/notes" '{"text":"tự bào chữa"}'
t_eq "$code" 403 "nor annotate it"
call head-a POST /v1/cases '{"official":"LD-A","rule":"TD-02","occurred_on":"'"$OCCURRED"'","source":"self","description":"tự khai"}'
t_eq "$code" 403 "nor report about themselves"

# lists are filtered by scope, not refused
fresh_case out reported
call aud-a GET /v1/cases?unit=UBND-B
t_eq "$code/$(jget 'len(d["items"])')" 200/0 "an auditor lists no case outside its units"
call admin GET /v1/cases?unit=UBND-B
t_eq "$(( $(jget 'len(d["items"])') > 0 ))" 1 "the admin lists them"
call hr-a GET /v1/officials/CC-A
t_eq "$(jget '"open_cases" in d')" False "hr sees no open cases of an official"

# bulk sync is answered row by row: a row outside the identity's units is an error naming the unit
call hr-a PUT /v1/officials '[{"code":"S-OUT","full_name":"Ngoài","category":"vien_chuc","unit":"UBND-B"}]'
t_eq "$code/$(jget 'd["results"][0]["result"], d["results"][0]["field"]')" "200/('error', 'unit')" "hr may not sync an official into a unit outside its units"
# units in bulk: as POST /v1/units and the merge, row by row. A new unit or
# a new parent must lie in the identity's units, a changed unit too; only
# "*" puts a unit at the top. WHO CASE → the row's result[:field]
setup PUT /v1/units '[{"code":"US-A","name":"Phòng A","parent":"UBND-A"},{"code":"US-B","name":"Phòng B","parent":"UBND-B"}]'
unit_row() { # CASE: one row (new codes numbered N)
	case $1 in
	new-in) echo "{\"code\":\"UN-$N\",\"name\":\"Mới $N\",\"parent\":\"UBND-A\"}" ;;
	new-out) echo "{\"code\":\"UN-$N\",\"name\":\"Mới $N\",\"parent\":\"UBND-B\"}" ;;
	rename-in) echo "{\"code\":\"US-A\",\"name\":\"Phòng A $N\",\"parent\":\"UBND-A\"}" ;;
	rename-out) echo "{\"code\":\"US-B\",\"name\":\"Phòng B $N\",\"parent\":\"UBND-B\"}" ;;
	same-out) echo "{\"code\":\"UBND-B\",\"name\":\"UBND B\",\"parent\":\"UBND-T\"}" ;;
	move-out) echo "{\"code\":\"US-A\",\"name\":\"Phòng A\",\"parent\":\"UBND-B\"}" ;;
	top) echo "{\"code\":\"UN-$N\",\"name\":\"Đỉnh $N\"}" ;;
	esac
}
while read -r who case want; do
	[ -n "$who" ] || continue
	next
	call "$who" PUT /v1/units "[$(unit_row "$case")]"
	t_eq "$code/$(jget '(lambda r: r["result"] + (":" + r["field"] if "field" in r else ""))(d["results"][0])' 2>/dev/null)" \
		"200/$want" "units_sync by $who: $case"
	cells=$((cells + 1))
done <<'CELLS'
hr-a   new-in     created
hr-a   new-out    error:parent
admin  new-out    created
hr-a   rename-in  updated
hr-a   rename-out error:code
admin  rename-out updated
hr-a   same-out   unchanged
hr-a   move-out   error:parent
hr-a   top        error:parent
admin  top        created
CELLS
before=$(t_psql "$db" -tA -c "SELECT name FROM vhcv.units WHERE code = 'US-B'")
call hr-a PUT /v1/units '[{"code":"US-B","name":"Phòng B đổi","parent":"UBND-B"}]'
t_contains "$(jget 'd["results"][0]["message"]')" "unit US-B is outside your units" "saying which unit is outside"
t_eq "$(t_psql "$db" -tA -c "SELECT name FROM vhcv.units WHERE code = 'US-B'")" "$before" "and changing nothing of it"
# the feed is filtered by the identity's units, not refused
call hr-a GET '/v1/changes?limit=1000'
t_eq "$(jget 'sorted({i["unit"] for i in d["items"]} | {i["from_unit"] for i in d["items"] if i["from_unit"]}) == ["UBND-A"] or sorted({i["unit"] for i in d["items"]}) == ["UBND-A"]')" True "hr of UBND-A reads only UBND-A's changes"
call aud-a GET /v1/eligibility?year=2026
t_eq "$(jget 'sorted({i["unit"] for i in d["items"]})')" "['UBND-A']" "eligibility without a unit covers the identity's units only"

# identity: no token, an unknown token (TCP: 401); public routes answer anyway
call - GET /v1/rules
t_eq "$code" 401 "no token is 401"
t_eq "$(jget 'd["error"]')" unauthorized "error id unauthorized"
call nobody GET /v1/units
t_eq "$code" 401 "an unknown token is 401"
call nobody PUT /v1/officials/X-1 '{"full_name":"x","category":"cong_chuc","unit":"UBND-A"}'
t_eq "$code" 401 "also for writes"
call - GET /v1/health
t_eq "$code" 200 "health needs no identity"
# an unknown identity's body is refused before it is read
code=$(head -c 5000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' -X PUT \
	-H 'Authorization: Bearer tok-nobody' --data-binary @- \
	"http://127.0.0.1:$PORT/v1/cases/VP-2026-1/evidence/big.bin")
t_eq "$code" 401 "an unknown token's upload is refused before its body"

# an idempotency key is its reporter's: another one's repeat learns nothing
# of it, and is a report of its own (keys are scoped to their sender)
body_k='{"official":"CC-A","rule":"TD-01","occurred_on":"'"$OCCURRED"'","source":"inspection","description":"khóa","idempotency_key":"key-of-insp-a"}'
call insp-a POST /v1/cases "$body_k"
t_eq "$code" 201 "the inspector reports with a key"
case_k=$(jget 'd["case"]')
call head-a POST /v1/cases "$body_k"
t_eq "$code" 201 "the same key and body from another identity is its own new case"
t_eq "$(jget 'd["case"] != "'"$case_k"'"')" True "and shows nothing of the inspector's case"

t_daemon_stop
t_done
