#!/usr/bin/env bash
# libvhcv exports exactly the symbols of its version script, and the
# version script lists exactly the functions the public headers declare.
#   check_symbols.sh LIBVHCV.so libvhcv.sym INCLUDE_DIR
set -euo pipefail
lib=$1 sym=$2 inc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# defined dynamic symbols, without the version node and @@VHCV_1 suffixes
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { sub(/@.*/, "", $3); print $3 }' |
	grep -v '^VHCV_[0-9]' | sort -u >"$tmp/exported"
sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z_0-9]*\);[[:space:]]*$/\1/p' "$sym" | sort -u >"$tmp/script"
# every declaration "VHCV_EXTERN type name(" across lines of the headers
cat "$inc"/vhcv/*.h | tr '\n' ' ' | grep -o 'VHCV_EXTERN [^(;]*(' |
	grep -v '__attribute__' | sed 's/.*[ *]\([A-Za-z_][A-Za-z_0-9]*\)[[:space:]]*($/\1/' |
	sort -u >"$tmp/headers"

status=0
if ! diff -u "$tmp/script" "$tmp/exported" >"$tmp/d1"; then
	echo "FAIL: exported symbols differ from $sym (- script, + exported):" >&2
	cat "$tmp/d1" >&2
	status=1
fi
if ! diff -u "$tmp/script" "$tmp/headers" >"$tmp/d2"; then
	echo "FAIL: VHCV_EXTERN functions of the headers differ from $sym (- script, + headers):" >&2
	cat "$tmp/d2" >&2
	status=1
fi
n=$(wc -l <"$tmp/exported")
[ "$n" -gt 0 ] || { echo "FAIL: no symbols exported" >&2; status=1; }
[ $status -eq 0 ] && echo "ok: $n symbols exported, all in $(basename "$sym") and the headers"
exit $status
