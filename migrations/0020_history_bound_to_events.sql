-- Everything the API serves as a case's history is bound to its hashed
-- events (docs/audit.md, docs/security.md):
--   * each event records, in its hashed `state`, what changed in the
--     case's history rows (case facts, status, decisions, council,
--     evidence, links, pauses) since the event before it, so that
--     verification replays the events and compares every row and field;
--   * a row of history may only be written in a transaction that also
--     appends an event to that case (a deferred check at COMMIT);
--   * the immutable columns of a case never change, whoever asks, and
--     history rows are never deleted;
--   * the daemon's role may update only the columns that carry a case's
--     current state, and may delete nothing.
SET LOCAL search_path = vhcv, pg_catalog;

ALTER TABLE case_events ADD COLUMN state jsonb;

-- The history rows of one case as served, one key per row ("case",
-- "decision:ID", "council:OFFICIAL", "evidence:ID", "link:OTHER",
-- "pause:ID"), each an object of its fields. (Names are qualified rather
-- than set with SET search_path, which would cost a setting per call.) Evidence appears by its
-- SHA-256 and size; verification checks the bytes against them. A link
-- belongs to the case that wrote it; a probable duplicate is a hint the
-- report computes, not history, until a rejection makes it a duplicate.
CREATE FUNCTION case_state_core(cid bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT jsonb_build_object('case', jsonb_build_object(
			'year', c.year, 'seq', c.seq, 'official_id', c.official_id,
			'unit_id', c.unit_id, 'rule_version_id', c.rule_version_id,
			'source', c.source, 'reporter', c.reporter,
			'occurred_on', c.occurred_on, 'detected_on', c.detected_on,
			'place', c.place, 'description', c.description, 'status', c.status,
			'severity', c.severity, 'complex', c.complex,
			'limitation_expires_on', c.limitation_expires_on,
			'handling_deadline', c.handling_deadline,
			'paused_days', c.paused_days, 'paused_since', c.paused_since))
		FROM vhcv.cases c WHERE c.id = cid), '{}'::jsonb)
	    || coalesce((SELECT jsonb_object_agg('decision:' || d.id,
			to_jsonb(d) - '{id,case_id,idempotency_key,request_hash,at}'::text[])
		FROM vhcv.decisions d WHERE d.case_id = cid), '{}'::jsonb)
	    || coalesce((SELECT jsonb_object_agg('council:' || m.official_id,
			to_jsonb(m) - '{case_id}'::text[])
		FROM vhcv.council_members m WHERE m.case_id = cid), '{}'::jsonb)
	    || coalesce((SELECT jsonb_object_agg('link:' || l.other_id,
			to_jsonb(l) - '{case_id,at}'::text[])
		FROM vhcv.case_links l WHERE l.case_id = cid AND l.kind <> 'probable_duplicate'),
		'{}'::jsonb)
	    || coalesce((SELECT jsonb_object_agg('pause:' || p.id,
			to_jsonb(p) - '{id,case_id}'::text[])
		FROM vhcv.case_pauses p WHERE p.case_id = cid), '{}'::jsonb)
$$;
GRANT EXECUTE ON FUNCTION case_state_core(bigint) TO vhcv_app;
-- Evidence rows are written only by evidence events and never change, so
-- other events record the state without reading them (a lock on evidence
-- then holds only what reads evidence); verification reads them all.
CREATE FUNCTION case_state(cid bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT vhcv.case_state_core(cid)
	    || coalesce((SELECT jsonb_object_agg('evidence:' || e.id,
			to_jsonb(e) - '{id,case_id,bytes,added_at}'::text[])
		FROM vhcv.evidence e WHERE e.case_id = cid), '{}'::jsonb)
$$;
GRANT EXECUTE ON FUNCTION case_state(bigint) TO vhcv_app;

-- A history row changes only with an event of its case in the same
-- transaction: at COMMIT the case's last event must have been written by
-- this transaction.
CREATE FUNCTION history_needs_event() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	cid bigint;
	r record;
BEGIN
	IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
	IF TG_TABLE_NAME = 'cases' THEN
		cid := r.id;
	ELSE
		cid := r.case_id;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM cases c
		       JOIN case_events e ON e.case_id = c.id AND e.seq = c.event_count
		       WHERE c.id = cid
			 AND e.xmin::text::bigint = pg_current_xact_id()::text::bigint % 4294967296) THEN
		RAISE EXCEPTION '% on %.% without an event of case %: history changes only with an event',
			TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME, cid
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cases_need_event AFTER INSERT OR DELETE OR UPDATE OF
	year, seq, official_id, unit_id, rule_version_id, source, reporter, occurred_on,
	detected_on, place, description, status, severity, complex,
	limitation_expires_on, handling_deadline, paused_days, paused_since
	ON cases DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION history_needs_event();
CREATE CONSTRAINT TRIGGER decisions_need_event AFTER INSERT OR UPDATE OR DELETE ON decisions
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION history_needs_event();
CREATE CONSTRAINT TRIGGER council_members_need_event AFTER INSERT OR UPDATE OR DELETE
	ON council_members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
	EXECUTE FUNCTION history_needs_event();
CREATE CONSTRAINT TRIGGER evidence_need_event AFTER INSERT OR UPDATE OR DELETE ON evidence
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION history_needs_event();
CREATE CONSTRAINT TRIGGER case_links_need_event AFTER INSERT OR UPDATE OR DELETE ON case_links
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION history_needs_event();
CREATE CONSTRAINT TRIGGER case_pauses_need_event AFTER INSERT OR UPDATE OR DELETE ON case_pauses
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION history_needs_event();

-- What a case is about never changes, whoever asks.
CREATE FUNCTION cases_facts_immutable() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	col text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'DELETE on %.% is not allowed: a case is never deleted',
			TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
	END IF;
	FOREACH col IN ARRAY ARRAY['year', 'seq', 'official_id', 'unit_id', 'rule_version_id',
				   'source', 'reporter', 'occurred_on', 'detected_on', 'place',
				   'description', 'idempotency_key', 'request_hash', 'created_at'] LOOP
		IF (to_jsonb(NEW) -> col) IS DISTINCT FROM (to_jsonb(OLD) -> col) THEN
			RAISE EXCEPTION 'UPDATE of %.%.% is not allowed: what a case is about never changes',
				TG_TABLE_SCHEMA, TG_TABLE_NAME, col
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END LOOP;
	RETURN NEW;
END $$;
CREATE TRIGGER cases_facts_immutable BEFORE UPDATE OR DELETE ON cases
	FOR EACH ROW EXECUTE FUNCTION cases_facts_immutable();
CREATE TRIGGER cases_no_truncate BEFORE TRUNCATE ON cases
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- Council members: append-only. Links: only a probable duplicate may
-- become a duplicate (turned round to the rejected case). Pauses: only
-- their end is set.
CREATE TRIGGER council_members_append_only BEFORE UPDATE OR DELETE ON council_members
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE FUNCTION case_links_hint_only() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' OR OLD.kind <> 'probable_duplicate' THEN
		RAISE EXCEPTION '% on %.% is not allowed: only a probable duplicate may change',
			TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER case_links_hint_only BEFORE UPDATE OR DELETE ON case_links
	FOR EACH ROW EXECUTE FUNCTION case_links_hint_only();
CREATE FUNCTION case_pauses_end_only() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - 'ended_on') IS DISTINCT FROM (to_jsonb(OLD) - 'ended_on')
	   OR OLD.ended_on IS NOT NULL THEN
		RAISE EXCEPTION '% on %.% is not allowed: only the end of a running pause is set',
			TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER case_pauses_end_only BEFORE UPDATE OR DELETE ON case_pauses
	FOR EACH ROW EXECUTE FUNCTION case_pauses_end_only();

-- Case numbers have no gaps (the counter moves in the transaction that
-- writes the case), so a deleted case leaves a hole verification names;
-- the counter only moves forward.
CREATE FUNCTION case_counters_forward() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' OR NEW.year <> OLD.year OR NEW.last < OLD.last THEN
		RAISE EXCEPTION '% on %.% is not allowed: case numbers only move forward',
			TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER case_counters_forward BEFORE UPDATE OR DELETE ON case_counters
	FOR EACH ROW EXECUTE FUNCTION case_counters_forward();
CREATE TRIGGER case_counters_no_truncate BEFORE TRUNCATE ON case_counters
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- The daemon's role: UPDATE only on the columns that carry current state
-- (every column but the immutable ones, so columns added before this
-- migration keep working), and no DELETE anywhere in the case history.
REVOKE UPDATE ON cases, case_pauses FROM vhcv_app;
REVOKE DELETE ON council_members FROM vhcv_app;
DO $$
DECLARE
	cols text;
BEGIN
	SELECT string_agg(quote_ident(column_name), ', ') INTO cols
	FROM information_schema.columns
	WHERE table_schema = 'vhcv' AND table_name = 'cases'
	  AND column_name NOT IN ('id', 'number', 'year', 'seq', 'official_id', 'unit_id',
				  'rule_version_id', 'source', 'reporter', 'occurred_on',
				  'detected_on', 'place', 'description', 'idempotency_key',
				  'request_hash', 'created_at');
	EXECUTE 'GRANT UPDATE (' || cols || ') ON vhcv.cases TO vhcv_app';
END $$;
GRANT UPDATE (ended_on) ON case_pauses TO vhcv_app;
