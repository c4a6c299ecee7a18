-- migrate:up
-- What an execution's stored insights were computed from (issue 17): a hash of the execution, the
-- earlier executions in its history, the report's settings and views and the wording. A coalesced
-- regeneration recomputes only the executions whose fingerprint changed, and a writer stores its
-- set only if the fingerprint it started from is still the stored one (a slower, older computation
-- never overwrites a newer one). NULL: not computed since this column exists.
ALTER TABLE insight_generations ADD COLUMN history_fingerprint text;

-- migrate:down
ALTER TABLE insight_generations DROP COLUMN history_fingerprint;
