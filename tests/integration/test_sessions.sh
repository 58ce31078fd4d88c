#!/usr/bin/env bash
# Accounts and sessions (issue #12) over a real vhcvd and PostgreSQL:
# sign-in with argon2id passwords, the cookie's flags, CSRF tokens on
# unsafe requests, idle and absolute expiry, sign-out, disabled accounts,
# password changes, the sign-in rate limit per account and per address,
# the log of every sign-in, failure and sign-out, trusted SSO, another
# unit's case by URL, and the pages' security headers.
. "$(dirname "$0")/lib.sh"

db=$(t_db sessions)
PORT=$(t_free_port)
cfg=$T_DIR/vhcvd.yaml
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg"
cat >>"$cfg" <<YAML
  - token_sha256: "$(printf tok-hr | sha256sum | cut -d' ' -f1)"
    name: hr-sys
    role: hr
    units: ["*"]
web:
  ui_dir: $SRCDIR/ui
  signin_max_failures: 3
  signin_max_failures_address: 8
  sso_proxy: "127.0.0.2"
  sso_header: X-Remote-User
YAML
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock
URL=http://127.0.0.1:$PORT

# admin over the socket; must work
adm() {
	local method=$1 path=$2 data=${3:-}
	local args=(-sS -o "$T_DIR/body" -w '%{http_code}' -X "$method" --unix-socket "$SOCK")
	[ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
	code=$(curl "${args[@]}" "http://x$path")
	body=$(cat "$T_DIR/body")
	case $code in 2??) ;; *) t_fail "setup $method $path: $code $body" ;; esac
}
# the same, for calls that may fail
admx() {
	code=$(curl -sS -o "$T_DIR/body" -w '%{http_code}' -X "$1" --unix-socket "$SOCK" \
		-H 'Content-Type: application/json' --data-binary "$3" "http://x$2")
	body=$(cat "$T_DIR/body")
}
# web JAR METHOD PATH [BODY] [EXTRA CURL ARGS...]: a browser with a cookie jar
web() {
	local jar=$T_DIR/$1.jar method=$2 path=$3 data=${4:-}
	shift 4 2>/dev/null || shift $#
	local args=(-sS -D "$T_DIR/hdr" -o "$T_DIR/body" -w '%{http_code}' -X "$method"
		-b "$jar" -c "$jar")
	[ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
	code=$(curl "${args[@]}" "$@" "$URL$path")
	body=$(cat "$T_DIR/body")
	hdr=$(tr -d '\r' <"$T_DIR/hdr")
}
jget() {
	python3 -c '
import json, sys
try:
    d = json.loads(sys.argv[1]); v = eval(sys.argv[2])
    print(" ".join(str(x) for x in v) if isinstance(v, tuple) else v)
except Exception as e:
    print("<%s>" % e)' "$body" "$1"
}
signin() { web "$1" POST /v1/session "{\"name\":\"$2\",\"password\":\"$3\"}"; }

adm POST /v1/units '{"code":"UBND-T","name":"UBND tỉnh","valid_from":"2019-01-01"}'
for u in A B; do
	adm POST /v1/units "{\"code\":\"UBND-$u\",\"name\":\"UBND $u\",\"parent\":\"UBND-T\",\"valid_from\":\"2019-01-01\"}"
	adm PUT /v1/officials/CC-$u "{\"full_name\":\"Cán bộ $u\",\"category\":\"cong_chuc\",\"unit\":\"UBND-$u\"}"
	adm POST /v1/cases "{\"official\":\"CC-$u\",\"rule\":\"TD-01\",\"occurred_on\":\"$(date -d '-5 days' +%F)\",\"source\":\"inspection\",\"description\":\"Đi muộn\",\"idempotency_key\":\"s-$u\"}"
	eval "CASE_$u=\$(jget 'd[\"case\"]')"
done

# accounts: admin only, names and units checked
adm POST /v1/accounts '{"name":"head-a","display_name":"Trưởng phòng A","role":"unit_head","units":["UBND-A"],"password":"mật khẩu dài 1"}'
t_eq "$(jget 'd["has_password"], d["units"], d["disabled"]')" "True ['UBND-A'] False" "account added with a password hash"
t_eq "$(t_psql "$db" -Atc "SELECT password_hash LIKE '\$argon2id\$v=19\$m=19456,t=2,p=1\$%' FROM vhcv.accounts WHERE name = 'head-a'")" t \
	"the password is stored as an argon2id hash, never in clear"
adm POST /v1/accounts '{"name":"insp-a","role":"inspector","units":["UBND-A"],"password":"inspector-pass"}'
curl -sS -o "$T_DIR/body" -w '%{http_code}' -H 'Authorization: Bearer tok-hr' -H 'Content-Type: application/json' \
	--data-binary '{"name":"x","role":"admin","units":["*"]}' "$URL/v1/accounts" >"$T_DIR/code"
t_eq "$(cat "$T_DIR/code")" 403 "hr may not add accounts (admin only)"
admx POST /v1/accounts '{"name":"hr-sys","role":"hr","units":["*"]}'
t_eq "$code" 409 "an account may not take the name of a configured identity"
admx POST /v1/accounts '{"name":"z1","role":"unit_head","units":["NOPE"]}'
t_eq "$code $(jget 'd["field"]')" "404 units" "an unknown unit is refused, naming units"
admx POST /v1/accounts '{"name":"z2","role":"unit_head","units":["UBND-A"],"password":"short"}'
t_eq "$code $(jget 'd["field"]')" "400 password" "a password under 8 characters is refused"
admx POST /v1/accounts '{"name":"Bad Name","role":"unit_head","units":["UBND-A"]}'
t_eq "$code $(jget 'd["field"]')" "400 name" "an account name with spaces or capitals is refused"

# sign-in and the cookie
signin h "head-a" "wrong password"
t_eq "$code $(jget 'd["error"]')" "401 unauthorized" "a wrong password is 401"
signin h "nobody" "whatever pw"
t_eq "$code" 401 "an unknown name is the same 401"
signin h "head-a" "mật khẩu dài 1"
t_eq "$code" 201 "sign-in with the right password"
CSRF=$(jget 'd["csrf_token"]')
t_eq "$(jget 'd["role"], d["units"], d["display_name"]')" "unit_head ['UBND-A'] Trưởng phòng A" "sign-in answers who signed in"
cookie=$(grep -i '^set-cookie:' <<<"$hdr" || true)
t_contains "$cookie" "HttpOnly" "the cookie is HttpOnly"
t_contains "$cookie" "SameSite=Strict" "the cookie is SameSite=Strict"
t_contains "$cookie" "Path=/" "the cookie is for the whole site"
[[ "$cookie" != *Secure* ]] && t_ok "no Secure flag on loopback (plain HTTP)" || t_fail "Secure on loopback: $cookie"
tok=$(sed -n 's/.*vhcv_session=\([0-9a-f]*\).*/\1/p' <<<"$cookie")
t_eq "$(t_psql "$db" -Atc "SELECT count(*) FROM vhcv.sessions WHERE token_sha256 = '$(printf %s "$tok" | sha256sum | cut -d' ' -f1)'")" 1 \
	"the database keeps the SHA-256 of the cookie"
t_eq "$(t_psql "$db" -Atc "SELECT count(*) FROM vhcv.sessions WHERE token_sha256 = '$tok'")" 0 "and never the cookie itself"
web h GET /v1/session
t_eq "$code $(jget 'd["via"], d["csrf_token"] == "'"$CSRF"'"')" "200 session True" "GET /v1/session gives the CSRF token again"

# the cookie acts with the account's role and units
web h GET "/v1/cases/$CASE_A"
t_eq "$code" 200 "the unit head reads a case of their unit"
web h GET "/v1/cases/$CASE_B"
t_eq "$code" 403 "another unit's case by URL is 403"
web h GET "/v1/cases"
t_eq "$(jget '[c["case"] for c in d["items"]]')" "['$CASE_A']" "the case list holds only the unit's cases"

# CSRF on unsafe requests
web h POST "/v1/cases/$CASE_A/accept" '{}'
t_eq "$code $(jget 'd["field"]')" "403 X-CSRF-Token" "an unsafe request without the CSRF token is 403"
t_contains "$body" "missing CSRF token" "and says the token is missing"
# the token with its last character changed: never the token itself
last=${CSRF: -1}
[ "$last" = 0 ] && other=1 || other=0
web h POST "/v1/cases/$CASE_A/accept" '{}' -H "X-CSRF-Token: ${CSRF%?}$other"
t_eq "$code" 403 "a wrong CSRF token is 403"
t_contains "$body" "wrong CSRF token" "and says it is wrong"
t_eq "$(t_psql "$db" -Atc "SELECT status FROM vhcv.cases WHERE number = '$CASE_A'")" reported "refused requests changed nothing"
web h POST "/v1/cases/$CASE_A/accept" '{}' -H "X-CSRF-Token: $CSRF"
t_eq "$code" 200 "with the right CSRF token the case is accepted"
t_eq "$(t_psql "$db" -Atc "SELECT actor FROM vhcv.case_events e JOIN vhcv.cases c ON c.id = e.case_id WHERE c.number = '$CASE_A' ORDER BY e.seq DESC LIMIT 1")" \
	head-a "the event names the account"
web h POST /v1/accounts '{"name":"y","role":"admin","units":["*"]}' -H "X-CSRF-Token: $CSRF"
t_eq "$code" 403 "a unit head's session may not add accounts"

# a bearer token is not a session: no CSRF needed, GET /v1/session says so
code=$(curl -sS -o "$T_DIR/body" -w '%{http_code}' -H 'Authorization: Bearer tok-hr' "$URL/v1/session")
body=$(cat "$T_DIR/body")
t_eq "$code $(jget 'd["via"], d["csrf_token"]')" "200 token None" "a token identity has no session"

# idle and absolute expiry
signin i "insp-a" "inspector-pass"
t_eq "$code" 201 "the inspector signs in"
itok=$(sed -n 's/.*vhcv_session\t\([0-9a-f]*\)$/\1/p' "$T_DIR/i.jar")
isha=$(printf %s "$itok" | sha256sum | cut -d' ' -f1)
t_psql "$db" -c "UPDATE vhcv.sessions SET last_seen = now() - interval '31 minutes' WHERE token_sha256 = '$isha'"
web i GET /v1/session
t_eq "$code" 401 "a session idle for longer than session_idle_s has ended"
signin i "insp-a" "inspector-pass"
itok=$(sed -n 's/.*vhcv_session\t\([0-9a-f]*\)$/\1/p' "$T_DIR/i.jar")
isha=$(printf %s "$itok" | sha256sum | cut -d' ' -f1)
t_psql "$db" -c "UPDATE vhcv.sessions SET created_at = now() - interval '13 hours' WHERE token_sha256 = '$isha'"
web i GET /v1/session
t_eq "$code" 401 "a session older than session_absolute_s has ended, however busy"

# sign-out
signin i "insp-a" "inspector-pass"
ICSRF=$(jget 'd["csrf_token"]')
cp "$T_DIR/i.jar" "$T_DIR/stolen.jar"
web i DELETE /v1/session
t_eq "$code" 403 "sign-out needs the CSRF token too"
web i DELETE /v1/session '' -H "X-CSRF-Token: $ICSRF"
t_eq "$code" 200 "sign-out"
t_contains "$(grep -i '^set-cookie:' <<<"$hdr" || true)" "Max-Age=0" "sign-out clears the cookie"
web stolen GET /v1/session
t_eq "$code" 401 "a copy of the cookie is dead after sign-out (server-side session)"

# password change and disabling end sessions
signin i "insp-a" "inspector-pass"
adm PUT /v1/accounts/insp-a/password '{"password":"a new pass phrase"}'
web i GET /v1/session
t_eq "$code" 401 "a new password ends the account's sessions"
signin i "insp-a" "inspector-pass"
t_eq "$code" 401 "the old password no longer works"
signin i "insp-a" "a new pass phrase"
t_eq "$code" 201 "the new one does"
adm POST /v1/accounts/insp-a/disable
t_eq "$(jget 'd["disabled"]')" True "the account is disabled"
web i GET /v1/session
t_eq "$code" 401 "disabling ends the sessions"
signin i "insp-a" "a new pass phrase"
t_eq "$code $(jget 'd["message"]')" "403 account insp-a is disabled" "a disabled account cannot sign in"
adm GET /v1/accounts
t_eq "$(jget '[(a["name"], a["disabled"]) for a in d["items"]]')" "[('head-a', False), ('insp-a', True)]" "the account list"

# trusted SSO header: only from the configured proxy address
code=$(curl -sS -o "$T_DIR/body" -w '%{http_code}' -H 'X-Remote-User: head-a' -H 'Content-Type: application/json' \
	--data-binary '{}' "$URL/v1/session")
t_eq "$code" 400 "the SSO header from another address is ignored (name and password required)"
if curl -s -o /dev/null --interface 127.0.0.2 "$URL/v1/health" 2>/dev/null; then
	code=$(curl -sS --interface 127.0.0.2 -o "$T_DIR/body" -w '%{http_code}' -H 'X-Remote-User: head-a' \
		-H 'Content-Type: application/json' --data-binary '{}' "$URL/v1/session")
	t_eq "$code" 201 "the SSO header from the proxy address signs the account in"
	code=$(curl -sS --interface 127.0.0.2 -o "$T_DIR/body" -w '%{http_code}' -H 'X-Remote-User: nobody' \
		-H 'Content-Type: application/json' --data-binary '{}' "$URL/v1/session")
	t_eq "$code" 401 "the SSO header naming no account is refused"
else
	t_fail "cannot send from 127.0.0.2 to test the SSO proxy"
fi

# rate limit: 3 failures per account, 8 per address (this test's config);
# the failures above leave the window
t_psql "$db" -c "UPDATE vhcv.signin_attempts SET at = at - interval '1 hour'"
for i in 1 2; do signin r "head-a" "wrong $i"; done
signin r "head-a" "mật khẩu dài 1"
t_eq "$code" 201 "below the limit the right password still works"
signin r "head-a" "wrong 3"
signin r "head-a" "mật khẩu dài 1"
t_eq "$code" 429 "after 3 failures in the window the account is refused, even with the right password"
t_contains "$hdr" "Retry-After: 900" "with Retry-After"
for i in 1 2 3 4 5; do signin r "other$i" "wrong pw"; done
signin r "insp-z" "whatever pw"
t_eq "$code" 429 "after 8 failures from one address every name is refused from it"
t_eq "$(t_psql "$db" -Atc "SELECT count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok) FROM vhcv.signin_attempts WHERE name = 'head-a' AND at > now() - interval '10 minutes'")" \
	"1|3" "every attempt is recorded; refused ones are not counted again"

# the log: every sign-in, failure and sign-out
log=$(cat "$T_DIR/vhcvd.log")
t_contains "$log" "signin name=head-a address=127.0.0.1 sso=no" "sign-ins are logged"
t_contains "$log" 'signin failed name=head-a address=127.0.0.1 sso=no reason="wrong password"' "failures are logged with the reason"
t_contains "$log" 'signin failed name=insp-a address=127.0.0.1 sso=no reason="account disabled"' "a disabled account's attempt is logged"
t_contains "$log" "signout name=insp-a address=127.0.0.1" "sign-outs are logged"
t_contains "$log" 'signin refused name=head-a address=127.0.0.1 reason="too many failures"' "rate-limited attempts are logged"

# the CLI: vhcv account add|list|passwd|disable, the password from stdin only
t_psql "$db" -c "UPDATE vhcv.signin_attempts SET at = at - interval '1 hour'"
V() { "$VHCV" -s "unix:$SOCK" "$@"; }
out=$(printf 'cli pass phrase\n' | V account add cli-a --role auditor --units UBND-A,UBND-B \
	--display-name "Kiểm toán viên" --password-stdin 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "vhcv account add"
t_contains "$out" "UBND-A, UBND-B" "with both units"
signin c "cli-a" "cli pass phrase"
t_eq "$code" 201 "the password given on standard input signs in"
printf 'another phrase\n' | V account passwd cli-a >/dev/null 2>&1 && rc=0 || rc=$?
t_eq "$rc" 0 "vhcv account passwd reads standard input"
signin c "cli-a" "another phrase"
t_eq "$code" 201 "the new password works"
V account passwd cli-a </dev/null >/dev/null 2>&1 && rc=0 || rc=$?
t_eq "$rc" 2 "no password on standard input is a usage error"
V account add cli-b --role auditor --units UBND-A --password x >/dev/null 2>&1 && rc=0 || rc=$?
t_eq "$rc" 2 "there is no --password option (command lines are visible to ps)"
V account add cli-a --role auditor --units UBND-A >/dev/null 2>&1 && rc=0 || rc=$?
t_eq "$rc" 5 "adding an existing name exits 5"
out=$(LANG=C.UTF-8 V account list)
t_contains "$out" "NAME" "account list has English headers by default"
t_contains "$out" "cli-a" "and lists the new account"
out=$(LANG=vi_VN.UTF-8 VHCV_LOCALEDIR="$(dirname "$(dirname "$(dirname "$VHCV")")")/po" V account list)
t_contains "$out" "TÊN HIỂN THỊ" "LANG=vi_VN.UTF-8 gives Vietnamese headers"
t_contains "$out" "Kiểm toán viên" "with the Vietnamese display name"
out=$(LANG=vi_VN.UTF-8 VHCV_LOCALEDIR="$(dirname "$(dirname "$(dirname "$VHCV")")")/po" V --json account list)
t_contains "$out" '"display_name": "Kiểm toán viên"' "JSON stays untranslated"
out=$(V account disable cli-a)
t_contains "$out" "Disabled" "vhcv account disable"
out=$(VHCV_TOKEN=tok-hr "$VHCV" -s "$URL" account list 2>&1) && rc=0 || rc=$?
t_eq "$rc" 4 "hr may not list accounts (exit 4)"

# the pages
code=$(curl -sS -D "$T_DIR/hdr" -o "$T_DIR/body" -w '%{http_code}' "$URL/ui/")
hdr=$(tr -d '\r' <"$T_DIR/hdr")
t_eq "$code" 200 "GET /ui/ serves the page"
t_contains "$hdr" "Content-Security-Policy: default-src 'none'; script-src 'self'" "with a CSP that allows no inline script"
t_contains "$hdr" "Content-Type: text/html; charset=utf-8" "as HTML"
t_contains "$hdr" "X-Content-Type-Options: nosniff" "nosniff"
code=$(curl -sS -o /dev/null -w '%{http_code}' --path-as-is "$URL/ui/../config/vhcvd.yaml")
t_eq "$code" 404 "no path leaves the pages' folder"
code=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/")
t_eq "$code" "302 $URL/ui/" "/ leads to the pages"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$URL/ui/index.html")
t_eq "$code" 405 "the pages are read-only"
t_done
