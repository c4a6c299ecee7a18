import { BullModule } from '@nestjs/bullmq';
import { Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { closeQueueConnections, producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';

export interface QueueModuleOptions {
  redisUrl: string;
  prefix: string;
  /** Queues this app processes (worker connections). */
  consume: readonly string[];
  /** Queues this app only adds to (fail-fast producer connections). */
  produce: readonly string[];
}

/** Cluster clients are shared by BullMQ, which leaves them open: closed after the queues and workers (their onModuleDestroy). */
@Injectable()
class QueueConnectionsCloser implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await closeQueueConnections();
  }
}

@Module({ providers: [QueueConnectionsCloser] })
class QueueConnectionsModule {}

/** BullMQ wiring for an app: one root config, then each queue with the connection its role needs. */
export function queueModules(options: QueueModuleOptions): DynamicModule[] {
  const producerOnly = options.produce.filter((name) => !options.consume.includes(name));
  return [
    { module: QueueConnectionsModule },
    BullModule.forRoot({ connection: workerConnectionOptions(options.redisUrl), prefix: options.prefix }),
    BullModule.registerQueue(
      ...options.consume.map((name) => ({ name })),
      ...producerOnly.map((name) => ({ name, connection: producerConnectionOptions(options.redisUrl) })),
    ),
  ];
}
