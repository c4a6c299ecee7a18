import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { addMember, connect, insertOwnedGraph, type OwnedGraph } from './schema-fixtures';

/**
 * Delivery's rows under row-level security, at the SQL level: subscriptions and deliveries by
 * membership (viewers read, editors write), secrets readable by nobody as app_user, and the
 * share-link scope seeing one report's rows and nothing else.
 */
let database: TestDatabase;
let db: Client;
let a: OwnedGraph;
let b: OwnedGraph;
let editor: string;
let viewer: string;
let subscriptionA: string;
let subscriptionB: string;
const token = 'a'.repeat(43);
const tokenSha = createHash('sha256').update(token).digest('hex');

beforeAll(async () => {
  database = await createTestDatabase();
  db = await connect(database.url);
  a = await insertOwnedGraph(db, 'alpha');
  b = await insertOwnedGraph(db, 'beta');
  editor = await addMember(db, a.organizationId, 'editor');
  viewer = await addMember(db, a.organizationId, 'viewer');
  const subscribe = async (graph: OwnedGraph) => (await db.query<{ id: string }>(
    `INSERT INTO report_subscriptions (report_configuration_id, name, channel, target_url, formats, trigger_kind)
     VALUES ($1, 'hook', 'webhook', 'https://hooks.example.com/x', ARRAY['pdf'], 'after_execution') RETURNING id`, [graph.configId])).rows[0].id;
  subscriptionA = await subscribe(a);
  subscriptionB = await subscribe(b);
  await db.query(`INSERT INTO subscription_secrets (subscription_id, secret) VALUES ($1, 'whsec_0123456789abcdef0123')`, [subscriptionA]);
  for (const [subscription, graph] of [[subscriptionA, a], [subscriptionB, b]] as const) {
    await db.query(`INSERT INTO deliveries (subscription_id, report_configuration_id, trigger_kind, trigger_key, channel, recipient)
                    VALUES ($1, $2, 'manual', 'manual-1', 'webhook', 'https://hooks.example.com/x')`, [subscription, graph.configId]);
  }
  await db.query(`INSERT INTO report_share_links (report_configuration_id, token_sha256, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [a.configId, tokenSha]);
});
afterAll(async () => {
  await db.end();
  await database.drop();
});

async function attempt(userId: string | null, sql: string, params: readonly unknown[] = [], share?: string): Promise<number | string> {
  await db.query('BEGIN');
  try {
    if (userId) await db.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
    if (share) await db.query(`SELECT set_config('app.share_token_sha256', $1, true)`, [share]);
    await db.query('SET LOCAL ROLE app_user');
    return (await db.query(sql, [...params])).rowCount ?? 0;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await db.query('ROLLBACK');
  }
}

it('shows a report\'s subscriptions and deliveries to its members only', async () => {
  for (const member of [a.userId, editor, viewer]) {
    expect(await attempt(member, 'SELECT 1 FROM report_subscriptions WHERE id = ANY($1)', [[subscriptionA, subscriptionB]])).toBe(1);
    expect(await attempt(member, 'SELECT 1 FROM deliveries')).toBe(1);
  }
  expect(await attempt(b.userId, 'SELECT 1 FROM report_subscriptions WHERE id = $1', [subscriptionA])).toBe(0);
});

it('lets editors change subscriptions and record "send now", viewers neither', async () => {
  const rename = ['UPDATE report_subscriptions SET name = $2 WHERE id = $1', [subscriptionA, 'renamed']] as const;
  expect(await attempt(editor, ...rename)).toBe(1);
  expect(await attempt(viewer, ...rename)).toBe(0);
  const send = [`INSERT INTO deliveries (subscription_id, report_configuration_id, trigger_kind, trigger_key, channel, recipient)
                 VALUES ($1, $2, 'manual', 'manual-2', 'webhook', 'x')`, [subscriptionA, a.configId]] as const;
  expect(await attempt(editor, ...send)).toBe(1);
  expect(await attempt(viewer, ...send)).toMatch(/row-level security/);
  // Not another report's subscription filed under one's own report.
  expect(await attempt(editor, send[0], [subscriptionB, a.configId])).toMatch(/row-level security/);
  expect(await attempt(editor, 'UPDATE deliveries SET status = $2 WHERE subscription_id = $1', [subscriptionA, 'sent'])).toMatch(/permission denied/);
});

it('never lets app_user read a subscription secret, and lets only editors set one', async () => {
  expect(await attempt(a.userId, 'SELECT secret FROM subscription_secrets')).toMatch(/permission denied/);
  expect(await attempt(editor, `SELECT app_set_subscription_secret($1, 'whsec_new_0123456789abcdef')`, [subscriptionA])).toBe(1);
  const stored = async (user: string, subscription: string) => {
    await db.query('BEGIN');
    try {
      await db.query(`SELECT set_config('app.user_id', $1, true)`, [user]);
      await db.query('SET LOCAL ROLE app_user');
      return (await db.query<{ ok: boolean }>('SELECT app_set_subscription_secret($1, $2) AS ok', [subscription, 'whsec_try_0123456789abcdef'])).rows[0].ok;
    } finally {
      await db.query('ROLLBACK');
    }
  };
  expect(await stored(editor, subscriptionA)).toBe(true);
  expect(await stored(viewer, subscriptionA)).toBe(false);
  expect(await stored(editor, subscriptionB)).toBe(false);
});

it('scopes a valid share link to its one report: its views, insights and runs, nothing of the organization', async () => {
  const seen = async (table: string, ids: string[], share = tokenSha) => attempt(null, `SELECT 1 FROM ${table} WHERE id = ANY($1)`, [ids], share);
  expect(await seen('report_configurations', [a.configId, b.configId])).toBe(1);
  expect(await seen('dashboard_views', [a.viewId, b.viewId])).toBe(1);
  expect(await seen('dashboard_insights', [a.insightId, b.insightId])).toBe(1);
  expect(await seen('workflow_executions', [a.executionId, b.executionId])).toBe(1);
  for (const [table, key] of [['workflows', 'workflowId'], ['organizations', 'organizationId'], ['query_templates', 'templateId'], ['report_exports', 'exportId']] as const) {
    expect([table, await seen(table, [a[key], b[key]])]).toEqual([table, 0]);
  }
  expect(await attempt(null, 'SELECT 1 FROM users', [], tokenSha)).toBe(0);
  expect(await attempt(null, 'SELECT 1 FROM report_subscriptions', [], tokenSha)).toBe(0);
  expect(await attempt(null, 'SELECT 1 FROM report_share_links', [], tokenSha)).toBe(0);
  // A revoked link (or an unknown token) sees nothing.
  expect(await seen('dashboard_views', [a.viewId], createHash('sha256').update('other').digest('hex'))).toBe(0);
  await db.query('UPDATE report_share_links SET revoked_at = now() WHERE token_sha256 = $1', [tokenSha]);
  try {
    expect(await seen('dashboard_views', [a.viewId])).toBe(0);
  } finally {
    await db.query('UPDATE report_share_links SET revoked_at = NULL WHERE token_sha256 = $1', [tokenSha]);
  }
});

it('lets a share link log its own views only', async () => {
  const [{ id: linkA }] = (await db.query<{ id: string }>('SELECT id FROM report_share_links')).rows;
  expect(await attempt(null, `INSERT INTO share_link_views (share_link_id, kind) VALUES ($1, 'dashboard')`, [linkA], tokenSha)).toBe(1);
  expect(await attempt(null, `INSERT INTO share_link_views (share_link_id, kind) VALUES ($1, 'dashboard')`, [linkA])).toMatch(/row-level security/);
});

it('refuses a sent delivery going back, and a skip without its reason', async () => {
  const [{ id }] = (await db.query<{ id: string }>(`SELECT id FROM deliveries WHERE subscription_id = $1`, [subscriptionB])).rows;
  await db.query(`UPDATE deliveries SET status = 'sending' WHERE id = $1`, [id]);
  await db.query(`UPDATE deliveries SET status = 'sent', sent_at = now() WHERE id = $1`, [id]);
  await expect(db.query(`UPDATE deliveries SET status = 'pending', sent_at = NULL WHERE id = $1`, [id])).rejects.toThrow(/may not change from sent to pending/);
  await expect(db.query(`INSERT INTO deliveries (subscription_id, report_configuration_id, trigger_kind, trigger_key, channel, recipient, status)
                         VALUES ($1, $2, 'manual', 'manual-x', 'webhook', 'x', 'skipped')`, [subscriptionB, b.configId])).rejects.toThrow(/deliveries_skip_check/);
  await expect(db.query(`INSERT INTO deliveries (subscription_id, report_configuration_id, trigger_kind, trigger_key, channel, recipient)
                         VALUES ($1, $2, 'manual', 'manual-1', 'webhook', 'x')`, [subscriptionB, b.configId])).rejects.toThrow(/deliveries_trigger_key/);
});
