import { Queue } from 'bullmq';
import { DELIVERY_QUEUE, INSIGHT_GENERATE_QUEUE, QUEUE_NAMES, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import { createPrismaClient } from '@amc-reports/db';
import { listFailedJobs, redriveFailedJobs, type FailedJob } from '@amc-reports/redrive';
import { describeRedisLocation, producerConnectionOptions } from '@amc-reports/queue';
import { CliError, databaseUrl, EXIT, queuePrefix, redisUrl } from './dev-defaults';

type Options = Record<string, string | boolean | string[] | undefined>;

const REDRIVABLE = [REPORT_UPDATE_QUEUE, INSIGHT_GENERATE_QUEUE, DELIVERY_QUEUE] as const;

async function withQueues<T>(names: readonly string[], work: (queues: Queue[]) => Promise<T>): Promise<T> {
  const prefix = queuePrefix();
  const queues = names.map((name) => new Queue(name, { connection: producerConnectionOptions(redisUrl()), prefix }));
  for (const queue of queues) queue.on('error', () => undefined);
  try {
    await Promise.all(queues.map((queue) => queue.waitUntilReady()));
    return await work(queues);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(EXIT.unreachable, `${describeRedisLocation(redisUrl())} is unreachable: ${(error as Error).message}`);
  } finally {
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
  }
}

function queueOption(options: Options, allowed: readonly string[]): string | undefined {
  const queue = typeof options.queue === 'string' ? options.queue : undefined;
  if (queue && !allowed.includes(queue)) throw new CliError(EXIT.usage, `--queue must be one of ${allowed.join(', ')}`);
  return queue;
}

function print(jobs: FailedJob[]): void {
  if (jobs.length === 0) return;
  console.table(jobs.map((job) => ({ queue: job.queue, job: job.jobId, attempts: job.attemptsMade, failedAt: job.failedAt, transient: job.transient, reason: job.failedReason })));
}

/**
 * `jobs list [--queue q] [--limit n]`: the failed jobs BullMQ keeps, newest first, with their reason
 * and whether it was transient (an outage or a dead process: the sweeper re-drives those itself).
 */
export async function jobsListCommand(options: Options): Promise<void> {
  const queue = queueOption(options, QUEUE_NAMES);
  const limit = Number(options.limit ?? 50);
  const jobs = await withQueues(queue ? [queue] : QUEUE_NAMES, (queues) => listFailedJobs(queues, limit));
  print(jobs);
  process.stdout.write(`${JSON.stringify({ failed: jobs.length, transient: jobs.filter((job) => job.transient).length })}\n`);
}

/**
 * `jobs redrive (--id <job id>… | --transient | --all) [--queue q]`: runs failed report.update,
 * insight.generate and delivery.send jobs again with fresh attempts (after a fix, or for what the sweeper gave
 * up on). Never without a selection: re-driving every failure by accident is not a default.
 */
export async function jobsRedriveCommand(options: Options): Promise<void> {
  const ids = Array.isArray(options.id) ? options.id : typeof options.id === 'string' ? [options.id] : undefined;
  if (!ids && !options.transient && !options.all) throw new CliError(EXIT.usage, 'say which jobs: --id <job id> (repeatable), --transient or --all');
  const queue = queueOption(options, REDRIVABLE);
  const prisma = createPrismaClient({ databaseUrl: databaseUrl(), poolSize: 2, applicationName: 'cli' });
  try {
    const jobs = await withQueues(queue ? [queue] : REDRIVABLE, async (queues) => {
      try {
        return await redriveFailedJobs(prisma, queues, { jobIds: ids, transientOnly: options.transient === true });
      } catch (error) {
        if (/database|postgres|ECONNREFUSED/i.test((error as Error).message)) throw new CliError(EXIT.unreachable, `PostgreSQL is unreachable: ${(error as Error).message}`);
        throw error;
      }
    });
    print(jobs);
    process.stdout.write(`${JSON.stringify({ redriven: jobs.length, jobs: jobs.map((job) => ({ queue: job.queue, jobId: job.jobId })) })}\n`);
    if (ids && jobs.length < ids.length) {
      throw new CliError(EXIT.failed, `${ids.length - jobs.length} of the given job ids are not failed ${REDRIVABLE.join(' / ')} jobs`);
    }
  } finally {
    await prisma.$disconnect();
  }
}
