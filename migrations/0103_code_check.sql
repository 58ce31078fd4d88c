-- The domain `code` (units, officials, rule versions and their groups)
-- checked the same values without a regular expression's bounded
-- repetition: '^[A-Za-z0-9_.-]{1,64}$' cost about 5 µs a value, 10 of
-- the server's 50 ms of CPU to store 1,000 new rule versions on a reload
-- (issue 13, docs/performance.md "Session 5: reload"); a length and a
-- character class cost 0.5 µs. The values allowed are the same, so the
-- rows stored need no new check (NOT VALID: no scan of 2.5 M officials).
SET LOCAL search_path = vhcv, pg_catalog;

ALTER DOMAIN code ADD CONSTRAINT code_chars
	CHECK (length(VALUE) BETWEEN 1 AND 64 AND VALUE !~ '[^A-Za-z0-9_.-]') NOT VALID;
ALTER DOMAIN code DROP CONSTRAINT code_check;
ALTER DOMAIN code RENAME CONSTRAINT code_chars TO code_check;
