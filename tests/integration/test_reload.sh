#!/usr/bin/env bash
# SIGHUP reloads the conduct code and legal tables: a changed rule becomes
# a new stored version, a closed one updates its row, and a broken file
# keeps the old set serving while the log names the error's position.
. "$(dirname "$0")/lib.sh"

db=$(t_db reload)
cp -r "$SRCDIR/config/rules" "$T_DIR/rules"
cp -r "$SRCDIR/config/legal" "$T_DIR/legal"
t_config "$db" | sed "s|^rules: .*|rules: $T_DIR/rules|; s|^legal: .*|legal: $T_DIR/legal|" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
RULES=$T_DIR/rules/10-vinh-phuc-kh130.yaml

health() { curl -s --unix-socket "$SOCK" http://x/v1/health |
	python3 -c "import json,sys; print(json.load(sys.stdin)['rules_version'])"; }
versions() { t_psql "$db" -tAc "SELECT count(*) FROM vhcv.rule_versions WHERE code = '$1'"; }
# wait for the log to show n reloads
reloaded() {
	for _ in $(seq 100); do
		[ "$(grep -c 'reload' "$T_DIR/vhcvd.log")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

v1=$(health)
total=$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.rule_versions")
t_eq "$(versions TD-01)" 1 "each rule stored once at start"
t_eq "$(( total >= 22 ))" 1 "every shipped rule stored ($total)"

# SIGHUP without changes: same version, nothing stored again
kill -HUP "$T_DAEMON"
reloaded 1 || t_fail "no reload logged"
t_eq "$(health)" "$v1" "an unchanged set keeps its version"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.rule_versions")" "$total" "unchanged rules are not stored again"
# the comparison found each stored as it is: none is even sent to be stored
t_contains "$(grep 'rule versions:' "$T_DIR/vhcvd.log" | tail -1)" "0 new or closed of $total (0 sent)" \
	"unchanged rules are not sent"
t_contains "$(grep 'reload: rules version' "$T_DIR/vhcvd.log" | tail -1)" "(read " "the reload logs its phases"

# a rule edited in place (same valid_from, new text) is refused: acts
# before the edit would be judged by the new text (issue 8.7)
cp "$RULES" "$T_DIR/rules.orig"
sed -i 's/title_vi: Đi muộn, về sớm, bỏ vị trí làm việc/title_vi: Đi muộn, về sớm, tự ý bỏ vị trí làm việc/' "$RULES"
at=$(grep -n '^  - code: TD-01$' "$RULES" | cut -d: -f1)
n=$(grep -c 'reload' "$T_DIR/vhcvd.log")
kill -HUP "$T_DAEMON"
reloaded $((n + 2)) || t_fail "the refused reload was not logged"
sleep 0.2
t_contains "$(cat "$T_DIR/vhcvd.log")" "$RULES:$at:5: rule TD-01: its text changed but it keeps valid_from 2019-08-06" \
	"a rule edited in place is refused at its file:line:col"
t_eq "$(health)" "$v1" "the loaded set stays"
t_eq "$(versions TD-01)" 1 "no second version valid from the same day"
out=$("$VHCVD" -n -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "vhcvd -n refuses it too"
t_contains "$out" "$RULES:$at:5: rule TD-01: its text changed" "with the same position"

# the right way: the old version closes the day before the new one
cp "$T_DIR/rules.orig" "$RULES"
python3 - "$RULES" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
a = s.index("  - code: TD-01\n")
b = s.index("\n\n", a) + 1
old = s[a:b]
new = old.replace("bỏ vị trí làm việc", "tự ý bỏ vị trí làm việc", 1) + "    valid_from: 2026-07-01\n"
s = s[:a] + old + "    valid_to: 2026-06-30\n\n" + new + s[b:]
open(p, "w").write(s)
PY
kill -HUP "$T_DAEMON"
for _ in $(seq 100); do [ "$(health)" != "$v1" ] && break; sleep 0.05; done
v2=$(health)
t_eq "$([ "$v2" != "$v1" ] && echo changed)" changed "the rules version changes"
t_eq "$(versions TD-01)" 2 "the changed rule is stored as a new version"
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.rule_versions")" "$((total + 1))" "and no other rule"
t_eq "$(t_psql "$db" -tAc "SELECT valid_to FROM vhcv.rule_versions WHERE code = 'TD-01' ORDER BY valid_from LIMIT 1")" \
	2026-06-30 "the old version is closed the day before"
t_contains "$(grep 'rule versions:' "$T_DIR/vhcvd.log" | tail -1)" "2 new or closed of $((total + 1)) (2 sent)" \
	"only the new version and the closed one are sent"
out=$(curl -s --unix-socket "$SOCK" http://x/v1/rules/TD-01)
t_contains "$out" "tự ý bỏ vị trí" "the API serves the new text"

# closing a version updates its row, it is not a new version
sed -i 's/^    valid_from: 2026-07-01$/    valid_from: 2026-07-01\n    valid_to: 2030-12-31/' "$RULES"
kill -HUP "$T_DAEMON"
for _ in $(seq 100); do [ "$(health)" != "$v2" ] && break; sleep 0.05; done
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.rule_versions")" "$((total + 1))" "closing a version stores no new one"
t_eq "$(t_psql "$db" -tAc "SELECT valid_to FROM vhcv.rule_versions WHERE code = 'TD-01' ORDER BY id DESC LIMIT 1")" "2030-12-31" "the version's valid_to is updated"
t_contains "$(grep 'rule versions:' "$T_DIR/vhcvd.log" | tail -1)" "1 new or closed of $((total + 1)) (1 sent)" \
	"a version stored with another end is sent, and only it"
v3=$(health)

# a broken file: every error logged with its position, the old set stays
n=$(grep -c 'reload' "$T_DIR/vhcvd.log")
printf 'bogus_key: 1\n' >>"$RULES"
line=$(wc -l <"$RULES")
kill -HUP "$T_DAEMON"
reloaded $((n + 2)) || t_fail "the failed reload was not logged"
sleep 0.2
t_eq "$(health)" "$v3" "a broken file leaves the loaded set in place"
t_contains "$(cat "$T_DIR/vhcvd.log")" "$RULES:$line:1: unknown key 'bogus_key'" "the log names the file, line and column"
t_contains "$(cat "$T_DIR/vhcvd.log")" "reload failed" "and says the reload failed"
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" http://x/v1/rules/TD-01)
t_eq "$code" 200 "the old set still serves"
metrics=$(curl -s --unix-socket "$SOCK" http://x/metrics)
t_contains "$metrics" 'vhcvd_rules_reloads_total{result="failed"} 2' "metrics count the failed reloads"
t_contains "$metrics" 'vhcvd_rules_reloads_total{result="ok"} 3' "and the good ones"

# vhcvd -n names the same error
out=$("$VHCVD" -n -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "vhcvd -n refuses the broken set"
t_contains "$out" "$RULES:$line:1: unknown key 'bogus_key'" "with the position"
out=$("$VHCVD" -n --rules "$RULES" -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "vhcvd -n --rules checks one file"
out=$("$VHCVD" -n --legal "$SRCDIR/config/legal" 2>&1) && rc=0 || rc=$?
t_eq "$rc:$out" "0:legal tables OK" "vhcvd -n --legal checks the tables alone"

t_daemon_stop

# a reload does not wait for a periodic job: the effects' tick (a second at
# a million cases) or the seal ran on the thread that took SIGHUP. The tick
# is held on a lock here while the rules change.
sed -i '/^bogus_key: 1$/d' "$RULES"
{
	t_config "$db" | sed "s|^rules: .*|rules: $T_DIR/rules|; s|^legal: .*|legal: $T_DIR/legal|;
		s|^  pool: 2$|  pool: 2\n  statement_timeout_ms: 90000|"
	printf 'scheduler_interval_s: 1\n'
} >"$T_DIR/jobs.yaml"
t_daemon "$T_DIR/jobs.yaml"
v4=$(health)
t_psql "$db" -c "BEGIN; LOCK TABLE vhcv.effect_endings; SELECT pg_sleep(60); COMMIT" >/dev/null 2>&1 &
LOCKER=$!
T_PIDS+=("$LOCKER")
lease_waits() { t_psql "$db" -tAc "SELECT count(*) FROM pg_stat_activity
	WHERE application_name LIKE 'vhcvd lease pid $T_DAEMON' AND wait_event_type = 'Lock'"; }
for _ in $(seq 100); do [ "$(lease_waits)" = 1 ] && break; sleep 0.05; done
t_eq "$(lease_waits)" 1 "the effects' tick waits for the lock"
cat >"$T_DIR/rules/30-later.yaml" <<'YAML'
format: 1
id: later-rules
title: Quy tắc sau
issuer: test_reload
legal_basis: [test_reload]
valid_from: 2020-01-01
groups:
  - code: later
    name_vi: Sau
    name_en: Later
rules:
  - code: LR-01
    group: later
    title_vi: Quy tắc sau
    title_en: A later rule
    description: Nạp lại khi một việc định kỳ đang chờ.
    legal_basis: [test_reload]
    default_severity: it_nghiem_trong
    categories: [can_bo, cong_chuc, vien_chuc, nguoi_lao_dong]
YAML
kill -HUP "$T_DAEMON"
for _ in $(seq 100); do [ "$(health)" != "$v4" ] && break; sleep 0.05; done
t_eq "$([ "$(health)" != "$v4" ] && echo reloaded)" reloaded "SIGHUP reloads while a job waits"
t_eq "$(lease_waits)" 1 "and the job is still waiting then"
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" http://x/v1/rules/LR-01)
t_eq "$code" 200 "the new rules are served"
t_psql "$db" -tAc "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
	WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$LOCKER" 2>/dev/null || true
for _ in $(seq 100); do [ "$(lease_waits)" = 0 ] && break; sleep 0.05; done
t_eq "$(lease_waits)" 0 "the job goes on once the lock is gone"
t_daemon_stop
t_done
