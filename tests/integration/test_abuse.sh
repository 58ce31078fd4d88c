#!/usr/bin/env bash
# Abuse from the network (docs/security.md): idle connections, a client
# sending one byte every half second, 1 MB bodies no route reads, a path
# forging a log line, evidence that would render as a page, names with
# bidirectional controls, HEAD, messages cut inside a character. While each
# attack runs, /v1/health answers on the Unix socket and on TCP within 1 s,
# and vhcvd's memory stays bounded. Figures are printed.
. "$(dirname "$0")/lib.sh"

db=$(t_db abuse)
port=$(t_free_port)
token="abuse-$$-$RANDOM"
token_sha=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
{
	t_config "$db" | sed "/^  - unix: /a\\
  - tcp: \"127.0.0.1:$port\""
	cat <<YAML
  - token_sha256: "$token_sha"
    name: tcp-admin
    role: admin
    units: ["*"]
limits:
  per_ip_connections: 8
  header_timeout_s: 2
  body_timeout_s: 3
  idle_timeout_s: 30
YAML
} >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_psql "$db" -c "INSERT INTO vhcv.units (code, name) VALUES ('U', 'Đơn vị');
	INSERT INTO vhcv.officials (code, full_name, category, unit_id) VALUES ('O', 'Người', 'cong_chuc', 1)" >/dev/null
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
AB="python3 $(dirname "$0")/abuse.py"
rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$T_DAEMON/status"; }
REQS=0 CONNS=0

# under ATTACK... : health on both listeners, every 0.2 s, for D seconds
health_during() {
	local d=$1 what=$2 out
	$AB health "unix:$SOCK" "$d" >"$T_DIR/h1" &
	local p1=$!
	$AB health "127.0.0.1:$port" "$d" >"$T_DIR/h2" &
	local p2=$!
	shift 2
	"$@"
	wait "$p1" "$p2"
	for out in "$T_DIR/h1" "$T_DIR/h2"; do
		cat "$out"
		read -r n failed worst < <(sed -n 's/.*: \([0-9]*\) requests, \([0-9]*\) failed, slowest \([0-9]*\) ms/\1 \2 \3/p' "$out")
		REQS=$((REQS + n))
		t_eq "$failed" 0 "health answers on $(cut -d' ' -f2 "$out" | tr -d :) under $what"
		if [ "${worst:-9999}" -lt 1000 ]; then t_ok "within 1 s (slowest ${worst} ms)"; else t_fail "health took ${worst} ms under $what"; fi
	done
}

rss0=$(rss)
# --- 300 idle connections from one address
health_during 5 "300 idle connections" $AB idle 127.0.0.1 "$port" 127.0.0.2 300 3 | tee "$T_DIR/idle"
CONNS=$((CONNS + 300))
t_contains "$(cat "$T_DIR/idle")" "292 closed at once" "one address holds at most per_ip_connections (8)"
t_contains "$(cat "$T_DIR/idle")" "300 closed after" "and the idle ones are closed by the header deadline"

# --- slowloris: a byte every half second never completes a request
health_during 6 "clients sending a byte every 0.5 s" $AB slow 127.0.0.1 "$port" 127.0.0.3 8 6 | tee "$T_DIR/slow"
CONNS=$((CONNS + 8))
t_contains "$(cat "$T_DIR/slow")" "8 cut" "every slow client is cut by the header deadline"

# --- 1 MB bodies that no route reads, from 200 connections (25 addresses)
rss1=$(rss)
health_during 4 "200 x 1 MB bodies to unknown paths" $AB body 127.0.0.1 "$port" 25 8 /v1/nothing | tee "$T_DIR/body"
health_during 3 "200 x 1 MB bodies to /v1/health" $AB body 127.0.0.1 "$port" 25 8 /v1/health | tee -a "$T_DIR/body"
CONNS=$((CONNS + 400)) REQS=$((REQS + 400))
rss2=$(rss)
t_eq "$(grep '^body:' "$T_DIR/body" | sed -n 1p)" "body: 404=200" "each unknown path is 404"
t_eq "$(grep '^body:' "$T_DIR/body" | sed -n 2p)" "body: 405=200" "each POST to health is 405"
echo "vhcvd RSS: ${rss0} MB at start, ${rss1} MB before the bodies, ${rss2} MB after 400 MB of them"
if [ $((rss2 - rss1)) -lt 64 ]; then t_ok "no body buffered: RSS grew $((rss2 - rss1)) MB"; else t_fail "RSS grew $((rss2 - rss1)) MB"; fi

# --- the log: one request, one line, whatever its path
curl -s -o /dev/null --unix-socket "$SOCK" "http://x/v1/x%0Ats=2026-01-01T00:00:00.000Z%20level=info%20method=POST%20path=/v1/cases/VP-1/decide%20status=200%20identity=admin"
curl -s -o /dev/null --unix-socket "$SOCK" 'http://x/v1/y%22%20status=200%20identity=admin'
REQS=$((REQS + 2))
t_eq "$(grep -c 'path=/v1/cases/VP-1/decide status=200 identity=admin$' "$T_DIR/vhcvd.log")" 0 "no forged line in the log"
t_eq "$(grep -vc '^ts=' "$T_DIR/vhcvd.log")" 0 "every log line is a logfmt line"
t_contains "$(grep 'path="/v1/y' "$T_DIR/vhcvd.log")" 'path="/v1/y\" status=200 identity=admin" status=404' "a quote in a path is escaped inside a quoted value"

# --- evidence: an attachment of a safe type, nosniff; no bidirectional controls
call() { CODE=$(curl -s -o "$T_DIR/body.out" -D "$T_DIR/hdr" -w '%{http_code}' --unix-socket "$SOCK" "$@"); REQS=$((REQS + 1)); }
call -X POST -H 'Content-Type: application/json' --data '{"official":"O","rule":"TD-01","occurred_on":"2026-11-02","source":"self","description":"x"}' http://x/v1/cases
C=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["case"])' "$T_DIR/body.out")
call -X PUT -H 'Content-Type: text/html' --data-binary '<script>alert(1)</script>' "http://x/v1/cases/$C/evidence/trang.html"
t_eq "$CODE" 201 "html evidence is stored"
call "http://x/v1/cases/$C/evidence/trang.html"
t_eq "$CODE" 200 "and served"
hdr=$(tr -d '\r' <"$T_DIR/hdr")
t_contains "$hdr" "Content-Type: application/octet-stream" "as bytes, not as a page"
t_contains "$hdr" "X-Content-Type-Options: nosniff" "with nosniff"
t_contains "$hdr" "Content-Disposition: attachment; filename=\"evidence\"; filename*=UTF-8''trang.html" "as an attachment"
call -X PUT -H 'Content-Type: application/pdf' --data-binary 'x' "http://x/v1/cases/$C/evidence/hoa%E2%80%AEfdp.exe"
t_eq "$CODE" 400 "a right-to-left override in a name is refused"
call -X PUT -H 'Content-Type: application/pdf' --data-binary 'x' "http://x/v1/cases/$C/evidence/a%E2%81%A6b.pdf"
t_eq "$CODE" 400 "an isolate in a name is refused"

# --- HEAD on GET routes
call -I http://x/v1/health
t_eq "$CODE" 200 "HEAD /v1/health"
t_eq "$(grep -c '"status"' "$T_DIR/body.out")" 0 "without a body"
call -I "http://x/v1/cases/$C"
t_eq "$CODE" 200 "HEAD on a case"
call -I http://x/v1/nothing
t_eq "$CODE" 404 "HEAD on an unknown path is 404"

# --- messages cut inside a character are still UTF-8: 400/404, not 500
e250=$(python3 -c 'print("é" * 250)')
call -X POST -H 'Content-Type: application/json' --data "{\"official\":\"O\",\"rule\":\"TD-01\",\"occurred_on\":\"2026-11-02\",\"source\":\"self\",\"description\":\"x\",\"idempotency_key\":\"$e250\"}" http://x/v1/cases
t_eq "$CODE" 400 "a 250-character key of é is 400"
t_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["field"])' "$T_DIR/body.out")" idempotency_key "naming the field"
p500=$(python3 -c 'print("%C3%A9" * 500)')
CODE=$(curl -s -o "$T_DIR/body.out" -w '%{http_code}' "http://127.0.0.1:$port/v1/$p500")
t_eq "$CODE" 404 "an unauthenticated GET of a 500-é path is 404"
t_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["error"])' "$T_DIR/body.out")" not_found "with a valid UTF-8 message"
CODE=$(curl -s -o "$T_DIR/body.out" -w '%{http_code}' --unix-socket "$SOCK" "http://x/v1/cases/%C3%28")
t_eq "$CODE/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["field"])' "$T_DIR/body.out")" \
	400/case "a case number that is not UTF-8 is 400 naming it, not 500"
CODE=$(curl -s -o "$T_DIR/body.out" -w '%{http_code}' --unix-socket "$SOCK" "http://x/v1/%C3%28")
t_eq "$CODE" 404 "an unknown path that is not UTF-8 is 404"

echo "abuse figures: $CONNS attacking connections, $REQS requests, vhcvd RSS ${rss2} MB at the end"
t_daemon_stop
t_done
