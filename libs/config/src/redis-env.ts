import { clusterLocation, hasHashTag, isClusterLocation, parseClusterNodes } from '@amc-reports/queue';

/** The queue prefix on a cluster when QUEUE_PREFIX is unset: a hash tag keeps each queue's keys in one slot. */
export const CLUSTER_QUEUE_PREFIX = '{amc}';

/**
 * REDIS_CLUSTER_NODES (host:port,host:port) is another way to write REDIS_URL=redis+cluster://…:
 * it becomes that before validation, so every app reads one REDIS_URL. Setting both is refused
 * (which one would win is a guess), and so is a bad node list, by name.
 */
export function resolveRedisEnv(env: Record<string, string>): { env: Record<string, string>; problems: string[] } {
  const nodes = env.REDIS_CLUSTER_NODES;
  if (nodes === undefined) return { env: withClusterPrefix(env), problems: [] };
  if (env.REDIS_URL !== undefined) {
    return { env, problems: ['REDIS_CLUSTER_NODES and REDIS_URL are both set: set one (REDIS_URL=redis+cluster://host:port,… is the same as REDIS_CLUSTER_NODES)'] };
  }
  try {
    parseClusterNodes(nodes);
  } catch (error) {
    return { env, problems: [`REDIS_CLUSTER_NODES ${(error as Error).message} (expected host:port,host:port)`] };
  }
  return { env: withClusterPrefix({ ...env, REDIS_URL: clusterLocation(nodes) }), problems: [] };
}

function withClusterPrefix(env: Record<string, string>): Record<string, string> {
  if (!env.REDIS_URL || !isClusterLocation(env.REDIS_URL) || env.QUEUE_PREFIX !== undefined) return env;
  return { ...env, QUEUE_PREFIX: CLUSTER_QUEUE_PREFIX };
}

/** BullMQ on a cluster needs every key of a queue in one slot: a prefix without a {hash tag} fails at the first job (CROSSSLOT). */
export function clusterPrefixProblems(config: { REDIS_URL?: unknown; QUEUE_PREFIX?: unknown }): string[] {
  if (typeof config.REDIS_URL !== 'string' || !isClusterLocation(config.REDIS_URL)) return [];
  if (typeof config.QUEUE_PREFIX === 'string' && !hasHashTag(config.QUEUE_PREFIX)) {
    return [`QUEUE_PREFIX must contain a {hash tag} on Redis Cluster (e.g. ${CLUSTER_QUEUE_PREFIX}): BullMQ needs each queue's keys in one slot`];
  }
  return [];
}
