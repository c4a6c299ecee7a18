import type { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { connect } from './schema-fixtures';

let database: TestDatabase;
let db: Client;

/** 100k-row tables shaped like production: many organizations, each with a modest share of rows. */
const SEED = `
INSERT INTO users (id, email) SELECT gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, 1000) g;
INSERT INTO organizations (id, name) SELECT id, 'org of ' || email FROM users;
INSERT INTO organization_members (organization_id, user_id, role) SELECT id, id, 'owner' FROM users;
INSERT INTO amc_instances (instance_id, organization_id) SELECT 'inst-' || id, id FROM organizations;
INSERT INTO workflows (organization_id, created_by, name, sql_query, amc_instance_id, amc_workflow_id)
  SELECT id, id, 'wf', 'SELECT 1', 'inst-' || id, 'wf-' || row_number() OVER () FROM users;
INSERT INTO report_configurations (workflow_id, dashboard_type) SELECT id, 'funnel' FROM workflows;
INSERT INTO workflow_executions (workflow_id, amc_instance_id, amc_execution_id, status, time_window_start, time_window_end, completed_at)
  SELECT w.id, 'inst', 'e-' || w.id || '-' || g, 'SUCCEEDED', timestamptz '2024-01-01' + g * interval '1 day',
         timestamptz '2024-01-01' + g * interval '1 day' + interval '6 days', now()
  FROM workflows w, generate_series(1, 100) g;
INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type, position)
  SELECT c.id, 'v' || g, 'view', (ARRAY['chart','table','metric_card','insight'])[1 + g % 4], g FROM report_configurations c, generate_series(1, 100) g;
INSERT INTO dashboard_insights (dashboard_view_id, execution_id, finding_id, insight_type, insight_text, confidence_score, ai_model, prompt_version)
  SELECT v.id, e.id, 'f', 'trend', 't', round(random()::numeric, 2), 'statistical', 'v1'
  FROM (SELECT id, row_number() OVER () AS n FROM dashboard_views LIMIT 10000) v
  JOIN (SELECT id, row_number() OVER () AS n FROM workflow_executions LIMIT 10000) e ON e.n = v.n, generate_series(1, 10);
INSERT INTO report_exports (report_configuration_id, user_id, format, status, requested_at, expires_at)
  SELECT c.id, w.created_by, 'pdf', (ARRAY['pending','processing','completed','failed','expired'])[1 + g % 5],
         now() - g * interval '1 minute', now() + (g - 50) * interval '1 day'
  FROM report_configurations c JOIN workflows w ON w.id = c.workflow_id, generate_series(1, 100) g;
ANALYZE;
`;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await connect(database.url);
  await db.query(SEED);
}, 120_000);
afterAll(async () => {
  await db.end();
  await database.drop();
});

async function plan(sql: string, params: unknown[]): Promise<string> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

async function any(sql: string): Promise<string> {
  return (await db.query<{ id: string }>(sql)).rows[0].id;
}

it('has the tables at 100k rows', async () => {
  for (const table of ['workflow_executions', 'dashboard_views', 'dashboard_insights', 'report_exports']) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    expect([table, rows[0].n]).toEqual([table, 100_000]);
  }
});

it('views of a configuration use the configuration index', async () => {
  const configId = await any('SELECT id FROM report_configurations LIMIT 1');
  expect(await plan('SELECT * FROM dashboard_views WHERE report_configuration_id = $1 ORDER BY position', [configId]))
    .toMatch(/dashboard_views_configuration_(key|type_idx)/);
  expect(await plan(`SELECT * FROM dashboard_views WHERE report_configuration_id = $1 AND view_type = 'chart' ORDER BY position`, [configId]))
    .toMatch(/dashboard_views_configuration_type_idx/);
});

it('insights of a view by confidence use the confidence index', async () => {
  const viewId = await any('SELECT dashboard_view_id AS id FROM dashboard_insights LIMIT 1');
  expect(await plan('SELECT * FROM dashboard_insights WHERE dashboard_view_id = $1 ORDER BY confidence_score DESC, created_at DESC LIMIT 20', [viewId]))
    .toMatch(/dashboard_insights_view_confidence_idx/);
});

it("a user's exports by status use the user/status index", async () => {
  const userId = await any('SELECT user_id AS id FROM report_exports LIMIT 1');
  expect(await plan(`SELECT * FROM report_exports WHERE user_id = $1 AND status = 'completed' ORDER BY requested_at DESC LIMIT 20`, [userId]))
    .toMatch(/report_exports_user_status_idx/);
});

it('completed exports past expiry use the partial expiry index', async () => {
  expect(await plan(`SELECT id FROM report_exports WHERE status = 'completed' AND expires_at < now() - interval '40 days' LIMIT 500`, []))
    .toMatch(/report_exports_expiry_idx/);
});

it('executions of a workflow by time window use the window index', async () => {
  const workflowId = await any('SELECT id FROM workflows LIMIT 1');
  expect(await plan(`SELECT * FROM workflow_executions WHERE workflow_id = $1 AND time_window_start = $2 AND time_window_end = $3`,
    [workflowId, '2024-01-05', '2024-01-11'])).toMatch(/workflow_executions_workflow_window_idx/);
});

it("an organization's workflows use the organization index; a user's memberships the member index", async () => {
  const organizationId = await any('SELECT id FROM organizations LIMIT 1');
  expect(await plan('SELECT * FROM workflows WHERE organization_id = $1 ORDER BY created_at DESC LIMIT 20', [organizationId]))
    .toMatch(/workflows_organization_(created|instance)_idx/);
  expect(await plan('SELECT organization_id FROM organization_members WHERE user_id = $1', [organizationId]))
    .toMatch(/organization_members_user_idx/);
});

it('under row-level security a member reads a configuration\'s views through the configuration index', async () => {
  const { rows } = await db.query<{ user_id: string; config_id: string }>(
    `SELECT m.user_id, c.id AS config_id FROM report_configurations c JOIN workflows w ON w.id = c.workflow_id
     JOIN organization_members m ON m.organization_id = w.organization_id LIMIT 1`);
  await db.query('BEGIN');
  try {
    await db.query(`SELECT set_config('app.user_id', $1, true)`, [rows[0].user_id]);
    await db.query('SET LOCAL ROLE app_user');
    expect(await plan('SELECT * FROM dashboard_views WHERE report_configuration_id = $1 ORDER BY position', [rows[0].config_id]))
      .toMatch(/dashboard_views_configuration_(key|type_idx)/);
    const visible = await db.query('SELECT count(*)::int AS n FROM dashboard_views WHERE report_configuration_id = $1', [rows[0].config_id]);
    expect(visible.rows[0].n).toBe(100);
  } finally {
    await db.query('ROLLBACK');
  }
});

it('the outbox relay uses the pending-events index', async () => {
  await db.query(`INSERT INTO amc_execution_events (event_id, amc_instance_id, amc_execution_id, status, payload, enqueued_at)
    SELECT 'ev' || g, 'i', 'x' || g, 'SUCCEEDED', '{}', CASE WHEN g % 1000 = 0 THEN NULL ELSE now() END FROM generate_series(1, 100000) g`);
  await db.query('ANALYZE amc_execution_events');
  expect(await plan('SELECT id FROM amc_execution_events WHERE enqueued_at IS NULL ORDER BY received_at LIMIT 100', []))
    .toMatch(/amc_execution_events_outbox_idx/);
});

it('declares every index the design lists (14+), each with a comment naming its query', async () => {
  const { rows } = await db.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' ORDER BY 1`);
  const names = rows.map((r) => r.indexname);
  expect(names.length).toBeGreaterThanOrEqual(14);
  expect(names).toEqual(expect.arrayContaining([
    'query_templates_organization_created_idx', 'query_templates_public_idx', 'workflows_organization_created_idx',
    'workflows_organization_instance_idx', 'workflows_query_template_idx', 'organization_members_user_idx', 'amc_instances_organization_idx',
    'workflows_amc_workflow_key', 'workflow_executions_amc_execution_key', 'workflow_executions_workflow_window_idx',
    'workflow_executions_workflow_created_idx', 'report_configurations_workflow_idx', 'report_configurations_template_idx',
    'report_configurations_workflow_source_key', 'dashboard_views_configuration_key', 'dashboard_views_configuration_type_idx',
    'dashboard_insights_view_confidence_idx', 'dashboard_insights_execution_idx', 'report_exports_user_status_idx',
    'report_exports_expiry_idx', 'report_exports_processing_idx', 'report_exports_configuration_idx', 'amc_execution_events_outbox_idx',
  ]));
});
