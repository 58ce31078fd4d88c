-- A rule version may be closed (valid_to set) without becoming a new
-- version: its content hash leaves valid_to out. Everything else about a
-- stored version stays immutable. And the sanction forms follow the legal
-- tables' vocabulary (config/legal/00-vocabulary.yaml).
SET LOCAL search_path = vhcv, pg_catalog;

CREATE FUNCTION rule_versions_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - 'valid_to') IS DISTINCT FROM (to_jsonb(OLD) - 'valid_to') THEN
		RAISE EXCEPTION '% on %.% is not allowed: only valid_to of a rule version may change',
			TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END $$;
DROP TRIGGER rule_versions_append_only ON rule_versions;
CREATE TRIGGER rule_versions_close_only BEFORE UPDATE OR DELETE ON rule_versions
	FOR EACH ROW EXECUTE FUNCTION rule_versions_close_only();
GRANT UPDATE (valid_to) ON rule_versions TO vhcv_app;

ALTER DOMAIN sanction_form DROP CONSTRAINT sanction_form_check;
ALTER DOMAIN sanction_form ADD CONSTRAINT sanction_form_check
	CHECK (VALUE IN ('none', 'khien_trach', 'keo_dai_nang_luong', 'canh_cao',
			 'ha_bac_luong', 'giang_chuc', 'cach_chuc', 'xoa_tu_cach_chuc_vu',
			 'bai_nhiem', 'buoc_thoi_viec', 'sa_thai'));
