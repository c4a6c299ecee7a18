-- migrate:up
-- Delivery (issue 16): report subscriptions (e-mail, Slack, signed webhook) triggered after an
-- execution or on a schedule, the deliveries log that makes each send happen once and visibly,
-- expiring download links for attachments too large to mail, and client share links with their
-- view log. Rows hang from a report configuration, so membership of its organization decides who
-- sees them (viewers read, editors and owners change), like every other report row.

CREATE TABLE report_subscriptions (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_configuration_id  uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  name                     text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  channel                  text NOT NULL
    CONSTRAINT report_subscriptions_channel_check CHECK (channel IN ('email', 'slack', 'webhook')),
  -- e-mail: the addresses; empty for the other channels.
  recipients               text[] NOT NULL DEFAULT '{}',
  -- webhook: the URL; slack: the URL with its secret path masked (the URL itself is a credential,
  -- kept in subscription_secrets); null for e-mail.
  target_url               text CHECK (length(target_url) BETWEEN 1 AND 2000),
  -- 'link' sends no files, only links: it stands alone.
  formats                  text[] NOT NULL
    CONSTRAINT report_subscriptions_formats_check CHECK (
      cardinality(formats) BETWEEN 1 AND 4 AND formats <@ ARRAY['pdf', 'png', 'csv', 'excel', 'link']
      AND (NOT 'link' = ANY(formats) OR cardinality(formats) = 1)),
  trigger_kind             text NOT NULL
    CONSTRAINT report_subscriptions_trigger_kind_check CHECK (trigger_kind IN ('after_execution', 'schedule')),
  cron                     text CHECK (length(cron) BETWEEN 9 AND 200),
  time_zone                text CHECK (length(time_zone) BETWEEN 1 AND 100),
  -- [{type: changed} | {type: insight, minConfidence} | {type: metric, expression}], all must hold.
  conditions               jsonb NOT NULL DEFAULT '[]'::jsonb
    CONSTRAINT report_subscriptions_conditions_check CHECK (jsonb_typeof(conditions) = 'array' AND jsonb_array_length(conditions) <= 10),
  is_enabled               boolean NOT NULL DEFAULT true,
  created_by               uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT report_subscriptions_target_check CHECK (
    (channel = 'email' AND cardinality(recipients) BETWEEN 1 AND 50 AND target_url IS NULL)
    OR (channel IN ('slack', 'webhook') AND cardinality(recipients) = 0 AND target_url IS NOT NULL)),
  CONSTRAINT report_subscriptions_schedule_check CHECK (
    (trigger_kind = 'schedule') = (cron IS NOT NULL) AND (cron IS NULL) = (time_zone IS NULL))
);
CREATE TRIGGER report_subscriptions_updated_at BEFORE UPDATE ON report_subscriptions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- GET /v1/reports/:id/subscriptions: a report's subscriptions, oldest first.
CREATE INDEX report_subscriptions_report_idx ON report_subscriptions (report_configuration_id, created_at);
-- After an execution: the report's enabled after_execution subscriptions (the fan-out).
CREATE INDEX report_subscriptions_after_execution_idx ON report_subscriptions (report_configuration_id)
  WHERE trigger_kind = 'after_execution' AND is_enabled;
-- The delivery worker's start-up reconciliation of job schedulers with scheduled subscriptions.
CREATE INDEX report_subscriptions_schedule_idx ON report_subscriptions (id) WHERE trigger_kind = 'schedule';

-- A webhook's signing secret or a Slack incoming-webhook URL: never readable by app_user (not even
-- by the editor who set it; the secret is shown once when it is made), written only through
-- app_set_subscription_secret, read by the delivery worker as the owner role.
CREATE TABLE subscription_secrets (
  subscription_id  uuid PRIMARY KEY REFERENCES report_subscriptions(id) ON DELETE CASCADE,
  secret           text NOT NULL CHECK (length(secret) BETWEEN 16 AND 2000),
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deliveries (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subscription_id          uuid NOT NULL REFERENCES report_subscriptions(id) ON DELETE CASCADE,
  report_configuration_id  uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  trigger_kind             text NOT NULL
    CONSTRAINT deliveries_trigger_kind_check CHECK (trigger_kind IN ('after_execution', 'schedule', 'manual')),
  -- exec-<execution id> | tick-<scheduled ISO time> | manual-<uuid>: with the subscription, what
  -- makes a send happen once however often its job runs.
  trigger_key              text NOT NULL CHECK (length(trigger_key) BETWEEN 1 AND 200),
  execution_id             uuid REFERENCES workflow_executions(id) ON DELETE SET NULL,
  scheduled_for            timestamptz,
  channel                  text NOT NULL
    CONSTRAINT deliveries_channel_check CHECK (channel IN ('email', 'slack', 'webhook')),
  -- Who it went to, as people read it: addresses, or the webhook / masked Slack URL.
  recipient                text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 4000),
  status                   text NOT NULL DEFAULT 'pending'
    CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  -- skipped: the condition that skipped it (its type) and why, in words.
  skipped_by               text CHECK (skipped_by IN ('changed', 'insight', 'metric', 'no_execution', 'disabled')),
  skip_reason              text CHECK (length(skip_reason) BETWEEN 1 AND 2000),
  attempts                 integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  error                    text CHECK (length(error) BETWEEN 1 AND 2000),
  -- What was sent, so "only when something changed" compares with the last delivery sent.
  content_fingerprint      text CHECK (content_fingerprint ~ '^[0-9a-f]{64}$'),
  -- [{format, fileName, sizeBytes, as: attachment | link, expiresAt?}]
  files                    jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(files) = 'array'),
  message_id               text CHECK (length(message_id) BETWEEN 1 AND 1000),
  requested_by             uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  started_at               timestamptz,
  sent_at                  timestamptz,
  finished_at              timestamptz,
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT deliveries_trigger_key UNIQUE (subscription_id, trigger_key),
  CONSTRAINT deliveries_skip_check CHECK ((status = 'skipped') = (skipped_by IS NOT NULL AND skip_reason IS NOT NULL)),
  CONSTRAINT deliveries_sent_check CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CONSTRAINT deliveries_failed_check CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE TRIGGER deliveries_updated_at BEFORE UPDATE ON deliveries
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- GET /v1/reports/:id/deliveries: a report's deliveries, newest first.
CREATE INDEX deliveries_report_created_idx ON deliveries (report_configuration_id, created_at DESC);
-- A subscription's recent deliveries (the page) and its last one sent (condition "changed").
CREATE INDEX deliveries_subscription_created_idx ON deliveries (subscription_id, created_at DESC);
CREATE INDEX deliveries_subscription_sent_idx ON deliveries (subscription_id, sent_at DESC) WHERE status = 'sent';

-- pending → sending → sent | failed | skipped | pending (a retry), pending → skipped | failed.
-- A sent delivery never changes again: that is what "exactly once" rests on.
CREATE FUNCTION enforce_delivery_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  IF (OLD.status, NEW.status) IN (
       ('pending', 'sending'), ('pending', 'skipped'), ('pending', 'failed'),
       ('sending', 'sent'), ('sending', 'failed'), ('sending', 'skipped'), ('sending', 'pending')) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'deliveries %: status may not change from % to %', OLD.id, OLD.status, NEW.status
    USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER deliveries_status_transition BEFORE UPDATE OF status ON deliveries
  FOR EACH ROW EXECUTE FUNCTION enforce_delivery_status_transition();

-- An attachment too large to mail, or a file of a Slack / webhook delivery: an unguessable,
-- expiring link to one stored export (only the token's SHA-256 is kept).
CREATE TABLE download_links (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  export_id       uuid NOT NULL REFERENCES report_exports(id) ON DELETE CASCADE,
  delivery_id     uuid REFERENCES deliveries(id) ON DELETE SET NULL,
  token_sha256    text NOT NULL CONSTRAINT download_links_token_key UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  expires_at      timestamptz NOT NULL,
  download_count  integer NOT NULL DEFAULT 0 CHECK (download_count >= 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT download_links_expiry_check CHECK (expires_at > created_at)
);
-- Links of an export (cascade delete when the export goes).
CREATE INDEX download_links_export_idx ON download_links (export_id);

CREATE TABLE report_share_links (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_configuration_id  uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  token_sha256             text NOT NULL CONSTRAINT report_share_links_token_key UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  label                    text CHECK (length(label) BETWEEN 1 AND 200),
  allow_exports            boolean NOT NULL DEFAULT false,
  -- Origins that may frame the shared page (CSP frame-ancestors); none: nobody may.
  allowed_origins          text[] NOT NULL DEFAULT '{}'
    CONSTRAINT report_share_links_origins_check CHECK (cardinality(allowed_origins) <= 10),
  expires_at               timestamptz NOT NULL,
  revoked_at               timestamptz,
  created_by               uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT report_share_links_expiry_check CHECK (expires_at > created_at)
);
-- GET /v1/reports/:id/share-links: a report's links, newest first.
CREATE INDEX report_share_links_report_idx ON report_share_links (report_configuration_id, created_at DESC);

-- Every read through a share link: the owner's audit of who looked at their client's dashboard.
CREATE TABLE share_link_views (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  share_link_id  uuid NOT NULL REFERENCES report_share_links(id) ON DELETE CASCADE,
  kind           text NOT NULL CONSTRAINT share_link_views_kind_check CHECK (kind IN ('dashboard', 'export', 'download')),
  client_ip      text CHECK (length(client_ip) <= 100),
  user_agent     text CHECK (length(user_agent) <= 500),
  viewed_at      timestamptz NOT NULL DEFAULT now()
);
-- A link's views, newest first (and its count and last view in the link list).
CREATE INDEX share_link_views_link_idx ON share_link_views (share_link_id, viewed_at DESC);

-- Row-level security: membership of the report's organization, as for every report row.
GRANT SELECT, INSERT, UPDATE, DELETE ON report_subscriptions TO app_user;
GRANT SELECT, INSERT ON deliveries TO app_user;
GRANT SELECT, INSERT, UPDATE ON report_share_links TO app_user;
GRANT SELECT, INSERT ON share_link_views TO app_user;

ALTER TABLE report_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY report_subscriptions_select_member ON report_subscriptions FOR SELECT
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY report_subscriptions_insert_editor ON report_subscriptions FOR INSERT
  WITH CHECK (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')));
CREATE POLICY report_subscriptions_update_editor ON report_subscriptions FOR UPDATE
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')))
  WITH CHECK (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')));
CREATE POLICY report_subscriptions_delete_editor ON report_subscriptions FOR DELETE
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')));

-- No policy at all for app_user: only the function below writes, only the owner role reads.
ALTER TABLE subscription_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscription_secrets FORCE ROW LEVEL SECURITY;

-- Sets (or replaces) a subscription's secret for an editor of its report's organization.
-- SECURITY DEFINER because app_user may neither read nor write the table itself.
CREATE FUNCTION app_set_subscription_secret(subscription uuid, new_secret text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM report_subscriptions s WHERE s.id = subscription
                 AND app_configuration_organization(s.report_configuration_id) IN (SELECT app_organizations('editor'))) THEN
    RETURN false;
  END IF;
  INSERT INTO subscription_secrets (subscription_id, secret) VALUES (subscription, new_secret)
  ON CONFLICT (subscription_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now();
  RETURN true;
END $$;
REVOKE ALL ON FUNCTION app_set_subscription_secret(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_set_subscription_secret(uuid, text) TO app_user;

ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY deliveries_select_member ON deliveries FOR SELECT
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
-- "Send now": an editor records the delivery the worker then makes.
CREATE POLICY deliveries_insert_editor ON deliveries FOR INSERT
  WITH CHECK (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor'))
              AND EXISTS (SELECT 1 FROM report_subscriptions s WHERE s.id = subscription_id
                          AND s.report_configuration_id = deliveries.report_configuration_id));

ALTER TABLE download_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE download_links FORCE ROW LEVEL SECURITY;

-- A share link's request runs as app_user with app.share_token_sha256 set (no app.user_id): these
-- functions name the one report (and its workflow) a valid — unrevoked, unexpired — link shows.
-- SECURITY DEFINER because the link row itself is only visible to members.
CREATE FUNCTION app_share_link_id() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT id FROM report_share_links
  WHERE token_sha256 = nullif(current_setting('app.share_token_sha256', true), '')
    AND revoked_at IS NULL AND expires_at > now()
$$;
CREATE FUNCTION app_share_report_id() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT report_configuration_id FROM report_share_links WHERE id = app_share_link_id()
$$;
CREATE FUNCTION app_share_workflow_id() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT workflow_id FROM report_configurations WHERE id = app_share_report_id()
$$;
REVOKE ALL ON FUNCTION app_share_link_id(), app_share_report_id(), app_share_workflow_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_share_link_id(), app_share_report_id(), app_share_workflow_id() TO app_user;

-- What a share link may read: the report, its views, the insights on them and the runs of its
-- workflow. Nothing of the workflow, the organization or any user. `(SELECT …)` makes each an
-- init plan evaluated once per statement.
CREATE POLICY report_configurations_select_share ON report_configurations FOR SELECT
  USING (id = (SELECT app_share_report_id()));
CREATE POLICY dashboard_views_select_share ON dashboard_views FOR SELECT
  USING (report_configuration_id = (SELECT app_share_report_id()));
CREATE POLICY dashboard_insights_select_share ON dashboard_insights FOR SELECT
  USING (EXISTS (SELECT 1 FROM dashboard_views v WHERE v.id = dashboard_view_id
                 AND v.report_configuration_id = (SELECT app_share_report_id())));
CREATE POLICY workflow_executions_select_share ON workflow_executions FOR SELECT
  USING (workflow_id = (SELECT app_share_workflow_id()));

ALTER TABLE report_share_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_share_links FORCE ROW LEVEL SECURITY;
CREATE POLICY report_share_links_select_member ON report_share_links FOR SELECT
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('viewer')));
CREATE POLICY report_share_links_insert_editor ON report_share_links FOR INSERT
  WITH CHECK (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor'))
              AND created_by = app_current_user_id());
-- Revoking is the only change (the controller sets revoked_at).
CREATE POLICY report_share_links_update_editor ON report_share_links FOR UPDATE
  USING (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')))
  WITH CHECK (app_configuration_organization(report_configuration_id) IN (SELECT app_organizations('editor')));

ALTER TABLE share_link_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE share_link_views FORCE ROW LEVEL SECURITY;
CREATE POLICY share_link_views_select_member ON share_link_views FOR SELECT
  USING (EXISTS (SELECT 1 FROM report_share_links l WHERE l.id = share_link_id));
-- A share link logs its own views, and only its own.
CREATE POLICY share_link_views_insert_share ON share_link_views FOR INSERT
  WITH CHECK (share_link_id = (SELECT app_share_link_id()));

-- migrate:down
DROP POLICY share_link_views_insert_share ON share_link_views;
DROP POLICY share_link_views_select_member ON share_link_views;
DROP POLICY report_share_links_update_editor ON report_share_links;
DROP POLICY report_share_links_insert_editor ON report_share_links;
DROP POLICY report_share_links_select_member ON report_share_links;
DROP POLICY workflow_executions_select_share ON workflow_executions;
DROP POLICY dashboard_insights_select_share ON dashboard_insights;
DROP POLICY dashboard_views_select_share ON dashboard_views;
DROP POLICY report_configurations_select_share ON report_configurations;
DROP FUNCTION app_share_workflow_id();
DROP FUNCTION app_share_report_id();
DROP FUNCTION app_share_link_id();
DROP POLICY deliveries_insert_editor ON deliveries;
DROP POLICY deliveries_select_member ON deliveries;
DROP FUNCTION app_set_subscription_secret(uuid, text);
DROP POLICY report_subscriptions_delete_editor ON report_subscriptions;
DROP POLICY report_subscriptions_update_editor ON report_subscriptions;
DROP POLICY report_subscriptions_insert_editor ON report_subscriptions;
DROP POLICY report_subscriptions_select_member ON report_subscriptions;
REVOKE ALL ON report_subscriptions, deliveries, report_share_links, share_link_views FROM app_user;
DROP TABLE share_link_views;
DROP TABLE report_share_links;
DROP TABLE download_links;
DROP TABLE deliveries;
DROP FUNCTION enforce_delivery_status_transition();
DROP TABLE subscription_secrets;
DROP TABLE report_subscriptions;
