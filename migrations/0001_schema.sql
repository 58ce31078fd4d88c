-- vhcv schema, version 1: the whole data model of DESIGN.md.
-- Runs as the schema owner inside one transaction (vhcvd --migrate).
-- The daemon connects as vhcv_app, which must exist (scripts/run creates
-- it) and gets only the privileges below.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vhcv_app') THEN
		RAISE EXCEPTION 'role vhcv_app does not exist: create it first (see scripts/run)';
	END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS vhcv;
SET LOCAL search_path = vhcv, pg_catalog;

CREATE DOMAIN code AS text CHECK (VALUE ~ '^[A-Za-z0-9_.-]{1,64}$');
CREATE DOMAIN sha256 AS text CHECK (VALUE ~ '^[0-9a-f]{64}$');
CREATE DOMAIN category AS text
	CHECK (VALUE IN ('can_bo', 'cong_chuc', 'vien_chuc', 'nguoi_lao_dong'));
CREATE DOMAIN severity AS text
	CHECK (VALUE IN ('it_nghiem_trong', 'nghiem_trong', 'rat_nghiem_trong',
			 'dac_biet_nghiem_trong'));
CREATE DOMAIN sanction_form AS text
	CHECK (VALUE IN ('none', 'khien_trach', 'canh_cao', 'ha_bac_luong',
			 'giang_chuc', 'cach_chuc', 'bai_nhiem', 'buoc_thoi_viec',
			 'keo_dai_nang_luong', 'sa_thai', 'xoa_ten_chuc_danh'));

-- Units: renamed, merged and moved; history survives.
CREATE TABLE units (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        code NOT NULL UNIQUE,
	name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
	parent_id   bigint REFERENCES units (id),
	valid_from  date NOT NULL DEFAULT current_date,
	valid_to    date,
	merged_into bigint REFERENCES units (id),
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	CHECK (parent_id IS DISTINCT FROM id),
	CHECK (merged_into IS DISTINCT FROM id),
	CHECK (valid_to IS NULL OR valid_to >= valid_from),
	-- a merged unit has ended
	CHECK (merged_into IS NULL OR valid_to IS NOT NULL)
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_merged_into ON units (merged_into);

-- Every change of a unit, for "which unit was this on that day".
CREATE TABLE unit_history (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id    bigint NOT NULL REFERENCES units (id),
	change     text NOT NULL CHECK (change IN ('created', 'renamed', 'moved', 'merged', 'ended')),
	name       text NOT NULL,
	parent_id  bigint REFERENCES units (id),
	merged_into bigint REFERENCES units (id),
	effective_on date NOT NULL,
	actor      text NOT NULL,
	at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_history_unit ON unit_history (unit_id, effective_on);

CREATE TABLE officials (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        code NOT NULL UNIQUE,
	full_name   text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 300),
	category    category NOT NULL,
	leader      boolean NOT NULL DEFAULT false,
	unit_id     bigint NOT NULL REFERENCES units (id),
	position    text,
	status      text NOT NULL DEFAULT 'active'
		    CHECK (status IN ('active', 'retired', 'left')),
	updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX officials_unit ON officials (unit_id);

-- Each put of an official starts a version, so "official show --on DATE"
-- and the decision check use the category and leader flag of that day.
CREATE TABLE official_versions (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint NOT NULL REFERENCES officials (id),
	valid_from  date NOT NULL,
	full_name   text NOT NULL,
	category    category NOT NULL,
	leader      boolean NOT NULL,
	unit_id     bigint NOT NULL REFERENCES units (id),
	position    text,
	status      text NOT NULL CHECK (status IN ('active', 'retired', 'left')),
	actor       text NOT NULL,
	at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX official_versions_on ON official_versions (official_id, valid_from DESC, id DESC);

-- The conduct code as loaded: a new row whenever a rule's content changes.
CREATE TABLE rule_versions (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code          code NOT NULL,
	ruleset       text NOT NULL,
	grp           code NOT NULL,
	title_vi      text NOT NULL,
	title_en      text NOT NULL,
	content       jsonb NOT NULL,
	content_hash  sha256 NOT NULL,
	no_limitation boolean NOT NULL DEFAULT false,
	valid_from    date NOT NULL,
	valid_to      date,
	loaded_at     timestamptz NOT NULL DEFAULT now(),
	UNIQUE (code, content_hash),
	CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX rule_versions_code ON rule_versions (code, valid_from DESC);

CREATE TABLE case_counters (
	year integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
	last integer NOT NULL CHECK (last >= 0)
);

CREATE TABLE cases (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	year            integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
	seq             integer NOT NULL CHECK (seq > 0),
	number          text NOT NULL UNIQUE
			GENERATED ALWAYS AS ('VP-' || year::text || '-' || seq::text) STORED,
	official_id     bigint NOT NULL REFERENCES officials (id),
	unit_id         bigint NOT NULL REFERENCES units (id), -- at the time of the report
	rule_version_id bigint NOT NULL REFERENCES rule_versions (id),
	source          text NOT NULL
			CHECK (source IN ('inspection', 'supervision', 'citizen', 'front', 'self')),
	reporter        text NOT NULL,
	occurred_on     date NOT NULL,
	detected_on     date NOT NULL,
	place           text,
	description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 20000),
	status          text NOT NULL DEFAULT 'reported'
			CHECK (status IN ('reported', 'under_review', 'deferred', 'council',
					  'decided', 'appealed', 'rejected',
					  'closed_no_sanction', 'closed')),
	severity        severity,
	complex         boolean NOT NULL DEFAULT false,
	idempotency_key text UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
	request_hash    sha256,
	limitation_expires_on date,           -- NULL: no limitation
	handling_deadline     date,
	paused_days     integer NOT NULL DEFAULT 0 CHECK (paused_days >= 0),
	paused_since    date,
	event_count     integer NOT NULL DEFAULT 0,
	event_head      sha256,               -- hash of the last event
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now(),
	UNIQUE (year, seq),
	CHECK (detected_on >= occurred_on),
	CHECK (status <> 'deferred' OR paused_since IS NOT NULL)
);
CREATE INDEX cases_official ON cases (official_id);
CREATE INDEX cases_unit_status ON cases (unit_id, status, id);
CREATE INDEX cases_status ON cases (status, id);

CREATE TABLE case_links (
	case_id  bigint NOT NULL REFERENCES cases (id),
	other_id bigint NOT NULL REFERENCES cases (id),
	kind     text NOT NULL DEFAULT 'related' CHECK (kind IN ('related', 'duplicate')),
	actor    text NOT NULL,
	at       timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (case_id, other_id),
	CHECK (case_id <> other_id)
);

-- The timeline: append-only, hash-chained per case (docs/audit.md).
CREATE TABLE case_events (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id   bigint NOT NULL REFERENCES cases (id),
	seq       integer NOT NULL CHECK (seq > 0),
	kind      text NOT NULL CHECK (kind IN (
			'reported', 'accepted', 'rejected', 'deferred', 'resumed',
			'council', 'vote', 'decided', 'appealed', 'upheld', 'changed',
			'annulled', 'waived', 'closed', 'expired', 'note', 'evidence',
			'linked', 'explanation')),
	actor     text NOT NULL,
	at        timestamptz NOT NULL DEFAULT now(),
	data      jsonb NOT NULL DEFAULT '{}',
	prev_hash sha256 NOT NULL,
	hash      sha256 NOT NULL UNIQUE,
	UNIQUE (case_id, seq)
);

-- Seals over all case heads, so that deleting a whole case's tail is
-- detected too.
CREATE TABLE audit_seals (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	sealed_at   timestamptz NOT NULL DEFAULT now(),
	cases       integer NOT NULL,
	events      bigint NOT NULL,
	heads_hash  sha256 NOT NULL,
	prev_hash   sha256 NOT NULL,
	hash        sha256 NOT NULL UNIQUE
);

CREATE TABLE case_pauses (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id   bigint NOT NULL REFERENCES cases (id),
	ground    text NOT NULL,
	started_on date NOT NULL,
	until_on  date,
	ended_on  date,
	CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX case_pauses_case ON case_pauses (case_id);

CREATE TABLE council_members (
	case_id     bigint NOT NULL REFERENCES cases (id),
	official_id bigint NOT NULL REFERENCES officials (id),
	PRIMARY KEY (case_id, official_id)
);

CREATE TABLE evidence (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id    bigint NOT NULL REFERENCES cases (id),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 255 AND name !~ '[/\\]'),
	media_type text NOT NULL,
	size       bigint NOT NULL CHECK (size >= 0),
	sha256     sha256 NOT NULL,
	bytes      bytea NOT NULL,
	added_by   text NOT NULL,
	added_at   timestamptz NOT NULL DEFAULT now(),
	UNIQUE (case_id, name),
	CHECK (octet_length(bytes) = size)
);

-- Decisions are never edited: a change or annulment is a new row that
-- supersedes the old one.
CREATE TABLE decisions (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id         bigint NOT NULL REFERENCES cases (id),
	kind            text NOT NULL CHECK (kind IN ('decision', 'change', 'annulment')),
	form            sanction_form NOT NULL,
	severity        severity,
	issuer          text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 100),
	year            integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
	number          integer NOT NULL CHECK (number > 0),
	symbol          text NOT NULL,         -- as written: "12/QĐ-UBND"
	signed_on       date NOT NULL,
	effective_on    date NOT NULL,
	effect_until    date,
	freeze_until    date,
	recommended_form sanction_form,
	regime          text NOT NULL,
	reason          text,
	ladder_form     sanction_form,
	supersedes_id   bigint UNIQUE REFERENCES decisions (id),
	idempotency_key text UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
	request_hash    sha256,
	actor           text NOT NULL,
	at              timestamptz NOT NULL DEFAULT now(),
	UNIQUE (issuer, year, number),
	CHECK (effective_on >= signed_on),
	CHECK (year = extract(year FROM signed_on)),
	CHECK (kind = 'decision' OR supersedes_id IS NOT NULL),
	CHECK (kind <> 'annulment' OR form = 'none')
);
CREATE INDEX decisions_case ON decisions (case_id);

-- Append-only tables: no UPDATE, no DELETE, whoever asks.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% on %.% is not allowed: the table is append-only',
		TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE ON evidence
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER rule_versions_append_only BEFORE UPDATE OR DELETE ON rule_versions
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER unit_history_append_only BEFORE UPDATE OR DELETE ON unit_history
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER official_versions_append_only BEFORE UPDATE OR DELETE ON official_versions
	FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- The daemon's role: read everything, append to the logs, update only the
-- rows that carry current state.
REVOKE ALL ON SCHEMA vhcv FROM PUBLIC;
GRANT USAGE ON SCHEMA vhcv TO vhcv_app;
GRANT SELECT ON ALL TABLES IN SCHEMA vhcv TO vhcv_app;
GRANT INSERT ON units, unit_history, officials, official_versions, rule_versions,
	case_counters, cases, case_links, case_events, audit_seals, case_pauses,
	council_members, evidence, decisions TO vhcv_app;
GRANT UPDATE ON units, officials, case_counters, cases, case_pauses TO vhcv_app;
GRANT DELETE ON council_members TO vhcv_app;
