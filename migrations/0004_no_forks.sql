-- Two seals may never follow the same seal (a fork of the seal chain),
-- and two cases are linked once, whichever way round.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE UNIQUE INDEX audit_seals_one_successor ON audit_seals (prev_hash);
CREATE UNIQUE INDEX case_links_once ON case_links (least(case_id, other_id), greatest(case_id, other_id));
