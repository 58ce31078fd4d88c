-- The "case" row of a case's history state (case_state_core, migration
-- 0020) as a function of the row itself, so that the report can take the
-- state of the case it inserts from the INSERT's RETURNING instead of
-- reading it back (issue 13: one round trip less per report). The state
-- is the same object as before, field for field.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE FUNCTION case_row_state(c vhcv.cases) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'year', c.year, 'seq', c.seq, 'official_id', c.official_id,
		'unit_id', c.unit_id, 'rule_version_id', c.rule_version_id,
		'source', c.source, 'reporter', c.reporter,
		'occurred_on', c.occurred_on, 'detected_on', c.detected_on,
		'place', c.place, 'description', c.description, 'status', c.status,
		'severity', c.severity, 'complex', c.complex,
		'limitation_expires_on', c.limitation_expires_on,
		'handling_deadline', c.handling_deadline,
		'paused_days', c.paused_days, 'paused_since', c.paused_since)
$$;
GRANT EXECUTE ON FUNCTION case_row_state(vhcv.cases) TO vhcv_app;

CREATE OR REPLACE FUNCTION case_state_core(cid bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT jsonb_build_object('case', vhcv.case_row_state(c))
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

-- What a case is about never changes (migration 0020): the same check,
-- with a first comparison of the columns themselves, so that the common
-- update (a new event moving the case's head, a status) no longer turns the
-- whole row into JSON 28 times (0.6 ms of every update of a case, more
-- than the update). Only when a fact differs does the loop name it, as
-- before; equal columns are equal JSON, so nothing refused before passes.
CREATE OR REPLACE FUNCTION cases_facts_immutable() RETURNS trigger LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog AS $$
DECLARE
	col text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'DELETE on %.% is not allowed: a case is never deleted',
			TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF (NEW.year, NEW.seq, NEW.official_id, NEW.unit_id, NEW.rule_version_id, NEW.source,
	    NEW.reporter, NEW.occurred_on, NEW.detected_on, NEW.place, NEW.description,
	    NEW.idempotency_key, NEW.request_hash, NEW.created_at)
	   IS NOT DISTINCT FROM
	   (OLD.year, OLD.seq, OLD.official_id, OLD.unit_id, OLD.rule_version_id, OLD.source,
	    OLD.reporter, OLD.occurred_on, OLD.detected_on, OLD.place, OLD.description,
	    OLD.idempotency_key, OLD.request_hash, OLD.created_at) THEN
		RETURN NEW;
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
