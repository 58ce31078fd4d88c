#!/usr/bin/env bash
# The pages in a real browser (issue #12): headless Chromium (Debian's
# /usr/bin/chromium) driven by playwright-core (tests/ui/package.json,
# installed by scripts/test with npm ci) against a real vhcvd and
# PostgreSQL. Screenshots go to $VHCV_UI_SHOTS (default
# build-test/ui-screenshots).
. "$SRCDIR/tests/integration/lib.sh"

UI=$SRCDIR/tests/ui
if [ ! -d "$UI/node_modules/playwright-core" ]; then
	echo "playwright-core is not installed: run scripts/test (it runs npm ci in tests/ui)" >&2
	exit 1
fi
[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium (Debian package chromium)" >&2; exit 1; }

db=$(t_db ui)
PORT=$(t_free_port)
cfg=$T_DIR/vhcvd.yaml
t_config "$db" | sed "s|^  - unix: .*|&\n  - tcp: \"127.0.0.1:$PORT\"|" >"$cfg"
cat >>"$cfg" <<YAML
web:
  ui_dir: $SRCDIR/ui
YAML
"$VHCVD" --migrate -c "$cfg" >>"$T_DIR/vhcvd.log" 2>&1
t_daemon "$cfg"
SOCK=$T_DIR/vhcvd.sock

adm() {
	local code
	code=$(curl -sS -o "$T_DIR/body" -w '%{http_code}' -X "$1" --unix-socket "$SOCK" \
		-H 'Content-Type: application/json' --data-binary "${3:-}" "http://x$2")
	case $code in 2??) ;; *) echo "setup $1 $2: $code $(cat "$T_DIR/body")" >&2; exit 1 ;; esac
	cat "$T_DIR/body"
}
num() { python3 -c 'import json,sys; print(json.load(sys.stdin)["case"])'; }
d() { date -d "$1" +%F; }

adm POST /v1/units '{"code":"UBND-T","name":"UBND tỉnh Phú Thọ","valid_from":"2019-01-01"}' >/dev/null
for u in A B; do
	adm POST /v1/units "{\"code\":\"UBND-$u\",\"name\":\"UBND huyện $u\",\"parent\":\"UBND-T\",\"valid_from\":\"2019-01-01\"}" >/dev/null
done
off() { adm PUT "/v1/officials/$1" "{\"full_name\":\"$2\",\"category\":\"cong_chuc\",\"unit\":\"$3\",\"valid_from\":\"2019-01-01\"}" >/dev/null; }
off LD-A "Lê Văn Trưởng" UBND-A
off CC-A1 "Nguyễn Văn An" UBND-A
off CC-A2 "Trần Thị Bình" UBND-A
off CC-A3 "Phạm Văn Cường" UBND-A
for i in 1 2 3; do off "M-$i" "Thành viên $i" UBND-A; done
off CC-B1 "Hoàng Văn Dũng" UBND-B
report() {
	adm POST /v1/cases "{\"official\":\"$1\",\"rule\":\"TD-01\",\"occurred_on\":\"$2\",\"detected_on\":\"$3\",\"source\":\"$4\",\"description\":\"$5\",\"idempotency_key\":\"$6\"}" | num
}
# reported first but due later, so that the inbox must reorder
FRESH=$(report CC-A1 "$(d '-12 days')" "$(d '-10 days')" citizen "Đi muộn ba lần trong tuần" k1)
OVERDUE=$(report CC-A2 "$(d '-110 days')" "$(d '-100 days')" inspection "Bỏ vị trí làm việc không có lý do" k2)
OTHER=$(report CC-B1 "$(d '-5 days')" "$(d '-5 days')" supervision "Vụ việc của đơn vị khác" k3)
adm PUT /v1/officials/CB-A1 '{"full_name":"Đỗ Văn Chủ","category":"can_bo","unit":"UBND-A","valid_from":"2019-01-01"}' >/dev/null
CANBO=$(report CB-A1 "$(d '-3 days')" "$(d '-2 days')" inspection "Cán bộ đi muộn" k4)
adm POST "/v1/cases/$CANBO/accept" '{}' >/dev/null
acct() {
	adm POST /v1/accounts "{\"name\":\"$1\",\"display_name\":\"$2\",\"role\":\"$3\",\"units\":[\"$4\"],\"password\":\"$5\"${6:-}}" >/dev/null
}
acct truong-a "Lê Văn Trưởng" unit_head UBND-A "mat-khau-truong" ',"official":"LD-A"'
acct thanhtra-a "Thanh tra viên A" inspector UBND-A "mat-khau-thanh-tra"
acct kiemtoan "Kiểm toán viên" auditor '*' "mat-khau-kiem-toan"

export VHCV_UI_URL="http://127.0.0.1:$PORT" VHCV_UI_OVERDUE=$OVERDUE VHCV_UI_FRESH=$FRESH \
	VHCV_UI_OTHER=$OTHER VHCV_UI_CANBO=$CANBO VHCV_UI_SHOTS=${VHCV_UI_SHOTS:-$PWD/ui-screenshots} VHCV_UI_TMP=$T_DIR
mkdir -p "$VHCV_UI_SHOTS"
rc=0
node "$UI/test_ui.mjs" || rc=$?
# what the browser did is in the database: exactly one case from the double click
n=$(t_psql "$db" -Atc "SELECT count(*) FROM vhcv.cases WHERE reporter = 'thanhtra-a'")
t_eq "$n" 1 "the inspector's double-submitted report made one case"
t_eq "$(t_psql "$db" -Atc "SELECT form FROM vhcv.decisions d JOIN vhcv.cases c ON c.id = d.case_id WHERE c.number = '$OVERDUE'")" \
	khien_trach "the decision made in the browser is stored"
[ "$rc" -eq 0 ] || t_fail "browser scenario failed (exit $rc)"
t_done
