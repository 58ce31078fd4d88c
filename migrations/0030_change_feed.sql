-- The change feed for HR (docs/feed.md) and the effects that end by
-- themselves. Feed rows are written by triggers in the writer's own
-- transaction, so no code path can forget one; their place in the feed
-- (pos) is stamped after they commit, by whoever reads the feed, under one
-- advisory lock: rows are numbered in the order they became visible, and a
-- number is never given below one already handed out.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE TABLE changes (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	pos          bigint UNIQUE,            -- NULL until stamped
	kind         text NOT NULL CHECK (kind IN (
			'decision_made', 'decision_changed', 'decision_annulled',
			'effect_ended', 'freeze_ended',
			'official_created', 'official_changed', 'official_moved')),
	official_id  bigint NOT NULL REFERENCES officials (id),
	unit_id      bigint NOT NULL REFERENCES units (id),
	from_unit_id bigint REFERENCES units (id),   -- official_moved: the unit left
	case_id      bigint REFERENCES cases (id),
	decision_id  bigint REFERENCES decisions (id),
	data         jsonb NOT NULL DEFAULT '{}',
	at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_unstamped ON changes (id) WHERE pos IS NULL;

-- Only pos may change, once, from NULL.
CREATE FUNCTION changes_stamp_only() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' OR OLD.pos IS NOT NULL OR
	   (to_jsonb(NEW) - 'pos') IS DISTINCT FROM (to_jsonb(OLD) - 'pos') THEN
		RAISE EXCEPTION '% on %.% is not allowed: a change is stamped once',
			TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER changes_stamp_only BEFORE UPDATE OR DELETE ON changes
	FOR EACH ROW EXECUTE FUNCTION changes_stamp_only();

-- A decision made, changed on appeal, annulled.
CREATE FUNCTION changes_on_decision() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	c record;
BEGIN
	SELECT k.number, k.official_id, k.unit_id INTO c FROM cases k WHERE k.id = NEW.case_id;
	INSERT INTO changes (kind, official_id, unit_id, case_id, decision_id, data)
	VALUES (CASE NEW.kind WHEN 'decision' THEN 'decision_made'
			      WHEN 'change' THEN 'decision_changed'
			      ELSE 'decision_annulled' END,
		c.official_id, c.unit_id, NEW.case_id, NEW.id,
		jsonb_build_object('case', c.number, 'number', NEW.symbol, 'form', NEW.form,
			'signed_on', NEW.signed_on, 'effective_on', NEW.effective_on,
			'effect_until', NEW.effect_until, 'freeze_until', NEW.freeze_until,
			'supersedes', (SELECT s.symbol FROM decisions s WHERE s.id = NEW.supersedes_id)));
	RETURN NULL;
END $$;
CREATE TRIGGER decisions_feed AFTER INSERT ON decisions
	FOR EACH ROW EXECUTE FUNCTION changes_on_decision();

-- An official created, changed, or moved to another unit.
CREATE FUNCTION changes_on_official() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	prev record;
BEGIN
	SELECT v.unit_id INTO prev FROM official_versions v
	 WHERE v.official_id = NEW.official_id AND v.id <> NEW.id
	 ORDER BY v.valid_from DESC, v.id DESC LIMIT 1;
	INSERT INTO changes (kind, official_id, unit_id, from_unit_id, data)
	VALUES (CASE WHEN NOT FOUND THEN 'official_created'
		     WHEN prev.unit_id <> NEW.unit_id THEN 'official_moved'
		     ELSE 'official_changed' END,
		NEW.official_id, NEW.unit_id,
		CASE WHEN FOUND AND prev.unit_id <> NEW.unit_id THEN prev.unit_id END,
		jsonb_build_object('valid_from', NEW.valid_from, 'full_name', NEW.full_name,
			'category', NEW.category, 'leader', NEW.leader, 'position', NEW.position,
			'status', NEW.status,
			'unit', (SELECT code FROM units WHERE id = NEW.unit_id),
			'from_unit', (SELECT code FROM units WHERE id = prev.unit_id
				      AND prev.unit_id <> NEW.unit_id)));
	RETURN NULL;
END $$;
CREATE TRIGGER official_versions_feed AFTER INSERT ON official_versions
	FOR EACH ROW EXECUTE FUNCTION changes_on_official();

-- Effects and career freezes that ended by themselves: one row per
-- decision and kind, whoever writes it first (several vhcvd, catch-up).
CREATE TABLE effect_endings (
	decision_id bigint NOT NULL REFERENCES decisions (id),
	kind        text NOT NULL CHECK (kind IN ('effect_ended', 'freeze_ended')),
	ended_on    date NOT NULL,
	actor       text NOT NULL,
	at          timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (decision_id, kind)
);
CREATE TRIGGER effect_endings_append_only BEFORE UPDATE OR DELETE ON effect_endings
	FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE FUNCTION changes_on_ending() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	d record;
BEGIN
	SELECT k.number, k.official_id, k.unit_id, x.case_id, x.symbol, x.form,
	       x.effect_until, x.freeze_until INTO d
	  FROM decisions x JOIN cases k ON k.id = x.case_id WHERE x.id = NEW.decision_id;
	INSERT INTO changes (kind, official_id, unit_id, case_id, decision_id, data)
	VALUES (NEW.kind, d.official_id, d.unit_id, d.case_id, NEW.decision_id,
		jsonb_build_object('case', d.number, 'number', d.symbol, 'form', d.form,
			'ended_on', NEW.ended_on, 'effect_until', d.effect_until,
			'freeze_until', d.freeze_until));
	RETURN NULL;
END $$;
CREATE TRIGGER effect_endings_feed AFTER INSERT ON effect_endings
	FOR EACH ROW EXECUTE FUNCTION changes_on_ending();

-- Decisions by signing date, for eligibility, statistics and exports.
CREATE INDEX decisions_signed ON decisions (signed_on);
CREATE INDEX decisions_supersedes ON decisions (supersedes_id) WHERE supersedes_id IS NOT NULL;
CREATE INDEX cases_detected ON cases (detected_on);

GRANT SELECT, INSERT ON changes, effect_endings TO vhcv_app;
GRANT UPDATE (pos) ON changes TO vhcv_app;
