-- Indexes for the analytic paths (issue 13, docs/performance.md "Session 3:
-- analytics"): their cost follows what is asked for, not the register.
SET LOCAL search_path = vhcv, pg_catalog;

-- Eligibility of a unit: the officials with a version in the unit's
-- subtree by that day, read from the index alone (then each one's version
-- on the day through official_versions_on).
CREATE INDEX official_versions_unit ON official_versions (unit_id, valid_from, official_id);

-- Yearly statistics: the rejections, appeals and closings recorded in a
-- window, without reading every event of the register.
CREATE INDEX case_events_outcome_at ON case_events (at)
	WHERE kind IN ('rejected', 'appealed', 'closed', 'waived', 'expired');
