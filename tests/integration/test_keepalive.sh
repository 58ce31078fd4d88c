#!/usr/bin/env bash
# Keep-alive (a GET is answered at MHD's second call, its connection kept
# for the next request): idle kept-alive connections do not lock a client
# out of its per-address limit (those past three quarters of it are closed
# after their answer), pipelined and HTTP/1.0 requests are answered, and
# SIGTERM does not wait for an idle kept-alive connection's header deadline;
# each request on a kept-alive connection has its own identity.
. "$(dirname "$0")/lib.sh"

db=$(t_db keepalive)
port=$(t_free_port)
ta="ka-a-$$-$RANDOM" tb="ka-b-$$-$RANDOM"
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
{
	t_config "$db" | sed "/^  - unix: /a\\
  - tcp: \"127.0.0.1:$port\""
	cat <<YAML
  - token_sha256: "$(sha "$ta")"
    name: tcp-a
    role: admin
    units: ["*"]
  - token_sha256: "$(sha "$tb")"
    name: tcp-b
    role: admin
    units: ["*"]
limits:
  per_ip_connections: 4
  header_timeout_s: 30
YAML
} >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"

python3 "$(dirname "$0")/abuse.py" keepalive 127.0.0.1 "$port" 127.0.0.4 4 60 >"$T_DIR/ka" 2>&1 &
ka=$!
for _ in $(seq 300); do
	grep -q holding "$T_DIR/ka" && break
	kill -0 "$ka" 2>/dev/null || break
	sleep 0.05
done
cat "$T_DIR/ka"
out=$(grep '^keepalive: connection' "$T_DIR/ka" | tr '\n' ' ')
t_eq "$out" "keepalive: connection 1: 200 keepalive: connection 2: 200 keepalive: connection 3: 200 close keepalive: connection 4: 200 close keepalive: connection 1 again: 200 " \
	"from one address (limit 4): two connections kept alive, the third and fourth closed after their answer"
t_contains "$(cat "$T_DIR/ka")" "keepalive: 2 closed by vhcvd" "those two closed, the two kept alive open"
t_contains "$(cat "$T_DIR/ka")" "keepalive: a new connection: 200" "a new connection from that address still gets in"
t_contains "$(cat "$T_DIR/ka")" "keepalive: two pipelined: 200 200" "two pipelined GETs: two answers"
t_contains "$(cat "$T_DIR/ka")" "keepalive: HTTP/1.0: 200, then closed" "HTTP/1.0: answered, then closed"

# one connection, three requests: each identified by its own token
out=$(python3 "$(dirname "$0")/abuse.py" tokens 127.0.0.1 "$port" 127.0.0.5 '/v1/cases?limit=1' "$ta" "$tb" -)
t_eq "$out" "tokens: 200 200 401" "a token, another, none, on one connection: the last is refused"
t_eq "$(grep 'path="/v1/cases?limit=1"\|path=/v1/cases' "$T_DIR/vhcvd.log" | sed -n 's/.*status=\([0-9]*\) .*identity=\(.*\)$/\1:\2/p' | tr '\n' ' ')" \
	"200:tcp-a 200:tcp-b 401:- " "and the log names each request's own identity"

# two idle kept-alive connections held open (header_timeout_s 30): a stop
# closes them instead of waiting for their deadline
start=$(date +%s%N)
t_daemon_stop
ms=$((($(date +%s%N) - start) / 1000000))
echo "stop with two idle kept-alive connections: $ms ms"
if [ "$ms" -lt 10000 ]; then t_ok "SIGTERM does not wait for idle keep-alive connections ($ms ms)"
else t_fail "SIGTERM waited $ms ms for idle keep-alive connections"; fi
kill "$ka" 2>/dev/null || true
wait "$ka" 2>/dev/null || true
t_done
