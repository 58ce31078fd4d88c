-- Issue 8.4: reporting links a new case to the cases about the same act
-- (same official, rule and day) as 'probable_duplicate'; rejecting one as
-- a duplicate of the other turns that link into 'duplicate' (same row:
-- one link per pair, case_links_once).
ALTER TABLE case_links DROP CONSTRAINT case_links_kind_check;
ALTER TABLE case_links ADD CONSTRAINT case_links_kind_check
	CHECK (kind IN ('related', 'duplicate', 'probable_duplicate'));
GRANT UPDATE (case_id, other_id, kind, actor) ON case_links TO vhcv_app;
-- the search for the same act
CREATE INDEX cases_official_day ON cases (official_id, occurred_on);
