-- Scope follows the unit tree as of the day: a merge dated in the future
-- does not move review rights today (issue 10.3). The register's day is
-- the day in its time zone, which vhcvd gives each connection as the
-- setting vhcv.zone (vhcvd.yaml `timezone:`).
SET LOCAL search_path = vhcv, pg_catalog;

CREATE FUNCTION register_today() RETURNS date LANGUAGE sql STABLE
	SET search_path = vhcv, pg_catalog AS $$
	SELECT (now() AT TIME ZONE coalesce(nullif(current_setting('vhcv.zone', true), ''),
					    'Asia/Ho_Chi_Minh'))::date
$$;
GRANT EXECUTE ON FUNCTION register_today() TO vhcv_app;

-- a merge has taken effect on the register's day (the merged unit ended
-- the day before the merge)
CREATE FUNCTION merged_by_now(u units) RETURNS boolean LANGUAGE sql STABLE
	SET search_path = vhcv, pg_catalog AS $$
	SELECT u.merged_into IS NOT NULL AND u.valid_to < register_today()
$$;

-- The unit above u in the tree as it stands today: until a merge's day
-- the parent it had (the merge clears parent_id; its history row keeps
-- it), from that day the unit it was merged into.
CREATE FUNCTION unit_parent_now(u units) RETURNS bigint LANGUAGE sql STABLE
	SET search_path = vhcv, pg_catalog AS $$
	SELECT CASE WHEN u.merged_into IS NULL THEN u.parent_id
		    WHEN merged_by_now(u) THEN NULL
		    ELSE (SELECT h.parent_id FROM unit_history h
			  WHERE h.unit_id = u.id AND h.change = 'merged'
			  ORDER BY h.id DESC LIMIT 1) END
$$;
CREATE FUNCTION unit_merged_now(u units) RETURNS bigint LANGUAGE sql STABLE
	SET search_path = vhcv, pg_catalog AS $$
	SELECT CASE WHEN merged_by_now(u) THEN u.merged_into END
$$;
GRANT EXECUTE ON FUNCTION merged_by_now(units), unit_parent_now(units), unit_merged_now(units)
	TO vhcv_app;
