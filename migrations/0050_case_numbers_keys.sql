-- Performance at national scale (issue 13) and keys scoped to their
-- sender (issue 10, 5.2).
--
-- Case numbers come from one sequence per year instead of the per-year
-- case_counters row, whose lock was held by every report until its commit
-- and so serialised all reports in the country. A sequence hands out
-- numbers without a lock held across the transaction: numbers stay unique
-- and ordered per year, but a report that fails after taking its number
-- leaves a gap (docs/api.md). case_counters stays for the record.
--
-- Idempotency keys belong to the identity that sends them: another
-- identity's earlier use of the same key no longer makes the owner's
-- request a conflict.
SET LOCAL search_path = vhcv, pg_catalog;

DO $$
DECLARE
	y integer;
	start integer;
BEGIN
	FOR y IN 2000..2149 LOOP
		SELECT greatest(coalesce((SELECT last FROM case_counters WHERE year = y), 0),
				coalesce((SELECT max(seq) FROM cases WHERE year = y), 0)) + 1
			INTO start;
		EXECUTE format('CREATE SEQUENCE case_seq_%s AS integer START %s', y, start);
		EXECUTE format('GRANT USAGE ON SEQUENCE case_seq_%s TO vhcv_app', y);
	END LOOP;
END $$;

ALTER TABLE cases DROP CONSTRAINT cases_idempotency_key_key;
ALTER TABLE cases ADD CONSTRAINT cases_reporter_idempotency_key_key
	UNIQUE (reporter, idempotency_key);
ALTER TABLE decisions DROP CONSTRAINT decisions_idempotency_key_key;
ALTER TABLE decisions ADD CONSTRAINT decisions_actor_idempotency_key_key
	UNIQUE (actor, idempotency_key);

-- a case's links are found from either side
CREATE INDEX case_links_other ON case_links (other_id);
