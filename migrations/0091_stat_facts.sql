-- Yearly statistics of the whole country (issue 13): the outcomes of the
-- window were found by joining the year's decisions and closing events
-- to every case (1 M cases, 600 MB, twice) for the case's unit, rule and
-- source. stat_facts keeps, for every decision and every rejection,
-- appeal or closing, what the statistics count of it together with those
-- three immutable facts of its case (cases_facts_immutable), so that
-- GET /v1/stats reads the window's rows of one narrow table through an
-- index and never touches cases for them.
--
-- One row per decision (day = signed_on; days to decision from the case's
-- detection; deadline = the case's handling deadline, which may still move
-- after the decision: cases_stat_deadline keeps it current) or per
-- rejected/appealed/closed/waived/expired event (at = the event's time:
-- its day depends on the register's time zone, given to each query).
-- Derived data, not history: written only by the triggers below (SECURITY
-- DEFINER: vhcvd may only read it), rebuilt by stat_facts_fill() for a
-- dataset loaded with the triggers off (bench/vhgen).
SET LOCAL search_path = vhcv, pg_catalog;

CREATE TABLE stat_facts (
	case_id         bigint NOT NULL,
	m               text NOT NULL CHECK (m IN ('decided', 'changed', 'annulled',
				'rejected', 'appealed', 'closed')),
	day             date,
	at              timestamptz,
	unit_id         bigint NOT NULL,
	rule_version_id bigint NOT NULL,
	source          text NOT NULL,
	form            text,
	days            integer,
	deadline        date,
	CHECK ((day IS NULL) <> (at IS NULL))
);
GRANT SELECT ON stat_facts TO vhcv_app;

-- a decision's fact
CREATE FUNCTION stat_facts_decision() RETURNS trigger LANGUAGE plpgsql
	SECURITY DEFINER SET search_path = vhcv, pg_catalog AS $$
BEGIN
	INSERT INTO stat_facts (case_id, m, day, unit_id, rule_version_id, source, form, days,
		deadline)
	SELECT c.id, CASE NEW.kind WHEN 'decision' THEN 'decided' WHEN 'change' THEN 'changed'
		ELSE 'annulled' END, NEW.signed_on, c.unit_id, c.rule_version_id, c.source,
		NEW.form::text, NEW.signed_on - c.detected_on, c.handling_deadline
	FROM cases c WHERE c.id = NEW.case_id;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION stat_facts_decision() FROM PUBLIC;
CREATE TRIGGER decisions_stat_facts AFTER INSERT ON decisions
	FOR EACH ROW EXECUTE FUNCTION stat_facts_decision();

-- a rejection, appeal or closing (waived and expired count as closed)
CREATE FUNCTION stat_facts_event() RETURNS trigger LANGUAGE plpgsql
	SECURITY DEFINER SET search_path = vhcv, pg_catalog AS $$
BEGIN
	INSERT INTO stat_facts (case_id, m, at, unit_id, rule_version_id, source)
	SELECT c.id, CASE WHEN NEW.kind IN ('waived', 'expired') THEN 'closed' ELSE NEW.kind END,
		NEW.at, c.unit_id, c.rule_version_id, c.source
	FROM cases c WHERE c.id = NEW.case_id;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION stat_facts_event() FROM PUBLIC;
CREATE TRIGGER case_events_stat_facts AFTER INSERT ON case_events
	FOR EACH ROW WHEN (NEW.kind IN ('rejected', 'appealed', 'closed', 'waived', 'expired'))
	EXECUTE FUNCTION stat_facts_event();

-- the handling deadline moved (complex case, resumed deferral): the
-- "decided within the deadline" of the case's decisions follows it
CREATE FUNCTION stat_facts_deadline() RETURNS trigger LANGUAGE plpgsql
	SECURITY DEFINER SET search_path = vhcv, pg_catalog AS $$
BEGIN
	UPDATE stat_facts SET deadline = NEW.handling_deadline
	WHERE case_id = NEW.id AND day IS NOT NULL;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION stat_facts_deadline() FROM PUBLIC;
CREATE TRIGGER cases_stat_deadline AFTER UPDATE OF handling_deadline ON cases
	FOR EACH ROW WHEN (OLD.handling_deadline IS DISTINCT FROM NEW.handling_deadline)
	EXECUTE FUNCTION stat_facts_deadline();

-- Every fact again from the history (the backfill below, and bench/vhgen
-- after a load with the triggers off). In day order, so that a window's
-- rows lie together. Run with the writers stopped.
CREATE FUNCTION stat_facts_fill() RETURNS bigint LANGUAGE plpgsql
	SET search_path = vhcv, pg_catalog SET work_mem = '256MB' AS $$
DECLARE
	n bigint;
BEGIN
	TRUNCATE stat_facts;
	INSERT INTO stat_facts (case_id, m, day, at, unit_id, rule_version_id, source, form,
		days, deadline)
	SELECT * FROM (
		SELECT d.case_id, CASE d.kind WHEN 'decision' THEN 'decided' WHEN 'change'
			THEN 'changed' ELSE 'annulled' END AS m, d.signed_on AS day,
			NULL::timestamptz AS at, c.unit_id, c.rule_version_id, c.source,
			d.form::text AS form, d.signed_on - c.detected_on AS days,
			c.handling_deadline AS deadline
		FROM decisions d JOIN cases c ON c.id = d.case_id
		UNION ALL
		SELECT e.case_id, CASE WHEN e.kind IN ('waived', 'expired') THEN 'closed'
			ELSE e.kind END, NULL, e.at, c.unit_id, c.rule_version_id, c.source,
			NULL, NULL, NULL
		FROM case_events e JOIN cases c ON c.id = e.case_id
		WHERE e.kind IN ('rejected', 'appealed', 'closed', 'waived', 'expired')) f
	ORDER BY coalesce(f.day, (f.at AT TIME ZONE 'UTC')::date), f.at;
	GET DIAGNOSTICS n = ROW_COUNT;
	ANALYZE stat_facts;
	RETURN n;
END $$;
REVOKE ALL ON FUNCTION stat_facts_fill() FROM PUBLIC;

SELECT stat_facts_fill();
CREATE INDEX stat_facts_day ON stat_facts (day) WHERE day IS NOT NULL;
CREATE INDEX stat_facts_at ON stat_facts (at) WHERE at IS NOT NULL;
CREATE INDEX stat_facts_case ON stat_facts (case_id);

-- the cases reported in the window, with what the statistics count of
-- them, from the index alone
DROP INDEX cases_detected;
CREATE INDEX cases_detected ON cases (detected_on) INCLUDE (unit_id, rule_version_id, source);
