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
