-- The effects tick (src/daemon/store/scheduler.c) found the effects and
-- career freezes that ended by reading every decision and probing
-- effect_endings for each: about 800,000 decisions at national scale, 1 to
-- 4 s of every scheduler interval. effect_pending holds the endings still
-- to come (one row per decision and kind whose last day in force is
-- known and whose ending is not written yet), so that a tick reads only
-- the rows whose day has passed, through an index: milliseconds.
--
-- Derived data, not history: written only by the trigger below (SECURITY
-- DEFINER: vhcvd may read and delete, never insert), rebuilt by
-- effect_pending_fill() for a dataset loaded with the triggers off
-- (bench/vhgen) and filled here from the decisions. A tick deletes the
-- rows whose day has passed and writes their endings in the same
-- statement, so a row leaves the queue only with its ending written, or
-- when its decision was superseded before the effect ran out (decisions
-- are never edited nor deleted: that never changes again). A decision
-- committed after a tick, whatever its dates, is in the queue for the
-- next one; two ticks at once delete each row once (the second waits for
-- the first's row locks and skips what it deleted), and effect_endings'
-- primary key still writes each ending once.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE TABLE effect_pending (
	decision_id bigint NOT NULL,
	kind        text NOT NULL CHECK (kind IN ('effect_ended', 'freeze_ended')),
	until       date NOT NULL, -- the last day in force: the ending is the day after
	PRIMARY KEY (decision_id, kind)
);
CREATE INDEX effect_pending_until ON effect_pending (until);
GRANT SELECT, DELETE ON effect_pending TO vhcv_app;

-- the endings a new decision will have (as the tick read them before:
-- neither an annulment nor a decision without sanction)
CREATE FUNCTION effect_pending_decision() RETURNS trigger LANGUAGE plpgsql
	SECURITY DEFINER SET search_path = vhcv, pg_catalog AS $$
BEGIN
	IF NEW.kind <> 'annulment' AND NEW.form <> 'none' THEN
		INSERT INTO effect_pending (decision_id, kind, until)
		SELECT NEW.id, e.kind, e.until
		FROM (VALUES ('effect_ended', NEW.effect_until),
			('freeze_ended', NEW.freeze_until)) e(kind, until)
		WHERE e.until IS NOT NULL;
	END IF;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION effect_pending_decision() FROM PUBLIC;
CREATE TRIGGER decisions_effect_pending AFTER INSERT ON decisions
	FOR EACH ROW EXECUTE FUNCTION effect_pending_decision();

-- every ending not written yet, from the decisions (the owner's, for a
-- load with the triggers off); returns the rows queued
CREATE FUNCTION effect_pending_fill() RETURNS bigint LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	n bigint;
BEGIN
	TRUNCATE effect_pending;
	INSERT INTO effect_pending (decision_id, kind, until)
	SELECT d.id, e.kind, e.until FROM decisions d
	CROSS JOIN LATERAL (VALUES ('effect_ended', d.effect_until),
		('freeze_ended', d.freeze_until)) e(kind, until)
	WHERE d.kind <> 'annulment' AND d.form <> 'none' AND e.until IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM effect_endings x
		WHERE x.decision_id = d.id AND x.kind = e.kind);
	GET DIAGNOSTICS n = ROW_COUNT;
	ANALYZE effect_pending;
	RETURN n;
END $$;
REVOKE ALL ON FUNCTION effect_pending_fill() FROM PUBLIC;

SELECT effect_pending_fill();
