-- Officials found by name (issue 12): "nguyen van an", "Nguyễn Văn An"
-- and the same name typed in NFD all find "Nguyễn Văn An".
--
-- name_key is the folded name: NFD, combining marks dropped, đ/Đ made d,
-- lower case, runs of white space made one space, trimmed. The database
-- computes it (a stored generated column), so every writer — PUT, bulk
-- sync, vhgen's COPY, an operator's psql — fills it without code of its
-- own, and the query folds its text with the same function, so the two
-- can never disagree. Built-in functions only: unaccent and pg_trgm are
-- extensions a schema owner may not be allowed to create.
--
-- The search matches the beginning of the folded name (family name first)
-- or of the code, in the order of the indexes below, so that a page is one
-- ordered index range whatever the prefix (^@ on COLLATE "C" is a btree
-- range): names for all units, the same per unit for identities scoped
-- to some units (one range per unit of the scope), and codes.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE FUNCTION vhcv.name_fold(t text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.lower(pg_catalog.translate(
	pg_catalog.regexp_replace(pg_catalog.normalize(t, 'NFD'),
		'[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'),
	'Đđ', 'dd')), '\s+', ' ', 'g'));
GRANT EXECUTE ON FUNCTION vhcv.name_fold(text) TO vhcv_app;

ALTER TABLE officials ADD COLUMN name_key text
	GENERATED ALWAYS AS (vhcv.name_fold(full_name)) STORED;

CREATE INDEX officials_name_search ON officials (name_key COLLATE "C", code COLLATE "C");
CREATE INDEX officials_unit_name_search
	ON officials (unit_id, name_key COLLATE "C", code COLLATE "C");
CREATE INDEX officials_code_search ON officials ((lower(code)) COLLATE "C", code COLLATE "C");
