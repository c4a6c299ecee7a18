-- migrate:up
-- Each index names the query it serves. Unique constraints declared with the tables
-- (users.email, amc_execution_events.event_id / execution key) are indexes too.

-- GET /v1/query-templates: a user's templates, newest first.
CREATE INDEX query_templates_user_created_idx ON query_templates (user_id, created_at DESC);
-- The public template library (is_public = true), newest first.
CREATE INDEX query_templates_public_idx ON query_templates (created_at DESC) WHERE is_public;

-- GET /v1/workflows: a user's workflows, newest first.
CREATE INDEX workflows_user_created_idx ON workflows (user_id, created_at DESC);
-- Workflows built from a template (copying the template's default configuration).
CREATE INDEX workflows_query_template_idx ON workflows (query_template_id) WHERE query_template_id IS NOT NULL;
-- Event ingestion maps AMC's (instance, workflow id) to our workflow; one workflow per pair.
CREATE UNIQUE INDEX workflows_amc_workflow_key ON workflows (amc_instance_id, amc_workflow_id)
  WHERE amc_workflow_id IS NOT NULL;

-- Idempotent execution upsert: AMC execution ids are unique per instance.
CREATE UNIQUE INDEX workflow_executions_amc_execution_key ON workflow_executions (amc_instance_id, amc_execution_id);
-- Dashboard history: a workflow's executions by time window (replacement of the same window, last N).
CREATE INDEX workflow_executions_workflow_window_idx
  ON workflow_executions (workflow_id, time_window_start, time_window_end);
-- Latest run state of a workflow (newest execution first, failed ones included).
CREATE INDEX workflow_executions_workflow_created_idx ON workflow_executions (workflow_id, created_at DESC);

-- Enabled configurations of a workflow (rebuilt after each execution).
CREATE INDEX report_configurations_workflow_idx ON report_configurations (workflow_id) WHERE workflow_id IS NOT NULL;
-- Template-level defaults of a template.
CREATE INDEX report_configurations_template_idx ON report_configurations (query_template_id)
  WHERE query_template_id IS NOT NULL;
-- A workflow gets at most one copy of each template default.
CREATE UNIQUE INDEX report_configurations_workflow_source_key
  ON report_configurations (workflow_id, source_configuration_id) WHERE source_configuration_id IS NOT NULL;

-- Views of a configuration (dashboard read and rebuild upsert), in position order.
CREATE UNIQUE INDEX dashboard_views_configuration_key ON dashboard_views (report_configuration_id, view_key);
-- Views of a configuration by type (e.g. chart views for a PNG grid), in position order.
CREATE INDEX dashboard_views_configuration_type_idx ON dashboard_views (report_configuration_id, view_type, position);

-- Insights of a view, best first (dashboard and insights endpoints).
CREATE INDEX dashboard_insights_view_confidence_idx
  ON dashboard_insights (dashboard_view_id, confidence_score DESC, created_at DESC);
-- Replacing one execution's insight set (idempotent rerun) and filtering by execution.
CREATE INDEX dashboard_insights_execution_idx ON dashboard_insights (execution_id, dashboard_view_id);

-- GET /v1/exports: a user's exports by status, newest first; also the in-flight cap.
CREATE INDEX report_exports_user_status_idx ON report_exports (user_id, status, requested_at DESC);
-- exports.cleanup: completed exports past expiry.
CREATE INDEX report_exports_expiry_idx ON report_exports (expires_at) WHERE status = 'completed';
-- Stale-job sweeper: exports stuck in processing.
CREATE INDEX report_exports_processing_idx ON report_exports (started_at) WHERE status = 'processing';
-- Exports of a configuration (cascade deletes and per-report listing).
CREATE INDEX report_exports_configuration_idx ON report_exports (report_configuration_id, requested_at DESC);

-- Outbox relay: events not yet on the queue, oldest first.
CREATE INDEX amc_execution_events_outbox_idx ON amc_execution_events (received_at) WHERE enqueued_at IS NULL;

-- migrate:down
DROP INDEX amc_execution_events_outbox_idx;
DROP INDEX report_exports_configuration_idx;
DROP INDEX report_exports_processing_idx;
DROP INDEX report_exports_expiry_idx;
DROP INDEX report_exports_user_status_idx;
DROP INDEX dashboard_insights_execution_idx;
DROP INDEX dashboard_insights_view_confidence_idx;
DROP INDEX dashboard_views_configuration_type_idx;
DROP INDEX dashboard_views_configuration_key;
DROP INDEX report_configurations_workflow_source_key;
DROP INDEX report_configurations_template_idx;
DROP INDEX report_configurations_workflow_idx;
DROP INDEX workflow_executions_workflow_created_idx;
DROP INDEX workflow_executions_workflow_window_idx;
DROP INDEX workflow_executions_amc_execution_key;
DROP INDEX workflows_amc_workflow_key;
DROP INDEX workflows_query_template_idx;
DROP INDEX workflows_user_created_idx;
DROP INDEX query_templates_public_idx;
DROP INDEX query_templates_user_created_idx;
