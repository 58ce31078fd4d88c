-- The codes of a council's members read from an index alone (issue 13,
-- docs/performance.md "Session 6: case show"): a case shown lists its
-- council's members by code, and three in four cases of the register have
-- a council. The members are officials anywhere in the table, so each was
-- an index lookup and a heap page of its own (three random pages of the
-- 327 MB table per case shown, most of them not in shared buffers at full
-- scale). With the code beside the id, the lookup is an index-only scan.
-- 5.5 s to build on the 2.5 million officials of the national dataset.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE INDEX officials_id_code ON officials (id) INCLUDE (code);
