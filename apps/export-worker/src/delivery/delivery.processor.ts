import { Inject, Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import {
  DELIVERY_EXECUTION_JOB, DELIVERY_QUEUE, DELIVERY_RECONCILE_JOB, DELIVERY_SEND_JOB, DELIVERY_TICK_JOB, DeliveryExecutionJob,
  DeliverySendJob, DeliveryTickJob,
} from '@amc-reports/contracts';
import { DependencyGate, isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { markFailed } from './delivery-store';
import { DELIVERY_SERVICES, type DeliveryServices } from './delivery-services';

/** The delivery queue's one processor: routes each job name to its plain service. */
@Processor(DELIVERY_QUEUE)
export class DeliveryProcessor extends WorkerHost {
  private readonly logger = new Logger(DeliveryProcessor.name);

  constructor(@Inject(DELIVERY_SERVICES) private readonly services: DeliveryServices, private readonly gate: DependencyGate) {
    super();
  }

  /**
   * Through the process's dependency gate, like every other queue: Postgres or Redis away holds
   * the job (workers paused) and puts it back without spending an attempt. A held send was at most
   * claimed (`sending`), which a re-run claims again; nothing to undo.
   */
  async process(job: Job, token?: string): Promise<unknown> {
    return this.gate.run(job, token, () => this.route(job, token));
  }

  private async route(job: Job, token: string | undefined): Promise<unknown> {
    switch (job.name) {
      case DELIVERY_EXECUTION_JOB: {
        const outcome = await this.services.fanOut.run(parseJobPayload(DeliveryExecutionJob, job), job.timestamp);
        if (outcome.status === 'waiting') return this.later(job, token, outcome.retryInMs);
        return outcome;
      }
      case DELIVERY_SEND_JOB: {
        const { deliveryId } = parseJobPayload(DeliverySendJob, job);
        const outcome = await this.services.sender.send(deliveryId, { jobId: job.id ?? '', attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 });
        if (outcome.status === 'waiting') return this.later(job, token, outcome.retryInMs);
        return outcome;
      }
      case DELIVERY_TICK_JOB:
        return this.services.schedules.tick(parseJobPayload(DeliveryTickJob, job).subscriptionId, job);
      case DELIVERY_RECONCILE_JOB:
        return this.services.schedules.reconcile();
      default:
        throw new UnrecoverableError(`unknown delivery job "${job.name}"`);
    }
  }

  /** Not ready yet (files rendering, insights pending): back to delayed, without spending an attempt. */
  private async later(job: Job, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  /** A send whose last attempt died of something the service did not record (Postgres away mid-send). */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.name !== DELIVERY_SEND_JOB || !isFinalFailure(job, error)) return;
    const deliveryId = (job.data as DeliverySendJob)?.deliveryId;
    if (!deliveryId) return;
    try {
      await markFailed(this.services.prisma, deliveryId, `failed after ${job.attemptsMade} attempt(s): ${error.message}`);
    } catch (recordError) {
      this.logger.error({ msg: `could not record the delivery failure: ${(recordError as Error).message}`, deliveryId, jobId: job.id });
    }
  }
}
