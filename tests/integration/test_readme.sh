#!/usr/bin/env bash
# The README's five-minute tour, run as written (issue 8.8) against a live
# vhcvd on a fresh database, from a folder laid out as after ./scripts/run
# (build/src/cli/vhcv, var/run/vhcvd.sock): every command must exit with
# the status its comment gives ("# exit N"), 0 otherwise. The tour's dates
# are relative to the register's today, so this passes on any day.
. "$(dirname "$0")/lib.sh"

db=$(t_db readme)
mkdir -p "$T_DIR/tour/var/run" "$T_DIR/tour/build/src/cli"
ln -s "$VHCV" "$T_DIR/tour/build/src/cli/vhcv"
t_config "$db" | sed "s|^  - unix: .*|  - unix: $T_DIR/tour/var/run/vhcvd.sock|" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"

# the block after "## A five-minute tour", one logical command a line
python3 - "$SRCDIR/README.md" >"$T_DIR/tour.sh" <<'PY'
import re, shlex, sys
text = open(sys.argv[1]).read()
block = text.split("## A five-minute tour", 1)[1].split("```\n", 2)[1]
lines, cur = [], ""
for raw in block.splitlines():
    cur += raw
    if cur.endswith("\\"):
        cur = cur[:-1] + " "
        continue
    lines.append(cur)
    cur = ""
print("n=0")
for i, line in enumerate(lines, 1):
    m = re.search(r"#\s*exit (\d+)", line)
    want = m.group(1) if m else "0"
    cmd = re.sub(r"\s+#[^\"']*$", "", line).strip()
    if not cmd:
        continue
    if re.match(r"^[A-Z]+=", cmd):  # an assignment for the next lines
        print(cmd)
        continue
    print(f"echo '$ '{shlex.quote(cmd)}")
    print(f"{cmd}\nrc=$?")
    print(f"if [ $rc != {want} ]; then echo \"FAIL: tour line {i} exits $rc, want {want}\" >&2;"
          f" n=$((n + 1)); fi")
print("exit $n")
PY
[ "$(grep -c '^rc=' "$T_DIR/tour.sh")" -ge 15 ] && t_ok "the tour block has its commands" ||
	t_fail "the tour block was not found in README.md"
out=$(cd "$T_DIR/tour" && env -u VHCV_ENDPOINT -u VHCV_TOKEN bash "$T_DIR/tour.sh" 2>&1) && rc=0 || rc=$?
echo "$out" | tail -60
t_eq "$rc" 0 "every line of the README tour exits as its comment says"
t_contains "$out" "decided" "the tour ends with a decided case"
t_contains "$out" "ok: 1 cases" "and an audit without problems"
t_done
