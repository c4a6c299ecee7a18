-- migrate:up
-- The profile is written once and always read whole, never queried inside: jsonb's binary
-- conversion on every write (and back to text on every read) was Postgres' largest cost in the
-- storm bench (the profile UPDATE 3.6 ms a row). `json` keeps the text as the report service wrote
-- it (validated, still compressed by TOAST): half the write time and a fifth less read time for a
-- 200-campaign profile, in about the same bytes (12.8 vs 12.7 kB a row). It keeps the writer's key order,
-- which the report service's own profile cache already holds: every reader now sees the same.
ALTER TABLE workflow_executions ALTER COLUMN result_profile TYPE json USING result_profile::json;

-- migrate:down
ALTER TABLE workflow_executions ALTER COLUMN result_profile TYPE jsonb USING result_profile::jsonb;
