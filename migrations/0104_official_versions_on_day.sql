-- The official's category and leadership on the day of an act, read by
-- every report (and by decisions and the workflow's checks), come from the
-- index alone (issue 13, docs/performance.md "Session 6: the report's SQL
-- against the bare inserts"): official_versions_on (official_id,
-- valid_from DESC, id DESC) of migration 0001 carries them as INCLUDE
-- columns, so the report's "version on the day" is an index-only scan and
-- reads one random page of official_versions fewer (versions are
-- append-only, official_versions_append_only, so their pages stay all
-- visible once vacuumed). Every query that used the index still can: the
-- key is the same. About 5 s at full scale (3 M versions).
SET LOCAL search_path = vhcv, pg_catalog;

DROP INDEX official_versions_on;
CREATE INDEX official_versions_on ON official_versions (official_id, valid_from DESC, id DESC)
	INCLUDE (category, leader);
