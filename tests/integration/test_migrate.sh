#!/usr/bin/env bash
# Migrations: fresh database -> migrate -> again is a no-op -> a changed
# checksum is refused -> two concurrent runs leave one schema -> the
# daemon's role cannot UPDATE or DELETE an event row -> a newer schema is
# refused.
. "$(dirname "$0")/lib.sh"

db=$(t_db one)
mig=$T_DIR/migrations
cp -r "$SRCDIR/migrations" "$mig"
t_config "$db" "$mig" >"$T_DIR/vhcvd.yaml"

# fresh database
out=$("$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "first migrate succeeds"
n_files=$(ls "$mig"/[0-9][0-9][0-9][0-9]_*.sql | wc -l)
t_eq "$(t_psql "$db" -tAc 'SELECT count(*) FROM vhcv.schema_migrations')" "$n_files" "every file recorded"
want=$(sha256sum "$mig/0001_schema.sql" | cut -d' ' -f1)
t_eq "$(t_psql "$db" -tAc "SELECT sha256 FROM vhcv.schema_migrations WHERE name = '0001_schema.sql'")" "$want" "checksum recorded"
applied_at=$(t_psql "$db" -tAc 'SELECT max(applied_at) FROM vhcv.schema_migrations')

# again: nothing to do
out=$("$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "second migrate succeeds"
t_contains "$out" "(0 applied now, $n_files already)" "second migrate applies nothing"
t_eq "$(t_psql "$db" -tAc 'SELECT max(applied_at) FROM vhcv.schema_migrations')" "$applied_at" "no row rewritten"

# a changed file is refused, and nothing changes
echo "-- edited after it was applied" >>"$mig/0001_schema.sql"
out=$("$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "changed checksum refused"
t_contains "$out" "applied migrations must not change" "message says why"
t_contains "$out" "0001_schema.sql" "message names the file"
cp "$SRCDIR/migrations/0001_schema.sql" "$mig/0001_schema.sql"

# a migration added below an applied one is refused
printf 'SELECT 1;\n' >"$mig/0000_early.sql"
mv "$mig/0000_early.sql" "$mig/0000_x.sql" # number 0 is not a migration
t_eq "$("$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1; echo $?)" 0 "files numbered 0000 are ignored"
rm "$mig/0000_x.sql"

# two concurrent runs on a fresh database: one schema, each file once
db2=$(t_db two)
t_config "$db2" >"$T_DIR/two.yaml"
"$VHCVD" --migrate -c "$T_DIR/two.yaml" >"$T_DIR/a.log" 2>&1 & a=$!
"$VHCVD" --migrate -c "$T_DIR/two.yaml" >"$T_DIR/b.log" 2>&1 & b=$!
rca=0; rcb=0
wait $a || rca=$?
wait $b || rcb=$?
t_eq "$rca:$rcb" "0:0" "both concurrent runs succeed"
t_eq "$(t_psql "$db2" -tAc 'SELECT count(*) FROM vhcv.schema_migrations')" "$n_files" "each file applied once"
t_eq "$(t_psql "$db2" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'vhcv' AND tablename = 'case_events'")" 1 "one schema"
both=$(cat "$T_DIR/a.log" "$T_DIR/b.log")
t_contains "$both" "(0 applied now, $n_files already)" "the second run found the work done"

# the daemon's role and the event log
# rows written around the daemon (a fixture): only the superuser can, with
# triggers off (session_replication_role), which audit verify would name
t_psql "$db" <<'SQL'
SET search_path = vhcv;
SET session_replication_role = replica;
INSERT INTO units (code, name) VALUES ('U1', 'Ủy ban nhân dân xã');
INSERT INTO officials (code, full_name, category, unit_id)
	VALUES ('CC1', 'Nguyễn Văn A', 'cong_chuc', (SELECT id FROM units WHERE code = 'U1'));
INSERT INTO rule_versions (code, ruleset, grp, title_vi, title_en, content, content_hash, valid_from)
	VALUES ('TD-01', 'test', 'thai_do', 'Đi muộn', 'Late', '{}', repeat('a', 64), '2020-01-01');
INSERT INTO cases (year, seq, official_id, unit_id, rule_version_id, source, reporter,
		   occurred_on, detected_on, description)
	VALUES (2026, 1, 1, 1, 1, 'inspection', 'tester', '2026-01-05', '2026-01-06', 'x');
SQL
out=$(t_psql_app "$db" -c "INSERT INTO vhcv.case_events (case_id, seq, kind, actor, prev_hash, hash)
	VALUES (1, 1, 'reported', 'tester', repeat('0', 64), repeat('1', 64))" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "the daemon's role may append an event"
out=$(t_psql_app "$db" -c "UPDATE vhcv.case_events SET actor = 'mallory'" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "the daemon's role cannot UPDATE an event"
t_contains "$out" "permission denied" "UPDATE denied by privilege"
out=$(t_psql_app "$db" -c "DELETE FROM vhcv.case_events" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "the daemon's role cannot DELETE an event"
t_contains "$out" "permission denied" "DELETE denied by privilege"
out=$(t_psql "$db" -c "UPDATE vhcv.case_events SET actor = 'mallory'" 2>&1) && rc=0 || rc=$?
t_contains "$out" "append-only" "even the superuser meets the trigger on UPDATE"
out=$(t_psql "$db" -c "DELETE FROM vhcv.case_events" 2>&1) && rc=0 || rc=$?
t_contains "$out" "append-only" "even the superuser meets the trigger on DELETE"
t_eq "$(t_psql "$db" -tAc 'SELECT actor FROM vhcv.case_events')" "tester" "the event is unchanged"
out=$(t_psql_app "$db" -c "DROP TABLE vhcv.case_events" 2>&1) && rc=0 || rc=$?
t_contains "$out" "must be owner" "the daemon's role cannot drop tables"
out=$(t_psql_app "$db" -c "UPDATE vhcv.decisions SET form = 'none'" 2>&1) && rc=0 || rc=$?
t_contains "$out" "permission denied" "decisions are not updatable by the daemon"

# constraints: a bad category and a reversed detection date are refused
out=$(t_psql "$db" -c "INSERT INTO vhcv.officials (code, full_name, category, unit_id) VALUES ('X', 'x', 'emperor', 1)" 2>&1) && rc=0 || rc=$?
t_contains "$out" "violates check constraint" "unknown category refused by the schema"
out=$(t_psql "$db" -c "INSERT INTO vhcv.cases (year, seq, official_id, unit_id, rule_version_id, source, reporter, occurred_on, detected_on, description) VALUES (2026, 2, 1, 1, 1, 'inspection', 't', '2026-02-01', '2026-01-01', 'x')" 2>&1) && rc=0 || rc=$?
t_contains "$out" "violates check constraint" "detection before the act refused"
t_eq "$(t_psql "$db" -tAc "SELECT number FROM vhcv.cases WHERE id = 1")" "VP-2026-1" "case number derived"

# a database newer than this vhcvd knows is refused, to migrate and to serve
t_psql "$db" -c "INSERT INTO vhcv.schema_migrations (version, name, sha256) VALUES (9999, '9999_future.sql', repeat('f', 64))"
out=$("$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "migrate refuses a newer database"
t_contains "$out" "newer than this vhcvd" "migrate says why"
out=$("$VHCVD" -c "$T_DIR/vhcvd.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "vhcvd refuses to serve a newer schema"
t_contains "$out" "newer than this vhcvd knows" "vhcvd says why"

# an unmigrated database is refused too
db3=$(t_db three)
t_config "$db3" >"$T_DIR/three.yaml"
out=$("$VHCVD" -c "$T_DIR/three.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 1 "vhcvd refuses an unmigrated database"
t_contains "$out" "run vhcvd --migrate" "with a hint"

t_done
