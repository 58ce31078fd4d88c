#!/usr/bin/env bash
# The register's calendar is Hà Nội's (issue 8.1): vhcvd runs on a host
# whose zone is UTC under a fixed clock (libfaketime) at 16:59 and 17:01
# UTC on 31 December, i.e. 23:59 on the 31st and 00:01 on 1 January in
# Asia/Ho_Chi_Minh. "Today" (future dates refused, the default detection
# date) and the year of case numbers follow Hà Nội's day; the CLI shows
# event times in the user's zone.
. "$(dirname "$0")/lib.sh"

FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[ -r "$FT" ] || { echo "libfaketime is missing (Debian package faketime)" >&2; exit 1; }
# under AddressSanitizer, its runtime must be the first library loaded:
# preload it before libfaketime
ASAN_LIB=$(ldd "$VHCVD" | sed -n 's/^\s*\(libasan\.so[^ ]*\) => \([^ ]*\).*/\2/p')

db=$(t_db calendar)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name, valid_from) VALUES ('VY', 'UBND huyện Vĩnh Yên', '2020-01-01');
INSERT INTO officials (code, full_name, category, leader, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', false, 1);
SQL
SOCK=$T_DIR/vhcvd.sock
REAL_VHCVD=$VHCVD
# at UTC_TIME: start vhcvd with the host zone UTC and the clock starting then
at() {
	cat >"$T_DIR/vhcvd-faked" <<SH
#!/bin/sh
TZ=UTC LD_PRELOAD="${ASAN_LIB:+$ASAN_LIB }$FT" FAKETIME="@$1" FAKETIME_DONT_FAKE_MONOTONIC=1 \
	exec "$REAL_VHCVD" "\$@"
SH
	chmod +x "$T_DIR/vhcvd-faked"
	VHCVD=$T_DIR/vhcvd-faked t_daemon "$T_DIR/vhcvd.yaml"
}
call() {
	local out
	out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" \
		-H 'Content-Type: application/json' ${3:+--data-binary "$3"} "http://x$2")
	CODE=${out##*$'\n'}
	BODY=${out%$'\n'*}
}
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$BODY"; }
report() { # report OCCURRED
	call POST /v1/cases "{\"official\":\"CC-1\",\"rule\":\"TD-01\",\"occurred_on\":\"$1\",\"source\":\"inspection\",\"description\":\"calendar\"}"
}

at "2026-12-31 16:59:00"
call GET /v1/health
t_contains "$BODY" '"database"' "vhcvd answers under libfaketime"
report 2027-01-01
t_eq "$CODE" 400 "16:59 UTC = 23:59 in Hà Nội: 1 January is still the future"
report 2026-12-31
t_eq "$CODE" 201 "an act of Hà Nội's today is accepted"
t_eq "$(jget 'd["case"]')" VP-2026-1 "numbered in 2026"
t_eq "$(jget 'd["detected_on"]')" 2026-12-31 "detected today by default"
t_daemon_stop

at "2026-12-31 17:01:00"
report 2027-01-01
t_eq "$CODE" 201 "17:01 UTC = 00:01 on 1 January in Hà Nội: an act of that day is accepted (UTC says 31 December)"
t_eq "$(jget 'd["case"]')" VP-2027-1 "the first case of 2027 in Hà Nội"
t_eq "$(jget 'd["detected_on"]')" 2027-01-01 "detected on Hà Nội's today, not UTC's"
at_utc=$(jget 'd["events"][0]["at"]')
t_contains "$at_utc" "2026-12-31T17:01:" "the API keeps times in UTC (RFC 3339)"
# the CLI shows times in the user's zone
out=$(TZ=Asia/Ho_Chi_Minh VHCV_ENDPOINT=unix:$SOCK "$VHCV" case show VP-2027-1 2>&1)
t_contains "$out" "2027-01-01 00:01:" "the human timeline shows the time in the user's zone"
t_contains "$out" "+0700" "with its offset"
out=$(TZ=UTC VHCV_ENDPOINT=unix:$SOCK "$VHCV" case show VP-2027-1 2>&1)
t_contains "$out" "2026-12-31 17:01:" "the same event for a user in UTC"
t_daemon_stop

# an unknown zone is refused with the file position
sed -i '1i timezone: Asia/Nowhere' "$T_DIR/vhcvd.yaml"
out=$("$REAL_VHCVD" -n -c "$T_DIR/vhcvd.yaml" 2>&1) && t_fail "vhcvd -n accepts an unknown zone"
t_contains "$out" "vhcvd.yaml:1:11: timezone: no time zone 'Asia/Nowhere'" "vhcvd -n names the zone and its place"
t_done
