import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, findFreePort, migrateDatabase, REPO_ROOT, startPostgres, startRedis, type AppName, type RunningPostgres, type RunningRedis } from '@amc-reports/launcher';
import { TEST_ADMIN_TOKEN, TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from '@amc-reports/testing';

/**
 * The fault suite's stack is `npm start` itself (scripts/start.ts, the launcher with its
 * supervisor), run as an operator would run it, with timeouts shortened so recoveries take
 * seconds, not the production minutes. Postgres and Redis are either the launcher's own (embedded)
 * or servers this file starts and stops (DATABASE_URL / REDIS_URL), which is how an outage is made.
 */

/**
 * Job locks, sweeps and shutdowns in seconds, so a recovery fits a test. Locks stay long enough
 * that a render hogging its event loop on a busy machine keeps its lock (a lost lock means a
 * second render: correct, see render_claim, but slow).
 */
export const FAST_RECOVERY_ENV: NodeJS.ProcessEnv = {
  OUTBOX_RELAY_INTERVAL_MS: '250',
  JOB_LOCK_DURATION_MS: '10000',
  JOB_STALLED_INTERVAL_MS: '2000',
  EXPORT_LOCK_DURATION_MS: '15000',
  EXPORT_STALLED_INTERVAL_MS: '2000',
  REDRIVE_INTERVAL_MS: '3000',
  REDRIVE_AFTER_MS: '10000',
  // A report's later insights refreshed 0.5 s after its last out-of-order arrival (at most 6 s), so a settled count comes soon after the load.
  INSIGHT_REGENERATE_DELAY_MS: '500',
  SHUTDOWN_GRACE_MS: '10000',
  HEALTH_WORKER_STALE_MS: '8000',
  // The load is one user asking for an export every few seconds, re-asking after each 503: the
  // per-user and per-organization limits (issue 16's defaults: 60 an hour) are not what is tested.
  EXPORTS_IN_FLIGHT_PER_USER: '1000',
  EXPORTS_IN_FLIGHT_PER_ORGANIZATION: '1000',
  EXPORTS_PER_HOUR_PER_USER: '100000',
  EXPORTS_PER_HOUR_PER_ORGANIZATION: '100000',
  DB_POOL_SIZE: '5',
};

export interface ExternalInfrastructure {
  databaseUrl: string;
  redisUrl: string;
  postgres: RunningPostgres;
  redis: RunningRedis;
  stopPostgres(): Promise<void>;
  startPostgresAgain(): Promise<void>;
  stopRedis(): Promise<void>;
  startRedisAgain(): Promise<void>;
  stop(): Promise<void>;
}

/** A Postgres and a Redis of this test file's own, on fixed ports and data directories so they can come back. */
export async function startExternalInfrastructure(dataRoot: string): Promise<ExternalInfrastructure> {
  const pgPort = await findFreePort();
  const redisPort = await findFreePort();
  const pgDir = path.join(dataRoot, 'pg');
  const redisDir = path.join(dataRoot, 'redis');
  const startPg = () => startPostgres({ dataDir: pgDir, port: pgPort, durable: false, log: () => undefined });
  const startRd = () => startRedis({ dir: redisDir, port: redisPort, log: () => undefined });
  const infra: ExternalInfrastructure = {
    postgres: await startPg(),
    redis: await startRd(),
    databaseUrl: '',
    redisUrl: '',
    async stopPostgres() {
      await this.postgres.stop();
    },
    async startPostgresAgain() {
      this.postgres = await startPg();
    },
    async stopRedis() {
      await this.redis.stop();
    },
    async startRedisAgain() {
      this.redis = await startRd();
    },
    async stop() {
      await Promise.all([this.redis.stop(), this.postgres.stop()]);
    },
  };
  await ensureDatabase(infra.postgres.adminUrl, 'amc_reports');
  infra.databaseUrl = infra.postgres.urlFor('amc_reports');
  infra.redisUrl = infra.redis.url;
  await migrateDatabase(infra.databaseUrl);
  return infra;
}

export interface NpmStart {
  child: ChildProcess;
  gatewayUrl: string;
  env: NodeJS.ProcessEnv;
  /** Everything `npm start` printed (its own lines, the supervisor's and the apps'). */
  output(): string;
  /** Resolves with the first printed line matching, waiting for it if need be. */
  waitForLine(pattern: RegExp, timeoutMs: number, from?: number): Promise<string>;
  /** The current pid of an app, as the supervisor last reported it. */
  pidOf(app: AppName): number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export interface NpmStartOptions {
  dataDir: string;
  gatewayPort: number;
  /** External servers; without them the launcher embeds Postgres and Redis under dataDir. */
  databaseUrl?: string;
  redisUrl?: string;
  postgresPort?: number;
  redisPort?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs `npm start` (without its dependency check: the test run already did it) and waits until it says all four apps are ready. */
export async function startNpmStart(options: NpmStartOptions): Promise<NpmStart> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOG_LEVEL: 'info', AMC_DATA_DIR: options.dataDir,
    AMC_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, JWT_SECRET: TEST_JWT_SECRET, ADMIN_TOKEN: TEST_ADMIN_TOKEN, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: String(options.gatewayPort),
    RESULTS_DIR: path.join(options.dataDir, 'results'), EXPORT_TEMP_DIR: path.join(options.dataDir, 'render'),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}), ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(options.postgresPort ? { AMC_POSTGRES_PORT: String(options.postgresPort) } : {}), ...(options.redisPort ? { AMC_REDIS_PORT: String(options.redisPort) } : {}),
    ...FAST_RECOVERY_ENV, ...options.env,
  };
  fs.mkdirSync(env.RESULTS_DIR!, { recursive: true });
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, 'scripts', 'start.ts')], {
    cwd: REPO_ROOT, env: { ...env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    if (process.env.FAULT_ECHO) process.stdout.write(chunk);
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const stack: NpmStart = {
    child, env, gatewayUrl: `http://127.0.0.1:${options.gatewayPort}`, exited,
    output: () => text,
    waitForLine(pattern, timeoutMs, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = text.slice(from).split('\n').find((candidate) => pattern.test(candidate));
          if (line === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(line);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`npm start printed no line matching ${pattern} within ${timeoutMs} ms; its output ends:\n${text.slice(-4_000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    pidOf(app) {
      const pids = [...text.matchAll(new RegExp(`\\[supervisor\\] ${app} (?:ready|restarted) \\(pid (\\d+)\\)`, 'g'))].map((match) => Number(match[1]));
      if (pids.length === 0) throw new Error(`the supervisor never reported ${app}'s pid`);
      return pids.at(-1)!;
    },
  };
  await Promise.race([
    stack.waitForLine(/all four services are ready/, 150_000),
    exited.then(({ code }) => Promise.reject(new Error(`npm start exited (${code}) before it was ready:\n${text.slice(-4_000)}`))),
  ]);
  return stack;
}

/** SIGTERM to `npm start` and its exit (the ordered stop), or a SIGKILL of everything left if it hangs. */
export async function stopNpmStart(stack: NpmStart, timeoutMs = 60_000): Promise<void> {
  if (stack.child.exitCode !== null || stack.child.signalCode !== null) return;
  stack.child.kill('SIGTERM');
  const timer = setTimeout(() => stack.child.kill('SIGKILL'), timeoutMs);
  await stack.exited;
  clearTimeout(timer);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function scratchDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `amc-fault-${prefix}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Polls until `probe` returns a value (not null), or fails naming what it waited for. */
export async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
