-- Eligibility of a province (issue 13, docs/performance.md "Session 6:
-- exports and verify"): for each of a province's 40,000 officials, its
-- version on the day and its code are read by their keys, one random heap
-- page each of official_versions (391 MB) and officials (327 MB) at full
-- scale, more than shared_buffers keeps, so most of them were copied from
-- the OS cache again at every export. With the columns read carried in
-- the index (both tables are all-visible: append-only, or updated seldom),
-- the probes are index-only: T45's pages read outside shared buffers
-- 69,000 -> 40,000 for a half.
--
-- official_versions_on gets the version's unit, status and name: the same
-- key, so every query that used it (the record, the official object, the
-- statistics' versions on a day) can use this one, index-only where it
-- reads only those columns. officials gets (id) INCLUDE (code): the
-- official's code by its id, as eligibility and the exports ask for it.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE INDEX official_versions_on_day ON official_versions (official_id, valid_from DESC, id DESC)
	INCLUDE (unit_id, status, full_name);
DROP INDEX official_versions_on;
ALTER INDEX official_versions_on_day RENAME TO official_versions_on;
CREATE INDEX officials_id_code ON officials (id) INCLUDE (code);
