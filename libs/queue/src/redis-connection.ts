import { createIORedisClient, RedisConnection, type RedisOptions as QueueRedisOptions } from 'bullmq';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { describeRedisLocation, isClusterLocation, parseRedisLocation, type RedisLocation } from './redis-location';

/** A connection to the configured Redis: one server, or a cluster (same commands, keys routed by slot). */
export type RedisClient = Redis | Cluster;

type ClusterLocation = Extract<RedisLocation, { kind: 'cluster' }>;

/**
 * The one place Redis clients are made: a `redis://` location gives an ioredis client, a
 * `redis+cluster://` one an ioredis Cluster with the same per-command options on every node.
 */
export function createRedisClient(location: string, options: RedisOptions = {}): RedisClient {
  const parsed = parseRedisLocation(location);
  if (parsed.kind === 'standalone') return new Redis(parsed.url, { connectTimeout: 3_000, maxRetriesPerRequest: 1, ...options });
  return createCluster(parsed, { connectTimeout: 3_000, maxRetriesPerRequest: 1, ...options });
}

function createCluster(location: ClusterLocation, options: RedisOptions): Cluster {
  const { enableOfflineQueue, lazyConnect, retryStrategy, host: _host, port: _port, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    enableOfflineQueue, lazyConnect,
    // The cluster's own reconnects follow the caller's wish (null: give up at once, a probe).
    clusterRetryStrategy: retryStrategy === undefined ? undefined : (times) => (retryStrategy ? retryStrategy(times) : null),
    redisOptions: {
      ...perNode,
      username: location.username ?? perNode.username,
      password: location.password ?? perNode.password,
      tls: location.tls ? (perNode.tls ?? {}) : undefined,
    },
  };
  return new Cluster(location.nodes, clusterOptions);
}

/**
 * BullMQ builds its clients from connection options with `new Redis(url)`, which cannot reach a
 * cluster, and never closes a client instance it is given. Through its documented hook
 * (RedisConnection.clientFactory) it builds an ioredis Cluster for a redis+cluster:// location and
 * exactly what it builds by itself for anything else: BullMQ then owns cluster clients as it owns
 * single-server ones (duplicates them for blocking reads, closes them with the queue or worker).
 * lazyConnect: BullMQ connects it and waits for the slots (status "ready") before its first command.
 */
function installClusterClientFactory(): void {
  if (RedisConnection.clientFactory) return;
  RedisConnection.clientFactory = (options) => {
    const { url, ...rest } = options;
    if (url && isClusterLocation(url)) {
      const location = parseRedisLocation(url) as ClusterLocation;
      return createIORedisClient(createCluster(location, { ...(rest as RedisOptions), lazyConnect: true }));
    }
    return createIORedisClient(url ? new Redis(url, rest as RedisOptions) : new Redis(rest as RedisOptions));
  };
}
installClusterClientFactory();

/**
 * Producers fail fast while Redis is away (the outbox keeps the work); workers wait for it
 * forever (BullMQ blocking commands need maxRetriesPerRequest: null). DESIGN §9. Plain options on
 * one server and on a cluster alike (the factory above tells them apart).
 */
export function producerConnectionOptions(location: string): QueueRedisOptions {
  return { url: location, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3_000 };
}

export function workerConnectionOptions(location: string): QueueRedisOptions {
  return { url: location, maxRetriesPerRequest: null, connectTimeout: 5_000 };
}

/** A start-up probe: resolves when Redis answers PING, rejects with a readable reason within the timeout. */
export async function pingRedis(location: string, timeoutMs = 3_000): Promise<void> {
  let client: RedisClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    client = createRedisClient(location, { lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
    client.on('error', () => undefined);
    const connected = client;
    await Promise.race([
      connected.connect().then(async () => {
        if (connected instanceof Cluster) await checkClusterState(connected);
        else await connected.ping();
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new Error(`${describeRedisLocation(location)} is unreachable: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    client?.disconnect();
  }
}

/** A cluster answers only when every slot is served (cluster_state:ok); a PING to one node says less. */
async function checkClusterState(cluster: Cluster): Promise<void> {
  const info = String(await cluster.cluster('INFO'));
  const state = /cluster_state:(\w+)/.exec(info)?.[1];
  if (state !== 'ok') throw new Error(`cluster_state is ${state ?? 'unknown'}`);
}

/** BullMQ loses jobs under eviction; AOF keeps them across a restart. Returns the warnings to log (each master's, on a cluster). */
export async function checkRedisPolicy(location: string): Promise<string[]> {
  const client = createRedisClient(location);
  client.on('error', () => undefined);
  try {
    const servers: Array<{ name: string; server: Redis | Cluster }> = client instanceof Cluster
      ? await clusterMasters(client)
      : [{ name: 'Redis', server: client }];
    const warnings: string[] = [];
    for (const { name, server } of servers) {
      const [, policy] = (await server.config('GET', 'maxmemory-policy')) as string[];
      if (policy !== 'noeviction') {
        warnings.push(`${name} maxmemory-policy is "${policy}": set it to "noeviction" or queued jobs can be evicted`);
      }
      const [, aof] = (await server.config('GET', 'appendonly')) as string[];
      if (aof !== 'yes') warnings.push(`${name} appendonly is off: queued jobs are lost if it restarts (set appendonly yes)`);
    }
    return warnings;
  } catch {
    // Managed Redis often forbids CONFIG: nothing to check, nothing to warn about.
    return [];
  } finally {
    client.disconnect();
  }
}

async function clusterMasters(cluster: Cluster): Promise<Array<{ name: string; server: Redis }>> {
  if (cluster.status !== 'ready') await new Promise<void>((resolve, reject) => {
    cluster.once('ready', resolve);
    cluster.once('end', () => reject(new Error('cluster connection ended')));
  });
  return cluster.nodes('master').map((node) => ({ name: `Redis Cluster node ${node.options.host}:${node.options.port}`, server: node }));
}
