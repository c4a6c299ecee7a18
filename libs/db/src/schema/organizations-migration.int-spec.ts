import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '@amc-reports/launcher';
import { requireTestEnv } from '@amc-reports/testing';

/**
 * The organizations migration on a database that already holds per-user rows: each user gets a
 * personal organization owning their rows and instances; an instance claimed by two users stops
 * the migration with the conflict named; and down restores the per-user schema with the rows.
 * The migrations run section by section here (dbmate only migrates all the way).
 */
const files = fs.readdirSync(MIGRATIONS_DIR).filter((file) => file.endsWith('.sql')).sort();
const ORGANIZATIONS = files.findIndex((file) => file.endsWith('_organizations.sql'));

function section(file: string, which: 'up' | 'down'): string {
  const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
  const [up, down] = sql.split('-- migrate:down');
  return which === 'up' ? up.replace('-- migrate:up', '') : down;
}

async function run(db: Client, sql: string): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query(sql);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

async function withEmptyDatabase(work: (db: Client) => Promise<void>): Promise<void> {
  const adminUrl = requireTestEnv('adminUrl');
  const name = `amc_orgmig_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  try {
    for (const file of files.slice(0, ORGANIZATIONS)) await run(db, section(file, 'up'));
    await work(db);
  } finally {
    await db.end();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function seedPerUserRows(db: Client, label: string, instance: string): Promise<{ userId: string; workflowId: string; templateId: string }> {
  const userId = (await db.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [`${label}@example.com`])).rows[0].id;
  const templateId = (await db.query<{ id: string }>(`INSERT INTO query_templates (user_id, name, sql_query) VALUES ($1, 't', 's') RETURNING id`, [userId])).rows[0].id;
  const workflowId = (await db.query<{ id: string }>(
    `INSERT INTO workflows (user_id, name, sql_query, amc_instance_id, amc_workflow_id) VALUES ($1, 'w', 's', $2, $3) RETURNING id`,
    [userId, instance, `wf-${label}`])).rows[0].id;
  return { userId, workflowId, templateId };
}

it('gives each existing user a personal organization owning their templates, workflows and AMC instances', async () => {
  await withEmptyDatabase(async (db) => {
    const alice = await seedPerUserRows(db, 'alice', 'inst-alice');
    await db.query(`INSERT INTO workflows (user_id, name, sql_query, amc_instance_id) VALUES ($1, 'w2', 's', 'inst-alice-2')`, [alice.userId]);
    const bob = await seedPerUserRows(db, 'bob', 'inst-bob');
    await db.query(`INSERT INTO users (email) VALUES ('idle@example.com')`);

    for (const file of files.slice(ORGANIZATIONS)) await run(db, section(file, 'up'));

    const organizations = await db.query<{ name: string; user_id: string; role: string; instances: string[]; workflows: number; templates: number }>(`
      SELECT o.name, m.user_id, m.role,
             (SELECT array_agg(instance_id ORDER BY instance_id) FROM amc_instances i WHERE i.organization_id = o.id) AS instances,
             (SELECT count(*)::int FROM workflows w WHERE w.organization_id = o.id) AS workflows,
             (SELECT count(*)::int FROM query_templates t WHERE t.organization_id = o.id) AS templates
      FROM organizations o JOIN organization_members m ON m.organization_id = o.id ORDER BY o.name`);
    expect(organizations.rows).toEqual([
      { name: 'Personal (alice@example.com)', user_id: alice.userId, role: 'owner', instances: ['inst-alice', 'inst-alice-2'], workflows: 2, templates: 1 },
      { name: 'Personal (bob@example.com)', user_id: bob.userId, role: 'owner', instances: ['inst-bob'], workflows: 1, templates: 1 },
    ]);
    const creators = await db.query('SELECT created_by FROM workflows WHERE id = $1', [alice.workflowId]);
    expect(creators.rows[0].created_by).toBe(alice.userId);

    // And back: down restores the per-user columns and policies with every row still there.
    for (const file of [...files.slice(ORGANIZATIONS)].reverse()) await run(db, section(file, 'down'));
    const back = await db.query('SELECT user_id FROM workflows ORDER BY name');
    expect(back.rows.map((r) => r.user_id).sort()).toEqual([alice.userId, alice.userId, bob.userId].sort());
    const tables = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('organizations', 'amc_instances', 'organization_members')`);
    expect(tables.rows[0].n).toBe(0);
    const policies = await db.query(`SELECT policyname FROM pg_policies WHERE tablename = 'workflows' ORDER BY 1`);
    expect(policies.rows.map((r) => r.policyname)).toEqual(['workflows_delete_own', 'workflows_insert_own', 'workflows_select_own', 'workflows_update_own']);
  });
}, 60_000);

it('stops, naming the instance and the users, when two users have workflows on one AMC instance', async () => {
  await withEmptyDatabase(async (db) => {
    const owner = await seedPerUserRows(db, 'advertiser', 'inst-shared');
    const squatter = await seedPerUserRows(db, 'squatter', 'inst-shared');
    await expect(run(db, section(files[ORGANIZATIONS], 'up'))).rejects.toThrow(
      new RegExp(`AMC instances used by workflows of more than one user: inst-shared \\(users (${owner.userId}, ${squatter.userId}|${squatter.userId}, ${owner.userId})\\)`));
    const untouched = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'organizations'`);
    expect(untouched.rows[0].n).toBe(0);
  });
}, 60_000);
