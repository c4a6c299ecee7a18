import { Logger } from '@nestjs/common';
import { ClientProxyFactory, ClientRedis, ServerRedis, Transport, type ClientProxy, type MicroserviceOptions } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { lastValueFrom, timeout } from 'rxjs';
import type { EventPattern } from '@amc-reports/contracts';
import { createRedisClient, isClusterLocation } from '@amc-reports/queue';

/** How often the Redis transport tries to reconnect after losing Redis (its default is never). */
const RECONNECT_DELAY_MS = 1_000;

/**
 * ioredis options of the Nest Redis transport, from a redis:// URL. Without `retryAttempts` the
 * transport gives up at the first lost connection ("retry attempts not specified") and live
 * updates stop until a restart: it retries forever here, and ioredis resubscribes its channels.
 */
export function redisTransportOptions(redisUrl: string) {
  if (isClusterLocation(redisUrl)) return { retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: RECONNECT_DELAY_MS };
  const url = new URL(redisUrl);
  return {
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retryDelay: RECONNECT_DELAY_MS,
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * The Nest Redis transport makes single-server ioredis clients; on a cluster these make ioredis
 * Cluster clients instead (same pub/sub API). Classic PUBLISH reaches subscribers on every node
 * of a cluster, and a Cluster client moves its subscriptions to another node when one fails.
 */
class ClusterEventsClient extends ClientRedis {
  constructor(private readonly location: string) {
    super(redisTransportOptions(location));
  }

  override async createClient(): Promise<Redis> {
    return createRedisClient(this.location, { ...clusterRetry(this.getClientOptions()), lazyConnect: true }) as Redis;
  }
}

class ClusterEventsServer extends ServerRedis {
  constructor(private readonly location: string) {
    super(redisTransportOptions(location));
  }

  override async createRedisClient(): Promise<Redis> {
    return createRedisClient(this.location, { ...clusterRetry(this.getClientOptions()), lazyConnect: true }) as Redis;
  }
}

/** Only the transport's retry policy carries over; hosts and credentials come from the location. */
function clusterRetry(options: { retryStrategy?: (times: number) => number | void | null } | undefined) {
  return { retryStrategy: options?.retryStrategy, maxRetriesPerRequest: null };
}

/** The gateway's subscription to the workers' events, on one server or a cluster. */
export function eventsMicroservice(redisUrl: string): MicroserviceOptions {
  if (isClusterLocation(redisUrl)) return { strategy: new ClusterEventsServer(redisUrl) };
  return { transport: Transport.REDIS, options: redisTransportOptions(redisUrl) };
}

/**
 * Fire-and-forget events on the Redis transport of @nestjs/microservices (DESIGN §4). A lost
 * event costs a live refresh, never data, so a publish failure is logged and swallowed.
 */
export class EventsPublisher {
  private readonly logger = new Logger(EventsPublisher.name);
  private readonly client: ClientProxy;

  constructor(redisUrl: string) {
    this.client = isClusterLocation(redisUrl)
      ? (new ClusterEventsClient(redisUrl) as unknown as ClientProxy)
      : ClientProxyFactory.create({ transport: Transport.REDIS, options: redisTransportOptions(redisUrl) });
  }

  async publish<T extends object>(pattern: EventPattern, payload: T): Promise<void> {
    try {
      await lastValueFrom(this.client.emit(pattern, payload).pipe(timeout(5_000)), { defaultValue: undefined });
    } catch (error) {
      this.logger.warn(`event ${pattern} not published: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
