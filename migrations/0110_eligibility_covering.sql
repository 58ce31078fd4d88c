-- Eligibility of a province and the exports (issue 13, docs/performance.md
-- "Session 6: exports and verify") read the official's code by its id for
-- each of 40,000 officials: one random heap page each of officials (327 MB
-- at full scale, more than shared_buffers keeps) unless the index carries
-- the code. officials is updated seldom, so its pages stay all-visible and
-- the probe is index-only. (The version on the day, read the same way, is
-- carried by official_versions_on since migration 0104.)
SET LOCAL search_path = vhcv, pg_catalog;

CREATE INDEX officials_id_code ON officials (id) INCLUDE (code);
