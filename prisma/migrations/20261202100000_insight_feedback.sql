-- migrate:up
-- Users' verdicts on insights (issue 13): "useful" or "dismissed". A dismissed kind of finding
-- (finding_kind + metric + dimension, copied from the insight's source data) weighs less in the
-- report's later executions; the insight worker reads the counts (as the owner role).
--
-- Keyed by (report, execution, finding), not by the insight row: an insight set is replaced as a
-- whole when its job runs again (insight-store.ts), and a verdict must outlive that. It goes with
-- its report, its execution and its user.
CREATE TABLE insight_feedback (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_configuration_id  uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  execution_id             uuid NOT NULL REFERENCES workflow_executions(id) ON DELETE CASCADE,
  finding_id               text NOT NULL CHECK (length(finding_id) BETWEEN 1 AND 300),
  user_id                  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  verdict                  text NOT NULL
    CONSTRAINT insight_feedback_verdict_check CHECK (verdict IN ('useful', 'dismissed')),
  finding_kind             text NOT NULL CHECK (length(finding_kind) BETWEEN 1 AND 100),
  metric                   text CHECK (length(metric) BETWEEN 1 AND 300),
  dimension                text CHECK (length(dimension) BETWEEN 1 AND 300),
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  -- One verdict per user per finding of an execution: a second click changes it (upsert).
  CONSTRAINT insight_feedback_once UNIQUE (report_configuration_id, execution_id, finding_id, user_id)
);
CREATE TRIGGER insight_feedback_updated_at BEFORE UPDATE ON insight_feedback
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- The insight worker's read: a report's verdicts by kind, metric and dimension (insight-feedback-reader.ts).
CREATE INDEX insight_feedback_report_kind_idx ON insight_feedback (report_configuration_id, finding_kind, metric, dimension);

-- A member who can read the report gives, sees, changes and withdraws their own verdicts; nobody
-- sees another user's (the counts reach the worker, not colleagues).
GRANT SELECT, INSERT, UPDATE, DELETE ON insight_feedback TO app_user;
ALTER TABLE insight_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE insight_feedback FORCE ROW LEVEL SECURITY;
CREATE POLICY insight_feedback_select_own ON insight_feedback FOR SELECT
  USING (user_id = app_current_user_id()
         AND app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY insight_feedback_insert_own ON insight_feedback FOR INSERT
  WITH CHECK (user_id = app_current_user_id()
              AND app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY insight_feedback_update_own ON insight_feedback FOR UPDATE
  USING (user_id = app_current_user_id()
         AND app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')))
  WITH CHECK (user_id = app_current_user_id()
              AND app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY insight_feedback_delete_own ON insight_feedback FOR DELETE
  USING (user_id = app_current_user_id()
         AND app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));

-- migrate:down
DROP TABLE insight_feedback;
