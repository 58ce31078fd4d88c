#!/usr/bin/env bash
# Issue 8: one text in two Unicode forms (NFC at the API's boundary), and
# the other faults found using the register as its users would. Each check
# failed before its fix.
. "$(dirname "$0")/lib.sh"

db=$(t_db forms)
t_config "$db" >"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_psql "$db" <<'SQL'
SET search_path = vhcv;
INSERT INTO units (code, name, valid_from) VALUES ('VY', 'UBND huyện Vĩnh Yên', '2020-01-01');
INSERT INTO officials (code, full_name, category, leader, unit_id) VALUES
 ('CC-1', 'Nguyễn Văn An', 'cong_chuc', false, 1),
 ('CC-2', 'Trần Thị Bình', 'cong_chuc', false, 1),
 ('CC-3', 'Lê Văn Cường', 'cong_chuc', false, 1),
 ('CC-4', 'Phạm Thị Dung', 'cong_chuc', false, 1);
SQL
t_daemon "$T_DIR/vhcvd.yaml"
SOCK=$T_DIR/vhcvd.sock
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
OCC=$(date -d "$TODAY -20 days" +%F)

call() { # call METHOD PATH [JSON]: sets CODE and BODY
	local out
	out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" -X "$1" \
		-H 'Content-Type: application/json' ${3:+--data-binary "$3"} "http://x$2")
	CODE=${out##*$'\n'}
	BODY=${out%$'\n'*}
}
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$BODY"; }
expect() { # expect CODE DESCRIPTION
	t_eq "$CODE" "$1" "$2"
	[ "$CODE" == "$1" ] || echo "   body: $BODY" >&2
}
# nfd TEXT / pct TEXT: the text in NFD; percent-encoded for a path
nfd() { python3 -c 'import sys,unicodedata; print(unicodedata.normalize("NFD", sys.argv[1]), end="")' "$1"; }
pct() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]), end="")' "$1"; }
q() { t_psql "$db" -tAc "SET search_path = vhcv; $1" | tail -1; }
report() { # report OFFICIAL RULE OCCURRED [extra json]: a description unless given
	local extra=${4:-}
	[[ "$extra" == *'"description"'* ]] || extra=",\"description\":\"forms\"$extra"
	call POST /v1/cases "{\"official\":\"$1\",\"rule\":\"$2\",\"occurred_on\":\"$3\",\"source\":\"inspection\"$extra}"
}

# --- 2. one text, two Unicode forms -------------------------------------
name='Nguyễn Thị Hằng'
call PUT /v1/officials/CC-9 "{\"full_name\":\"$name\",\"category\":\"cong_chuc\",\"unit\":\"VY\"}"
expect 201 "an official in NFC"
call PUT /v1/officials/CC-9 "{\"full_name\":\"$(nfd "$name")\",\"category\":\"cong_chuc\",\"unit\":\"VY\"}"
expect 200 "the same name re-sent in NFD"
t_eq "$(q "SELECT count(*) FROM official_versions v JOIN officials o ON o.id = v.official_id WHERE o.code = 'CC-9'")" 1 \
	"NFD of an unchanged name makes no new version"
desc="Biên bản kiểm tra ngày $OCC"
report CC-1 TD-01 "$OCC" ",\"description\":\"$desc\",\"idempotency_key\":\"nfc-1\""
expect 201 "a report in NFC"
C1=$(jget 'd["case"]')
report CC-1 TD-01 "$OCC" ",\"description\":\"$(nfd "$desc")\",\"idempotency_key\":\"nfc-1\""
expect 200 "its repeat in NFD is the same request (idempotency)"
t_eq "$(jget 'd["case"]')" "$C1" "answered with the same case"
t_eq "$(q "SELECT count(*) FROM cases WHERE description IS NFC NORMALIZED AND description LIKE 'Biên%'")" 1 \
	"stored in NFC"
ev='biên-bản.pdf'
out=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X PUT --data-binary 'PDF-1' \
	-H 'Content-Type: application/pdf' "http://x/v1/cases/$C1/evidence/$(pct "$ev")")
t_eq "$out" 201 "evidence named in NFC"
out=$(curl -s -w '\n%{http_code}' --unix-socket "$SOCK" "http://x/v1/cases/$C1/evidence/$(pct "$(nfd "$ev")")")
t_eq "${out##*$'\n'}" 200 "fetched by its name in NFD"
t_eq "${out%$'\n'*}" PDF-1 "the same bytes"
out=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X PUT --data-binary 'PDF-2' \
	-H 'Content-Type: application/pdf' "http://x/v1/cases/$C1/evidence/$(pct "$(nfd "$ev")")")
t_eq "$out" 409 "a second upload in NFD is the same name, not a second file"
t_eq "$(q "SELECT count(*) FROM evidence")" 1 "one evidence file"
call GET "/v1/cases?status=$(pct "$(nfd 'reported')")"
expect 200 "query text goes through the same normalisation"

t_done
