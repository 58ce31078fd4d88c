#!/usr/bin/env bash
# Benchmark (prints figures, asserts only correctness): bulk sync of
# 100,000 officials in 100 units through `vhcv official import` (JSON
# lines, requests of 2000 rows, transactions of 1000), then the same file
# again (all unchanged), then 1,000 moved. Not in the default run:
#   VHCV_ONLY="--suite bench-sync" VHCV_FUZZ_SECONDS=0 ./scripts/test
# VHCV_BENCH_N overrides the number of officials.
. "$(dirname "$0")/lib.sh"

N=${VHCV_BENCH_N:-100000}
db=$(t_db bench)
cfg=$T_DIR/vhcvd.yaml
t_config "$db" >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
export VHCV_ENDPOINT=unix:$T_DIR/vhcvd.sock
V=$VHCV
$V unit add PT "UBND tỉnh" >/dev/null
for u in $(seq 100); do $V unit add "U$u" "Đơn vị $u" --parent PT >/dev/null; done
python3 - "$N" "$T_DIR/all.jsonl" "$T_DIR/moved.jsonl" <<'PY'
import json, sys
n = int(sys.argv[1])
cats = ["can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong"]
with open(sys.argv[2], "w") as f, open(sys.argv[3], "w") as g:
    for i in range(n):
        r = {"code": "HR-%06d" % i, "full_name": "Nguyễn Văn %d" % i, "category": cats[i % 4],
             "unit": "U%d" % (i % 100 + 1), "valid_from": "2025-01-01", "position": "Chuyên viên"}
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
        if i % (n // 1000 or 1) == 0:
            r["unit"] = "U%d" % ((i + 1) % 100 + 1); r["valid_from"] = "2026-01-01"
        g.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
run() { # LABEL FILE EXPECTED-SUMMARY-FIELD
	local s e out
	s=$(date +%s.%N)
	out=$($V --json official import "$2")
	e=$(date +%s.%N)
	printf '%s: %s rows in %.1f s (%.0f rows/s): %s\n' "$1" "$N" "$(echo "$e - $s" | bc)" \
		"$(echo "$N / ($e - $s)" | bc -l)" "$(echo "$out" | cut -c1-120)" | tee -a "$T_DIR/figures"
	t_contains "$out" "$3" "$1"
}
run "first sync (all created)" "$T_DIR/all.jsonl" "\"created\": $N"
run "same file again (all unchanged)" "$T_DIR/all.jsonl" "\"unchanged\": $N"
run "1,000 moved to another unit" "$T_DIR/moved.jsonl" '"errors": 0'
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.officials")" "$N" "every official is there once"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.changes WHERE kind = 'official_moved'")" \
	"$(grep -c 2026-01-01 "$T_DIR/moved.jsonl")" "each move is in the change feed"
echo "vhcvd's time per request (ms):"
grep -o 'method=PUT path=/v1/officials status=200 duration_ms=[0-9.]*' "$T_DIR/vhcvd.log" | sed 's/.*=//' |
	sort -n | awk '{ a[NR] = $1; s += $1 } END { printf "  %d requests, median %s, max %s, total %.1f s\n", NR, a[int((NR + 1) / 2)], a[NR], s / 1000 }'
cat "$T_DIR/figures"
t_daemon_stop
t_done
