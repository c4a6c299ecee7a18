import type { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { asAppUser, connect, insertOwnedGraph, type OwnedGraph } from './schema-fixtures';

let database: TestDatabase;
let db: Client;
let alice: OwnedGraph;
let bob: OwnedGraph;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await connect(database.url);
  alice = await insertOwnedGraph(db, 'alice');
  bob = await insertOwnedGraph(db, 'bob');
});
afterAll(async () => {
  await db.end();
  await database.drop();
});

const ownedRows: [table: string, key: keyof OwnedGraph][] = [
  ['users', 'userId'], ['query_templates', 'templateId'], ['workflows', 'workflowId'],
  ['workflow_executions', 'executionId'], ['report_configurations', 'configId'],
  ['dashboard_views', 'viewId'], ['dashboard_insights', 'insightId'], ['report_exports', 'exportId'],
];

describe('row-level security under role app_user', () => {
  it.each(ownedRows)('%s: a user sees only their own rows', async (table, key) => {
    const visible = await asAppUser(db, alice.userId, async () =>
      (await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1)`, [[alice[key], bob[key]]])).rows.map((r) => r.id));
    expect(visible).toEqual([alice[key]]);
  });

  it.each(ownedRows.filter(([table]) => !['workflow_executions', 'dashboard_insights'].includes(table)))(
    '%s: updating another user\'s row changes nothing', async (table, key) => {
      const column = table === 'users' ? 'email' : table === 'report_exports' ? 'download_count' : table === 'dashboard_views' ? 'position' : table === 'report_configurations' ? 'is_enabled' : 'name';
      const value = column === 'email' ? 'x@example.com' : column === 'download_count' || column === 'position' ? 7 : column === 'is_enabled' ? false : 'hijacked';
      const changed = await asAppUser(db, alice.userId, async () =>
        (await db.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2`, [value, bob[key]])).rowCount);
      expect(changed).toBe(0);
    });

  it.each(ownedRows.filter(([table]) => !['users', 'workflow_executions', 'dashboard_insights'].includes(table)))(
    '%s: deleting another user\'s row deletes nothing', async (table, key) => {
      const deleted = await asAppUser(db, alice.userId, async () => (await db.query(`DELETE FROM ${table} WHERE id = $1`, [bob[key]])).rowCount);
      expect(deleted).toBe(0);
      expect((await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [bob[key]])).rowCount).toBe(1);
    });

  it('workers may read and write executions and insights; app_user may not write them', async () => {
    await expect(asAppUser(db, alice.userId, () => db.query(
      `INSERT INTO workflow_executions (workflow_id, amc_instance_id, amc_execution_id, status, time_window_start, time_window_end)
       VALUES ($1, 'i', 'x', 'SUCCEEDED', now(), now())`, [alice.workflowId]))).rejects.toThrow(/permission denied/);
    await expect(asAppUser(db, alice.userId, () => db.query(`DELETE FROM dashboard_insights WHERE id = $1`, [alice.insightId])))
      .rejects.toThrow(/permission denied/);
  });

  const crossInserts: [string, (a: OwnedGraph, b: OwnedGraph) => [string, unknown[]]][] = [
    ['workflows owned by someone else', (a, b) => [`INSERT INTO workflows (user_id, name, sql_query, amc_instance_id) VALUES ($1, 'w', 's', 'i')`, [b.userId]]],
    ['a workflow linking another user\'s private template', (a, b) => [
      `INSERT INTO workflows (user_id, name, sql_query, amc_instance_id, query_template_id) VALUES ($1, 'w', 's', 'i', $2)`, [a.userId, b.templateId]]],
    ['a query template for someone else', (a, b) => [`INSERT INTO query_templates (user_id, name, sql_query) VALUES ($1, 'n', 's')`, [b.userId]]],
    ['a configuration on another user\'s workflow', (a, b) => [
      `INSERT INTO report_configurations (workflow_id, dashboard_type) VALUES ($1, 'funnel')`, [b.workflowId]]],
    ['a configuration on another user\'s template', (a, b) => [
      `INSERT INTO report_configurations (query_template_id, dashboard_type) VALUES ($1, 'funnel')`, [b.templateId]]],
    ['a view on another user\'s configuration', (a, b) => [
      `INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type) VALUES ($1, 'k', 'n', 'chart')`, [b.configId]]],
    ['an export of another user\'s configuration', (a, b) => [
      `INSERT INTO report_exports (report_configuration_id, user_id, format) VALUES ($1, $2, 'pdf')`, [b.configId, a.userId]]],
    ['an export requested in someone else\'s name', (a, b) => [
      `INSERT INTO report_exports (report_configuration_id, user_id, format) VALUES ($1, $2, 'pdf')`, [a.configId, b.userId]]],
  ];
  it.each(crossInserts)('rejects inserting %s', async (_label, build) => {
    const [sql, params] = build(alice, bob);
    await expect(asAppUser(db, alice.userId, () => db.query(sql, params))).rejects.toThrow(/row-level security/);
  });

  it('accepts the same inserts on the user\'s own rows', async () => {
    await asAppUser(db, alice.userId, async () => {
      await db.query(`INSERT INTO report_configurations (workflow_id, dashboard_type) VALUES ($1, 'performance')`, [alice.workflowId]);
      await db.query(`INSERT INTO report_exports (report_configuration_id, user_id, format) VALUES ($1, $2, 'csv')`, [alice.configId, alice.userId]);
    });
  });

  it('public templates (and their default configurations) are readable by everyone, never writable', async () => {
    await db.query('UPDATE query_templates SET is_public = true WHERE id = $1', [bob.templateId]);
    try {
      const seen = await asAppUser(db, alice.userId, async () => ({
        templates: (await db.query('SELECT id FROM query_templates WHERE id = $1', [bob.templateId])).rowCount,
        defaults: (await db.query('SELECT id FROM report_configurations WHERE id = $1', [bob.templateConfigId])).rowCount,
        bobsWorkflowConfig: (await db.query('SELECT id FROM report_configurations WHERE id = $1', [bob.configId])).rowCount,
        renamed: (await db.query(`UPDATE query_templates SET name = 'mine' WHERE id = $1`, [bob.templateId])).rowCount,
      }));
      expect(seen).toEqual({ templates: 1, defaults: 1, bobsWorkflowConfig: 0, renamed: 0 });
    } finally {
      await db.query('UPDATE query_templates SET is_public = false WHERE id = $1', [bob.templateId]);
    }
  });

  it('without app.user_id a query under app_user sees no row at all', async () => {
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE app_user');
      for (const [table] of ownedRows) expect([table, (await db.query(`SELECT 1 FROM ${table}`)).rowCount]).toEqual([table, 0]);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('app_user cannot touch the event inbox', async () => {
    await expect(asAppUser(db, alice.userId, () => db.query('SELECT 1 FROM amc_execution_events'))).rejects.toThrow(/permission denied/);
  });

  it('every user-owned table has row-level security enabled and forced', async () => {
    const { rows } = await db.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
      [ownedRows.map(([table]) => table)]);
    expect(rows).toHaveLength(ownedRows.length);
    for (const row of rows) expect(row).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
    const policies = await db.query(`SELECT count(*)::int AS n FROM pg_policies WHERE schemaname = 'public'`);
    expect(policies.rows[0].n).toBeGreaterThanOrEqual(12);
  });
});
