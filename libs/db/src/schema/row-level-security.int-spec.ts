import type { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { addMember, asAppUser, connect, insertOwnedGraph, insertUser, type OwnedGraph } from './schema-fixtures';

/**
 * Row-level security by membership, at the SQL level: organization A (owner, editor, viewer) and
 * organization B (its owner), each with a full chain of rows. Every statement runs the way the
 * gateway runs it: one transaction as app_user with app.user_id set.
 */
let database: TestDatabase;
let db: Client;
let a: OwnedGraph;
let b: OwnedGraph;
let roles: Record<'owner' | 'editor' | 'viewer', string>;
let outsider: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await connect(database.url);
  a = await insertOwnedGraph(db, 'alpha');
  b = await insertOwnedGraph(db, 'beta');
  roles = {
    owner: a.userId,
    editor: await addMember(db, a.organizationId, 'editor', 'editor@alpha.example'),
    viewer: await addMember(db, a.organizationId, 'viewer', 'viewer@alpha.example'),
  };
  outsider = await insertUser(db, 'nobody@example.com');
});
afterAll(async () => {
  await db.end();
  await database.drop();
});

const ROLES = ['owner', 'editor', 'viewer'] as const;
const ownedRows: [table: string, key: keyof OwnedGraph][] = [
  ['organizations', 'organizationId'], ['query_templates', 'templateId'], ['workflows', 'workflowId'],
  ['workflow_executions', 'executionId'], ['report_configurations', 'configId'], ['dashboard_views', 'viewId'], ['dashboard_insights', 'insightId'],
];

async function visibleIds(userId: string, table: string, ids: string[]): Promise<string[]> {
  return asAppUser(db, userId, async () => (await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1)`, [ids])).rows.map((r) => r.id));
}

/** Runs a write as the user, rolled back so every case starts from the same rows; returns the rows it touched or the error. */
async function tryWrite(userId: string, sql: string, params: unknown[]): Promise<number | string> {
  await db.query('BEGIN');
  try {
    await db.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
    await db.query('SET LOCAL ROLE app_user');
    return (await db.query(sql, params)).rowCount ?? 0;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await db.query('ROLLBACK');
  }
}

describe('visibility comes from membership', () => {
  it.each(ROLES.flatMap((role) => ownedRows.map(([table, key]) => [role, table, key] as const)))(
    'a %s of A sees A\'s %s and none of B\'s', async (role, table, key) => {
      expect(await visibleIds(roles[role], table, [a[key], b[key]])).toEqual([a[key]]);
    });

  it.each(ownedRows)('a user in no organization sees no %s', async (table, key) => {
    expect(await visibleIds(outsider, table, [a[key], b[key]])).toEqual([]);
  });

  it('members see their organization\'s instances, members and colleagues\' e-mails; nobody else\'s', async () => {
    const seen = await asAppUser(db, roles.viewer, async () => ({
      instances: (await db.query('SELECT instance_id FROM amc_instances ORDER BY 1')).rows.map((r) => r.instance_id),
      members: (await db.query('SELECT count(*)::int AS n FROM organization_members')).rows[0].n,
      emails: (await db.query('SELECT email FROM users ORDER BY email')).rows.map((r) => r.email),
    }));
    expect(seen).toEqual({ instances: ['amc-alpha'], members: 3, emails: ['alpha@example.com', 'editor@alpha.example', 'viewer@alpha.example'] });
  });

  it('without app.user_id a query under app_user sees no row at all', async () => {
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE app_user');
      for (const [table] of [...ownedRows, ['report_exports'], ['users'], ['amc_instances'], ['organization_members']]) {
        expect([table, (await db.query(`SELECT 1 FROM ${table}`)).rowCount]).toEqual([table, 0]);
      }
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('public templates (and their default configurations) are readable by every member, never writable outside their organization', async () => {
    await db.query('UPDATE query_templates SET is_public = true WHERE id = $1', [b.templateId]);
    try {
      expect(await visibleIds(roles.viewer, 'query_templates', [b.templateId])).toEqual([b.templateId]);
      expect(await visibleIds(roles.viewer, 'report_configurations', [b.templateConfigId, b.configId])).toEqual([b.templateConfigId]);
      expect(await tryWrite(roles.owner, `UPDATE query_templates SET name = 'mine' WHERE id = $1`, [b.templateId])).toBe(0);
      expect(await tryWrite(roles.owner, `UPDATE report_configurations SET name = 'mine' WHERE id = $1`, [b.templateConfigId])).toBe(0);
    } finally {
      await db.query('UPDATE query_templates SET is_public = false WHERE id = $1', [b.templateId]);
    }
  });
});

describe('writes follow the role', () => {
  const updates: [string, (g: OwnedGraph) => [string, unknown[]]][] = [
    ['a query template', (g) => [`UPDATE query_templates SET name = 'changed' WHERE id = $1`, [g.templateId]]],
    ['a workflow', (g) => [`UPDATE workflows SET name = 'changed' WHERE id = $1`, [g.workflowId]]],
    ['a report configuration', (g) => [`UPDATE report_configurations SET is_enabled = false WHERE id = $1`, [g.configId]]],
    ['a dashboard view', (g) => [`UPDATE dashboard_views SET position = 7 WHERE id = $1`, [g.viewId]]],
    ['deleting a workflow', (g) => [`DELETE FROM workflows WHERE id = $1`, [g.workflowId]]],
    ['deleting a report configuration', (g) => [`DELETE FROM report_configurations WHERE id = $1`, [g.configId]]],
  ];
  it.each(updates)('owners and editors may change %s of their organization; viewers change nothing', async (_label, build) => {
    const [sql, params] = build(a);
    expect(await tryWrite(roles.owner, sql, params)).toBe(1);
    expect(await tryWrite(roles.editor, sql, params)).toBe(1);
    expect(await tryWrite(roles.viewer, sql, params)).toBe(0);
  });
  it.each(updates)('nobody in A changes %s of B', async (_label, build) => {
    const [sql, params] = build(b);
    for (const role of ROLES) expect([role, await tryWrite(roles[role], sql, params)]).toEqual([role, 0]);
  });

  const inserts: [string, (g: OwnedGraph) => [string, unknown[]]][] = [
    ['a query template', (g) => [`INSERT INTO query_templates (organization_id, name, sql_query) VALUES ($1, 'n', 's')`, [g.organizationId]]],
    ['a workflow', (g) => [`INSERT INTO workflows (organization_id, name, sql_query, amc_instance_id) VALUES ($1, 'w', 's', $2)`, [g.organizationId, g.instanceId]]],
    ['a report configuration', (g) => [`INSERT INTO report_configurations (workflow_id, dashboard_type) VALUES ($1, 'funnel')`, [g.workflowId]]],
    ['a dashboard view', (g) => [`INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type) VALUES ($1, 'k', 'n', 'chart')`, [g.configId]]],
  ];
  it.each(inserts)('owners and editors may create %s in their organization; viewers may not', async (_label, build) => {
    const [sql, params] = build(a);
    expect(await tryWrite(roles.owner, sql, params)).toBe(1);
    expect(await tryWrite(roles.editor, sql, params)).toBe(1);
    expect(await tryWrite(roles.viewer, sql, params)).toMatch(/row-level security/);
  });
  it.each(inserts)('nobody in A creates %s in B', async (_label, build) => {
    const [sql, params] = build(b);
    for (const role of ROLES) expect([role, await tryWrite(roles[role], sql, params)]).toEqual([role, expect.stringMatching(/row-level security/)]);
  });

  it('an editor cannot point a workflow of A at B\'s AMC instance (the instance must be the organization\'s own)', async () => {
    expect(await tryWrite(roles.editor, `INSERT INTO workflows (organization_id, name, sql_query, amc_instance_id) VALUES ($1, 'squat', 's', $2)`,
      [a.organizationId, b.instanceId])).toMatch(/workflows_amc_instance_fkey/);
    expect(await tryWrite(roles.editor, 'UPDATE workflows SET amc_instance_id = $2 WHERE id = $1', [a.workflowId, b.instanceId])).toMatch(/workflows_amc_instance_fkey/);
  });

  it('only owners manage members, and only of their own organization', async () => {
    const newcomer = await insertUser(db);
    const add: [string, unknown[]] = [`INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'viewer')`, [a.organizationId, newcomer]];
    expect(await tryWrite(roles.owner, ...add)).toBe(1);
    expect(await tryWrite(roles.editor, ...add)).toMatch(/row-level security/);
    expect(await tryWrite(roles.viewer, ...add)).toMatch(/row-level security/);
    const promote: [string, unknown[]] = [`UPDATE organization_members SET role = 'owner' WHERE organization_id = $1 AND user_id = $2`, [a.organizationId, roles.viewer]];
    expect(await tryWrite(roles.owner, ...promote)).toBe(1);
    expect(await tryWrite(roles.editor, ...promote)).toBe(0);
    expect(await tryWrite(roles.viewer, ...promote)).toBe(0);
    expect(await tryWrite(roles.owner, `DELETE FROM organization_members WHERE organization_id = $1`, [b.organizationId])).toBe(0);
    expect(await tryWrite(roles.owner, `INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')`,
      [b.organizationId, roles.owner])).toMatch(/row-level security/);
  });

  it('organizations and AMC instances are provisioned by the operator only', async () => {
    expect(await tryWrite(roles.owner, `INSERT INTO organizations (name) VALUES ('mine')`, [])).toMatch(/permission denied/);
    expect(await tryWrite(roles.owner, `INSERT INTO amc_instances (instance_id, organization_id) VALUES ('x', $1)`, [a.organizationId])).toMatch(/permission denied/);
    expect(await tryWrite(roles.owner, `UPDATE amc_instances SET organization_id = $1`, [a.organizationId])).toMatch(/permission denied/);
  });

  it('workers may write executions and insights; app_user may not', async () => {
    expect(await tryWrite(roles.owner, `INSERT INTO workflow_executions (workflow_id, amc_instance_id, amc_execution_id, status, time_window_start, time_window_end)
       VALUES ($1, 'i', 'x', 'SUCCEEDED', now(), now())`, [a.workflowId])).toMatch(/permission denied/);
    expect(await tryWrite(roles.owner, 'DELETE FROM dashboard_insights WHERE id = $1', [a.insightId])).toMatch(/permission denied/);
    expect(await tryWrite(roles.owner, 'SELECT 1 FROM amc_execution_events', [])).toMatch(/permission denied/);
  });
});

describe('exports stay private to their requester', () => {
  it('a colleague does not see another member\'s export; the requester does', async () => {
    expect(await visibleIds(roles.owner, 'report_exports', [a.exportId])).toEqual([a.exportId]);
    expect(await visibleIds(roles.editor, 'report_exports', [a.exportId, b.exportId])).toEqual([]);
    expect(await visibleIds(roles.viewer, 'report_exports', [a.exportId])).toEqual([]);
  });

  it('viewers may export (a file is a way of reading), only in their own name and of their organization\'s reports', async () => {
    const insert = `INSERT INTO report_exports (report_configuration_id, user_id, format) VALUES ($1, $2, 'pdf')`;
    expect(await tryWrite(roles.viewer, insert, [a.configId, roles.viewer])).toBe(1);
    expect(await tryWrite(roles.viewer, insert, [a.configId, roles.owner])).toMatch(/row-level security/);
    expect(await tryWrite(roles.viewer, insert, [b.configId, roles.viewer])).toMatch(/row-level security/);
  });

  it('a member who leaves loses the organization\'s rows, own exports included', async () => {
    const leaver = await addMember(db, a.organizationId, 'editor');
    const exportId = (await db.query<{ id: string }>(`INSERT INTO report_exports (report_configuration_id, user_id, format) VALUES ($1, $2, 'csv') RETURNING id`,
      [a.configId, leaver])).rows[0].id;
    expect(await visibleIds(leaver, 'report_exports', [exportId])).toEqual([exportId]);
    await db.query('DELETE FROM organization_members WHERE user_id = $1', [leaver]);
    expect(await visibleIds(leaver, 'report_exports', [exportId])).toEqual([]);
    expect(await visibleIds(leaver, 'workflows', [a.workflowId])).toEqual([]);
  });

  it('organization totals for the export caps come only to its members', async () => {
    const usage = async (userId: string, organizationId: string) => asAppUser(db, userId, async () =>
      (await db.query('SELECT in_flight, stored_bytes::int AS stored_bytes FROM app_organization_export_usage($1)', [organizationId])).rows[0]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM report_exports e JOIN report_configurations c ON c.id = e.report_configuration_id
      JOIN workflows w ON w.id = c.workflow_id WHERE w.organization_id = $1 AND e.status = 'pending'`, [a.organizationId]);
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
    expect(await usage(roles.viewer, a.organizationId)).toEqual({ in_flight: rows[0].n, stored_bytes: 0 });
    expect(await usage(roles.viewer, b.organizationId)).toEqual({ in_flight: 0, stored_bytes: 0 });
  });
});

describe('registering a user on first use', () => {
  it('stores the e-mail claim only when nobody else holds it: a second user with a taken e-mail is registered without it', async () => {
    const first = await insertUser(db, 'taken@example.com');
    const second = '0b1f9d2e-1c3a-4e5f-8a7b-9c0d1e2f3a4b';
    await asAppUser(db, second, () => db.query(`SELECT app_register_user($1::uuid, 'taken@example.com')`, [second]));
    const { rows } = await db.query('SELECT id, email FROM users WHERE id = ANY($1) ORDER BY email NULLS LAST', [[first, second]]);
    expect(rows).toEqual([{ id: first, email: 'taken@example.com' }, { id: second, email: null }]);
  });

  it('stores the e-mail of a user the operator added before their first sign-in', async () => {
    const added = 'd5c1f9d2-1c3a-4e5f-8a7b-9c0d1e2f3a4b';
    await db.query('INSERT INTO users (id) VALUES ($1)', [added]);
    await asAppUser(db, added, () => db.query(`SELECT app_register_user($1::uuid, 'added@example.com')`, [added]));
    await asAppUser(db, added, () => db.query(`SELECT app_register_user($1::uuid, 'changed@example.com')`, [added]));
    expect((await db.query('SELECT email FROM users WHERE id = $1', [added])).rows[0].email).toBe('added@example.com');
  });

  it('registers only the caller, never someone else', async () => {
    const someoneElse = 'c4b1f9d2-1c3a-4e5f-8a7b-9c0d1e2f3a4b';
    await asAppUser(db, outsider, () => db.query(`SELECT app_register_user($1::uuid, 'x@example.com')`, [someoneElse]));
    expect((await db.query('SELECT 1 FROM users WHERE id = $1', [someoneElse])).rowCount).toBe(0);
  });
});

describe('export branding', () => {
  const insertDefault = `INSERT INTO export_brandings (organization_id, accent_color) VALUES ($1, '#0a7d5a')`;
  const insertOverride = `INSERT INTO export_brandings (organization_id, report_configuration_id, footer_text) VALUES ($1, $2, 'Prepared for you')`;

  it('editors and owners brand their organization and its reports; viewers and outsiders cannot', async () => {
    expect(await tryWrite(roles.owner, insertDefault, [a.organizationId])).toBe(1);
    expect(await tryWrite(roles.editor, insertOverride, [a.organizationId, a.configId])).toBe(1);
    expect(await tryWrite(roles.viewer, insertDefault, [a.organizationId])).toMatch(/row-level security/);
    expect(await tryWrite(outsider, insertDefault, [a.organizationId])).toMatch(/row-level security/);
  });

  it("nobody puts an override on another organization's report, not even under their own organization", async () => {
    expect(await tryWrite(roles.owner, insertOverride, [a.organizationId, b.configId])).toMatch(/row-level security/);
    expect(await tryWrite(roles.owner, insertOverride, [b.organizationId, b.configId])).toMatch(/row-level security/);
  });

  it("members read their organization's branding, nobody else's", async () => {
    await db.query(insertDefault, [b.organizationId]);
    try {
      const seen = (userId: string) => asAppUser(db, userId, async () => (await db.query('SELECT organization_id FROM export_brandings')).rows);
      expect(await seen(roles.viewer)).toEqual([]);
      expect(await seen(b.userId)).toEqual([{ organization_id: b.organizationId }]);
    } finally {
      await db.query('DELETE FROM export_brandings');
    }
  });
});

it('every user-owned table has row-level security enabled and forced', async () => {
  const tables = ['users', 'organizations', 'organization_members', 'amc_instances', 'query_templates', 'workflows', 'workflow_executions',
    'report_configurations', 'dashboard_views', 'dashboard_insights', 'report_exports', 'export_brandings', 'report_unusable_executions'];
  const { rows } = await db.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
    'SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname', [tables]);
  expect(rows).toHaveLength(tables.length);
  for (const row of rows) expect(row).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
});
