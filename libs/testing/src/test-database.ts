import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { requireTestEnv } from './test-env';

export interface TestDatabase {
  name: string;
  /** Owner (superuser) URL: what workers use. */
  url: string;
  drop(): Promise<void>;
}

function urlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, migrated database for one test file, cloned from the run's template in milliseconds. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requireTestEnv('adminUrl');
  const template = requireTestEnv('templateName');
  const name = `amc_test_${template.split('_').at(-1)}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        // Another file cloning at the same instant briefly holds the template.
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    name,
    url: urlFor(adminUrl, name),
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A BullMQ prefix of its own per test file, so files never see each other's jobs. */
/** A queue prefix of its own, hash-tagged so that the same tests run on a Redis Cluster too. */
export function uniqueQueuePrefix(label = 'test'): string {
  return `{${label}-${randomBytes(4).toString('hex')}}`;
}
