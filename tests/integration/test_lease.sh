#!/usr/bin/env bash
# Two vhcvd on one database (issue #14):
#  1. exactly one holds the lease of the periodic jobs (health "lease",
#     pg_stat_activity names it); only it seals;
#  2. the holder killed with SIGKILL while writes go on: the other takes the
#     lease; no seal written twice, none missed (the last seal covers every
#     event), audit verify passes;
#  3. a client given both endpoints, the first one down, works without a
#     visible error (the CLI, by -s and by VHCV_ENDPOINT);
#  4. the restarted instance waits; SIGTERM of the holder hands the lease on;
#  5. the scheduler is a job of the lease too: effects that ended are written
#     by the holder only, before and after the takeover, each exactly once.
. "$(dirname "$0")/lib.sh"

db=$(t_db lease)
for i in 1 2; do
	t_config "$db" | sed "s#unix: $T_DIR/vhcvd.sock#unix: $T_DIR/v$i.sock#" >"$T_DIR/v$i.yaml"
	printf 'seal_interval_s: 1\nscheduler_interval_s: 1\n' >>"$T_DIR/v$i.yaml"
done
"$VHCVD" --migrate -c "$T_DIR/v1.yaml" >/dev/null 2>&1 || t_fail "migrate"
t_psql "$db" -c "INSERT INTO vhcv.units (code, name) VALUES ('U', 'Đơn vị');
	INSERT INTO vhcv.officials (code, full_name, category, unit_id)
	SELECT 'O-' || g, 'Người ' || g, 'cong_chuc', 1 FROM generate_series(1, 60) g
	UNION ALL SELECT 'E-' || g, 'Người ' || g, 'cong_chuc', 1 FROM generate_series(1, 6) g
	UNION ALL SELECT 'M-' || g, 'Thành viên ' || g, 'cong_chuc', 1 FROM generate_series(1, 3) g" >/dev/null

lease_of() { # lease_of N: True/False from health
	curl -s --unix-socket "$T_DIR/v$1.sock" http://x/v1/health 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["lease"])' 2>/dev/null || echo "?"
}
wait_lease() { # wait_lease N: until vhcvd N holds the lease (10 s at most); prints ms
	local t0=$(($(date +%s%N) / 1000000))
	for _ in $(seq 200); do
		[ "$(lease_of "$1")" == True ] && break
		sleep 0.05
	done
	echo $(($(date +%s%N) / 1000000 - t0))
}
N=0
write() { # write N: a report through vhcvd N
	N=$((N + 1))
	curl -s -o /dev/null -w '%{http_code}\n' --unix-socket "$T_DIR/v$1.sock" -X POST http://x/v1/cases \
		-d "{\"official\":\"O-$((N % 60 + 1))\",\"rule\":\"TD-0$((N % 5 + 1))\",\"occurred_on\":\"$(date -d "-$((N % 300)) days" +%F)\",\"source\":\"inspection\",\"description\":\"lease $N\",\"idempotency_key\":\"lease-$N\"}" \
		>>"$T_DIR/codes"
}
post() { # post N PATH JSON: through vhcvd N; prints the answer, fails unless 2xx
	local out
	out=$(curl -s -w '\n%{http_code}' --unix-socket "$T_DIR/v$1.sock" -X POST "http://x$2" -d "$3")
	case ${out##*$'\n'} in 2??) echo "${out%$'\n'*}" ;; *) t_fail "POST $2: $out"; return 1 ;; esac
}
past_decision() { # past_decision N OFFICIAL: a reprimand of 2025, its effect over
	local c
	c=$(post "$1" /v1/cases "{\"official\":\"$2\",\"rule\":\"TD-02\",\"occurred_on\":\"2025-02-01\",\"detected_on\":\"2025-02-03\",\"source\":\"inspection\",\"description\":\"cũ\"}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["case"])') || return 1
	post "$1" "/v1/cases/$c/accept" '{}' >/dev/null &&
		post "$1" "/v1/cases/$c/council" '{"members":["M-1","M-2","M-3"]}' >/dev/null &&
		post "$1" "/v1/cases/$c/decide" "{\"severity\":\"it_nghiem_trong\",\"form\":\"khien_trach\",\"number\":\"${2#E-}/QĐ-UBND\",\"signed_on\":\"2025-03-10\"}" >/dev/null
}
endings() { # effect_endings rows, and decisions whose effect ended without both
	t_psql "$db" -tAc "SELECT (SELECT count(*) FROM vhcv.effect_endings) || '/' ||
		(SELECT count(*) FROM vhcv.decisions d WHERE d.effect_until < current_date AND
		 (SELECT count(*) FROM vhcv.effect_endings x WHERE x.decision_id = d.id) <> 2)"
}
enders() { grep -c 'effects ended=' "$T_DIR/v$1.log" 2>/dev/null || true; }
wait_endings() { # wait_endings WANT: until endings() says WANT (15 s at most)
	for _ in $(seq 150); do [ "$(endings)" == "$1" ] && return 0; sleep 0.1; done
}
sealers() { # how many log lines 'sealed' vhcvd N wrote
	grep -c 'sealed seal=' "$T_DIR/v$1.log" 2>/dev/null || true
}

t_start_named 1
t_start_named 2
ms=$(wait_lease 1)
if [ "$(lease_of 1)" == True ]; then H=1 O=2; else H=2 O=1; fi
t_eq "$(lease_of $H)/$(lease_of $O)" "True/False" "exactly one of two vhcvd holds the lease"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM pg_stat_activity
	WHERE application_name = 'vhcvd lease pid ${T_NAMED[$H]}'")" 1 "pg_stat_activity names the holder's lease connection"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE l.locktype = 'advisory' AND l.objid = 1986552696 AND l.granted
	AND a.application_name = 'vhcvd lease pid ${T_NAMED[$H]}'")" 1 "which holds the advisory lock"

# writes through both for about 3 s: seals every second, by the holder only
for i in $(seq 30); do write $((i % 2 + 1)); sleep 0.1; done
t_eq "$(sort -u "$T_DIR/codes" | xargs)" 201 "reports through both instances succeed"
if [ "$(sealers $H)" -ge 1 ]; then t_ok "the holder sealed ($(sealers $H) seals)"; else t_fail "the holder did not seal"; fi
t_eq "$(sealers $O)" 0 "the other instance never sealed"

# decisions whose effect is over, through both: only the holder writes the endings
past_decision 1 E-1 && past_decision 2 E-2 && past_decision 2 E-3
wait_endings 6/0
t_eq "$(endings)" 6/0 "the effect and the freeze of three decisions of 2025 ended, each written once"
t_eq "$(enders $O)" 0 "by the holder only"

# the holder dies with SIGKILL while writes go on through the other
kill -KILL "${T_NAMED[$H]}"
wait "${T_NAMED[$H]}" 2>/dev/null || true
t_kill=$(($(date +%s%N) / 1000000))
for i in $(seq 10); do write $O; sleep 0.1; done
ms=$(wait_lease $O)
took=$(($(date +%s%N) / 1000000 - t_kill))
t_eq "$(lease_of $O)" True "after the holder's SIGKILL the other takes the lease"
echo "   lease taken over ${took} ms after the SIGKILL (retry every 2 s)"
for i in $(seq 20); do write $O; sleep 0.1; done
before=$(sealers $O)
sleep 2.5 # quiet: the last writes get sealed
if [ "$before" -ge 1 ]; then t_ok "the new holder seals ($before seals while writes went on)"; else t_fail "the new holder did not seal"; fi
past_decision $O E-4 && past_decision $O E-5
wait_endings 10/0
t_eq "$(endings)" 10/0 "after the takeover the new holder writes the endings of two more: none twice, none missed"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) - count(DISTINCT (kind, decision_id)) FROM vhcv.changes
	WHERE kind IN ('effect_ended', 'freeze_ended')")" 0 "each ending once in the change feed"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.changes WHERE kind IN ('effect_ended', 'freeze_ended')")" 10 \
	"all ten there"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) - count(DISTINCT root_hash) FROM vhcv.audit_tree_heads")" 0 \
	"no state sealed twice"
# the holder seals every second, but the endings above were written after
# the quiet wait: give the next seal up to 15 s on a loaded machine
sealed_all() {
	t_psql "$db" -tAc "SELECT (SELECT tree_size FROM vhcv.audit_tree_heads ORDER BY id DESC LIMIT 1) =
	(SELECT count(*) FROM vhcv.case_events)"
}
for _ in $(seq 150); do [ "$(sealed_all)" == t ] && break; sleep 0.1; done
t_eq "$(sealed_all)" t "the last seal covers every event: none missed"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.cases WHERE idempotency_key LIKE 'lease-%'")" \
	"$N" "every report written once"
out=$("$VHCV" -s "unix:$T_DIR/v$O.sock" --json audit verify 2>&1) || true
t_contains "$out" '"ok": true' "audit verify passes"

# the killed one left its socket: a client with both endpoints, that one
# first, works without a visible error
[ -S "$T_DIR/v$H.sock" ] && echo "   (the killed vhcvd left its socket behind)"
list="unix:$T_DIR/v$H.sock,unix:$T_DIR/v$O.sock"
rc=0
out=$("$VHCV" -s "$list" report --official O-1 --rule TD-01 --occurred "$(date +%F)" \
	--source inspection --text "qua hai địa chỉ" --key lease-cli 2>"$T_DIR/err") || rc=$?
t_eq "$rc/$(cat "$T_DIR/err")" "0/" "vhcv -s DOWN,UP report: exit 0, nothing on stderr"
t_contains "$out" "VP-" "and the case is reported"
rc=0
out=$(VHCV_ENDPOINT=$list "$VHCV" health 2>"$T_DIR/err") || rc=$?
t_eq "$rc/$(cat "$T_DIR/err")" "0/" "VHCV_ENDPOINT=DOWN,UP vhcv health: exit 0, nothing on stderr"
t_contains "$out" "endpoint        $list" "health names the list"
rc=0
VHCV_ENDPOINT="unix:$T_DIR/v$H.sock,unix:$T_DIR/none.sock" "$VHCV" health >/dev/null 2>"$T_DIR/err" || rc=$?
t_eq "$rc" 7 "every endpoint down: exit 7 (unavailable)"
t_contains "$(cat "$T_DIR/err")" "cannot reach vhcvd at unix:$T_DIR/v$H.sock,unix:$T_DIR/none.sock" "naming the list"

# the killed instance comes back: it waits for the lease
before=$(sealers $H)
t_start_named $H
for i in $(seq 10); do write $H; sleep 0.1; done
sleep 1.5
t_eq "$(lease_of $H)/$(lease_of $O)" "False/True" "a restarted instance does not take a held lease"
t_eq "$(sealers $H)" "$before" "and does not seal the writes made through it"
# SIGTERM of the holder releases it at once
kill -TERM "${T_NAMED[$O]}"
rc=0
wait "${T_NAMED[$O]}" || rc=$?
t_eq "$rc" 0 "the holder exits 0 on SIGTERM"
t_contains "$(cat "$T_DIR/v$O.log")" "lease released" "releasing the lease"
ms=$(wait_lease $H)
t_eq "$(lease_of $H)" True "the restarted instance takes it"
echo "   taken ${ms} ms after the holder stopped"
kill -TERM "${T_NAMED[$H]}"
rc=0
wait "${T_NAMED[$H]}" || rc=$?
t_eq "$rc" 0 "vhcvd exits 0 on SIGTERM"
if [ "$T_FAILS" -gt 0 ]; then tail -30 "$T_DIR"/v1.log "$T_DIR"/v2.log >&2; fi
t_done
