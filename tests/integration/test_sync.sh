#!/usr/bin/env bash
# Bulk sync of units (issue #11 item 8, PUT /v1/units and `vhcv unit
# import`): parents after their children, a bad row rejecting its batch
# only and naming the row and field, a re-run all unchanged, a move to
# another parent with a date (scope as of the day: a move dated later
# moves nothing yet), bad input (unknown parent, cycles, invalid UTF-8,
# an oversized body, bad dates), Unicode normal forms; the CLI on CSV and
# JSON lines files.
. "$(dirname "$0")/lib.sh"

db=$(t_db sync)
cfg=$T_DIR/vhcvd.yaml
{ t_config "$db"; printf 'limits:\n  max_body_bytes: 262144\n'; } >"$cfg"
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F) # the register's day
LATER=$(date -d "$TODAY +20 days" +%F)

# api METHOD PATH [BODY]: sets code and body
api() { t_api "$SOCK" "$@"; }
jget() { t_jget "$@"; }
# rows CODE:NAME:PARENT:VALID_FROM ...: NDJSON (empty parts are absent)
rows() {
	python3 - "$@" <<'PY'
import json, sys
for a in sys.argv[1:]:
    code, name, parent, vf = (a.split(":") + ["", "", ""])[:4]
    r = {"code": code, "name": name}
    if parent: r["parent"] = parent
    if vf: r["valid_from"] = vf
    print(json.dumps(r, ensure_ascii=False))
PY
}
tree() { t_psql "$db" -tA -c "SELECT string_agg(u.code || '<' || coalesce(p.code, '-'), ' ' ORDER BY u.code) FROM vhcv.units u LEFT JOIN vhcv.units p ON p.id = u.parent_id WHERE u.code LIKE '$1%'"; }
results() { jget '" ".join("%d:%s%s" % (r["row"], r["result"], ":" + r["field"] if "field" in r else "") for r in d["results"])'; }

# ---- children before their parents, across batches of 2
FILE=(X-A1a:"Tổ 1a":X-A1:2024-01-01 X-A1:"Phòng 1":X-A:2024-01-01 X-B:"Sở B":X:2024-01-01
	X-A:"Sở A":X:2024-01-01 X:"UBND tỉnh X"::2024-01-01)
api PUT '/v1/units?batch=2' "$(rows "${FILE[@]}")"
t_eq "$code/$(jget 'd["rows"], d["created"], d["errors"], d["rejected"]')" "200/(5, 5, 0, 0)" "a file whose parents come after their children: every unit created"
t_eq "$(results)" "1:created 2:created 3:created 4:created 5:created" "one result per row, numbered as in the file"
t_eq "$(tree X)" "X<- X-A<X X-A1<X-A X-A1a<X-A1 X-B<X" "each under its parent"
t_eq "$(t_psql "$db" -tA -c "SELECT string_agg(u.code || ':' || h.change || ':' || h.effective_on, ' ' ORDER BY u.code) FROM vhcv.unit_history h JOIN vhcv.units u ON u.id = h.unit_id WHERE u.code LIKE 'X%'")" \
	"X:created:2024-01-01 X-A:created:2024-01-01 X-A1:created:2024-01-01 X-A1a:created:2024-01-01 X-B:created:2024-01-01" "each with its history row from valid_from"

# ---- a re-run, as a JSON array and with names in NFD: unchanged
api PUT /v1/units "$(rows "${FILE[@]}" | python3 -c 'import json, sys, unicodedata; print(json.dumps([json.loads(unicodedata.normalize("NFD", l)) for l in sys.stdin]))')"
t_eq "$(jget 'd["unchanged"], d["created"], d["updated"]')" "(5, 0, 0)" "a re-run (JSON array, names in NFD) reports everything unchanged"
t_eq "$(t_psql "$db" -tA -c "SELECT count(*) FROM vhcv.unit_history h JOIN vhcv.units u ON u.id = h.unit_id WHERE u.code LIKE 'X%'")" 5 "and writes no history"

# ---- a bad row in the middle rejects its batch, names the row and field
BAD=(Y:"Tỉnh Y"::2024-01-01 Y-1:"Sở Y1":Y:2024-01-01 Y-2:"Sở Y2":Y:2024-02-30 Y-3:"Sở Y3":Y:2024-01-01)
api PUT /v1/units "$(rows "${BAD[@]}")"
t_eq "$code/$(results)" "200/1:rejected 2:rejected 3:error:valid_from 4:rejected" "a bad date in row 3 rejects the batch"
t_contains "$(jget 'd["results"][2]["message"]')" "no such day 2024-02-30" "saying what is wrong with it"
t_contains "$(jget 'd["results"][0]["message"]')" "row 3 is bad" "the other rows name the bad row"
t_eq "$(tree Y)" "" "and nothing of the batch is written"
api PUT '/v1/units?batch=2' "$(rows "${BAD[@]}")"
t_eq "$(results)" "1:created 2:created 3:error:valid_from 4:rejected" "with batches of 2, only the bad row's batch is rejected"

# ---- bad rows: each names its field
bad_row() { # DESCRIPTION FIELD MESSAGE-PART ROWS...
	local what=$1 field=$2 msg=$3
	shift 3
	api PUT /v1/units "$(rows "$@")"
	t_eq "$code/$(jget '[(r["row"], r.get("field")) for r in d["results"] if r["result"] == "error"]')" "200/[(1, '$field')]" "$what: the row and its field"
	t_contains "$(jget 'd["results"][0]["message"]')" "$msg" "$what: the message"
}
bad_row "an unknown parent" parent "no unit NOPE" Z:"Z":NOPE
bad_row "a unit its own parent" parent "cannot be its own parent" Z:"Z":Z
bad_row "a cycle within the request" parent "a cycle" Z1:"Z1":Z2 Z2:"Z2":Z1
bad_row "a move below its own descendant" parent "would lie below itself" X-A:"Sở A":X-A1a
bad_row "a date that does not exist" valid_from "no month 13" Z:"Z":X:2024-13-01
bad_row "a date more than a year ahead" valid_from "more than a year ahead" Z:"Z":X:2099-01-01
api PUT /v1/units '{"code":"Z","parent":"X"}'
t_eq "$(jget 'd["results"][0]["field"], d["results"][0]["message"]')" "('name', \"'name' is required\")" "a missing name is named"
bad_row "a change dated before the unit's last change" valid_from "a change cannot start before it" X-B:"Sở B mới":X:2023-12-31
api PUT /v1/units '{"code":"Z","name":"Z","head":"x"}'
t_eq "$(jget 'd["results"][0]["field"], d["results"][0]["message"]')" "('head', \"unknown field 'head'\")" "an unknown field is named"
t_eq "$(tree X)" "X<- X-A<X X-A1<X-A X-A1a<X-A1 X-B<X" "none of the bad requests changed the tree"
api PUT /v1/units "$(printf '{"code":"Z","name":"\xff"}')"
t_eq "$code/$(jget 'd["error"]')" "400/invalid" "a body that is not UTF-8 is 400"
t_contains "$(jget 'd["message"]')" "not valid UTF-8 (byte" "naming the byte"
api PUT /v1/units '{"code":"Z",'
t_eq "$code/$(jget 'd["error"]')" "400/invalid" "malformed JSON is 400"
api PUT '/v1/units?batch=0' "$(rows Z:Z)"
t_eq "$code/$(jget 'd["field"]')" "400/batch" "a bad batch size names the parameter"
python3 -c 'import json; print("\n".join(json.dumps({"code": "BIG-%d" % i, "name": "Đơn vị rất lớn %d" % i, "parent": "X"}, ensure_ascii=False) for i in range(5000)))' >"$T_DIR/big.jsonl"
# (vhcvd answers a declared length over the limit before reading the body,
# and closes: a client still sending it may fail with EPIPE before reading
# the answer, as curl did once; with Expect: 100-continue it waits for it)
code=$(curl -sS --unix-socket "$SOCK" -o "$T_DIR/body" -w '%{http_code}' -X PUT \
	-H 'Expect: 100-continue' --data-binary @"$T_DIR/big.jsonl" http://x/v1/units)
t_eq "$code/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$T_DIR/body")" "413/too_large" "an oversized body is 413"
t_eq "$(tree BIG)" "" "and writes nothing"

# ---- a move to another parent with a date; scope follows the tree as of the day
api PUT /v1/units "$(rows X-A1:"Phòng 1":X-B:2025-06-01)"
t_eq "$(results)" "1:updated" "a move is an update"
t_eq "$(tree X-A1)" "X-A1<X-B X-A1a<X-A1" "the unit and its subtree are under the new parent"
t_eq "$(t_psql "$db" -tA -c "SELECT h.change || ':' || p.code || ':' || h.effective_on FROM vhcv.unit_history h JOIN vhcv.units u ON u.id = h.unit_id JOIN vhcv.units p ON p.id = h.parent_id WHERE u.code = 'X-A1' ORDER BY h.id DESC LIMIT 1")" \
	"moved:X-B:2025-06-01" "the history has the move and its day"
api GET '/v1/units?under=X-B'
t_eq "$(jget 'sorted(u["code"] for u in d["items"])')" "['X-A1', 'X-A1a', 'X-B']" "the new parent's subtree holds it from its day"
api PUT /v1/units "$(rows X-A1a:"Tổ 1a (mới)":X-A:"$LATER")"
t_eq "$(results)" "1:updated" "a rename and move dated $LATER"
t_eq "$(t_psql "$db" -tA -c "SELECT string_agg(h.change, ' ' ORDER BY h.id) FROM vhcv.unit_history h JOIN vhcv.units u ON u.id = h.unit_id WHERE u.code = 'X-A1a'")" \
	"created renamed moved" "is two history rows"
api GET '/v1/units?under=X-A'
t_eq "$(jget 'sorted(u["code"] for u in d["items"])')" "['X-A']" "a move dated later is not in the new parent's subtree today"
api GET '/v1/units?under=X-A1'
t_eq "$(jget 'sorted(u["code"] for u in d["items"])')" "['X-A1', 'X-A1a']" "the unit stays under its former parent until the day"
t_eq "$(t_psql "$db" -tA -c "SELECT p.code FROM vhcv.units u JOIN vhcv.units p ON p.id = vhcv.unit_parent_on(u.id, '$LATER') WHERE u.code = 'X-A1a'")" X-A "from its day it is under the new one"
api GET /v1/units/X-A1a
t_eq "$(jget 'd["name"], d["parent"], d["moved_on"]')" "('Tổ 1a (mới)', 'X-A', '$LATER')" "the unit shows its new name, its new parent and the day of the move"
api PUT /v1/units "$(rows X-A1a:"Tổ 1a (mới)":X-A:"$LATER")"
t_eq "$(results)" "1:unchanged" "the same row again is unchanged"

# ---- merged units: neither changed nor named as a parent
api PUT /v1/units "$(rows Y-2:"Sở Y2":Y:2024-01-01)"
api POST /v1/units/Y-2/merge '{"into":"Y-1","on":"2025-01-01"}'
t_eq "$code" 200 "(Y-2 merged into Y-1)"
bad_row "a merged unit (its row as before the merge)" code "was merged into Y-1 (its last day 2024-12-31); it changes no more" Y-2:"Sở Y2":Y
bad_row "a merged unit as the parent" parent "name its successor" Z:"Z":Y-2
api PUT /v1/units "$(rows Y-1:"Sở Y1":Y:2024-01-01 Y-3:"Sở Y3":Y:2024-01-01)"
t_eq "$(results)" "1:unchanged 2:created" "without it, the rest goes through"

# ---- officials in the units just synced; names in NFD compare as NFC
api PUT /v1/officials "$(printf '{"code":"SO-1","full_name":"Nguyễn Thị Ánh","category":"cong_chuc","unit":"X-A1"}')"
t_eq "$(jget 'd["created"]')" 1 "an official into a unit created by the sync"
api PUT /v1/officials "$(python3 -c 'import json, unicodedata; print(json.dumps({"code":"SO-1","full_name":unicodedata.normalize("NFD", "Nguyễn Thị Ánh"),"category":"cong_chuc","unit":"X-A1"}, ensure_ascii=False))')"
t_eq "$(jget 'd["unchanged"]')" 1 "an official's name in NFD is the same name (stored in NFC)"

# ---- the CLI: CSV with a byte-order mark, parents last, NFD names
export VHCV_ENDPOINT=unix:$SOCK
V=$VHCV
python3 - "$T_DIR" <<'PY'
import sys, unicodedata
d = sys.argv[1]
rows = ["code,name,parent,valid_from", "C-1a,Tổ một a,C-1,2024-01-01", "C-1,\"Phòng một, Sở C\",C,2024-01-01",
        "C,Sở Công Thương,X,2024-01-01"]
open(d + "/u.csv", "w", encoding="utf-8-sig").write(unicodedata.normalize("NFD", "\r\n".join(rows) + "\r\n"))
bad = rows[:2] + ["C-1,Phòng một,C,2024-01-01", "C,Sở Công Thương,X,2024-01-01"]
bad[2] = "C-1,Phòng một,C,hôm nay"
open(d + "/bad.csv", "w", encoding="utf-8").write("\n".join(bad) + "\n")
PY
rc=0; err=$($V unit import "$T_DIR/bad.csv" 2>&1 >/dev/null) || rc=$?
t_eq "$rc" 6 "vhcv unit import with a bad row: exit 6"
t_contains "$err" "row 2 (C-1): valid_from: 'valid_from' is not a date YYYY-MM-DD: hôm nay" "naming the row, the field and the value"
t_eq "$(tree C)" "" "and writing nothing of its batch"
t_eq "$($V unit import "$T_DIR/u.csv")" "3 rows: 3 created, 0 updated, 0 unchanged, 0 in error, 0 rejected with their batch" "vhcv unit import: a CSV with a BOM, in NFD, parents last"
t_eq "$(tree C)" "C<X C-1<C C-1a<C-1" "the tree as in the file"
t_eq "$($V --json unit show C-1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')" "Phòng một, Sở C" "a quoted cell arrives intact, in NFC"
out=$($V --json unit import "$T_DIR/u.csv")
t_eq "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["rows"], d["unchanged"], d["problems"])' "$out")" "3 3 []" "a re-run: --json, everything unchanged"
rows C-1a:"Tổ một a":C:2025-01-01 >"$T_DIR/move.jsonl"
t_eq "$($V unit import "$T_DIR/move.jsonl")" "1 rows: 0 created, 1 updated, 0 unchanged, 0 in error, 0 rejected with their batch" "JSON lines: a move"
rc=0; $V unit import "$T_DIR/none.csv" >/dev/null 2>&1 || rc=$?
t_eq "$rc" 1 "a missing file: exit 1"
rc=0; $V unit import "$T_DIR/u.csv" --batch 0 >/dev/null 2>&1 || rc=$?
t_eq "$rc" 2 "--batch 0 is a usage error"

t_daemon_stop
t_done
