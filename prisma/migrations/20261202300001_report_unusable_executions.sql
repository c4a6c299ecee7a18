-- migrate:up
-- A result one report cannot use (its settings name a column the result lacks, a funnel finds one
-- stage) while the workflow's other reports can (issue 15): that report's dashboard shows the
-- previous good execution under a banner saying what was wrong and what the report expected, and
-- the report list marks it. Per report, because the execution itself is fine for the others.
-- Written by the report service (owner role, idempotent upserts); members of the report's
-- organization read it.
CREATE TABLE report_unusable_executions (
  report_configuration_id uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  execution_id            uuid NOT NULL REFERENCES workflow_executions(id) ON DELETE CASCADE,
  error_code              text NOT NULL CHECK (length(error_code) BETWEEN 1 AND 100),
  error                   text NOT NULL CHECK (length(error) BETWEEN 1 AND 2000),
  recorded_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_configuration_id, execution_id)
);
-- Serves the cascade from workflow_executions and "which reports could not use this execution".
CREATE INDEX report_unusable_executions_execution_idx ON report_unusable_executions (execution_id);

GRANT SELECT ON report_unusable_executions TO app_user;
ALTER TABLE report_unusable_executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_unusable_executions FORCE ROW LEVEL SECURITY;
CREATE POLICY report_unusable_executions_select_member ON report_unusable_executions FOR SELECT
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));

-- migrate:down
DROP TABLE report_unusable_executions;
