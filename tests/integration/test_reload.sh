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
out=$(curl -s --unix-socket "$SOCK" http://x/v1/rules/TD-01)
t_contains "$out" "tự ý bỏ vị trí" "the API serves the new text"

# closing a version updates its row, it is not a new version
sed -i 's/^    valid_from: 2026-07-01$/    valid_from: 2026-07-01\n    valid_to: 2030-12-31/' "$RULES"
kill -HUP "$T_DAEMON"
for _ in $(seq 100); do [ "$(health)" != "$v2" ] && break; sleep 0.05; done
t_eq "$(t_psql "$db" -tAc "SELECT count(*) FROM vhcv.rule_versions")" "$((total + 1))" "closing a version stores no new one"
t_eq "$(t_psql "$db" -tAc "SELECT valid_to FROM vhcv.rule_versions WHERE code = 'TD-01' ORDER BY id DESC LIMIT 1")" "2030-12-31" "the version's valid_to is updated"
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
t_done
