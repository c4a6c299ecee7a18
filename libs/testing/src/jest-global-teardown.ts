import fs from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__AMC_TEST_INFRA__;
  if (!state) return;
  if (!state.infra.embedded.postgres) {
    // A shared server outlives us: remove what this run created.
    const admin = new Client({ connectionString: state.adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE 'amc_test_${process.pid}_%'`, [state.templateName]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  }
  await state.infra.stop();
  fs.rmSync(state.dataRoot, { recursive: true, force: true });
  globalThis.__AMC_TEST_INFRA__ = undefined;
}
