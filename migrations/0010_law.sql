-- Issue #9 (the law). How a cán bộ holds office (elected, or approved/appointed/
-- designated: cách chức only for the latter, bãi nhiệm only for the
-- elected), kept on the official and on each version of its record; and
-- the form for officials who retired or left, xoa_ten_chuc_danh (Law
-- 80/2025 art. 43(3)), in the legal vocabulary instead of
-- xoa_tu_cach_chuc_vu (kept for rows written before).
SET LOCAL search_path = vhcv, pg_catalog;

ALTER TABLE officials ADD COLUMN elected boolean NOT NULL DEFAULT false;
ALTER TABLE official_versions ADD COLUMN elected boolean NOT NULL DEFAULT false;

ALTER DOMAIN sanction_form DROP CONSTRAINT sanction_form_check;
ALTER DOMAIN sanction_form ADD CONSTRAINT sanction_form_check
	CHECK (VALUE IN ('none', 'khien_trach', 'keo_dai_nang_luong', 'canh_cao',
			 'ha_bac_luong', 'giang_chuc', 'cach_chuc', 'xoa_tu_cach_chuc_vu',
			 'xoa_ten_chuc_danh', 'bai_nhiem', 'buoc_thoi_viec', 'sa_thai'));

-- When the act ended (issue #9 item 3): the limitation runs from it; for an
-- act still continuing at detection, from the detection date (act_ended_on is
-- then the detection date and continuing is set).
ALTER TABLE cases ADD COLUMN act_ended_on date;
ALTER TABLE cases ADD COLUMN continuing boolean NOT NULL DEFAULT false;
ALTER TABLE cases ADD CONSTRAINT cases_ended_order
	CHECK (act_ended_on IS NULL OR (act_ended_on >= occurred_on AND act_ended_on <= detected_on));

-- No review meeting and no council (issue #9 item 12, Decree 71/2023): the
-- case rests on an inspection conclusion, a court conviction or a Party
-- sanction, named by its document.
ALTER TABLE cases ADD COLUMN dispensed text
	CHECK (dispensed IN ('inspection_conclusion', 'court_conviction', 'party_sanction'));
ALTER TABLE cases ADD COLUMN dispensed_ref text CHECK (length(dispensed_ref) BETWEEN 1 AND 300);
ALTER TABLE cases ADD COLUMN dispensed_on date;
ALTER TABLE cases ADD COLUMN party_form text CHECK (length(party_form) BETWEEN 1 AND 64);

-- The day the official received the decision (the complaint window runs
-- from it; default the signing date) and the regular salary raise delayed
-- by the sanction (Circular 08/2013 art. 2(3)) (issue #9 items 11, 13).
ALTER TABLE decisions ADD COLUMN received_on date CHECK (received_on >= signed_on);
ALTER TABLE decisions ADD COLUMN raise_delay_months integer CHECK (raise_delay_months >= 0);

-- Two events of the law: a case that goes without a council, and a new
-- violation restarting an older case's limitation period.
ALTER TABLE case_events DROP CONSTRAINT case_events_kind_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_kind_check CHECK (kind IN (
	'reported', 'accepted', 'rejected', 'deferred', 'resumed',
	'council', 'vote', 'decided', 'appealed', 'upheld', 'changed',
	'annulled', 'waived', 'closed', 'expired', 'note', 'evidence',
	'linked', 'explanation', 'dispensed', 'limitation_restarted'));
