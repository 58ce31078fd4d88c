-- An official's version on a day, read by key for every report (its
-- category and leadership on the day of the act), for each official of an
-- eligibility export (its unit, status and name), by the record, the
-- official object and the statistics' versions on a day, comes from the
-- index alone (issue 13, docs/performance.md "Session 6: the report's SQL
-- against the bare inserts" and "Session 6: exports and verify"):
-- official_versions_on keeps its key (official_id, valid_from DESC, id
-- DESC) of migration 0001 and carries the columns those queries read.
-- Versions are append-only (official_versions_append_only), so their pages
-- stay all-visible once vacuumed and the scans are index-only: one random
-- page of official_versions (391 MB at full scale, more than shared_buffers
-- keeps) fewer per report, and T45's eligibility half reads 69,000 ->
-- 40,000 pages outside shared buffers. One index for both: a second index
-- on the same key would be written by every version the sync stores.
-- About 10 s at full scale (3 M versions).
SET LOCAL search_path = vhcv, pg_catalog;

CREATE INDEX official_versions_on_day ON official_versions (official_id, valid_from DESC, id DESC)
	INCLUDE (category, leader, unit_id, status, full_name);
DROP INDEX official_versions_on;
ALTER INDEX official_versions_on_day RENAME TO official_versions_on;
