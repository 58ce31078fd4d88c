#!/usr/bin/env bash
# vhcvd serves health over its Unix socket, the CLI reaches it, SIGTERM
# stops it cleanly; without a database it answers 503, not a hang.
. "$(dirname "$0")/lib.sh"

db=$(t_db health)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"

sock=$T_DIR/vhcvd.sock
t_eq "$(stat -c %a "$sock")" 660 "socket mode 0660"
out=$(curl -sS --unix-socket "$sock" http://x/v1/health)
t_contains "$out" '"database":true' "health says the database answers"
t_contains "$out" '"schema_version":' "health gives the schema version"
t_contains "$out" '"rules_version":"' "health gives the rules version"

out=$("$VHCV" -s "unix:$sock" health) && rc=0 || rc=$?
t_eq "$rc" 0 "vhcv health exits 0"
t_contains "$out" "database        ok" "vhcv health prints the database state"
out=$(VHCV_ENDPOINT="unix:$sock" "$VHCV" --json health)
t_contains "$out" '"database": true' "VHCV_ENDPOINT and --json"
out=$(cd "$T_DIR" && mkdir -p var/run && ln -sf "$sock" var/run/vhcvd.sock && "$VHCV" health) && rc=0 || rc=$?
t_eq "$rc" 0 "vhcv finds ./var/run/vhcvd.sock with no flags"

code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" http://x/v1/nothing)
t_eq "$code" 404 "unknown path is 404"
out=$(curl -s --unix-socket "$sock" http://x/v1/nothing)
t_contains "$out" '"error":"not_found"' "errors are JSON with an id"
out=$(curl -s -w ' %{http_code}' --unix-socket "$sock" 'http://x/v1/health?verbose=1')
t_contains "$out" '"field":"verbose"' "an unknown query parameter is named"
t_eq "${out##* }" 400 "and is 400"
out=$(curl -s -w ' %{http_code}' --unix-socket "$sock" 'http://x/v1/cases?unit=%00&limit=2')
t_eq "${out##* }" 400 "an escaped NUL in a query value is 400"
t_contains "$out" '"field":"unit"' "naming the parameter (nothing else is overwritten)"
out=$(curl -s -w ' %{http_code}' --unix-socket "$sock" 'http://x/v1/officials/CC-1%00x')
t_contains "$out" 'escaped NUL byte' "an escaped NUL in the path is refused"
t_eq "${out##* }" 400 "with 400"
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" -X DELETE http://x/v1/health)
t_eq "$code" 405 "wrong method is 405"
code=$(head -c 2000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" \
	-X POST --data-binary @- -H 'Content-Type: application/json' http://x/v1/health)
t_eq "$code" 413 "an oversized body is 413"
# a GET is answered on the connection it came on, which stays open for the
# next request (it was closed after each: a new connection per request,
# which woke every thread of the pool; docs/performance.md "Session 4")
out=$(curl -s -o /dev/null -o /dev/null -o /dev/null -w '%{http_code}/%{num_connects} ' \
	--unix-socket "$sock" http://x/v1/health 'http://x/v1/cases?limit=1' http://x/v1/health)
t_eq "$out" "200/1 200/0 200/0 " "three GETs, a public and a private route, on one connection"
out=$(curl -s -o /dev/null -o /dev/null -w '%{http_code}/%{num_connects} ' --unix-socket "$sock" \
	-X GET --data-binary '{"ignored":true}' http://x/v1/health http://x/v1/health)
t_eq "$out" "200/1 200/0 " "a GET with a body: answered, the body dropped, the connection kept"
out=$(curl -s --unix-socket "$sock" http://x/metrics)
t_contains "$out" 'vhcvd_requests_total{route="/v1/health",method="GET",status="200"}' "metrics count requests"
t_contains "$out" 'vhcvd_request_duration_seconds_bucket{le="+Inf"}' "metrics have a latency histogram"

out=$("$VHCV" -s "unix:$T_DIR/nowhere.sock" health 2>&1) && rc=0 || rc=$?
t_eq "$rc" 7 "no daemon: exit 7 (unavailable)"
out=$("$VHCV" -s "gopher://x" health 2>&1) && rc=0 || rc=$?
t_eq "$rc" 2 "bad endpoint: exit 2"
t_daemon_stop
t_eq "$(test -e "$sock" && echo yes || echo no)" no "socket removed on exit"

# the database goes away: 503 quickly, and back when it returns
t_config "$db" | sed "s|dbname=$db|dbname=$db host=$T_DIR/nowhere|" >"$T_DIR/nodb.yaml"
t_daemon "$T_DIR/nodb.yaml"
start=$(date +%s)
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 --unix-socket "$sock" http://x/v1/health)
t_eq "$code" 503 "no database: 503"
t_eq "$(( $(date +%s) - start < 10 ))" 1 "and quickly"
out=$("$VHCV" -s "unix:$sock" health 2>&1) && rc=0 || rc=$?
t_eq "$rc" 7 "vhcv health exits 7 when the database is down"
t_daemon_stop

# started as root with 'user', vhcvd gives up root after binding
chmod 0711 "$T_DIR"
mkdir -p "$T_DIR/run"
chown nobody "$T_DIR/run"
t_config "$db" | sed "s|^  - unix: .*|  - unix: $T_DIR/run/vhcvd.sock|" >"$T_DIR/user.yaml"
echo "user: nobody" >>"$T_DIR/user.yaml"
t_daemon "$T_DIR/user.yaml"
t_eq "$(awk '/^Uid:/ {print $2 "/" $3}' "/proc/$T_DAEMON/status")" "$(id -u nobody)/$(id -u nobody)" "vhcvd runs as nobody after binding"
t_eq "$(stat -c %U "$T_DIR/run/vhcvd.sock")" nobody "the socket belongs to that user"
out=$(curl -s --unix-socket "$T_DIR/run/vhcvd.sock" http://x/v1/health)
t_contains "$out" '"database":true' "and serves, database included"
t_daemon_stop
t_eq "$(test -e "$T_DIR/run/vhcvd.sock" && echo yes || echo no)" no "it removes its socket as that user"
out=$(sed 's/^user: nobody/user: no-such-user-x/' "$T_DIR/user.yaml" >"$T_DIR/bad-user.yaml"; "$VHCVD" -c "$T_DIR/bad-user.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "an unknown user stops vhcvd at start"
t_contains "$out" "no-such-user-x: no such user" "naming it"

# the periodic seal: with seal_interval_s 1, events get sealed unasked
db2=$(t_db seal)
{ t_config "$db2"; echo "seal_interval_s: 1"; } >"$T_DIR/seal.yaml"
"$VHCVD" --migrate -c "$T_DIR/seal.yaml" >/dev/null 2>&1
t_psql "$db2" -c "INSERT INTO vhcv.units (code, name) VALUES ('U', 'Đơn vị');
	INSERT INTO vhcv.officials (code, full_name, category, unit_id) VALUES ('O', 'Người', 'cong_chuc', 1)" >/dev/null
t_daemon "$T_DIR/seal.yaml"
curl -s -o /dev/null --unix-socket "$sock" -X POST http://x/v1/cases \
	-d '{"official":"O","rule":"TD-01","occurred_on":"2026-11-02","source":"self","description":"x"}'
for _ in $(seq 60); do
	[ "$(t_psql "$db2" -tAc 'SELECT count(*) FROM vhcv.audit_tree_heads')" -ge 1 ] && break
	sleep 0.1
done
t_eq "$(t_psql "$db2" -tAc 'SELECT tree_size FROM vhcv.audit_tree_heads ORDER BY id LIMIT 1')" 1 "the daemon seals new events by itself"
sleep 1.5
t_eq "$(t_psql "$db2" -tAc 'SELECT count(*) FROM vhcv.audit_tree_heads')" 1 "and adds no seal while nothing changes"
t_daemon_stop

t_done
