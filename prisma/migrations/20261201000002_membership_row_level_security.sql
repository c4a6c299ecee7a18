-- migrate:up
-- Row visibility by membership of the owning organization (issue 10), replacing the per-user
-- policies of 20261125000004: viewers read; editors and owners write templates, workflows and
-- reports; owners manage their organization's members. Exports stay private to their requester
-- (and only while the requester may still read the report). Organizations and AMC instances are
-- provisioned by the operator (admin API, owner connection); app_user only reads them.

-- The creator of a template or workflow is a fact, no longer the owner: removing that user keeps
-- the organization's rows.
ALTER TABLE workflows RENAME COLUMN user_id TO created_by;
ALTER TABLE workflows ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE workflows DROP CONSTRAINT workflows_user_id_fkey;
ALTER TABLE workflows ADD CONSTRAINT workflows_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE query_templates RENAME COLUMN user_id TO created_by;
ALTER TABLE query_templates ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE query_templates DROP CONSTRAINT query_templates_user_id_fkey;
ALTER TABLE query_templates ADD CONSTRAINT query_templates_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL;

DROP POLICY query_templates_select_own_or_public ON query_templates;
DROP POLICY query_templates_insert_own ON query_templates;
DROP POLICY query_templates_update_own ON query_templates;
DROP POLICY query_templates_delete_own ON query_templates;
DROP POLICY workflows_select_own ON workflows;
DROP POLICY workflows_insert_own ON workflows;
DROP POLICY workflows_update_own ON workflows;
DROP POLICY workflows_delete_own ON workflows;
DROP POLICY workflow_executions_select_own ON workflow_executions;
DROP POLICY report_configurations_select_visible ON report_configurations;
DROP POLICY report_configurations_insert_own ON report_configurations;
DROP POLICY report_configurations_update_own ON report_configurations;
DROP POLICY report_configurations_delete_own ON report_configurations;
DROP POLICY dashboard_views_select_own ON dashboard_views;
DROP POLICY dashboard_views_insert_own ON dashboard_views;
DROP POLICY dashboard_views_update_own ON dashboard_views;
DROP POLICY dashboard_views_delete_own ON dashboard_views;
DROP POLICY dashboard_insights_select_own ON dashboard_insights;
DROP POLICY report_exports_select_requester ON report_exports;
DROP POLICY report_exports_insert_requester ON report_exports;
DROP POLICY report_exports_update_requester ON report_exports;
DROP POLICY report_exports_delete_requester ON report_exports;
DROP FUNCTION app_owns_configuration(uuid);

-- The current user's organizations where their role is at least `minimum_role`. SECURITY DEFINER
-- because organization_members' own policies ask this very question (a policy may not query its
-- table under itself); it reads only the caller's memberships. Policies call it as
-- `IN (SELECT app_organizations(…))`, a hashed subplan Postgres evaluates once per statement.
CREATE FUNCTION app_organizations(minimum_role text) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT organization_id FROM organization_members
  WHERE user_id = app_current_user_id()
    AND CASE minimum_role
          WHEN 'viewer' THEN true
          WHEN 'editor' THEN role IN ('owner', 'editor')
          WHEN 'owner' THEN role = 'owner'
          ELSE false
        END
$$;
REVOKE ALL ON FUNCTION app_organizations(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_organizations(text) TO app_user;

GRANT SELECT ON organizations, amc_instances TO app_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON organization_members TO app_user;

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY organizations_select_member ON organizations FOR SELECT
  USING (id IN (SELECT app_organizations('viewer')));

ALTER TABLE organization_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_members FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_members_select_member ON organization_members FOR SELECT
  USING (organization_id IN (SELECT app_organizations('viewer')));
CREATE POLICY organization_members_insert_owner ON organization_members FOR INSERT
  WITH CHECK (organization_id IN (SELECT app_organizations('owner')));
CREATE POLICY organization_members_update_owner ON organization_members FOR UPDATE
  USING (organization_id IN (SELECT app_organizations('owner')))
  WITH CHECK (organization_id IN (SELECT app_organizations('owner')));
CREATE POLICY organization_members_delete_owner ON organization_members FOR DELETE
  USING (organization_id IN (SELECT app_organizations('owner')));

ALTER TABLE amc_instances ENABLE ROW LEVEL SECURITY;
ALTER TABLE amc_instances FORCE ROW LEVEL SECURITY;
CREATE POLICY amc_instances_select_member ON amc_instances FOR SELECT
  USING (organization_id IN (SELECT app_organizations('viewer')));

-- Colleagues see each other (member lists show e-mails); nobody else's row is visible.
CREATE POLICY users_select_colleague ON users FOR SELECT
  USING (EXISTS (SELECT 1 FROM organization_members m
                 WHERE m.user_id = users.id AND m.organization_id IN (SELECT app_organizations('viewer'))));

CREATE POLICY query_templates_select_member_or_public ON query_templates FOR SELECT
  USING (is_public OR organization_id IN (SELECT app_organizations('viewer')));
CREATE POLICY query_templates_insert_editor ON query_templates FOR INSERT
  WITH CHECK (organization_id IN (SELECT app_organizations('editor')));
CREATE POLICY query_templates_update_editor ON query_templates FOR UPDATE
  USING (organization_id IN (SELECT app_organizations('editor')))
  WITH CHECK (organization_id IN (SELECT app_organizations('editor')));
CREATE POLICY query_templates_delete_editor ON query_templates FOR DELETE
  USING (organization_id IN (SELECT app_organizations('editor')));

CREATE POLICY workflows_select_member ON workflows FOR SELECT
  USING (organization_id IN (SELECT app_organizations('viewer')));
-- A workflow may only link a template its editor can see (own organization's or public): FK checks ignore RLS.
CREATE POLICY workflows_insert_editor ON workflows FOR INSERT
  WITH CHECK (organization_id IN (SELECT app_organizations('editor')) AND (query_template_id IS NULL OR EXISTS (
    SELECT 1 FROM query_templates t WHERE t.id = query_template_id)));
CREATE POLICY workflows_update_editor ON workflows FOR UPDATE
  USING (organization_id IN (SELECT app_organizations('editor')))
  WITH CHECK (organization_id IN (SELECT app_organizations('editor')) AND (query_template_id IS NULL OR EXISTS (
    SELECT 1 FROM query_templates t WHERE t.id = query_template_id)));
CREATE POLICY workflows_delete_editor ON workflows FOR DELETE
  USING (organization_id IN (SELECT app_organizations('editor')));

CREATE POLICY workflow_executions_select_member ON workflow_executions FOR SELECT
  USING (EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id
                 AND w.organization_id IN (SELECT app_organizations('viewer'))));

-- A configuration hangs from a workflow (holds data) or a template (a default): its organization
-- is theirs. Template defaults of public templates are readable (they hold settings, never data).
CREATE FUNCTION app_configuration_organization(configuration_id uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(w.organization_id, t.organization_id)
  FROM report_configurations c
  LEFT JOIN workflows w ON w.id = c.workflow_id
  LEFT JOIN query_templates t ON t.id = c.query_template_id
  WHERE c.id = configuration_id
$$;
GRANT EXECUTE ON FUNCTION app_configuration_organization(uuid) TO app_user;

CREATE POLICY report_configurations_select_member ON report_configurations FOR SELECT USING (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.organization_id IN (SELECT app_organizations('viewer')))
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id
             AND (t.is_public OR t.organization_id IN (SELECT app_organizations('viewer')))));
CREATE POLICY report_configurations_insert_editor ON report_configurations FOR INSERT WITH CHECK (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.organization_id IN (SELECT app_organizations('editor')))
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.organization_id IN (SELECT app_organizations('editor'))));
CREATE POLICY report_configurations_update_editor ON report_configurations FOR UPDATE USING (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.organization_id IN (SELECT app_organizations('editor')))
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.organization_id IN (SELECT app_organizations('editor'))))
  WITH CHECK (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.organization_id IN (SELECT app_organizations('editor')))
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.organization_id IN (SELECT app_organizations('editor'))));
CREATE POLICY report_configurations_delete_editor ON report_configurations FOR DELETE USING (
  EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.organization_id IN (SELECT app_organizations('editor')))
  OR EXISTS (SELECT 1 FROM query_templates t WHERE t.id = query_template_id AND t.organization_id IN (SELECT app_organizations('editor'))));

-- Views, insights and exports hang from workflow-level configurations (DESIGN §3).
CREATE POLICY dashboard_views_select_member ON dashboard_views FOR SELECT
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY dashboard_views_insert_editor ON dashboard_views FOR INSERT
  WITH CHECK (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')));
CREATE POLICY dashboard_views_update_editor ON dashboard_views FOR UPDATE
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')))
  WITH CHECK (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')));
CREATE POLICY dashboard_views_delete_editor ON dashboard_views FOR DELETE
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')));

CREATE POLICY dashboard_insights_select_member ON dashboard_insights FOR SELECT
  USING (EXISTS (SELECT 1 FROM dashboard_views v WHERE v.id = dashboard_view_id
                 AND app_configuration_organization(v.report_configuration_id) IN (SELECT app_organizations('viewer'))));

-- Exports: private to the requester, and only while the requester may read the report (a member
-- who leaves loses the files with the data). Viewers may export: a file is a way of reading.
CREATE POLICY report_exports_select_requester ON report_exports FOR SELECT
  USING (user_id = app_current_user_id()
         AND app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY report_exports_insert_requester ON report_exports FOR INSERT
  WITH CHECK (user_id = app_current_user_id()
              AND app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY report_exports_update_requester ON report_exports FOR UPDATE
  USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY report_exports_delete_requester ON report_exports FOR DELETE
  USING (user_id = app_current_user_id());

-- First use of a token registers its user, and stores its e-mail claim while the row has none
-- (the operator may have added the user before their first sign-in) and no other user holds it.
-- SECURITY DEFINER because under RLS app_user cannot see the other holder, and the unique
-- violation would otherwise fail the request (a 500 and a lockout). The common case — a known
-- user — returns after one indexed lookup, without the subtransaction of the exception block.
CREATE FUNCTION app_register_user(new_user_id uuid, claimed_email text) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF new_user_id IS DISTINCT FROM app_current_user_id() THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM users WHERE id = new_user_id AND (email IS NOT NULL OR claimed_email IS NULL)) THEN
    RETURN;
  END IF;
  BEGIN
    INSERT INTO users (id, email) VALUES (new_user_id, claimed_email)
    ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email WHERE users.email IS NULL;
  EXCEPTION WHEN unique_violation THEN
    -- The e-mail belongs to another user: register without it.
    INSERT INTO users (id) VALUES (new_user_id) ON CONFLICT (id) DO NOTHING;
  END;
END $$;
REVOKE ALL ON FUNCTION app_register_user(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_register_user(uuid, text) TO app_user;

-- Owners add members by user id, but a user's row is invisible to them until they are colleagues:
-- existence only, and only to someone who owns an organization.
CREATE FUNCTION app_user_exists(candidate uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT FROM app_organizations('owner')) AND EXISTS (SELECT 1 FROM users WHERE id = candidate)
$$;
REVOKE ALL ON FUNCTION app_user_exists(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_user_exists(uuid) TO app_user;

-- The export cap and storage quota are per organization, while a member sees only their own
-- exports: the totals (never the rows) come from here, to members of that organization only.
CREATE FUNCTION app_organization_export_usage(organization uuid, OUT in_flight integer, OUT stored_bytes bigint, OUT next_expiry timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*) FILTER (WHERE e.status IN ('pending', 'processing'))::integer,
         coalesce(sum(e.file_size_bytes) FILTER (WHERE e.status = 'completed' AND (e.expires_at IS NULL OR e.expires_at > now())), 0)::bigint,
         min(e.expires_at) FILTER (WHERE e.status = 'completed' AND e.expires_at > now())
  FROM report_exports e
  JOIN report_configurations c ON c.id = e.report_configuration_id
  JOIN workflows w ON w.id = c.workflow_id
  WHERE w.organization_id = organization AND organization IN (SELECT app_organizations('viewer'))
$$;
REVOKE ALL ON FUNCTION app_organization_export_usage(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_organization_export_usage(uuid) TO app_user;

-- migrate:down
DROP FUNCTION app_organization_export_usage(uuid);
DROP FUNCTION app_user_exists(uuid);
DROP FUNCTION app_register_user(uuid, text);
DROP POLICY report_exports_select_requester ON report_exports;
DROP POLICY report_exports_insert_requester ON report_exports;
DROP POLICY report_exports_update_requester ON report_exports;
DROP POLICY report_exports_delete_requester ON report_exports;
DROP POLICY dashboard_insights_select_member ON dashboard_insights;
DROP POLICY dashboard_views_select_member ON dashboard_views;
DROP POLICY dashboard_views_insert_editor ON dashboard_views;
DROP POLICY dashboard_views_update_editor ON dashboard_views;
DROP POLICY dashboard_views_delete_editor ON dashboard_views;
DROP POLICY report_configurations_select_member ON report_configurations;
DROP POLICY report_configurations_insert_editor ON report_configurations;
DROP POLICY report_configurations_update_editor ON report_configurations;
DROP POLICY report_configurations_delete_editor ON report_configurations;
DROP FUNCTION app_configuration_organization(uuid);
DROP POLICY workflow_executions_select_member ON workflow_executions;
DROP POLICY workflows_select_member ON workflows;
DROP POLICY workflows_insert_editor ON workflows;
DROP POLICY workflows_update_editor ON workflows;
DROP POLICY workflows_delete_editor ON workflows;
DROP POLICY query_templates_select_member_or_public ON query_templates;
DROP POLICY query_templates_insert_editor ON query_templates;
DROP POLICY query_templates_update_editor ON query_templates;
DROP POLICY query_templates_delete_editor ON query_templates;
DROP POLICY users_select_colleague ON users;
DROP POLICY amc_instances_select_member ON amc_instances;
ALTER TABLE amc_instances NO FORCE ROW LEVEL SECURITY;
ALTER TABLE amc_instances DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_members_select_member ON organization_members;
DROP POLICY organization_members_insert_owner ON organization_members;
DROP POLICY organization_members_update_owner ON organization_members;
DROP POLICY organization_members_delete_owner ON organization_members;
ALTER TABLE organization_members NO FORCE ROW LEVEL SECURITY;
ALTER TABLE organization_members DISABLE ROW LEVEL SECURITY;
DROP POLICY organizations_select_member ON organizations;
ALTER TABLE organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE organizations DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON organizations, amc_instances, organization_members FROM app_user;
DROP FUNCTION app_organizations(text);

-- Back to one owner per row: a row whose creator is gone goes to an owner of its organization.
UPDATE workflows w SET created_by = (SELECT m.user_id FROM organization_members m WHERE m.organization_id = w.organization_id
                                     ORDER BY (m.role = 'owner') DESC, m.created_at LIMIT 1)
WHERE created_by IS NULL;
UPDATE query_templates t SET created_by = (SELECT m.user_id FROM organization_members m WHERE m.organization_id = t.organization_id
                                           ORDER BY (m.role = 'owner') DESC, m.created_at LIMIT 1)
WHERE created_by IS NULL;
-- Only rows of an organization without any member are left: the per-user schema cannot hold them.
DELETE FROM workflows WHERE created_by IS NULL;
DELETE FROM query_templates WHERE created_by IS NULL;
ALTER TABLE query_templates DROP CONSTRAINT query_templates_created_by_fkey;
ALTER TABLE query_templates ALTER COLUMN created_by SET NOT NULL;
ALTER TABLE query_templates RENAME COLUMN created_by TO user_id;
ALTER TABLE query_templates ADD CONSTRAINT query_templates_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE workflows DROP CONSTRAINT workflows_created_by_fkey;
ALTER TABLE workflows ALTER COLUMN created_by SET NOT NULL;
ALTER TABLE workflows RENAME COLUMN created_by TO user_id;
ALTER TABLE workflows ADD CONSTRAINT workflows_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

CREATE POLICY query_templates_select_own_or_public ON query_templates FOR SELECT
  USING (user_id = app_current_user_id() OR is_public);
CREATE POLICY query_templates_insert_own ON query_templates FOR INSERT
  WITH CHECK (user_id = app_current_user_id());
CREATE POLICY query_templates_update_own ON query_templates FOR UPDATE
  USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY query_templates_delete_own ON query_templates FOR DELETE
  USING (user_id = app_current_user_id());
CREATE POLICY workflows_select_own ON workflows FOR SELECT USING (user_id = app_current_user_id());
CREATE POLICY workflows_insert_own ON workflows FOR INSERT
  WITH CHECK (user_id = app_current_user_id() AND (query_template_id IS NULL OR EXISTS (
    SELECT 1 FROM query_templates t WHERE t.id = query_template_id)));
CREATE POLICY workflows_update_own ON workflows FOR UPDATE
  USING (user_id = app_current_user_id())
  WITH CHECK (user_id = app_current_user_id() AND (query_template_id IS NULL OR EXISTS (
    SELECT 1 FROM query_templates t WHERE t.id = query_template_id)));
CREATE POLICY workflows_delete_own ON workflows FOR DELETE USING (user_id = app_current_user_id());
CREATE POLICY workflow_executions_select_own ON workflow_executions FOR SELECT
  USING (EXISTS (SELECT 1 FROM workflows w WHERE w.id = workflow_id AND w.user_id = app_current_user_id()));
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
CREATE FUNCTION app_owns_configuration(configuration_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM report_configurations c JOIN workflows w ON w.id = c.workflow_id
    WHERE c.id = configuration_id AND w.user_id = app_current_user_id())
$$;
GRANT EXECUTE ON FUNCTION app_owns_configuration(uuid) TO app_user;
CREATE POLICY dashboard_views_select_own ON dashboard_views FOR SELECT
  USING (app_owns_configuration(report_configuration_id));
CREATE POLICY dashboard_views_insert_own ON dashboard_views FOR INSERT
  WITH CHECK (app_owns_configuration(report_configuration_id));
CREATE POLICY dashboard_views_update_own ON dashboard_views FOR UPDATE
  USING (app_owns_configuration(report_configuration_id))
  WITH CHECK (app_owns_configuration(report_configuration_id));
CREATE POLICY dashboard_views_delete_own ON dashboard_views FOR DELETE
  USING (app_owns_configuration(report_configuration_id));
CREATE POLICY dashboard_insights_select_own ON dashboard_insights FOR SELECT
  USING (EXISTS (SELECT 1 FROM dashboard_views v WHERE v.id = dashboard_view_id
                 AND app_owns_configuration(v.report_configuration_id)));
CREATE POLICY report_exports_select_requester ON report_exports FOR SELECT
  USING (user_id = app_current_user_id());
CREATE POLICY report_exports_insert_requester ON report_exports FOR INSERT
  WITH CHECK (user_id = app_current_user_id() AND app_owns_configuration(report_configuration_id));
CREATE POLICY report_exports_update_requester ON report_exports FOR UPDATE
  USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY report_exports_delete_requester ON report_exports FOR DELETE
  USING (user_id = app_current_user_id());
