import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { Pool } from 'pg';
import { startInfrastructure } from '@amc-reports/launcher';
(async () => {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-pgw-')); fs.chmodSync(dataRoot, 0o755);
  const infra = await startInfrastructure({ dataRoot, durable: false, env: {} });
  const pool = new Pool({ connectionString: infra.databaseUrl, max: 4 });
  await pool.query('CREATE TABLE t (id serial primary key, j jsonb)');
  const obj = { rows: Array.from({ length: 1200 }, (_, i) => ({ key: `Campaign_${i}`, totals: { a: i, b: i * 2.5, c: 3, d: 4, e: 5, f: 6 } })) };
  const s = JSON.stringify(obj); console.log('bytes', s.length);
  for (const mode of ['text', 'jsonb']) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    await Promise.all(Array.from({ length: 4 }, async () => { for (let i = 0; i < 125; i++) await pool.query(`INSERT INTO t (j) VALUES ($1::${mode === 'text' ? 'jsonb' : 'jsonb'})`, [s]); }));
    const c = process.cpuUsage(c0); console.log(mode, 'insert 500: wall', (performance.now() - t0).toFixed(0), 'ms node cpu', ((c.user + c.system) / 1000).toFixed(0), 'ms (sys', (c.system/1000).toFixed(0), ')');
  }
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < 100; i++) await pool.query('SELECT j FROM t WHERE id = $1', [i + 1]);
  const c = process.cpuUsage(c0); console.log('select 100 parsed: wall', (performance.now() - t0).toFixed(0), 'node cpu', ((c.user + c.system) / 1000).toFixed(0));
  const c1 = process.cpuUsage(); const t1 = performance.now();
  for (let i = 0; i < 100; i++) await pool.query({ text: 'SELECT j::text AS j FROM t WHERE id = $1', values: [i + 1] });
  const c2 = process.cpuUsage(c1); console.log('select 100 as text: wall', (performance.now() - t1).toFixed(0), 'node cpu', ((c2.user + c2.system) / 1000).toFixed(0));
  await pool.end(); await infra.stop(); fs.rmSync(dataRoot, { recursive: true, force: true });
})();
