import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  findFreePort, migrateDatabase, REPO_ROOT, setShutdownLog, startInfrastructure, Supervisor,
  type Infrastructure, type RunningApp,
} from '@amc-reports/launcher';

export interface DevStack {
  infra: Infrastructure;
  /** The apps' current processes (a restarted app has a new one). */
  apps: RunningApp[];
  supervisor: Supervisor;
  env: NodeJS.ProcessEnv;
  gatewayUrl: string;
  stop(): Promise<void>;
}

export const say = (message: string): void => {
  process.stdout.write(`${message}\n`);
};

/** Throw-away secrets for a local run, kept in ./var so tokens stay valid across restarts. */
function devSecret(name: string, dataRoot: string, bytes: number): string {
  const file = path.join(dataRoot, 'secrets', name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes).toString('hex');
  fs.writeFileSync(file, value, { mode: 0o600 });
  return value;
}

function formatLogLine(app: string, line: string): string {
  try {
    const entry = JSON.parse(line) as { level: number; msg: string; [key: string]: unknown };
    const level = entry.level >= 50 ? 'ERROR' : entry.level >= 40 ? 'WARN ' : 'INFO ';
    const ids = ['executionId', 'reportId', 'exportId', 'jobId'].filter((k) => entry[k]).map((k) => `${k}=${String(entry[k])}`);
    return `[${app}] ${level} ${entry.msg}${ids.length ? ` (${ids.join(' ')})` : ''}`;
  } catch {
    return `[${app}] ${line}`;
  }
}

/**
 * `npm start`: embedded Postgres + Redis (unless DATABASE_URL / REDIS_URL), migrations, the four
 * apps under the launcher's supervisor (restarted with backoff when they crash). Dev ports:
 * Postgres 54329, Redis 63799, gateway 3000 (AMC_POSTGRES_PORT, AMC_REDIS_PORT, GATEWAY_PORT
 * override them). Ctrl-C / SIGTERM stop everything in order: the gateway, then the workers, then
 * Redis and Postgres.
 */
export async function startDevStack(options: { quietApps?: boolean } = {}): Promise<DevStack> {
  const dataRoot = path.resolve(process.env.AMC_DATA_DIR ?? path.join(REPO_ROOT, 'var'));
  fs.mkdirSync(dataRoot, { recursive: true });
  fs.chmodSync(dataRoot, 0o755);
  setShutdownLog((line) => say(`[launcher] ${line}`));
  say(`• starting infrastructure (data in ${dataRoot})…`);
  const infra = await startInfrastructure({
    dataRoot,
    durable: true,
    postgresPort: Number(process.env.AMC_POSTGRES_PORT ?? 54329),
    redisPort: Number(process.env.AMC_REDIS_PORT ?? 63799),
  });
  say(`  Postgres ${infra.embedded.postgres ? '(embedded)' : '(DATABASE_URL)'} and Redis ${infra.embedded.redis ? '(embedded)' : '(REDIS_URL)'} are up`);
  say('• applying migrations…');
  const migrated = await migrateDatabase(infra.databaseUrl);
  say(`  ${migrated.split('\n').filter((l) => l.startsWith('Applied')).length} migration(s) applied, schema current`);

  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl };
  for (const [name, bytes] of [['AMC_WEBHOOK_SECRET', 24], ['JWT_SECRET', 32], ['ADMIN_TOKEN', 24]] as const) {
    if (!env[name]) {
      env[name] = devSecret(name, dataRoot, bytes);
      say(`  ${name} not set: using a throw-away development value (stored in ${path.join(dataRoot, 'secrets')})`);
    }
  }
  env.GATEWAY_HOST ??= '127.0.0.1';
  env.GATEWAY_PORT ??= String(process.env.NODE_ENV === 'test' ? await findFreePort() : 3000);
  env.STORAGE_DIR ??= path.join(dataRoot, 'storage');
  env.EXPORT_DIR ??= path.join(dataRoot, 'exports');
  env.RESULTS_DIR ??= path.join(dataRoot, 'results');
  // Without SMTP_URL the export worker's delivery module writes every e-mail here as an .eml file.
  env.MAIL_DIR ??= path.join(dataRoot, 'mail');
  env.PUBLIC_URL ??= `http://${env.GATEWAY_HOST}:${env.GATEWAY_PORT}`;

  say('• starting gateway, report-service, insight-worker, export-worker…');
  const supervisor = new Supervisor({
    env,
    onLine: options.quietApps ? undefined : (app, line) => process.stdout.write(`${formatLogLine(app, line)}\n`),
    log: (line) => say(`[supervisor] ${line}`),
  });
  await supervisor.start();
  const gatewayUrl = `http://${env.GATEWAY_HOST}:${env.GATEWAY_PORT}`;
  say(`  all four services are ready; gateway at ${gatewayUrl} (health: ${gatewayUrl}/health)`);
  return {
    infra, supervisor, env, gatewayUrl,
    get apps() {
      return supervisor.running();
    },
    // The ordered stop of everything registered: gateway → workers → Redis and Postgres.
    stop: () => supervisor.stop(),
  };
}

/** Keeps the process in the foreground until Ctrl-C / SIGTERM, then stops everything it started, in order. */
export function runUntilInterrupted(stack: DevStack): void {
  say('Press Ctrl-C to stop everything.');
  const shutdown = (signal: NodeJS.Signals): void => {
    say(`\n• ${signal}: stopping the gateway, then the workers, then Redis and Postgres…`);
    const started = Date.now();
    void stack.stop().then(() => {
      say(`• everything stopped in ${Date.now() - started} ms`);
      process.exit(0);
    });
  };
  process.prependOnceListener('SIGINT', shutdown);
  process.prependOnceListener('SIGTERM', shutdown);
}
