-- Case numbers skipped by a recovery of PostgreSQL are not deleted cases
-- (issue 10, 1.3; see 0080 and docs/audit.md).
SET LOCAL search_path = vhcv, pg_catalog;

-- After a crash (or on a standby promoted to primary) PostgreSQL's
-- sequences skip up to 32 numbers: nextval is logged ahead, and recovery
-- resumes from the logged value. Reports in flight then also lose their
-- numbers without a record. vhcvd marks each recovered server once, on
-- its first connection to it: the last transaction replayed (`before`:
-- cases created up to then were numbered before the skip) and the highest
-- number the skip may reach (`upto`). Verification calls a missing number
-- between the last case created before that time and `upto` skipped, not
-- deleted. Nothing is marked when nothing was recovered (a clean start).
CREATE TABLE case_number_restarts (
	server_start timestamptz NOT NULL,
	year integer NOT NULL,
	before timestamptz NOT NULL,
	upto bigint NOT NULL,
	at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (server_start, year)
);
CREATE TRIGGER case_number_restarts_append_only BEFORE UPDATE OR DELETE
	ON case_number_restarts FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER case_number_restarts_no_truncate BEFORE TRUNCATE ON case_number_restarts
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE FUNCTION case_number_restart_mark() RETURNS void LANGUAGE sql
	SET search_path = vhcv, pg_catalog AS $$
	INSERT INTO case_number_restarts (server_start, year, before, upto)
	SELECT pg_postmaster_start_time(), substr(ps.sequencename, 10)::int,
	       pg_last_xact_replay_timestamp(), ps.last_value + 32
	FROM pg_sequences ps
	WHERE pg_last_xact_replay_timestamp() IS NOT NULL AND ps.schemaname = 'vhcv'
	  AND ps.sequencename ~ '^case_seq_[0-9]+$' AND ps.last_value IS NOT NULL
	ON CONFLICT DO NOTHING
$$;

GRANT SELECT, INSERT ON case_number_restarts TO vhcv_app;
GRANT EXECUTE ON FUNCTION case_number_restart_mark() TO vhcv_app;
