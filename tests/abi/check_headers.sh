#!/usr/bin/env bash
# Each public header compiles alone, as strict C99 and as C++, with every
# warning an error: users include them in any order and any language.
#   check_headers.sh INCLUDE_DIR [CC [CXX]]
set -euo pipefail
inc=$1 cc=${2:-cc} cxx=${3:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v "$cxx" >/dev/null || { echo "no C++ compiler $cxx" >&2; exit 77; }

status=0 n=0
for h in "$inc"/vhcv.h "$inc"/vhcv/*.h; do
	name=${h#"$inc"/}
	printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$name" "$name" >"$tmp/t.c"
	if ! "$cc" -std=c99 -pedantic -Werror -Wall -Wextra -Wstrict-prototypes \
		-I"$inc" -c "$tmp/t.c" -o "$tmp/t.o" 2>"$tmp/err"; then
		echo "FAIL: $name as C99:" >&2
		cat "$tmp/err" >&2
		status=1
	fi
	printf '#include <%s>\nint main() { return 0; }\n' "$name" >"$tmp/t.cc"
	if ! "$cxx" -std=c++11 -pedantic -Werror -Wall -Wextra -I"$inc" -c "$tmp/t.cc" \
		-o "$tmp/t.o" 2>"$tmp/err"; then
		echo "FAIL: $name as C++11:" >&2
		cat "$tmp/err" >&2
		status=1
	fi
	n=$((n + 1))
done
# C linkage: a C++ program calls the library's functions by their C names
printf '#include <vhcv.h>\nint main() { return vhcv_strerror(0) == 0; }\n' >"$tmp/l.cc"
"$cxx" -std=c++11 -I"$inc" -c "$tmp/l.cc" -o "$tmp/l.o"
if ! nm "$tmp/l.o" | grep -q ' U vhcv_strerror$'; then
	echo "FAIL: vhcv_strerror is not declared extern \"C\"" >&2
	status=1
fi
[ $status -eq 0 ] && echo "ok: $n headers compile alone as C99 and C++11"
exit $status
