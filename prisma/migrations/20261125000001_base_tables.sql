-- migrate:up
-- Base tables the report seed takes as existing (DESIGN §3): users, the query library
-- (templates and workflows) and the execution history. UUID keys default in the database
-- so every writer (gateway, workers, psql) gets the same ids.

CREATE TABLE users (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email       text UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Keeps updated_at honest whatever client writes the row.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE TABLE query_templates (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                 uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description             text,
  sql_query               text NOT NULL,
  category                text,
  is_public               boolean NOT NULL DEFAULT false,
  default_dashboard_type  text NOT NULL DEFAULT 'performance'
    CONSTRAINT query_templates_default_dashboard_type_check
    CHECK (default_dashboard_type IN ('funnel', 'performance', 'attribution', 'audience', 'custom')),
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER query_templates_updated_at BEFORE UPDATE ON query_templates
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE workflows (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id            uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description        text,
  sql_query          text NOT NULL,
  query_template_id  uuid REFERENCES query_templates(id) ON DELETE SET NULL,
  amc_instance_id    text NOT NULL,
  -- AMC's own workflow id: events may name it instead of ours.
  amc_workflow_id    text,
  report_enabled     boolean NOT NULL DEFAULT false,
  -- FK added with report_configurations (the two tables point at each other).
  report_config_id   uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER workflows_updated_at BEFORE UPDATE ON workflows
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE workflow_executions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workflow_id         uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  amc_instance_id     text NOT NULL,
  amc_execution_id    text NOT NULL,
  status              text NOT NULL
    CONSTRAINT workflow_executions_status_check
    CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
  time_window_start   timestamptz NOT NULL,
  time_window_end     timestamptz NOT NULL,
  time_zone           text,
  row_count           integer CHECK (row_count >= 0),
  filtered_row_count  integer CHECK (filtered_row_count >= 0),
  result_profile      jsonb,
  raw_result_key      text,
  error_code          text,
  error               text,
  -- A newer execution of the same time window replaces this one in the history.
  superseded_by       uuid REFERENCES workflow_executions(id) ON DELETE SET NULL,
  completed_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT workflow_executions_time_window_check CHECK (time_window_end >= time_window_start)
);
CREATE TRIGGER workflow_executions_updated_at BEFORE UPDATE ON workflow_executions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- migrate:down
DROP TABLE workflow_executions;
DROP TABLE workflows;
DROP TABLE query_templates;
DROP FUNCTION set_updated_at();
DROP TABLE users;
