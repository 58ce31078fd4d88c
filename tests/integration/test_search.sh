#!/usr/bin/env bash
# Officials found by name or code (issue #12, GET /v1/officials?q=):
# without diacritics, in any case and Unicode form (NFC, NFD), by any word
# of the name in any order (given name, middle + given), only within the
# caller's units, SQL, LIKE and tsquery metacharacters taken literally, bounded
# pages that follow each other, the name key kept by every writer (PUT,
# bulk sync), bad input named, and `vhcv official search`.
. "$(dirname "$0")/lib.sh"

db=$(t_db search)
PORT=$(t_free_port)
cfg=$T_DIR/vhcvd.yaml
tok() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg"
for spec in "insp-a:inspector:UBND-A" "hr-b:hr:UBND-B"; do
	IFS=: read -r name role unit <<<"$spec"
	cat >>"$cfg" <<YAML
  - token_sha256: "$(tok "tok-$name")"
    name: $name
    role: $role
    units: ["$unit"]
YAML
done
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock

# api WHO METHOD PATH [BODY]: admin over the socket, others by token
api() {
	local who=$1 method=$2 path=$3
	shift 3
	local args=(-sS -o "$T_DIR/body" -w '%{http_code}' -X "$method")
	[ $# -gt 0 ] && args+=(-H 'Content-Type: application/json' --data-binary "$1")
	if [ "$who" = admin ]; then
		code=$(curl "${args[@]}" --unix-socket "$SOCK" "http://x$path")
	else
		code=$(curl "${args[@]}" -H "Authorization: Bearer tok-$who" "http://127.0.0.1:$PORT$path")
	fi
	body=$(cat "$T_DIR/body")
}
# find WHO TEXT [EXTRA QUERY]: GET /v1/officials with q URL-encoded
find() {
	local args=(-sS -o "$T_DIR/body" -w '%{http_code}' -G --data-urlencode "q=$2") extra=${3:-}
	if [ "$1" = admin ]; then
		code=$(curl "${args[@]}" --unix-socket "$SOCK" "http://x/v1/officials?${extra#&}")
	else
		code=$(curl "${args[@]}" -H "Authorization: Bearer tok-$1" \
			"http://127.0.0.1:$PORT/v1/officials?${extra#&}")
	fi
	body=$(cat "$T_DIR/body")
}
jget() {
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))' "$body" "$1"
}
# the codes of the items, in order (without a python per check)
codes() { grep -o '"code": *"[^"]*"' <<<"$body" | sed 's/.*"\([^"]*\)"$/\1/' | paste -sd' ' -; }
# the error's field, or "-"
field() { local f; f=$(grep -o '"field": *"[^"]*"' <<<"$body" | sed 's/.*"\([^"]*\)"$/\1/'); echo "${f:--}"; }
nfd() { python3 -c 'import sys, unicodedata; print(unicodedata.normalize("NFD", sys.argv[1]))' "$1"; }

api admin POST /v1/units '{"code":"UBND-T","name":"UBND tỉnh","valid_from":"2019-01-01"}'
for u in A B; do
	api admin POST /v1/units "{\"code\":\"UBND-$u\",\"name\":\"UBND huyện $u\",\"parent\":\"UBND-T\",\"valid_from\":\"2019-01-01\"}"
done
api admin POST /v1/units '{"code":"UBND-A1","name":"Phòng A1","parent":"UBND-A","valid_from":"2019-01-01"}'
t_eq "$code" 201 "setup: units"
# put CODE NAME UNIT
put() {
	api admin PUT "/v1/officials/$1" "{\"full_name\":\"$2\",\"category\":\"cong_chuc\",\"unit\":\"$3\",\"position\":\"Chuyên viên\"}"
	case $code in 20?) ;; *) t_fail "setup $1: $code $body" ;; esac
}
put CC-A1 "Nguyễn Văn An" UBND-A
put CC-A2 "NGUYỄN VĂN ANH" UBND-A1
put CC-A3 "$(nfd "Đặng Thị Ánh")" UBND-A
put CC-A4 "Tr_n 50% O'Brien \\\\ Bé" UBND-A
put CC-A5 "Trần Văn Bình" UBND-A
put CC-B1 "Nguyễn Văn An" UBND-B
put CC-B2 "Nguyễn Văn Ân" UBND-B
put PV-1 "Phạm Văn Cường" UBND-A
put PV-2 "An Thị Ngọc" UBND-A

# ---- folding: no diacritics, any case, NFC or NFD, extra spaces
find admin "nguyen van an"
t_eq "$code $(codes)" "200 CC-A1 CC-B1 CC-B2 CC-A2" "no diacritics finds the names that begin so, ordered by folded name then code"
t_eq "$(jget '[d["items"][0][k] for k in ("full_name", "unit", "unit_name", "position", "status", "category")]')" \
	'["Nguyễn Văn An", "UBND-A", "UBND huyện A", "Chuyên viên", "active", "cong_chuc"]' "an item: name as stored, unit, position"
find admin "Nguyễn Văn An"
t_eq "$(codes)" "CC-A1 CC-B1 CC-B2 CC-A2" "the name as written (NFC) finds the same"
find admin "$(nfd "NGUYỄN  văn   ÂN")"
t_eq "$(codes)" "CC-A1 CC-B1 CC-B2 CC-A2" "NFD, upper case and repeated spaces find the same"
find admin "dang thi anh"
t_eq "$(codes)" "CC-A3" "đ is d and a name stored in NFD is found (it was stored in NFC)"
find admin "ĐẶNG"
t_eq "$(codes)" "CC-A3" "Đ in upper case"

# ---- words: each word of the text begins some word of the name, any order
find admin "an"
t_eq "$(codes)" "PV-2 CC-A3 CC-A1 CC-B1 CC-B2 CC-A2" \
	"a given name alone: the name that begins so first, then the others by folded name and code"
find admin "cuong"
t_eq "$(codes)" "PV-1" "a given name alone (Cường)"
find admin "van an"
t_eq "$(codes)" "CC-A1 CC-B1 CC-B2 CC-A2" "middle and given name"
find admin "văn cường"
t_eq "$(codes)" "PV-1" "middle and given name with diacritics"
find admin "an nguyen"
t_eq "$(codes)" "CC-A1 CC-B1 CC-B2 CC-A2" "words out of order"
find admin "$(nfd "ÂN  NGUYỄN")"
t_eq "$(codes)" "CC-A1 CC-B1 CC-B2 CC-A2" "words out of order, NFD and upper case"
find admin "uyen"
t_eq "$code $(codes)" "200 " "a word only inside another word (nguyen) does not match"
find admin "van uong"
t_eq "$(codes)" "" "every word must match: uong is inside Cường only"
find admin "an cuong"
t_eq "$(codes)" "" "words are ANDed: no name has both"

# ---- codes: any case, before names
find admin "cc-a"
t_eq "$(codes)" "CC-A1 CC-A2 CC-A3 CC-A4 CC-A5" "codes by their beginning, in any case, ordered by code"
find admin "CC-B2"
t_eq "$(codes)" "CC-B2" "a whole code finds its official"

# ---- literal metacharacters: % _ ' \ are characters, not patterns
find admin "tr_n"
t_eq "$(codes)" "CC-A4" "_ matches only '_' (not Trần)"
find admin "%"
t_eq "$code $(codes)" "200 " "% alone finds nobody (no name begins with %)"
find admin "tr_n 50%"
t_eq "$(codes)" "CC-A4" "% inside the text is a character"
find admin "tr_n 50% o'brien \\"
t_eq "$(codes)" "CC-A4" "quote and backslash are characters"
find admin "' OR 1=1 --"
t_eq "$code $(codes)" "200 " "SQL in the text finds nobody"
t_eq "$(t_psql "$db" -Atc "SELECT count(*) FROM vhcv.officials")" 9 "and changes nothing"
# tsquery operators are separators: & | ! : * ( ) ' never change the query
find admin "an & nguyen"
t_eq "$(codes)" "CC-A1 CC-B1 CC-B2 CC-A2" "& is a separator (the words are ANDed anyway)"
find admin "an | cuong"
t_eq "$code $(codes)" "200 " "| is not OR"
find admin "!nguyen van an"
t_eq "$(codes)" "CC-A1 CC-B1 CC-B2 CC-A2" "! is not NOT"
find admin "cuong:*"
t_eq "$(codes)" "PV-1" ":* is not read as an operator"
find admin "(pham) & !('van' | cuong)"
t_eq "$(codes)" "PV-1" "parentheses, quotes and operators together: just the words pham van cuong"
find admin "cuong:B <-> pham"
t_eq "$(codes)" "" "a weight and a phrase operator are words: b matches no word of Phạm Văn Cường"
for t in "&" "!" "*" "()" "'" ":" "|" "''"; do
	find admin "$t"
	t_eq "$code $(codes)" "200 " "an operator alone ($t) is not a word: nobody, no error"
done

# ---- scope: the caller's units and below, never another unit's officials
find insp-a "nguyen van an"
t_eq "$code $(codes)" "200 CC-A1 CC-A2" "an inspector of UBND-A finds UBND-A and UBND-A1, not UBND-B's namesakes"
find insp-a "cc-b"
t_eq "$(codes)" "" "nor UBND-B's codes"
find insp-a "nguyen" "&unit=UBND-A1"
t_eq "$code $(codes)" "200 CC-A2" "unit= narrows to a unit below"
find insp-a "nguyen" "&unit=UBND-B"
t_eq "$code $(jget 'd.get("error")')" "403 forbidden" "unit= outside the caller's units is refused"
find insp-a "an"
t_eq "$(codes)" "PV-2 CC-A3 CC-A1 CC-A2" "by a given name, only the caller's units"
find insp-a "van an" "&unit=UBND-A1"
t_eq "$(codes)" "CC-A2" "middle and given name with unit="
find hr-b "nguyen van an"
t_eq "$(codes)" "CC-B1 CC-B2" "hr of UBND-B finds only UBND-B's officials"
find admin "nguyen" "&unit=UBND-B"
t_eq "$(codes)" "CC-B1 CC-B2" "admin with unit= reads that unit"

# ---- pages: bounded, following each other without loss or repeat
# pages TEXT LIMIT: every page's codes in $all, each page's cursor part in $nexts
pages() {
	local next="" n=0
	all="" nexts=""
	while :; do
		find admin "$1" "&limit=$2${next:+&after=$next}"
		[ "$code" = 200 ] || { t_fail "page: $code $body"; break; }
		[ "$(jget 'len(d["items"])')" -le "$2" ] || t_fail "page $n of '$1' holds more than limit=$2"
		all="$all $(codes)"
		next=$(jget 'd["next"] or ""')
		nexts="$nexts ${next%%:*}"
		n=$((n + 1))
		[ -n "$next" ] && [ $n -lt 20 ] || break
	done
}
pages c 2
t_eq "$all" " CC-A1 CC-A2 CC-A3 CC-A4 CC-A5 CC-B1 CC-B2 PV-1" "codes then a name's word (Cường) over 4 pages of 2, each once, in order"
t_eq "$nexts" " c c c " "the cursor of a page ending in the codes part"
pages nguyen 1
t_eq "$all" " CC-A1 CC-B1 CC-B2 CC-A2" "names over pages of 1, each once, in order"
pages an 2
t_eq "$all" " PV-2 CC-A3 CC-A1 CC-B1 CC-B2 CC-A2" "a name prefix then other words over pages of 2, each once, in order"
t_eq "$nexts" " w w " "the cursor of a page ending in the words part"
find admin "nguyen van an" "&limit=3"
t_eq "$(jget 'len(d["items"]), d["next"]')" '[3, "n:CC-B2"]' "limit bounds the page; next names the last"

# ---- every writer keeps the key: a renamed official, a bulk sync
put CC-A5 "Lê Thị Bình" UBND-A
find admin "le thi binh"
t_eq "$(codes)" "CC-A5" "a rename is found by the new name"
find admin "tran van binh"
t_eq "$(codes)" "" "and no longer by the old one"
api admin PUT /v1/officials '[{"code":"SY-1","full_name":"Phạm Đức Sơn","category":"vien_chuc","unit":"UBND-A"}]'
t_eq "$code" 200 "bulk sync"
find admin "pham duc son"
t_eq "$(codes)" "SY-1" "an official of a bulk sync is found by name"

# ---- bad input names the field, and answers nothing else
api admin GET /v1/officials
t_eq "$code $(field)" "400 q" "q is required"
find admin "$(printf '\u0301 ')"
t_eq "$code $(field)" "400 q" "a text with no letter (a lone combining mark) is refused"
for bad in "&limit=0" "&limit=101" "&limit=x"; do
	find admin "an" "$bad"
	t_eq "$code $(field)" "400 limit" "limit ${bad#&limit=} refused"
done
for bad in "x:CC-A1" "n:" "n:NO-SUCH" "c:a%20b"; do
	find admin "an" "&after=$bad"
	t_eq "$code $(field)" "400 after" "after=$bad refused"
done
find admin "an" "&unit=NO-SUCH"
t_eq "$code $(field)" "404 unit" "an unknown unit is 404"
find admin "an" "&colour=red"
t_eq "$code" 400 "an unknown parameter is refused"
api nobody GET "/v1/officials?q=an"
t_eq "$code" 401 "an unknown token is refused"

# ---- the law's vocabulary in both languages (GET /v1/vocabulary), for the pages
api insp-a GET /v1/vocabulary
t_eq "$code" 200 "any identity reads the vocabulary"
t_eq "$(jget '[e for e in d["severities"] if e["code"] == "it_nghiem_trong"][0]')" \
	'{"code": "it_nghiem_trong", "name": "ít nghiêm trọng", "name_en": "less serious"}' "a severity with its names from the legal tables"
t_eq "$(jget '[len(d[k]) > 0 for k in ("categories", "severities", "forms", "groups")]')" '[true, true, true, true]' \
	"categories, severities, forms and rule groups"
t_eq "$(jget '[e["name_en"] for e in d["forms"] if e["code"] == "khien_trach"]')" '["reprimand"]' "a form's English name"
t_eq "$(jget 'all(e["name"] and e["name_en"] for e in d["groups"])')" true "every rule group has both names"

# ---- the CLI
out=$("$VHCV" -s "unix:$SOCK" official search "nguyen van an" --limit 2)
t_contains "$out" "CC-A1" "vhcv official search: the first official"
t_contains "$out" "Nguyễn Văn An" "vhcv official search: the name as stored"
t_contains "$out" "--after n:CC-B1" "vhcv official search: how to get the next page"
out=$("$VHCV" -s "unix:$SOCK" --json official search "ĐẶNG")
t_eq "$(body=$out jget '[i["code"] for i in d["items"]]')" '["CC-A3"]' "vhcv --json official search"
rc=0
out=$("$VHCV" -s "unix:$SOCK" official search "an" --limit 0 2>&1) || rc=$?
t_eq "$rc" 2 "vhcv official search --limit 0 is a usage error"
rc=0
out=$("$VHCV" -s "unix:$SOCK" official search "an" --unit NO-SUCH 2>&1) || rc=$?
t_eq "$rc" 3 "vhcv official search --unit unknown: not found"
t_contains "$out" "NO-SUCH" "and says which unit"
t_contains "$out" "(option --unit, field: unit)" "and the option, in English by default"

# ---- the CLI in Vietnamese (LANG=vi_VN.UTF-8, the build's catalogue)
vi() { LANG=vi_VN.UTF-8 VHCV_LOCALEDIR="$(dirname "$(dirname "$(dirname "$VHCV")")")/po" "$VHCV" -s "unix:$SOCK" "$@"; }
rc=0
out=$(vi official search "an" --unit NO-SUCH 2>&1) || rc=$?
t_contains "$out" "không tìm thấy — no unit NO-SUCH (tùy chọn --unit, trường: unit)" \
	"a daemon error: its kind and the option in Vietnamese, the daemon's words naming the unit"
out=$(vi official search "nguyen van an")
t_contains "$out" "MÃ" "official search: Vietnamese column heads"
out=$(vi stats)
t_contains "$out" "số quyết định" "vhcv stats: Vietnamese labels"
t_contains "$out" "các đơn vị của bạn" "vhcv stats: the default unit in Vietnamese"
out=$(vi account add can-bo-tim --role inspector --units UBND-A --display-name "Cán bộ tìm kiếm")
t_contains "$out" "Tên hiển thị" "vhcv account add: Vietnamese labels"
t_contains "$out" "Cán bộ tìm kiếm" "with the display name as given"
# an empty label (the record's list lines) is not looked up: gettext("") is the catalogue's header
api admin POST /v1/cases "{\"official\":\"CC-A1\",\"rule\":\"TD-01\",\"occurred_on\":\"$(date -d '-3 days' +%F)\",\"source\":\"inspection\",\"description\":\"Đi muộn\"}"
t_eq "$code" 201 "setup: a case of CC-A1"
out=$(vi official show CC-A1)
t_contains "$out" "vụ việc đang mở" "official show in Vietnamese: the open cases"
t_eq "$(grep -c 'Project-Id-Version\|Content-Type' <<<"$out")" 0 "and no catalogue header printed for an empty label"

t_done
