import type { RedisOptions as QueueConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Producers fail fast while Redis is away (the outbox keeps the work); workers wait for it
 * forever (BullMQ blocking commands need maxRetriesPerRequest: null). DESIGN §9.
 */
export function producerConnectionOptions(redisUrl: string): QueueConnectionOptions {
  return { url: redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3_000 };
}

export function workerConnectionOptions(redisUrl: string): QueueConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null, connectTimeout: 5_000 };
}

export function createRedisClient(redisUrl: string, options: RedisOptions = {}): Redis {
  return new Redis(redisUrl, { connectTimeout: 3_000, maxRetriesPerRequest: 1, ...options });
}

/** A start-up probe: resolves when Redis answers PING, rejects with a readable reason within the timeout. */
export async function pingRedis(redisUrl: string, timeoutMs = 3_000): Promise<void> {
  const client = createRedisClient(redisUrl, { lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    ]);
  } catch (error) {
    const url = new URL(redisUrl);
    throw new Error(`Redis at ${url.hostname}:${url.port || 6379} is unreachable: ${(error as Error).message}`);
  } finally {
    client.disconnect();
  }
}

/** BullMQ loses jobs under eviction; AOF keeps them across a restart. Returns the warnings to log. */
export async function checkRedisPolicy(redisUrl: string): Promise<string[]> {
  const client = createRedisClient(redisUrl);
  client.on('error', () => undefined);
  try {
    const warnings: string[] = [];
    const [, policy] = (await client.config('GET', 'maxmemory-policy')) as string[];
    if (policy !== 'noeviction') {
      warnings.push(`Redis maxmemory-policy is "${policy}": set it to "noeviction" or queued jobs can be evicted`);
    }
    const [, aof] = (await client.config('GET', 'appendonly')) as string[];
    if (aof !== 'yes') warnings.push('Redis appendonly is off: queued jobs are lost if Redis restarts (set appendonly yes)');
    return warnings;
  } catch {
    // Managed Redis often forbids CONFIG: nothing to check, nothing to warn about.
    return [];
  } finally {
    client.disconnect();
  }
}
