import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { migrateDatabase, startInfrastructure, type Infrastructure } from '@amc-reports/launcher';
import { TEST_ENV } from './test-env';

declare global {
  // eslint-disable-next-line no-var
  var __AMC_TEST_INFRA__: { infra: Infrastructure; dataRoot: string; templateName: string; adminUrl: string } | undefined;
}

/**
 * Starts one Postgres and one Redis for the whole run (throw-away data, free ports), migrates a
 * template database with the real migrations; each test file clones it (CREATE DATABASE … TEMPLATE).
 * DATABASE_URL / REDIS_URL, when set, are used instead (the role needs CREATEDB).
 */
export default async function globalSetup(): Promise<void> {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-reports-test-'));
  fs.chmodSync(dataRoot, 0o755);
  const env = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
  // AMC_TEST_REDIS_CLUSTER=true: the run's Redis is a 3-master cluster (queue prefixes are hash-tagged).
  const redisCluster = process.env.AMC_TEST_REDIS_CLUSTER === 'true';
  const infra = await startInfrastructure({ dataRoot, durable: false, env, databaseName: 'postgres', redisCluster });
  const adminUrl = infra.adminDatabaseUrl ?? infra.databaseUrl;
  const templateName = `amc_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${templateName}`);
    await admin.query(`CREATE DATABASE ${templateName}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateName}`;
  await migrateDatabase(templateUrl.toString());

  globalThis.__AMC_TEST_INFRA__ = { infra, dataRoot, templateName, adminUrl };
  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.templateName] = templateName;
  process.env[TEST_ENV.redisUrl] = infra.redisUrl;
}
