import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { Pool } from 'pg';
import { startInfrastructure } from '@amc-reports/launcher';
(async () => {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-pgw-')); fs.chmodSync(dataRoot, 0o755);
  const infra = await startInfrastructure({ dataRoot, durable: false, env: {} });
  const pool = new Pool({ connectionString: infra.databaseUrl, max: 4 });
  const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: 4 }, async () => { for (let i = 0; i < 2500; i++) await pool.query('SELECT $1::int AS x', [i]); }));
  const c = process.cpuUsage(c0); console.log('10k SELECT: wall', (performance.now() - t0).toFixed(0), 'ms node user', (c.user / 1000).toFixed(0), 'sys', (c.system/1000).toFixed(0));
  await pool.end(); await infra.stop(); fs.rmSync(dataRoot, { recursive: true, force: true });
})();
