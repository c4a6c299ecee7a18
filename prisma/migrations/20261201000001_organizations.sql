-- migrate:up
-- Organizations own AMC instances, query templates and workflows (issue 10). Until now an AMC
-- instance belonged to nobody, so anyone could create a workflow on another advertiser's
-- instance and receive its results. Now:
--   * amc_instances.instance_id is unique: one organization owns an instance;
--   * a workflow's (organization_id, amc_instance_id) must be an instance of its organization
--     (a composite foreign key, so no writer, API or psql, can point a workflow elsewhere);
--   * (amc_instance_id, amc_workflow_id) stays unique, which is now naturally per owner.
-- The creator columns (workflows.user_id, query_templates.user_id) become created_by in the next
-- migration, together with the policies that stop using them.

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER organizations_updated_at BEFORE UPDATE ON organizations
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE organization_members (
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- viewer reads; editor also writes templates, workflows and reports; owner also manages members.
  role             text NOT NULL
    CONSTRAINT organization_members_role_check CHECK (role IN ('owner', 'editor', 'viewer')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id)
);
CREATE TRIGGER organization_members_updated_at BEFORE UPDATE ON organization_members
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- Every RLS check: the organizations a user belongs to (and with which role).
CREATE INDEX organization_members_user_idx ON organization_members (user_id, organization_id, role);

CREATE TABLE amc_instances (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- AMC's instance id, as events carry it.
  instance_id      text NOT NULL
    CONSTRAINT amc_instances_instance_id_key UNIQUE
    CHECK (length(instance_id) BETWEEN 1 AND 200),
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name             text CHECK (length(name) BETWEEN 1 AND 200),
  advertiser_id    text CHECK (length(advertiser_id) BETWEEN 1 AND 200),
  marketplace      text CHECK (length(marketplace) BETWEEN 1 AND 50),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- The target of workflows' composite foreign key (instance of *this* organization).
  CONSTRAINT amc_instances_organization_instance_key UNIQUE (organization_id, instance_id)
);
CREATE TRIGGER amc_instances_updated_at BEFORE UPDATE ON amc_instances
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE query_templates ADD COLUMN organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE;
ALTER TABLE workflows ADD COLUMN organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE;

-- Existing rows: each user with templates or workflows gets a personal organization (owner) that
-- owns their rows and the instances their workflows use. Two users with workflows on one instance
-- cannot both own it, and a migration must not guess which one is the advertiser (the first
-- claimant may well be the squatter): it stops and names the conflicts for an operator to settle.
DO $$
DECLARE
  conflicts text;
BEGIN
  SELECT string_agg(format('%s (users %s)', amc_instance_id, users), '; ') INTO conflicts
  FROM (SELECT amc_instance_id, string_agg(DISTINCT user_id::text, ', ') AS users
        FROM workflows GROUP BY amc_instance_id HAVING count(DISTINCT user_id) > 1) claimed;
  IF conflicts IS NOT NULL THEN
    RAISE EXCEPTION 'AMC instances used by workflows of more than one user: %', conflicts
      USING HINT = 'decide who owns each instance, delete or re-point the other users'' workflows, then migrate again';
  END IF;
END $$;

CREATE TEMPORARY TABLE personal_organizations ON COMMIT DROP AS
  SELECT u.id AS user_id, gen_random_uuid() AS organization_id, coalesce(u.email, 'user ' || u.id::text) AS label
  FROM users u
  WHERE EXISTS (SELECT 1 FROM workflows w WHERE w.user_id = u.id)
     OR EXISTS (SELECT 1 FROM query_templates t WHERE t.user_id = u.id);
INSERT INTO organizations (id, name)
  SELECT organization_id, left('Personal (' || label || ')', 200) FROM personal_organizations;
INSERT INTO organization_members (organization_id, user_id, role)
  SELECT organization_id, user_id, 'owner' FROM personal_organizations;
UPDATE workflows w SET organization_id = p.organization_id FROM personal_organizations p WHERE p.user_id = w.user_id;
UPDATE query_templates t SET organization_id = p.organization_id FROM personal_organizations p WHERE p.user_id = t.user_id;
INSERT INTO amc_instances (instance_id, organization_id, name)
  SELECT DISTINCT w.amc_instance_id, w.organization_id, w.amc_instance_id FROM workflows w;

ALTER TABLE query_templates ALTER COLUMN organization_id SET NOT NULL;
ALTER TABLE workflows ALTER COLUMN organization_id SET NOT NULL;
-- NO ACTION (checked at the end of the statement): removing an instance that still has workflows
-- would silently drop a client's history, so it is refused; deleting the whole organization
-- cascades to both in one statement and passes.
ALTER TABLE workflows ADD CONSTRAINT workflows_amc_instance_fkey
  FOREIGN KEY (organization_id, amc_instance_id) REFERENCES amc_instances (organization_id, instance_id);

DROP INDEX workflows_user_created_idx;
DROP INDEX query_templates_user_created_idx;
-- GET /v1/workflows: an organization's workflows, newest first (optionally of one instance).
CREATE INDEX workflows_organization_created_idx ON workflows (organization_id, created_at DESC);
-- The instance foreign key (and GET /v1/workflows?amcInstanceId=).
CREATE INDEX workflows_organization_instance_idx ON workflows (organization_id, amc_instance_id);
-- GET /v1/query-templates: an organization's templates, newest first.
CREATE INDEX query_templates_organization_created_idx ON query_templates (organization_id, created_at DESC);
-- GET /admin/v1/organizations/:id and GET /v1/organizations: an organization's instances.
CREATE INDEX amc_instances_organization_idx ON amc_instances (organization_id, instance_id);

-- migrate:down
-- Rows made after the migration may have no creator (created_by SET NULL); the previous schema
-- needs one, so the next migration's down gives them an owner of their organization first.
DROP INDEX amc_instances_organization_idx;
DROP INDEX query_templates_organization_created_idx;
DROP INDEX workflows_organization_instance_idx;
DROP INDEX workflows_organization_created_idx;
CREATE INDEX workflows_user_created_idx ON workflows (user_id, created_at DESC);
CREATE INDEX query_templates_user_created_idx ON query_templates (user_id, created_at DESC);
ALTER TABLE workflows DROP CONSTRAINT workflows_amc_instance_fkey;
ALTER TABLE workflows DROP COLUMN organization_id;
ALTER TABLE query_templates DROP COLUMN organization_id;
DROP TABLE amc_instances;
DROP TABLE organization_members;
DROP TABLE organizations;
