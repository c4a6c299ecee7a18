-- migrate:up
-- The report seed's four tables plus the event inbox/outbox (DESIGN §3).

CREATE TABLE report_configurations (
  id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workflow_id                uuid REFERENCES workflows(id) ON DELETE CASCADE,
  query_template_id          uuid REFERENCES query_templates(id) ON DELETE CASCADE,
  -- Set on a workflow's copy of a template-level default, so the copy is made once.
  source_configuration_id    uuid REFERENCES report_configurations(id) ON DELETE SET NULL,
  name                       text NOT NULL DEFAULT 'Report' CHECK (length(name) BETWEEN 1 AND 200),
  dashboard_type             text NOT NULL
    CONSTRAINT report_configurations_dashboard_type_check
    CHECK (dashboard_type IN ('funnel', 'performance', 'attribution', 'audience', 'custom')),
  visualization_settings     jsonb NOT NULL DEFAULT '{}'::jsonb,
  data_aggregation_settings  jsonb NOT NULL DEFAULT '{}'::jsonb,
  export_settings            jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_enabled                 boolean NOT NULL DEFAULT true,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  -- A configuration hangs from exactly one of a workflow (holds data) or a template (a default).
  CONSTRAINT report_configurations_owner_check CHECK (num_nonnulls(workflow_id, query_template_id) = 1)
);
CREATE TRIGGER report_configurations_updated_at BEFORE UPDATE ON report_configurations
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE workflows
  ADD CONSTRAINT workflows_report_config_id_fkey
  FOREIGN KEY (report_config_id) REFERENCES report_configurations(id) ON DELETE SET NULL;

CREATE TABLE dashboard_views (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_configuration_id  uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  -- Stable per builder (e.g. funnel.stages) so a rebuild updates the same row.
  view_key                 text NOT NULL,
  name                     text NOT NULL,
  view_type                text NOT NULL
    CONSTRAINT dashboard_views_view_type_check
    CHECK (view_type IN ('chart', 'table', 'metric_card', 'insight')),
  position                 integer NOT NULL DEFAULT 0 CHECK (position >= 0),
  chart_configurations     jsonb NOT NULL DEFAULT '{}'::jsonb,
  filter_settings          jsonb NOT NULL DEFAULT '{}'::jsonb,
  layout_settings          jsonb NOT NULL DEFAULT '{}'::jsonb,
  processed_data           jsonb,
  source_execution_id      uuid REFERENCES workflow_executions(id) ON DELETE SET NULL,
  processed_at             timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER dashboard_views_updated_at BEFORE UPDATE ON dashboard_views
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE dashboard_insights (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dashboard_view_id  uuid NOT NULL REFERENCES dashboard_views(id) ON DELETE CASCADE,
  execution_id       uuid NOT NULL REFERENCES workflow_executions(id) ON DELETE CASCADE,
  finding_id         text NOT NULL,
  insight_type       text NOT NULL
    CONSTRAINT dashboard_insights_insight_type_check
    CHECK (insight_type IN ('trend', 'anomaly', 'recommendation', 'summary', 'comparison')),
  insight_text       text NOT NULL,
  confidence_score   numeric(3,2) NOT NULL
    CONSTRAINT dashboard_insights_confidence_score_check
    CHECK (confidence_score >= 0 AND confidence_score <= 1),
  source_data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  ai_model           text NOT NULL,
  prompt_version     text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE report_exports (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_configuration_id  uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  user_id                  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  format                   text NOT NULL
    CONSTRAINT report_exports_format_check CHECK (format IN ('pdf', 'png', 'csv', 'excel')),
  scope                    text NOT NULL DEFAULT 'dashboard'
    CONSTRAINT report_exports_scope_check CHECK (scope IN ('dashboard', 'view', 'raw')),
  view_id                  uuid REFERENCES dashboard_views(id) ON DELETE CASCADE,
  execution_id             uuid REFERENCES workflow_executions(id) ON DELETE SET NULL,
  options                  jsonb NOT NULL DEFAULT '{}'::jsonb,
  status                   text NOT NULL DEFAULT 'pending'
    CONSTRAINT report_exports_status_check
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'expired')),
  progress                 smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  storage_key              text,
  file_size_bytes          bigint CHECK (file_size_bytes >= 0),
  sha256                   text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  error                    text,
  attempts                 integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  requested_at             timestamptz NOT NULL DEFAULT now(),
  started_at               timestamptz,
  completed_at             timestamptz,
  expires_at               timestamptz,
  download_count           integer NOT NULL DEFAULT 0 CHECK (download_count >= 0),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER report_exports_updated_at BEFORE UPDATE ON report_exports
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The export lifecycle (DESIGN §3): pending→processing→completed|failed, processing→pending
-- (retry), failed→pending (user retry), completed→expired. Anything else is a bug upstream.
CREATE FUNCTION enforce_export_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  IF (OLD.status, NEW.status) IN (
       ('pending', 'processing'), ('processing', 'completed'), ('processing', 'failed'),
       ('processing', 'pending'), ('failed', 'pending'), ('completed', 'expired')) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'report_exports %: status may not change from % to %', OLD.id, OLD.status, NEW.status
    USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER report_exports_status_transition BEFORE UPDATE OF status ON report_exports
  FOR EACH ROW EXECUTE FUNCTION enforce_export_status_transition();

-- Inbox and outbox in one: written with the acceptance, relayed until enqueued_at is set.
CREATE TABLE amc_execution_events (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id          text NOT NULL UNIQUE,
  amc_instance_id   text NOT NULL,
  amc_execution_id  text NOT NULL,
  status            text NOT NULL,
  workflow_id       uuid REFERENCES workflows(id) ON DELETE SET NULL,
  -- accepted: dashboard work queued; unknown_workflow: recorded only, nothing to build.
  outcome           text NOT NULL DEFAULT 'accepted'
    CONSTRAINT amc_execution_events_outcome_check CHECK (outcome IN ('accepted', 'unknown_workflow')),
  payload           jsonb NOT NULL,
  received_at       timestamptz NOT NULL DEFAULT now(),
  enqueued_at       timestamptz,
  relay_attempts    integer NOT NULL DEFAULT 0,
  last_relay_error  text,
  CONSTRAINT amc_execution_events_execution_key UNIQUE (amc_instance_id, amc_execution_id)
);

-- migrate:down
DROP TABLE amc_execution_events;
DROP TABLE report_exports;
DROP FUNCTION enforce_export_status_transition();
DROP TABLE dashboard_insights;
DROP TABLE dashboard_views;
ALTER TABLE workflows DROP CONSTRAINT workflows_report_config_id_fkey;
DROP TABLE report_configurations;
