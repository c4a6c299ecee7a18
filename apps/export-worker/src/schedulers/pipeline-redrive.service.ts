import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DELIVERY_QUEUE, INSIGHT_GENERATE_QUEUE, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { DeliveryLedger, EventLedger, InsightLedger, RedriveSweeper, type LedgerSweep } from '@amc-reports/redrive';
import { DELIVERY_QUEUE_FOR_REDRIVE } from '../delivery/delivery.module';
import { InjectExportWorkerConfig } from '../export-worker.config';

/**
 * pipeline.redrive (every REDRIVE_INTERVAL_MS): accepted events, insight generations and
 * deliveries whose processing did not complete are queued again, until they complete or fail for a reason of their
 * own (libs/redrive). It rides on the maintenance queue, so exactly one process runs each sweep.
 */
@Injectable()
export class PipelineRedriveService {
  private readonly logger = new Logger(PipelineRedriveService.name);
  private readonly sweeper: RedriveSweeper;

  constructor(
    @InjectPrisma() prisma: PrismaClient,
    @InjectQueue(REPORT_UPDATE_QUEUE) reportQueue: Queue,
    @InjectQueue(INSIGHT_GENERATE_QUEUE) insightQueue: Queue,
    @Inject(DELIVERY_QUEUE_FOR_REDRIVE) deliveryQueue: Queue,
    @InjectExportWorkerConfig() config: ExportWorkerEnv,
  ) {
    this.sweeper = new RedriveSweeper(
      [new EventLedger(prisma), new InsightLedger(prisma), new DeliveryLedger(prisma)],
      new Map([[REPORT_UPDATE_QUEUE, reportQueue], [INSIGHT_GENERATE_QUEUE, insightQueue], [DELIVERY_QUEUE, deliveryQueue]]),
      { staleAfterMs: config.REDRIVE_AFTER_MS, batchSize: config.REDRIVE_BATCH_SIZE, maxRedrives: config.REDRIVE_MAX_PER_ITEM },
    );
  }

  async run(): Promise<LedgerSweep[]> {
    const sweeps = await this.sweeper.run();
    for (const sweep of sweeps) {
      if (sweep.requeued + sweep.retried + sweep.gaveUp + sweep.finished > 0) this.logger.warn({ msg: 'pipeline.redrive recovered work', ...sweep });
    }
    return sweeps;
  }
}
