import fs from 'node:fs';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { mintUserToken } from '@amc-reports/auth';
import { QUEUE_NAMES } from '@amc-reports/contracts';
import { apiClient, postSignedEvent } from '@amc-reports/testing/src/signed-event';
import { describeRedisLocation, producerConnectionOptions } from '@amc-reports/queue';
import { CliError, databaseUrl, devSecret, EXIT, gatewayUrl, queuePrefix, redisUrl } from './dev-defaults';

type Options = Record<string, string | boolean | string[] | undefined>;

function need(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || !value) throw new CliError(EXIT.usage, `--${name} is required`);
  return value;
}

async function reachable<T>(work: () => Promise<T>, what: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(EXIT.unreachable, `${what} is unreachable: ${(error as Error).message}`);
  }
}

export async function tokenCommand(options: Options): Promise<void> {
  const token = await mintUserToken({
    userId: need(options, 'user'), email: typeof options.email === 'string' ? options.email : undefined,
    secret: devSecret('JWT_SECRET'), expiresIn: typeof options.expires === 'string' ? options.expires : '12h',
  });
  process.stdout.write(`${token}\n`);
}

export async function sendEventCommand(options: Options): Promise<void> {
  const file = need(options, 'file');
  let body: unknown;
  try {
    body = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(EXIT.usage, `cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const response = await reachable(() => postSignedEvent(gatewayUrl(), devSecret('AMC_WEBHOOK_SECRET'), body), `the gateway at ${gatewayUrl()}`);
  process.stdout.write(`${JSON.stringify({ httpStatus: response.status, ...response.body })}\n`);
  if (response.status >= 400) throw new CliError(response.status >= 500 ? EXIT.failed : EXIT.rejected, `the gateway answered ${response.status}`);
}

function progressBar(percent: number, status: string): string {
  const width = 30;
  const done = Math.round((percent / 100) * width);
  return `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(percent).padStart(3)}% ${status.padEnd(10)}`;
}

export async function exportCommand(options: Options): Promise<void> {
  const reportId = need(options, 'report');
  const out = need(options, 'out');
  const token = typeof options.token === 'string' ? options.token
    : await mintUserToken({ userId: need(options, 'user'), secret: devSecret('JWT_SECRET') });
  const api = apiClient(gatewayUrl(), token);
  const requested = await reachable(() => api.post(`/v1/reports/${reportId}/exports`, {
    format: typeof options.format === 'string' ? options.format : 'pdf', scope: typeof options.scope === 'string' ? options.scope : 'dashboard',
  }), `the gateway at ${gatewayUrl()}`);
  if (requested.status !== 202) throw new CliError(EXIT.rejected, `export request answered ${requested.status}: ${JSON.stringify(requested.body)}`);
  const exportId = requested.body.id as string;
  const deadline = Date.now() + Number(options.timeout ?? 600) * 1000;
  for (;;) {
    const current = await api.get(`/v1/exports/${exportId}`);
    process.stderr.write(progressBar(Number(current.body.progress ?? 0), String(current.body.status)));
    if (current.body.status === 'completed') break;
    if (current.body.status === 'failed' || current.body.status === 'expired') {
      process.stderr.write('\n');
      throw new CliError(EXIT.failed, `export ${exportId} ${current.body.status}: ${current.body.error ?? ''}`);
    }
    if (Date.now() > deadline) throw new CliError(EXIT.failed, `export ${exportId} still ${current.body.status} after the timeout`);
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stderr.write('\n');
  const download = await fetch(`${gatewayUrl()}/v1/exports/${exportId}/download`, { headers: { authorization: `Bearer ${token}` } });
  if (!download.ok) throw new CliError(EXIT.failed, `download answered ${download.status}`);
  fs.writeFileSync(out, Buffer.from(await download.arrayBuffer()));
  process.stdout.write(`${JSON.stringify({ exportId, file: out, bytes: fs.statSync(out).size })}\n`);
}

export async function statusCommand(): Promise<void> {
  const prefix = queuePrefix();
  const queues = await reachable(async () => Promise.all(QUEUE_NAMES.map(async (name) => {
    const queue = new Queue(name, { connection: producerConnectionOptions(redisUrl()), prefix });
    try {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      return { queue: name, failed: counts.failed ?? 0, ...counts };
    } finally {
      await queue.close();
    }
  })), describeRedisLocation(redisUrl()));
  const db = new Client({ connectionString: databaseUrl() });
  const executions = await reachable(async () => {
    await db.connect();
    try {
      return (await db.query(`SELECT e.amc_execution_id, w.name AS workflow, e.status, e.error_code, e.row_count, e.created_at
        FROM workflow_executions e JOIN workflows w ON w.id = e.workflow_id ORDER BY e.created_at DESC LIMIT 10`)).rows;
    } finally {
      await db.end();
    }
  }, 'PostgreSQL');
  process.stdout.write('queues\n');
  console.table(queues);
  process.stdout.write('last executions\n');
  console.table(executions);
  if (queues.some((q) => q.failed > 0)) process.stdout.write('some jobs failed: inspect them at /admin/queues (ADMIN_TOKEN)\n');
}
