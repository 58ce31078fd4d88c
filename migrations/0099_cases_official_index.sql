-- A report writes one index entry fewer (issue 13, docs/performance.md
-- "Session 5: the report"): cases_official (official_id), of migration
-- 0001, is the leading column of cases_official_day (official_id,
-- occurred_on) of migration 0006, which every query by official can use
-- as well (they all filter on official_id = ...; none reads the cases of
-- an official in the order of that index). Each report about a random
-- official wrote an entry into a random leaf page of both, and each of
-- those pages, written first after a checkpoint, put a whole page into the
-- WAL; the larger one stays.
SET LOCAL search_path = vhcv, pg_catalog;

DROP INDEX cases_official;
