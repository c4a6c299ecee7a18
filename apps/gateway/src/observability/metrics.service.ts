import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { QUEUE_NAMES } from '@amc-reports/contracts';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { GatewayMetrics } from './gateway-metrics';

/** Keeps queue gauges fresh at scrape time and counts job completions/failures from queue events. */
@Injectable()
export class MetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly metrics = new GatewayMetrics();
  private readonly logger = new Logger(MetricsService.name);
  private readonly queues: Queue[];
  private readonly queueEvents: QueueEvents[] = [];

  constructor(@InjectGatewayConfig() private readonly config: GatewayConfig) {
    this.queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: producerConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX }));
    for (const queue of this.queues) queue.on('error', () => undefined);
  }

  onApplicationBootstrap(): void {
    for (const queue of this.queues) {
      const events = new QueueEvents(queue.name, { connection: workerConnectionOptions(this.config.REDIS_URL), prefix: this.config.QUEUE_PREFIX });
      events.on('error', () => undefined);
      events.on('completed', ({ jobId }) => void this.observeDuration(queue, jobId));
      events.on('failed', () => this.metrics.jobFailures.inc({ queue: queue.name }));
      this.queueEvents.push(events);
    }
  }

  private async observeDuration(queue: Queue, jobId: string): Promise<void> {
    try {
      const job = await queue.getJob(jobId);
      if (job?.processedOn && job.finishedOn) this.metrics.jobDuration.observe({ queue: queue.name }, (job.finishedOn - job.processedOn) / 1000);
    } catch (error) {
      this.logger.debug(`job duration not recorded: ${(error as Error).message}`);
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    await Promise.all(this.queues.map(async (queue) => {
      try {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        for (const [state, count] of Object.entries(counts)) this.metrics.queueJobs.set({ queue: queue.name, state }, count);
        const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
        this.metrics.queueOldestWaiting.set({ queue: queue.name }, oldest ? (Date.now() - oldest.timestamp) / 1000 : 0);
      } catch {
        // Redis away: the gauges keep their last values; /health reports the outage.
      }
    }));
    return { contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queueEvents.map((e) => e.close()), ...this.queues.map((q) => q.close())]);
  }
}
