-- Issue 8.8: `psql -U vhcv_owner vhcv` then `\dt` shows the register's
-- tables: the database's default search_path names the schema (vhcvd sets
-- its own on every connection anyway). Only the database's owner may set
-- it; a schema owner that is not the database's owner sets it for itself.
DO $$
BEGIN
	EXECUTE format('ALTER DATABASE %I SET search_path = vhcv, public', current_database());
EXCEPTION WHEN insufficient_privilege THEN
	EXECUTE format('ALTER ROLE %I SET search_path = vhcv, public', current_user);
	RAISE NOTICE 'not the database owner: search_path set for role % only', current_user;
END
$$;
