#!/usr/bin/env bash
# examples/python/report.py loads libvhcv through ctypes and reports a
# violation to a live vhcvd.
. "$SRCDIR/tests/integration/lib.sh"
LIB=${1:?libvhcv path}
SANITIZE=${SANITIZE:-none}

db=$(t_db py)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=unix:$T_DIR/vhcvd.sock
"$VHCV" -s "$SOCK" unit add VY "UBND huyện Vĩnh Yên" >/dev/null
"$VHCV" -s "$SOCK" official add CC-1 "Nguyễn Văn An" --category cong_chuc --unit VY >/dev/null

# an ASan-built library needs the ASan runtime first in the process
py=(python3)
if [[ "$SANITIZE" == *address* ]]; then
	py=(env LD_PRELOAD="$(gcc -print-file-name=libasan.so)" ASAN_OPTIONS=detect_leaks=0 python3)
fi
run() {
	RC=0
	OUT=$("${py[@]}" "$SRCDIR/examples/python/report.py" --lib "$LIB" "$@" 2>"$T_DIR/err") || RC=$?
}
run "$SOCK" CC-1 TD-01 2026-10-02 citizen "Phản ánh: đi muộn" py-1
t_eq "$RC" 0 "report.py reports through libvhcv"
[ "$RC" == 0 ] || cat "$T_DIR/err" >&2
get() { python3 -c "import json,sys; print(json.loads(sys.argv[1])$1)" "$OUT"; }
t_eq "$(get '["status"]')" reported "the case is reported"
t_eq "$(get '["official"]["full_name"]')" "Nguyễn Văn An" "about the official, Vietnamese intact"
case1=$(get '["case"]')
run "$SOCK" CC-1 TD-01 2026-10-02 citizen "Phản ánh: đi muộn" py-1
t_eq "$(get '["case"]')" "$case1" "the idempotency key gives back the same case"
run "$SOCK" NOBODY TD-01 2026-10-02 citizen "x"
t_eq "$RC" 3 "an unknown official: the library's not found"
t_contains "$(cat "$T_DIR/err")" "NOBODY" "with the daemon's message"
t_daemon_stop
t_done
