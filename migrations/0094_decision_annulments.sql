-- The annulments of decisions, by the decision they annul (issue 13,
-- session 4). The state of a decision on a day (VHD_SQL_DECISION_STATE:
-- decisions export, record, eligibility) asks whether an annulment of it
-- took effect; the planner answers that for a province's 12,000 decisions
-- with one hashed subplan, which without this index reads all 780,000
-- decisions (100-140 ms of each export at full scale); with it, the few
-- annulments alone.
SET LOCAL search_path = vhcv, pg_catalog;

CREATE INDEX decisions_annulments ON decisions (supersedes_id) WHERE kind = 'annulment';
