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
GRANT EXECUTE ON FUNCTION merged_by_now(units) TO vhcv_app;
