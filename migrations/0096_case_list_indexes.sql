-- The case list of a unit subtree (issue 13, docs/performance.md "Session
-- 4: latency of reads"): its page of ids is read from an index alone.
-- A small subtree is read unit by unit, each unit's cases in id order; a
-- large one in id order, keeping the cases whose unit is in the subtree
-- without reading the table (the unit is in the index). Before, the
-- cases were read from the table in id order and filtered: 3,000 rows of
-- the table for a province's first page of 50, 250,000 for a commune's.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE INDEX cases_unit_id ON cases (unit_id, id);
CREATE INDEX cases_id_unit ON cases (id) INCLUDE (unit_id);
