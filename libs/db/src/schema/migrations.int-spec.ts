import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import { REPO_ROOT } from '@amc-reports/launcher';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { connect } from './schema-fixtures';

const run = promisify(execFile);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function npmRunDb(command: 'migrate' | 'rollback' | 'status'): Promise<string> {
  return run('npm', ['run', '--silent', `db:${command}`], {
    cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: database.url }, timeout: 60_000,
  }).then(({ stdout }) => stdout);
}

async function tableNames(db: Client): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY 1`);
  return rows.map((r) => r.table_name);
}

/** Every migration file's name without its timestamp, in the order dbmate applies them. */
function migrationNames(): string[] {
  return readdirSync(path.join(REPO_ROOT, 'prisma', 'migrations')).filter((file) => file.endsWith('.sql')).sort()
    .map((file) => file.replace(/^\d+_/, '').replace(/\.sql$/, ''));
}

it('round-trips: down to zero, then up again, through the npm scripts, reporting what they did', async () => {
  const migrations = migrationNames();
  expect(migrations.slice(0, 4)).toEqual(['base_tables', 'report_tables', 'indexes', 'row_level_security']);
  expect(migrations).toContain('processing_ledger');
  expect(await npmRunDb('status')).toMatch(new RegExp(`Applied: ${migrations.length}\\s+Pending: 0`));

  for (const name of [...migrations].reverse()) expect(await npmRunDb('rollback')).toMatch(new RegExp(`Rolled back: \\d+_${name}\\.sql`));
  const db = await connect(database.url);
  try {
    expect(await tableNames(db)).toEqual([]);
    expect(await npmRunDb('status')).toMatch(new RegExp(`Applied: 0\\s+Pending: ${migrations.length}`));

    const up = await npmRunDb('migrate');
    for (const name of migrations) expect(up).toMatch(new RegExp(`Applied: \\d+_${name}\\.sql`));
    expect(await tableNames(db)).toEqual(expect.arrayContaining([
      'amc_execution_events', 'amc_instances', 'dashboard_insights', 'dashboard_views', 'insight_generations', 'organization_members',
      'organizations', 'query_templates', 'report_configurations', 'report_exports', 'users', 'workflow_executions', 'workflows',
    ]));
    expect(await npmRunDb('migrate')).toMatch(/nothing to do/);
  } finally {
    await db.end();
  }
}, 120_000);

it('ships every migration with a down section', async () => {
  const dir = path.join(REPO_ROOT, 'prisma', 'migrations');
  for (const file of readdirSync(dir)) {
    const sql = readFileSync(path.join(dir, file), 'utf8');
    expect([file, /-- migrate:up/.test(sql) && /-- migrate:down\s*\n\s*\S/.test(sql)]).toEqual([file, true]);
  }
});
