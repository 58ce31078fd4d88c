-- Officials found by any word of their name (issue 12): Vietnamese users
-- look people up by given name, or middle and given name, so every word
-- of the query matches the beginning of some word of the name, in any
-- order: "van an", "an nguyen" and "an" all find "Nguyễn Văn An"; "uyen"
-- (only inside "nguyen") does not.
--
-- The words of a name are those of the 'simple' text search configuration
-- (built in: no extension) over the folded name of migration 0055, so the
-- same fold — no diacritics, đ as d, lower case, any Unicode form — holds.
-- name_query builds the query from the words the same parser finds in the
-- text, each quoted as a lexeme with a prefix mark and all ANDed: the
-- text's & | ! : * ( ) ' are separators, never operators. It is NULL when
-- the text has no word. The GIN index serves a rare word; a common one
-- ("van") is read in name order through officials_name_search, filtered.
-- 0090 (not 0056-0059): a database that applied 0070 refuses a lower
-- number added later.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE FUNCTION vhcv.name_query(q text) RETURNS tsquery
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT pg_catalog.string_agg('''' || pg_catalog.replace(pg_catalog.replace(
		w.lexeme, '\', '\\'), '''', '''''') || ''':*', ' & ')
	FROM pg_catalog.unnest(pg_catalog.to_tsvector('simple'::pg_catalog.regconfig,
		vhcv.name_fold(q))) AS w)::pg_catalog.tsquery;
GRANT EXECUTE ON FUNCTION vhcv.name_query(text) TO vhcv_app;

CREATE INDEX officials_name_words ON officials
	USING gin (to_tsvector('simple'::regconfig, name_key));
