#!/usr/bin/env bash
# Benchmark (prints figures, asserts only correctness): bulk sync of a
# province, 5,000 units then 100,000 officials in them. The units through
# `vhcv unit import` (JSON lines listing the deepest units first, one
# request, transactions of 1000), the same file again (all unchanged), then
# 1 unit in 100 moved to another district with a date; the officials
# through `vhcv official import` (JSON lines, requests of 2000 rows,
# transactions of 1000), the same file again (all unchanged), then 1,000
# moved. Not in the default run:
#   VHCV_ONLY="--suite bench-sync" VHCV_FUZZ_SECONDS=0 ./scripts/test
# VHCV_BENCH_N overrides the number of officials, VHCV_BENCH_UNITS that of
# units (at least 100).
. "$(dirname "$0")/lib.sh"

N=${VHCV_BENCH_N:-100000}
U=${VHCV_BENCH_UNITS:-5000}
db=$(t_db bench)
cfg=$T_DIR/vhcvd.yaml
t_config "$db" >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
export VHCV_ENDPOINT=unix:$T_DIR/vhcvd.sock
V=$VHCV
echo "load before: $(uptime)" | tee "$T_DIR/figures"
# the tree: PT, 50 districts D1-D50 below it, U1... below the districts
python3 - "$U" "$N" "$T_DIR" <<'PY'
import json, sys
u, n, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = [{"code": "PT", "name": "UBND tỉnh Phú Thọ", "valid_from": "2020-01-01"}]
rows += [{"code": "D%d" % i, "name": "UBND huyện %d" % i, "parent": "PT", "valid_from": "2020-01-01"}
         for i in range(1, 51)]
nu = u - len(rows)
rows += [{"code": "U%d" % i, "name": "Phòng %d" % i, "parent": "D%d" % (i % 50 + 1),
          "valid_from": "2020-01-01"} for i in range(1, nu + 1)]
dump = lambda r: json.dumps(r, ensure_ascii=False) + "\n"
with open(d + "/units.jsonl", "w") as f, open(d + "/units-moved.jsonl", "w") as g:
    for r in reversed(rows):
        f.write(dump(r))
        if r["code"][0] == "U" and int(r["code"][1:]) % 100 == 0:
            r = dict(r, parent="D%d" % ((int(r["code"][1:]) + 1) % 50 + 1), valid_from="2026-01-01")
        g.write(dump(r))
cats = ["can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong"]
with open(d + "/all.jsonl", "w") as f, open(d + "/moved.jsonl", "w") as g:
    for i in range(n):
        r = {"code": "HR-%06d" % i, "full_name": "Nguyễn Văn %d" % i, "category": cats[i % 4],
             "unit": "U%d" % (i % nu + 1), "valid_from": "2025-01-01", "position": "Chuyên viên"}
        f.write(dump(r))
        if i % (n // 1000 or 1) == 0:
            r["unit"] = "U%d" % ((i + 1) % nu + 1); r["valid_from"] = "2026-01-01"
        g.write(dump(r))
PY
run() { # KIND LABEL FILE EXPECTED-SUMMARY-FIELD
	local s e out rows
	rows=$(wc -l <"$3")
	s=$(date +%s.%N)
	out=$($V --json "$1" import "$3")
	e=$(date +%s.%N)
	printf '%s: %s rows in %.1f s (%.0f rows/s): %s\n' "$2" "$rows" "$(echo "$e - $s" | bc)" \
		"$(echo "$rows / ($e - $s)" | bc -l)" "$(echo "$out" | cut -c1-120)" | tee -a "$T_DIR/figures"
	t_contains "$out" "$4" "$2"
}
run unit "units: first sync (deepest first, all created)" "$T_DIR/units.jsonl" "\"created\": $U"
run unit "units: same file again (all unchanged)" "$T_DIR/units.jsonl" "\"unchanged\": $U"
run unit "units: 1 in 100 moved to another district" "$T_DIR/units-moved.jsonl" '"errors": 0'
run official "officials: first sync (all created)" "$T_DIR/all.jsonl" "\"created\": $N"
run official "officials: same file again (all unchanged)" "$T_DIR/all.jsonl" "\"unchanged\": $N"
run official "officials: 1,000 moved to another unit" "$T_DIR/moved.jsonl" '"errors": 0'
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.units")" "$U" "every unit is there once"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.unit_history WHERE change = 'moved'")" \
	"$(grep -c 2026-01-01 "$T_DIR/units-moved.jsonl")" "each unit's move is in its history"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.officials")" "$N" "every official is there once"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.changes WHERE kind = 'official_moved'")" \
	"$(grep -c 2026-01-01 "$T_DIR/moved.jsonl")" "each move is in the change feed"
echo "vhcvd's time per request (ms):" | tee -a "$T_DIR/figures"
for p in units officials; do
	grep -o "method=PUT path=/v1/$p status=200 duration_ms=[0-9.]*" "$T_DIR/vhcvd.log" | sed 's/.*=//' |
		sort -n | awk -v p="$p" '{ a[NR] = $1; s += $1 } END { printf "  /v1/%s: %d requests, median %s, max %s, total %.1f s\n", p, NR, a[int((NR + 1) / 2)], a[NR], s / 1000 }' |
		tee -a "$T_DIR/figures"
done
echo "load after: $(uptime)" | tee -a "$T_DIR/figures"
cat "$T_DIR/figures"
t_daemon_stop
t_done
