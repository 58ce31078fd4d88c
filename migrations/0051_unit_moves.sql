-- A unit moved to another parent on a day (bulk sync of units, issue 11
-- item 8). units.parent_id holds the latest parent and units.moved_on the
-- day that move takes effect (NULL: the parent it was created under).
-- Scope follows the tree as of the register's day (0022): before a move's
-- day the unit is still under the parent it had on that day, read from
-- unit_history (rows 'created' and 'moved' record the parent from their
-- effective_on). The common case, no move ahead, reads parent_id alone.
SET LOCAL search_path = vhcv, pg_catalog;

ALTER TABLE units ADD COLUMN moved_on date;

-- the parent of unit uid on day d, from its history (NULL when it had
-- none, or did not exist yet)
CREATE FUNCTION unit_parent_on(uid bigint, d date) RETURNS bigint LANGUAGE sql STABLE
	SET search_path = vhcv, pg_catalog AS $$
	SELECT h.parent_id FROM unit_history h
	WHERE h.unit_id = uid AND h.change IN ('created', 'moved') AND h.effective_on <= d
	ORDER BY h.effective_on DESC, h.id DESC LIMIT 1
$$;
GRANT EXECUTE ON FUNCTION unit_parent_on(bigint, date) TO vhcv_app;

CREATE OR REPLACE FUNCTION unit_parent_now(u units) RETURNS bigint LANGUAGE sql STABLE
	SET search_path = vhcv, pg_catalog AS $$
	SELECT CASE WHEN u.merged_into IS NULL THEN
			CASE WHEN u.moved_on IS NULL OR u.moved_on <= register_today() THEN u.parent_id
			     ELSE unit_parent_on(u.id, register_today()) END
		    WHEN merged_by_now(u) THEN NULL
		    ELSE (SELECT h.parent_id FROM unit_history h
			  WHERE h.unit_id = u.id AND h.change = 'merged'
			  ORDER BY h.id DESC LIMIT 1) END
$$;
