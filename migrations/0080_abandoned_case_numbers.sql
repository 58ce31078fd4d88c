-- A case number given up by a report that failed after taking it (issue
-- 10, 1.3). Numbers come from a sequence per year (0050), so a failed
-- report leaves a gap; vhcvd records each number it gives up here, and
-- `audit verify` names a missing number that was never given up as a
-- deleted case (docs/audit.md, docs/security.md). Append-only, like the
-- rest of history; the daemon's role may only add to it.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE TABLE case_numbers_abandoned (
	year integer NOT NULL,
	seq integer NOT NULL,
	at timestamptz NOT NULL DEFAULT now(),
	reason text NOT NULL,
	PRIMARY KEY (year, seq)
);
CREATE TRIGGER case_numbers_abandoned_append_only BEFORE UPDATE OR DELETE
	ON case_numbers_abandoned FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER case_numbers_abandoned_no_truncate BEFORE TRUNCATE ON case_numbers_abandoned
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- Called by vhcvd on the session whose report failed, after its ROLLBACK:
-- the number this session last took from the year's sequence (currval is
-- the session's own and survives the rollback) is recorded as given up,
-- unless a case holds it (a report that failed before taking a number
-- leaves the session's previous, used number). The number or NULL.
CREATE FUNCTION case_number_abandon(y integer, why text) RETURNS integer LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	n integer;
BEGIN
	BEGIN
		n := currval(format('vhcv.case_seq_%s', y)::regclass);
	EXCEPTION WHEN object_not_in_prerequisite_state OR undefined_table THEN
		RETURN NULL; -- this session never took a number of that year
	END;
	IF EXISTS (SELECT 1 FROM cases c WHERE c.year = y AND c.seq = n) THEN
		RETURN NULL;
	END IF;
	INSERT INTO case_numbers_abandoned (year, seq, reason) VALUES (y, n, why)
		ON CONFLICT DO NOTHING;
	RETURN n;
END $$;

GRANT SELECT, INSERT ON case_numbers_abandoned TO vhcv_app;
GRANT EXECUTE ON FUNCTION case_number_abandon(integer, text) TO vhcv_app;
