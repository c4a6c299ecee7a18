import { BullModule } from '@nestjs/bullmq';
import type { DynamicModule } from '@nestjs/common';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';

export interface QueueModuleOptions {
  redisUrl: string;
  prefix: string;
  /** Queues this app processes (worker connections). */
  consume: readonly string[];
  /** Queues this app only adds to (fail-fast producer connections). */
  produce: readonly string[];
}

/** BullMQ wiring for an app: one root config, then each queue with the connection its role needs. */
export function queueModules(options: QueueModuleOptions): DynamicModule[] {
  const producerOnly = options.produce.filter((name) => !options.consume.includes(name));
  return [
    BullModule.forRoot({ connection: workerConnectionOptions(options.redisUrl), prefix: options.prefix }),
    BullModule.registerQueue(
      ...options.consume.map((name) => ({ name })),
      ...producerOnly.map((name) => ({ name, connection: producerConnectionOptions(options.redisUrl) })),
    ),
  ];
}
