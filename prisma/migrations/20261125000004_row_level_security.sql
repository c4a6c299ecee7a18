-- migrate:up
-- Row-level security (DESIGN §3). The gateway runs every user query inside a transaction as
-- role app_user with set_config('app.user_id', <jwt sub>, true); a row is visible only to the
-- user who owns the workflow / template it hangs from, exports only to their requester.
-- Workers connect as the owning role, which must be a superuser or have BYPASSRLS: FORCE makes
-- the policies apply to a plain table owner too, so a misconfigured worker sees nothing rather
-- than everything.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN
    CREATE ROLE app_user NOLOGIN;
  END IF;
  IF NOT pg_has_role(current_user, 'app_user', 'MEMBER') THEN
    EXECUTE format('GRANT app_user TO %I', current_user);
  END IF;
END $$;

-- NULL (not an error) when unset, so a query outside withUser() matches no row.
CREATE FUNCTION app_current_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.user_id', true), '')::uuid
$$;

GRANT USAGE ON SCHEMA public TO app_user;
GRANT EXECUTE ON FUNCTION app_current_user_id() TO app_user;
GRANT SELECT, INSERT, UPDATE ON users TO app_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON query_templates, workflows, report_configurations,
  dashboard_views, report_exports TO app_user;
GRANT SELECT ON workflow_executions, dashboard_insights TO app_user;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_select_self ON users FOR SELECT USING (id = app_current_user_id());
CREATE POLICY users_insert_self ON users FOR INSERT WITH CHECK (id = app_current_user_id());
CREATE POLICY users_update_self ON users FOR UPDATE
  USING (id = app_current_user_id()) WITH CHECK (id = app_current_user_id());

ALTER TABLE query_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY query_templates_select_own_or_public ON query_templates FOR SELECT
  USING (user_id = app_current_user_id() OR is_public);
CREATE POLICY query_templates_insert_own ON query_templates FOR INSERT
  WITH CHECK (user_id = app_current_user_id());
CREATE POLICY query_templates_update_own ON query_templates FOR UPDATE
  USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY query_templates_delete_own ON query_templates FOR DELETE
  USING (user_id = app_current_user_id());

ALTER TABLE workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflows FORCE ROW LEVEL SECURITY;
CREATE POLICY workflows_select_own ON workflows FOR SELECT USING (user_id = app_current_user_id());
-- A workflow may only link a template its owner can see (own or public): FK checks ignore RLS.
CREATE POLICY workflows_insert_own ON workflows FOR INSERT
  WITH CHECK (user_id = app_current_user_id() AND (query_template_id IS NULL OR EXISTS (
    SELECT 1 FROM query_templates t WHERE t.id = query_template_id)));
CREATE POLICY workflows_update_own ON workflows FOR UPDATE
  USING (user_id = app_current_user_id())
  WITH CHECK (user_id = app_current_user_id() AND (query_template_id IS NULL OR EXISTS (
    SELECT 1 FROM query_templates t WHERE t.id = query_template_id)));
CREATE POLICY workflows_delete_own ON workflows FOR DELETE USING (user_id = app_current_user_id());

ALTER TABLE workflow_executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflow_executions FORCE ROW LEVEL SECURITY;
CREATE POLICY workflow_executions_select_own ON workflow_executions FOR SELECT
  USING (EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.user_id = app_current_user_id()));

ALTER TABLE report_configurations ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_configurations FORCE ROW LEVEL SECURITY;
-- Template defaults of public templates are readable (they hold settings, never data).
CREATE POLICY report_configurations_select_visible ON report_configurations FOR SELECT USING (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.user_id = app_current_user_id())
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id
             AND (t.user_id = app_current_user_id() OR t.is_public)));
CREATE POLICY report_configurations_insert_own ON report_configurations FOR INSERT WITH CHECK (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.user_id = app_current_user_id())
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.user_id = app_current_user_id()));
CREATE POLICY report_configurations_update_own ON report_configurations FOR UPDATE USING (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.user_id = app_current_user_id())
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.user_id = app_current_user_id()))
  WITH CHECK (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.user_id = app_current_user_id())
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.user_id = app_current_user_id()));
CREATE POLICY report_configurations_delete_own ON report_configurations FOR DELETE USING (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.user_id = app_current_user_id())
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.user_id = app_current_user_id()));

-- Views, insights and exports hang from workflow-level configurations only (DESIGN §3).
CREATE FUNCTION app_owns_configuration(configuration_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM report_configurations c JOIN workflows w ON w.id = c.workflow_id
    WHERE c.id = configuration_id AND w.user_id = app_current_user_id())
$$;
GRANT EXECUTE ON FUNCTION app_owns_configuration(uuid) TO app_user;

ALTER TABLE dashboard_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE dashboard_views FORCE ROW LEVEL SECURITY;
CREATE POLICY dashboard_views_select_own ON dashboard_views FOR SELECT
  USING (app_owns_configuration(report_configuration_id));
CREATE POLICY dashboard_views_insert_own ON dashboard_views FOR INSERT
  WITH CHECK (app_owns_configuration(report_configuration_id));
CREATE POLICY dashboard_views_update_own ON dashboard_views FOR UPDATE
  USING (app_owns_configuration(report_configuration_id))
  WITH CHECK (app_owns_configuration(report_configuration_id));
CREATE POLICY dashboard_views_delete_own ON dashboard_views FOR DELETE
  USING (app_owns_configuration(report_configuration_id));

ALTER TABLE dashboard_insights ENABLE ROW LEVEL SECURITY;
ALTER TABLE dashboard_insights FORCE ROW LEVEL SECURITY;
CREATE POLICY dashboard_insights_select_own ON dashboard_insights FOR SELECT
  USING (EXISTS (SELECT 1 FROM dashboard_views v WHERE v.id = dashboard_view_id
                 AND app_owns_configuration(v.report_configuration_id)));

ALTER TABLE report_exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_exports FORCE ROW LEVEL SECURITY;
CREATE POLICY report_exports_select_requester ON report_exports FOR SELECT
  USING (user_id = app_current_user_id());
CREATE POLICY report_exports_insert_requester ON report_exports FOR INSERT
  WITH CHECK (user_id = app_current_user_id() AND app_owns_configuration(report_configuration_id));
CREATE POLICY report_exports_update_requester ON report_exports FOR UPDATE
  USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY report_exports_delete_requester ON report_exports FOR DELETE
  USING (user_id = app_current_user_id());

-- migrate:down
-- The role is cluster-wide and other databases (test clones) may still use it: only this
-- database's grants and policies are removed.
DO $$
DECLARE
  t text;
  p record;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'query_templates', 'workflows', 'workflow_executions',
      'report_configurations', 'dashboard_views', 'dashboard_insights', 'report_exports'] LOOP
    FOR p IN SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = t LOOP
      EXECUTE format('DROP POLICY %I ON %I', p.policyname, t);
    END LOOP;
    EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
    EXECUTE format('REVOKE ALL ON %I FROM app_user', t);
  END LOOP;
END $$;
DROP FUNCTION app_owns_configuration(uuid);
DROP FUNCTION app_current_user_id();
REVOKE USAGE ON SCHEMA public FROM app_user;
