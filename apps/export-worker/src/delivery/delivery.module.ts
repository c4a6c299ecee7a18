import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BullModule, getQueueToken, Processor } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import {
  DELIVERY_QUEUE, DELIVERY_RECONCILE_EVERY_MS, DELIVERY_RECONCILE_JOB, EXPORT_RENDER_QUEUE, KEEP_COMPLETED,
} from '@amc-reports/contracts';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { PRISMA, type PrismaClient } from '@amc-reports/db';
import { producerConnectionOptions } from '@amc-reports/queue';
import { DeliveryProcessor } from './delivery.processor';
import { createDeliveryServices, DELIVERY_SERVICES, deliveryBackoff, type DeliveryServices } from './delivery-services';

/** The delivery queue as the export worker's re-drive sweeper (pipeline.redrive) adds to it. */
export const DELIVERY_QUEUE_FOR_REDRIVE = Symbol('DELIVERY_QUEUE_FOR_REDRIVE');

/**
 * Delivery adds render jobs through a fail-fast producer of its own. Not a second
 * BullModule.registerQueue of export.render: @nestjs/bullmq builds the render worker from whichever
 * registration of that name it finds first, and this one handed it producer options (no offline
 * queue, one retry) instead of the worker's wait-for-Redis connection.
 */
const EXPORT_RENDER_PRODUCER = Symbol('EXPORT_RENDER_PRODUCER');

class DeliveryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(DELIVERY_SERVICES) private readonly services: DeliveryServices,
    @Inject(getQueueToken(DELIVERY_QUEUE)) private readonly queue: Queue,
    @Inject(EXPORT_RENDER_PRODUCER) private readonly exportRender: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(DELIVERY_RECONCILE_JOB, { every: DELIVERY_RECONCILE_EVERY_MS }, {
      name: DELIVERY_RECONCILE_JOB, data: {}, opts: { removeOnComplete: KEEP_COMPLETED, removeOnFail: { count: 100 } },
    });
    await this.services.schedules.reconcile();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.services.close();
    await this.exportRender.close();
  }
}

/**
 * Delivery (issue 16) as a bounded module of the export worker: its own queue and processor,
 * channels behind one interface, and the deliveries table deciding what was sent. It reads the
 * files the export worker renders; nothing else of the worker reaches into it.
 */
@Module({})
export class DeliveryModule {
  static register(config: ExportWorkerEnv): DynamicModule {
    Processor(DELIVERY_QUEUE, {
      concurrency: config.DELIVERY_CONCURRENCY,
      settings: { backoffStrategy: deliveryBackoff(config) },
    })(DeliveryProcessor);
    return {
      module: DeliveryModule,
      imports: [
        BullModule.registerQueue({ name: DELIVERY_QUEUE }),
      ],
      providers: [
        {
          provide: EXPORT_RENDER_PRODUCER,
          useFactory: () => new Queue(EXPORT_RENDER_QUEUE, { connection: producerConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        },
        {
          provide: DELIVERY_SERVICES,
          inject: [PRISMA, getQueueToken(DELIVERY_QUEUE), EXPORT_RENDER_PRODUCER],
          useFactory: (prisma: PrismaClient, delivery: Queue, exportRender: Queue) =>
            createDeliveryServices(config, prisma, { delivery, exportRender }),
        },
        { provide: DELIVERY_QUEUE_FOR_REDRIVE, inject: [getQueueToken(DELIVERY_QUEUE)], useFactory: (queue: Queue) => queue },
        DeliveryProcessor,
        DeliveryLifecycle,
      ],
      exports: [DELIVERY_QUEUE_FOR_REDRIVE],
    };
  }
}
