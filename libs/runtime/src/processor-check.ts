import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { queuesConsumedBy, type ConsumerApp } from '@amc-reports/contracts';

// @nestjs/bullmq stores the queue name of a @Processor class under this metadata key.
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

/**
 * A queue in the contracts with no processor silently piles up jobs; two processors in one app
 * double-process. Both are start-up errors, not surprises in production.
 */
export function assertQueueProcessors(app: INestApplicationContext, appName: ConsumerApp): void {
  const discovery = app.get(DiscoveryService, { strict: false });
  const seen = new Map<string, number>();
  for (const wrapper of discovery.getProviders()) {
    const target = wrapper.metatype as object | undefined;
    if (!target) continue;
    const meta = Reflect.getMetadata(PROCESSOR_METADATA, target) as { name?: string } | string | undefined;
    const name = typeof meta === 'string' ? meta : meta?.name;
    if (name) seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  const problems: string[] = [];
  for (const queue of queuesConsumedBy(appName)) {
    const count = seen.get(queue) ?? 0;
    if (count !== 1) problems.push(`queue "${queue}" has ${count} processors in ${appName}, expected 1`);
  }
  for (const queue of seen.keys()) {
    if (!queuesConsumedBy(appName).includes(queue as never)) problems.push(`${appName} processes "${queue}", which the contracts give to another app`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  void MetadataScanner;
}
