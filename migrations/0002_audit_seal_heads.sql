-- Seals record each case head they cover, so that verification can tell
-- which case lost events after it was sealed.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE TABLE audit_seal_heads (
	seal_id     bigint NOT NULL REFERENCES audit_seals (id),
	case_id     bigint NOT NULL REFERENCES cases (id),
	event_count integer NOT NULL CHECK (event_count > 0),
	head        sha256 NOT NULL,
	PRIMARY KEY (seal_id, case_id)
);
CREATE TRIGGER audit_seal_heads_append_only BEFORE UPDATE OR DELETE ON audit_seal_heads
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
GRANT SELECT, INSERT ON audit_seal_heads TO vhcv_app;
