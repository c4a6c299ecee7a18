import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QUEUE_NAMES } from '@amc-reports/contracts';
import { producerConnectionOptions } from '@amc-reports/queue';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { GatewayMetrics } from './gateway-metrics';

/** Jobs looked at per queue and scrape: Prometheus scrapes every few seconds, queues trim at 1,000. */
const RECENT_JOBS = 200;

/**
 * Queue facts are pulled at scrape time (counts, oldest waiting job, jobs finished since the
 * last scrape), not streamed through QueueEvents: a stream reader would make every gateway do
 * work for every job of every queue, which showed in the ingestion benchmark.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  readonly metrics = new GatewayMetrics();
  /** One fail-fast reader per queue of the contracts (also what /health looks at). */
  readonly queues: Queue[];
  private readonly seenUntil = new Map<string, number>();
  private readonly failedSeen = new Map<string, number>();

  constructor(@InjectGatewayConfig() config: GatewayConfig) {
    this.queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: producerConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX }));
    for (const queue of this.queues) queue.on('error', () => undefined);
  }

  private async observeQueue(queue: Queue): Promise<void> {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    for (const [state, count] of Object.entries(counts)) this.metrics.queueJobs.set({ queue: queue.name, state }, count);
    const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
    this.metrics.queueOldestWaiting.set({ queue: queue.name }, oldest ? (Date.now() - oldest.timestamp) / 1000 : 0);

    // Failed jobs are kept, so the count only grows: the counter moves by the difference.
    const failed = counts.failed ?? 0;
    const previousFailed = this.failedSeen.get(queue.name);
    if (previousFailed !== undefined && failed > previousFailed) this.metrics.jobFailures.inc({ queue: queue.name }, failed - previousFailed);
    this.failedSeen.set(queue.name, failed);

    const since = this.seenUntil.get(queue.name) ?? 0;
    let newest = since;
    for (const job of await queue.getJobs(['completed'], 0, RECENT_JOBS - 1, false)) {
      if (!job?.finishedOn || !job.processedOn || job.finishedOn <= since) continue;
      this.metrics.jobDuration.observe({ queue: queue.name }, (job.finishedOn - job.processedOn) / 1000);
      newest = Math.max(newest, job.finishedOn);
    }
    this.seenUntil.set(queue.name, newest);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    // Redis away: the gauges keep their last values; /health reports the outage.
    await Promise.all(this.queues.map((queue) => this.observeQueue(queue).catch(() => undefined)));
    return { contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}
