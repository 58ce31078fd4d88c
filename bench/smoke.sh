#!/usr/bin/env bash
# The benchmark's smoke test (meson suite "bench"): bench/run at a tiny
# scale in this build must produce figures for every operation and every
# baseline, and the generated dataset must pass audit verify. No timing is
# asserted: figures on a shared machine are for reading, not for failing.
set -euo pipefail
: "${BUILD_ROOT:?run through meson test}"
out=$(mktemp -d /tmp/vhcv-bench-smoke.XXXXXX)
trap 'rm -rf "$out"' EXIT
# (a pool of 12: the final audit verify reads each walk's events and stored
# rows ahead on connections of their own, events.c read_ahead, over several
# batches of a cursor: checked below to be more than two walks' first batch)
VHCV_BENCH_POOL=12 VHCV_BENCH_PREBUILT=1 "$(dirname "$0")/run" --build "$BUILD_ROOT" --scale 0.001 \
	--seconds 0.3 --clients "1 2" --json "$out/bench.json" | tee "$out/run.out"
python3 - "$out/bench.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
runs = {(r["op"], r["clients"]): r for r in d["runs"]}
fails = 0
def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    fails += not ok
for op in ("report", "show", "list", "decide", "search"):
    for c in (1, 2):
        r = runs.get((op, c))
        check(r is not None and r["vhcvd"]["n"] > 0 and r["vhcvd"]["per_s"] > 0
              and r["vhcvd"]["p99_ms"] >= r["vhcvd"]["p50_ms"] > 0,
              f"{op} at {c} client(s): requests, rate and percentiles")
        check(r is not None and r["vhcvd"]["errors"] == 0, f"{op} at {c}: no failed request")
for c in (1, 2):
    r = runs.get(("report", c), {})
    check(r.get("pgbench", {}).get("per_s", 0) > 0 and r.get("ratio", 0) > 0,
          f"pgbench on the captured report SQL at {c}, and the ratio")
    check(r.get("pgbench_bare", {}).get("per_s", 0) > 0, f"pgbench on the bare inserts at {c}")
    check(runs.get(("show", c), {}).get("pgbench", {}).get("per_s", 0) > 0,
          f"pgbench on the case reads at {c}")
for op in ("show", "list"):
    cpu = runs.get((op, 1), {}).get("cpu_ms_per_request", {})
    check(cpu.get("vhcvd", -1) >= 0 and cpu.get("client", -1) >= 0,
          f"{op}: the CPU per request of vhcvd and of the client")
st = d.get("settle", [])
check(len(st) > 0 and all(s.get("tables", -1) >= 0 and s.get("vacuum_s", -1) >= 0 for s in st),
      "the write debt settled (vacuum, analyze, checkpoint) before the ops after writes, timed")
rss = d.get("rss", {})
check(rss.get("open_mib", 0) > 0 and rss.get("busy_max_mib", 0) > 0 and rss.get("failed", 1) == 0,
      "vhcvd RSS with 64 connections open and busy")
rl = d.get("reload", {})
check(rl.get("new_ms", -1) > 0 and rl.get("unchanged_ms", -1) > 0,
      "two reloads of 1,000 rules, each timed until its last rule is served")
check(rl.get("reports", 0) > 0 and rl.get("failed", 1) == 0, "no report failed during the reloads")
sys.exit(1 if fails else 0)
PY
grep -q '^ok: ' <(sed -n '/audit verify/,$p' "$out/run.out") ||
	{ echo "FAIL: audit verify did not pass on the generated dataset"; exit 1; }
echo "ok: audit verify passes on the generated dataset"
# (FETCH_ROWS in events.c is 1,000; the two walks split the cases in half)
events=$(sed -n 's/^audit verify: exit 0, \([0-9]*\) events.*/\1/p' "$out/run.out")
[ "${events:-0}" -gt 3000 ] && echo "ok: $events events verified, several batches per walk, read ahead" ||
	{ echo "FAIL: too few events verified (${events:-none}) to read ahead over several batches"; exit 1; }
