import type { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { addMember, asAppUser, connect, insertOwnedGraph, insertUser, type OwnedGraph } from './schema-fixtures';

/**
 * insight_feedback (issue 13) at the SQL level, run the way the gateway runs statements: a member
 * who can read the report (any role) writes, reads, changes and deletes their own verdicts; nobody
 * sees or writes another user's; another organization cannot touch the report's at all.
 */
let database: TestDatabase;
let db: Client;
let a: OwnedGraph;
let b: OwnedGraph;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await connect(database.url);
  a = await insertOwnedGraph(db, 'alpha');
  b = await insertOwnedGraph(db, 'beta');
  viewer = await addMember(db, a.organizationId, 'viewer', 'viewer@alpha.example');
  outsider = await insertUser(db, 'nobody@example.com');
});
afterAll(async () => {
  await db.end();
  await database.drop();
});

const insertVerdict = (graph: OwnedGraph, userId: string, verdict = 'dismissed') =>
  db.query(
    `INSERT INTO insight_feedback (report_configuration_id, execution_id, finding_id, user_id, verdict, finding_kind, metric)
     VALUES ($1, $2, 'summary.total', $3, $4, 'summary', NULL) RETURNING id`,
    [graph.configId, graph.executionId, userId, verdict],
  );

/** Runs as the user and rolls back, returning the row count or the error. */
async function attempt(userId: string, work: () => Promise<{ rowCount: number | null }>): Promise<number | string> {
  await db.query('BEGIN');
  try {
    await db.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
    await db.query('SET LOCAL ROLE app_user');
    return (await work()).rowCount ?? 0;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await db.query('ROLLBACK');
  }
}

it('lets a viewer of the report record, change and withdraw their own verdict', async () => {
  await asAppUser(db, viewer, () => insertVerdict(a, viewer));
  const seen = await asAppUser(db, viewer, async () => (await db.query('SELECT verdict FROM insight_feedback')).rows);
  expect(seen).toEqual([{ verdict: 'dismissed' }]);
  expect(await attempt(viewer, () => db.query(`UPDATE insight_feedback SET verdict = 'useful' WHERE user_id = $1`, [viewer]))).toBe(1);
  expect(await attempt(viewer, () => db.query('DELETE FROM insight_feedback WHERE user_id = $1', [viewer]))).toBe(1);
});

it('hides a verdict from everyone but its author, colleagues included', async () => {
  for (const userId of [a.userId, b.userId, outsider]) {
    expect(await asAppUser(db, userId, async () => (await db.query('SELECT count(*)::int AS n FROM insight_feedback')).rows[0].n)).toBe(0);
    expect(await attempt(userId, () => db.query('UPDATE insight_feedback SET verdict = $1', ['useful']))).toBe(0);
    expect(await attempt(userId, () => db.query('DELETE FROM insight_feedback'))).toBe(0);
  }
});

it('refuses a verdict in someone else\'s name, or on a report of another organization', async () => {
  expect(await attempt(a.userId, () => insertVerdict(a, viewer))).toMatch(/row-level security/);
  expect(await attempt(b.userId, () => insertVerdict(a, b.userId))).toMatch(/row-level security/);
  expect(await attempt(outsider, () => insertVerdict(a, outsider))).toMatch(/row-level security/);
});

it('keeps one verdict per user per finding of an execution, of two kinds only', async () => {
  await insertVerdict(a, a.userId);
  await expect(insertVerdict(a, a.userId, 'useful')).rejects.toThrow(/insight_feedback_once/);
  await expect(insertVerdict(b, b.userId, 'meh')).rejects.toThrow(/insight_feedback_verdict_check/);
});

it('has row-level security enabled and forced', async () => {
  const { rows } = await db.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'insight_feedback'`);
  expect(rows).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }]);
});

it('goes with its execution', async () => {
  await insertVerdict(b, b.userId);
  await db.query('DELETE FROM workflow_executions WHERE id = $1', [b.executionId]);
  expect((await db.query('SELECT count(*)::int AS n FROM insight_feedback WHERE execution_id = $1', [b.executionId])).rows[0].n).toBe(0);
});
