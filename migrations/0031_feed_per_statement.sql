-- The change feed's rows about officials written once per statement
-- instead of once per row (issue #11 item 8: a bulk sync inserts a
-- thousand versions in one statement, and the row trigger was half of its
-- time). Same rows, same order (by version id), same kinds and data as
-- 0030's changes_on_official: each new version is compared with the
-- official's latest other version.
SET LOCAL search_path = vhcv, pg_catalog;

DROP TRIGGER official_versions_feed ON official_versions;
DROP FUNCTION changes_on_official();

CREATE FUNCTION changes_on_officials() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
BEGIN
	INSERT INTO changes (kind, official_id, unit_id, from_unit_id, data)
	SELECT CASE WHEN p.unit_id IS NULL THEN 'official_created'
		    WHEN p.unit_id <> n.unit_id THEN 'official_moved'
		    ELSE 'official_changed' END,
	       n.official_id, n.unit_id,
	       CASE WHEN p.unit_id <> n.unit_id THEN p.unit_id END,
	       jsonb_build_object('valid_from', n.valid_from, 'full_name', n.full_name,
		       'category', n.category, 'leader', n.leader, 'position', n.position,
		       'status', n.status, 'unit', nu.code,
		       'from_unit', CASE WHEN p.unit_id <> n.unit_id THEN pu.code END)
	  FROM new_versions n
	  JOIN units nu ON nu.id = n.unit_id
	  LEFT JOIN LATERAL (SELECT v.unit_id FROM official_versions v
			      WHERE v.official_id = n.official_id AND v.id <> n.id
			      ORDER BY v.valid_from DESC, v.id DESC LIMIT 1) p ON true
	  LEFT JOIN units pu ON pu.id = p.unit_id
	 ORDER BY n.id;
	RETURN NULL;
END $$;
CREATE TRIGGER official_versions_feed AFTER INSERT ON official_versions
	REFERENCING NEW TABLE AS new_versions
	FOR EACH STATEMENT EXECUTE FUNCTION changes_on_officials();
