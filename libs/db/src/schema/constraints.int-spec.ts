import type { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { connect, insertOwnedGraph, type OwnedGraph } from './schema-fixtures';

let database: TestDatabase;
let db: Client;
let graph: OwnedGraph;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await connect(database.url);
  graph = await insertOwnedGraph(db, 'owner');
});
afterAll(async () => {
  await db.end();
  await database.drop();
});

/** Runs a statement in a savepoint so a rejected value does not poison the connection. */
async function attempt(sql: string, params: unknown[]): Promise<'ok' | string> {
  await db.query('BEGIN');
  try {
    await db.query(sql, params);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await db.query('ROLLBACK');
  }
}

describe('CHECK constraints', () => {
  const cases: { column: string; sql: (g: OwnedGraph) => [string, unknown[]]; good: unknown[]; bad: unknown[] }[] = [
    {
      column: 'report_configurations.dashboard_type',
      sql: (g) => [`INSERT INTO report_configurations (workflow_id, dashboard_type) VALUES ('${g.workflowId}', $1)`, []],
      good: ['funnel', 'performance', 'attribution', 'audience', 'custom'],
      bad: ['pie', '', 'FUNNEL'],
    },
    {
      column: 'query_templates.default_dashboard_type',
      sql: (g) => [`INSERT INTO query_templates (organization_id, name, sql_query, default_dashboard_type) VALUES ('${g.organizationId}', 'n', 's', $1)`, []],
      good: ['funnel', 'performance', 'attribution', 'audience', 'custom'],
      bad: ['table'],
    },
    {
      column: 'dashboard_views.view_type',
      sql: (g) => [`INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type) VALUES ('${g.configId}', gen_random_uuid()::text, 'v', $1)`, []],
      good: ['chart', 'table', 'metric_card', 'insight'],
      bad: ['graph', 'metric-card'],
    },
    {
      column: 'dashboard_insights.insight_type',
      sql: (g) => [`INSERT INTO dashboard_insights (dashboard_view_id, execution_id, finding_id, insight_type, insight_text, confidence_score, ai_model, prompt_version)
                    VALUES ('${g.viewId}', '${g.executionId}', 'f', $1, 't', 0.5, 'm', 'v')`, []],
      good: ['trend', 'anomaly', 'recommendation', 'summary', 'comparison'],
      bad: ['forecast'],
    },
    {
      column: 'dashboard_insights.confidence_score',
      sql: (g) => [`INSERT INTO dashboard_insights (dashboard_view_id, execution_id, finding_id, insight_type, insight_text, confidence_score, ai_model, prompt_version)
                    VALUES ('${g.viewId}', '${g.executionId}', 'f', 'trend', 't', $1, 'm', 'v')`, []],
      good: [0, 0.01, 0.5, 1],
      bad: [-0.01, 1.01, 2],
    },
    {
      column: 'report_exports.format',
      sql: (g) => [`INSERT INTO report_exports (report_configuration_id, user_id, format) VALUES ('${g.configId}', '${g.userId}', $1)`, []],
      good: ['pdf', 'png', 'csv', 'excel'],
      bad: ['xlsx', 'PDF', 'docx'],
    },
    {
      column: 'report_exports.status',
      sql: (g) => [`INSERT INTO report_exports (report_configuration_id, user_id, format, status) VALUES ('${g.configId}', '${g.userId}', 'pdf', $1)`, []],
      good: ['pending', 'processing', 'completed', 'failed', 'expired'],
      bad: ['done', 'queued'],
    },
    {
      column: 'workflow_executions.status',
      sql: (g) => [`INSERT INTO workflow_executions (workflow_id, amc_instance_id, amc_execution_id, status, time_window_start, time_window_end)
                    VALUES ('${g.workflowId}', 'i', gen_random_uuid()::text, $1, now(), now())`, []],
      good: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'],
      bad: ['succeeded', 'DONE'],
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.column} accepts every allowed value and rejects others`, async () => {
      const [sql] = testCase.sql(graph);
      for (const value of testCase.good) expect([value, await attempt(sql, [value])]).toEqual([value, 'ok']);
      for (const value of testCase.bad) expect(await attempt(sql, [value])).toMatch(/violates check constraint/);
    });
  }

  it('a report configuration hangs from exactly one of workflow and template', async () => {
    expect(await attempt(`INSERT INTO report_configurations (dashboard_type) VALUES ('funnel')`, [])).toMatch(/report_configurations_owner_check/);
    expect(await attempt(`INSERT INTO report_configurations (workflow_id, query_template_id, dashboard_type) VALUES ($1, $2, 'funnel')`,
      [graph.workflowId, graph.templateId])).toMatch(/report_configurations_owner_check/);
  });
});

describe('export status transitions', () => {
  const statuses = ['pending', 'processing', 'completed', 'failed', 'expired'] as const;
  const allowed = new Set(['pending>processing', 'processing>completed', 'processing>failed', 'processing>pending',
    'failed>pending', 'completed>expired']);

  for (const from of statuses) {
    for (const to of statuses) {
      if (from === to) continue;
      const verdict = allowed.has(`${from}>${to}`) ? 'allows' : 'forbids';
      it(`${verdict} ${from} → ${to}`, async () => {
        await db.query('BEGIN');
        try {
          const { rows } = await db.query<{ id: string }>(
            `INSERT INTO report_exports (report_configuration_id, user_id, format, status) VALUES ($1, $2, 'csv', $3) RETURNING id`,
            [graph.configId, graph.userId, from]);
          await db.query('SAVEPOINT s');
          const outcome = await db.query('UPDATE report_exports SET status = $1 WHERE id = $2', [to, rows[0].id]).then(
            () => 'ok', (error: Error) => error.message);
          if (verdict === 'allows') expect(outcome).toBe('ok');
          else expect(outcome).toMatch(`may not change from ${from} to ${to}`);
        } finally {
          await db.query('ROLLBACK');
        }
      });
    }
  }
});

describe('defaults, triggers and cascades', () => {
  it('fills uuid primary keys from gen_random_uuid()', () => {
    for (const [key, id] of Object.entries(graph)) if (key !== 'instanceId') expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('moves updated_at forward on every update of a table that has it', async () => {
    const tables: [string, string, string][] = [
      ['query_templates', graph.templateId, `name = name || '!'`], ['workflows', graph.workflowId, `name = name || '!'`],
      ['workflow_executions', graph.executionId, 'row_count = 1'], ['report_configurations', graph.configId, 'is_enabled = true'],
      ['dashboard_views', graph.viewId, 'position = 1'], ['report_exports', graph.exportId, 'download_count = 0'],
    ];
    for (const [table, id, change] of tables) {
      await db.query(`UPDATE ${table} SET updated_at = '2000-01-01' WHERE id = $1`, [id]);
      await db.query(`UPDATE ${table} SET ${change} WHERE id = $1`, [id]);
      const { rows } = await db.query<{ fresh: boolean }>(`SELECT updated_at > now() - interval '1 minute' AS fresh FROM ${table} WHERE id = $1`, [id]);
      expect([table, rows[0].fresh]).toEqual([table, true]);
    }
  });

  it('deleting a configuration removes its views, insights and exports', async () => {
    const other = await insertOwnedGraph(db, 'cascade-config');
    await db.query('DELETE FROM report_configurations WHERE id = $1', [other.configId]);
    const count = async (table: string, id: string) => (await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount;
    expect(await count('dashboard_views', other.viewId)).toBe(0);
    expect(await count('dashboard_insights', other.insightId)).toBe(0);
    expect(await count('report_exports', other.exportId)).toBe(0);
    expect(await count('workflows', other.workflowId)).toBe(1);
  });

  it('deleting a workflow removes its configurations and executions', async () => {
    const other = await insertOwnedGraph(db, 'cascade-workflow');
    await db.query('DELETE FROM workflows WHERE id = $1', [other.workflowId]);
    const count = async (table: string, id: string) => (await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount;
    expect(await count('report_configurations', other.configId)).toBe(0);
    expect(await count('workflow_executions', other.executionId)).toBe(0);
    expect(await count('dashboard_views', other.viewId)).toBe(0);
    expect(await count('report_configurations', other.templateConfigId)).toBe(1);
  });
});

describe('organizations own AMC instances', () => {
  it('organization_members.role accepts owner, editor and viewer only', async () => {
    const org = await insertOwnedGraph(db, 'roles-check');
    for (const role of ['owner', 'editor', 'viewer']) {
      const userId = (await db.query<{ id: string }>('INSERT INTO users DEFAULT VALUES RETURNING id')).rows[0].id;
      expect(await attempt('INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, $3)', [org.organizationId, userId, role])).toBe('ok');
    }
    const userId = (await db.query<{ id: string }>('INSERT INTO users DEFAULT VALUES RETURNING id')).rows[0].id;
    expect(await attempt('INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, $3)', [org.organizationId, userId, 'admin']))
      .toMatch(/organization_members_role_check/);
  });

  it('an AMC instance belongs to one organization; a workflow may only use an instance of its own organization', async () => {
    const first = await insertOwnedGraph(db, 'instance-a');
    const second = await insertOwnedGraph(db, 'instance-b');
    expect(await attempt('INSERT INTO amc_instances (instance_id, organization_id) VALUES ($1, $2)', [first.instanceId, second.organizationId]))
      .toMatch(/amc_instances_instance_id_key/);
    expect(await attempt(`INSERT INTO workflows (organization_id, name, sql_query, amc_instance_id) VALUES ($1, 'w', 's', $2)`,
      [second.organizationId, first.instanceId])).toMatch(/workflows_amc_instance_fkey/);
    expect(await attempt(`INSERT INTO workflows (organization_id, name, sql_query, amc_instance_id) VALUES ($1, 'w', 's', 'never-registered')`,
      [second.organizationId])).toMatch(/workflows_amc_instance_fkey/);
  });

  it('an instance with workflows cannot be removed; removing the organization removes both', async () => {
    const org = await insertOwnedGraph(db, 'instance-removal');
    expect(await attempt('DELETE FROM amc_instances WHERE instance_id = $1', [org.instanceId])).toMatch(/workflows_amc_instance_fkey/);
    await db.query('DELETE FROM organizations WHERE id = $1', [org.organizationId]);
    const left = await db.query('SELECT (SELECT count(*) FROM workflows WHERE id = $1)::int AS w, (SELECT count(*) FROM amc_instances WHERE instance_id = $2)::int AS i',
      [org.workflowId, org.instanceId]);
    expect(left.rows[0]).toEqual({ w: 0, i: 0 });
  });

  it('removing the user who created a workflow or template keeps the organization\'s rows', async () => {
    const org = await insertOwnedGraph(db, 'creator-removal');
    await db.query('DELETE FROM users WHERE id = $1', [org.userId]);
    const rows = await db.query('SELECT (SELECT created_by FROM workflows WHERE id = $1) AS w, (SELECT created_by FROM query_templates WHERE id = $2) AS t',
      [org.workflowId, org.templateId]);
    expect(rows.rows[0]).toEqual({ w: null, t: null });
  });
});
