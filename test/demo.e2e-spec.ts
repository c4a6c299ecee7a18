import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { findFreePort } from '@amc-reports/launcher';

// The README's first command, run the way a new user runs it (non-interactively: --once).
it('npm run demo -- --once starts everything, plays the history and prints token, dashboard, insights, PDF, the delivered .eml and a share link', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-demo-'));
  fs.chmodSync(dataDir, 0o755);
  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME, AMC_DATA_DIR: dataDir,
    AMC_POSTGRES_PORT: String(await findFreePort()), AMC_REDIS_PORT: String(await findFreePort()), GATEWAY_PORT: String(await findFreePort()),
  };
  const started = Date.now();
  const child = spawn('npm', ['run', '--silent', 'demo', '--', '--once'], { cwd: path.resolve(__dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/token:\s+eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(output).toMatch(new RegExp(`dashboard:\\s+http://127\\.0\\.0\\.1:${env.GATEWAY_PORT}/v1/reports/[0-9a-f-]{36}/dashboard`));
    expect(output).toMatch(/insights \(best first\):\n\s+\[(0\.\d\d|1\.00)\] \w+: /);
    const pdf = /PDF:\s+(\S+\.pdf)/.exec(output)?.[1];
    expect(pdf && fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const eml = /e-mail:\s+(\S+\.eml)/.exec(output)?.[1];
    const message = await simpleParser(eml ? fs.readFileSync(eml) : Buffer.alloc(0));
    expect(message.subject).toMatch(/^Weekly funnel.* — 2026-11-16 – 2026-11-22$/);
    expect(message.attachments.map((attachment) => attachment.contentType).sort()).toEqual(['application/pdf', 'application/zip']);
    expect(output).toMatch(new RegExp(`share link:\\s+http://127\\.0\\.0\\.1:${env.GATEWAY_PORT}/share/[A-Za-z0-9_-]{43}`));
    expect(Date.now() - started).toBeLessThan(180_000);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 240_000);
