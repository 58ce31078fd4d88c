-- Seals that scale (docs/audit.md): every event becomes a leaf of one
-- append-only Merkle tree in the manner of RFC 9162; each seal is a tree
-- head (size, root) signed with the daemon's Ed25519 key. A seal costs
-- what was written since the last one.
SET LOCAL search_path = vhcv, pg_catalog;

-- Events written since the last seal: filled by a trigger, emptied by
-- the sealer as it moves them into the log. An event that is neither
-- logged nor pending is named by verification.
CREATE TABLE audit_pending (
	event_id bigint PRIMARY KEY REFERENCES case_events (id)
);

CREATE FUNCTION case_events_pending() RETURNS trigger LANGUAGE plpgsql
	SECURITY DEFINER SET search_path = vhcv, pg_catalog AS $$
BEGIN
	INSERT INTO audit_pending (event_id) VALUES (NEW.id);
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION case_events_pending() FROM PUBLIC;
CREATE TRIGGER case_events_pending AFTER INSERT ON case_events
	FOR EACH ROW EXECUTE FUNCTION case_events_pending();

-- The log: position → event, in the order the sealer appended them. The
-- leaf is SHA-256(0x00 || event hash).
CREATE TABLE audit_log (
	pos         bigint PRIMARY KEY CHECK (pos >= 0),
	event_id    bigint NOT NULL UNIQUE REFERENCES case_events (id),
	case_number text NOT NULL,
	hash        sha256 NOT NULL
);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- Signed tree heads. frontier: the roots of the perfect subtrees of the
-- tree, left to right (what the next seal starts from).
CREATE TABLE audit_tree_heads (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tree_size  bigint NOT NULL UNIQUE CHECK (tree_size >= 0),
	root_hash  sha256 NOT NULL,
	sealed_at  timestamptz NOT NULL,
	frontier   text NOT NULL,
	key_id     text,
	signature  text
);
CREATE TRIGGER audit_tree_heads_append_only BEFORE UPDATE OR DELETE ON audit_tree_heads
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_tree_heads_no_truncate BEFORE TRUNCATE ON audit_tree_heads
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

GRANT SELECT, DELETE ON audit_pending TO vhcv_app;
GRANT SELECT, INSERT ON audit_log, audit_tree_heads TO vhcv_app;

-- events already written enter the log at the next seal
INSERT INTO audit_pending (event_id) SELECT id FROM case_events;
