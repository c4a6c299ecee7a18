import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Cluster } from 'ioredis';
import { createRedisClient } from '@amc-reports/queue';

interface Held {
  pids: number[];
  databaseUrl: string;
  redisUrl: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

function holdInfrastructure(mode: 'hold' | 'crash', redis: 'server' | 'cluster' = 'server'): Promise<{ held: Held; child: ReturnType<typeof spawn>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-launcher-'));
  fs.chmodSync(dir, 0o755);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '..', 'test', 'hold-infrastructure.ts'), dir, mode, redis],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (.*)\n/.exec(out);
      if (match) resolve({ held: JSON.parse(match[1]) as Held, child, dir });
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`fixture exited ${code} before ready:\n${out}`)));
  });
}

it.each([['Ctrl-C (SIGINT)', 'SIGINT'], ['SIGTERM', 'SIGTERM']] as const)(
  'starts embedded Postgres and redis-server that work, and stops both on %s: no orphan processes', async (_label, signal) => {
    const { held, child, dir } = await holdInfrastructure('hold');
    try {
      expect(held.pids).toHaveLength(2);
      const pg = new Client({ connectionString: held.databaseUrl });
      await pg.connect();
      expect((await pg.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await pg.end();
      const redis = createRedisClient(held.redisUrl);
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      redis.disconnect();

      child.kill(signal);
      expect(await waitUntil(() => held.pids.every((pid) => !alive(pid)), 20_000)).toBe(true);
      expect(await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 5_000)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      for (const pid of held.pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

it('stops the servers when the launching process dies of an uncaught error', async () => {
  const { held, dir } = await holdInfrastructure('crash');
  try {
    expect(await waitUntil(() => held.pids.every((pid) => !alive(pid)), 20_000)).toBe(true);
  } finally {
    for (const pid of held.pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('starts a real 3-master Redis Cluster beside Postgres (cluster_state:ok, slots spread) and stops every node on SIGTERM', async () => {
  const { held, child, dir } = await holdInfrastructure('hold', 'cluster');
  try {
    expect(held.pids).toHaveLength(4);
    expect(held.redisUrl).toMatch(/^redis\+cluster:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    const cluster = createRedisClient(held.redisUrl) as Cluster;
    expect(String(await cluster.cluster('INFO'))).toMatch(/cluster_state:ok[\s\S]*cluster_slots_assigned:16384[\s\S]*cluster_size:3/);
    // Keys of different slots land on different masters, and every master keeps the launcher's settings.
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => cluster.set(key, key)));
    const masters = cluster.nodes('master');
    expect(masters).toHaveLength(3);
    for (const node of masters) expect(await node.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect((await Promise.all(masters.map((node) => node.dbsize()))).filter((size) => size > 0).length).toBeGreaterThan(1);
    cluster.disconnect();

    child.kill('SIGTERM');
    expect(await waitUntil(() => held.pids.every((pid) => !alive(pid)), 20_000)).toBe(true);
    expect(await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 5_000)).toBe(true);
  } finally {
    child.kill('SIGKILL');
    for (const pid of held.pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
