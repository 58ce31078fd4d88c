-- The official's category and leadership on the day of an act, read by
-- every report (and by decisions and the workflow's checks), come from an
-- index alone (issue 13, docs/performance.md "Session 6: the report's SQL
-- against the bare inserts"): official_versions_category has the key of
-- official_versions_on (official_id, valid_from DESC, id DESC) of
-- migration 0001 and carries category and leader, so the report's
-- "version on the day" is an index-only scan and reads one random page of
-- official_versions fewer (versions are append-only,
-- official_versions_append_only, so their pages stay all visible once
-- vacuumed). A separate index, not official_versions_on rebuilt: migration
-- 0110 (eligibility) rebuilds that one with the columns it reads. Versions
-- are written only by the officials' sync; about 5-9 s at full scale (3 M
-- versions, 165 MB).
SET LOCAL search_path = vhcv, pg_catalog;

CREATE INDEX official_versions_category ON official_versions (official_id, valid_from DESC, id DESC)
	INCLUDE (category, leader);
