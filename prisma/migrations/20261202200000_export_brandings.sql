-- migrate:up
-- Branding of exports (issue 14): an organization's defaults (report_configuration_id NULL) and a
-- report's overrides, field by field (a NULL field falls back to the organization's). The logo is
-- a file in the export storage (ExportStorage), named by its own key, never a URL fetched at
-- render time; the gateway checked its type and size when it was uploaded.
CREATE TABLE export_brandings (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  report_configuration_id uuid REFERENCES report_configurations(id) ON DELETE CASCADE,
  accent_color            text CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
  cover_title             text CHECK (char_length(cover_title) BETWEEN 1 AND 120),
  footer_text             text CHECK (char_length(footer_text) BETWEEN 1 AND 200),
  logo_key                text,
  logo_content_type       text CHECK (logo_content_type IN ('image/png', 'image/svg+xml')),
  logo_size_bytes         integer CHECK (logo_size_bytes > 0),
  updated_by              uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT export_brandings_logo_complete CHECK ((logo_key IS NULL) = (logo_content_type IS NULL) AND (logo_key IS NULL) = (logo_size_bytes IS NULL))
);
CREATE TRIGGER export_brandings_updated_at BEFORE UPDATE ON export_brandings
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- One default per organization (the branding an export of any of its reports starts from).
CREATE UNIQUE INDEX export_brandings_organization_default_idx ON export_brandings (organization_id) WHERE report_configuration_id IS NULL;
-- One override per report (the export worker reads it by report id).
CREATE UNIQUE INDEX export_brandings_report_idx ON export_brandings (report_configuration_id) WHERE report_configuration_id IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON export_brandings TO app_user;
ALTER TABLE export_brandings ENABLE ROW LEVEL SECURITY;
ALTER TABLE export_brandings FORCE ROW LEVEL SECURITY;
-- Members read their organization's branding; editors and owners change it. A report's override
-- belongs to the organization of the report's workflow, so nobody brands another organization's report.
CREATE POLICY export_brandings_select_member ON export_brandings FOR SELECT
  USING (organization_id IN (SELECT app_organizations('viewer')));
CREATE POLICY export_brandings_insert_editor ON export_brandings FOR INSERT
  WITH CHECK (organization_id IN (SELECT app_organizations('editor')) AND (report_configuration_id IS NULL OR EXISTS (
    SELECT 1 FROM report_configurations c JOIN workflows w ON w.id = c.workflow_id
    WHERE c.id = export_brandings.report_configuration_id AND w.organization_id = export_brandings.organization_id)));
CREATE POLICY export_brandings_update_editor ON export_brandings FOR UPDATE
  USING (organization_id IN (SELECT app_organizations('editor')))
  WITH CHECK (organization_id IN (SELECT app_organizations('editor')) AND (report_configuration_id IS NULL OR EXISTS (
    SELECT 1 FROM report_configurations c JOIN workflows w ON w.id = c.workflow_id
    WHERE c.id = export_brandings.report_configuration_id AND w.organization_id = export_brandings.organization_id)));
CREATE POLICY export_brandings_delete_editor ON export_brandings FOR DELETE
  USING (organization_id IN (SELECT app_organizations('editor')));

-- migrate:down
DROP TABLE export_brandings;
