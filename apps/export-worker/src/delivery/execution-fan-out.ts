import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  DELIVERY_SEND_JOB, DELIVERY_SEND_JOB_OPTIONS, deliverySendJobId, type DeliveryExecutionJob, type DeliveryFormat,
  type DeliverySendJob,
} from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import { ensureDeliveryExports, fileFormats } from './delivery-files';
import { insertExecutionDeliveries } from './delivery-store';

export type FanOutOutcome =
  | { status: 'done'; deliveries: number; waitedMs: number; notReady?: string }
  | { status: 'waiting'; retryInMs: number; missing: string[] };

/**
 * delivery.execution: once the execution's insights are done and the exports its after_execution
 * subscriptions attach are rendered, one deliveries row per subscription is made (once, keyed by
 * subscription and execution) and one send job each is queued. Until then the job waits (moved
 * back to delayed, not counted as an attempt); past DELIVERY_READY_TIMEOUT_MS it fans out anyway
 * and each send says which export was missing.
 */
export class ExecutionFanOut {
  private readonly logger = new Logger(ExecutionFanOut.name);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly deliveryQueue: Queue,
    private readonly exportQueue: Queue,
    private readonly readyTimeoutMs: number,
  ) {}

  async run(job: DeliveryExecutionJob, queuedAt: number): Promise<FanOutOutcome> {
    const subscriptions = await this.prisma.reportSubscription.findMany({
      where: { reportConfigurationId: job.configurationId, triggerKind: 'after_execution', isEnabled: true },
      select: { formats: true },
    });
    const waitedMs = Date.now() - queuedAt;
    if (subscriptions.length === 0) return { status: 'done', deliveries: 0, waitedMs };
    const formats = fileFormats([...new Set(subscriptions.flatMap((s) => s.formats as DeliveryFormat[]))]);

    const missing: string[] = [];
    // The processing ledger, not a job: an execution's set is often computed by its report's pass
    // (under an insight backlog, or held through a replay of the workflow) with no insight.generate
    // of its own, whose state BullMQ then reports as unknown, as if done.
    const generation = await this.prisma.insightGeneration.findUnique({
      where: { reportConfigurationId_executionId: { reportConfigurationId: job.configurationId, executionId: job.executionId } }, select: { status: true },
    });
    if (generation?.status === 'queued') missing.push('insights');
    const files = await ensureDeliveryExports(this.prisma, this.exportQueue, job.configurationId, job.executionId, formats);
    if (files.state === 'waiting') missing.push(...files.formats.map((format) => `${format} export`));
    if (missing.length > 0 && waitedMs < this.readyTimeoutMs) {
      return { status: 'waiting', retryInMs: Math.min(5_000, Math.max(100, Math.round(waitedMs / 8))), missing };
    }

    const ids = await insertExecutionDeliveries(this.prisma, job.configurationId, job.executionId);
    await this.deliveryQueue.addBulk(ids.map((deliveryId) => {
      const data: DeliverySendJob = { deliveryId };
      return { name: DELIVERY_SEND_JOB, data, opts: { ...DELIVERY_SEND_JOB_OPTIONS, jobId: deliverySendJobId(deliveryId) } };
    }));
    this.logger.log({ msg: `execution delivered to ${ids.length} subscription(s)`, reportId: job.configurationId, executionId: job.executionId, waitedMs });
    return { status: 'done', deliveries: ids.length, waitedMs, notReady: missing.length > 0 ? missing.join(', ') : undefined };
  }
}
