/**
 * Where Redis is, as one string every app passes around (REDIS_URL): `redis://` / `rediss://` for
 * one server, `redis+cluster://host:port,host:port` / `rediss+cluster://…` for a Redis Cluster (any
 * reachable nodes: the client discovers the rest). REDIS_CLUSTER_NODES is turned into the latter by
 * the config loader, so nothing downstream needs to know which variable was set.
 */
export interface RedisNode {
  host: string;
  port: number;
}

export type RedisLocation =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; nodes: RedisNode[]; username?: string; password?: string; tls: boolean };

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)\/?(0)?$/;
const NODE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** `host:port,host:port` → nodes; throws a message naming the bad entry. */
export function parseClusterNodes(list: string): RedisNode[] {
  const entries = list.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('must list at least one host:port');
  return entries.map((entry) => {
    const match = NODE.exec(entry);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65_535) throw new Error(`"${entry}" is not host:port`);
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

export function isClusterLocation(location: string): boolean {
  return /^rediss?\+cluster:\/\//.test(location);
}

/** The location string for a cluster of these nodes (what REDIS_CLUSTER_NODES becomes). */
export function clusterLocation(nodes: string | RedisNode[], tls = false): string {
  const list = typeof nodes === 'string' ? parseClusterNodes(nodes) : nodes;
  const hosts = list.map((node) => `${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`).join(',');
  return `${tls ? 'rediss' : 'redis'}+cluster://${hosts}`;
}

/** Parses a location; throws a readable message (the config schema shows it next to the variable). */
export function parseRedisLocation(location: string): RedisLocation {
  if (!isClusterLocation(location)) {
    if (!/^rediss?:\/\//.test(location)) throw new Error('must start with redis://, rediss://, redis+cluster:// or rediss+cluster://');
    new URL(location);
    return { kind: 'standalone', url: location };
  }
  const match = CLUSTER_URL.exec(location);
  // A cluster has one database (0): a path other than /0 would silently mean something else.
  if (!match) throw new Error('must look like redis+cluster://host:port,host:port (a cluster has database 0 only)');
  const [, scheme, credentials, hosts] = match;
  const [username, password] = credentials ? splitCredentials(credentials) : [undefined, undefined];
  return { kind: 'cluster', nodes: parseClusterNodes(hosts), username, password, tls: scheme === 'rediss' };
}

function splitCredentials(credentials: string): [string | undefined, string | undefined] {
  const colon = credentials.indexOf(':');
  const user = colon === -1 ? credentials : credentials.slice(0, colon);
  const password = colon === -1 ? undefined : credentials.slice(colon + 1);
  return [user ? decodeURIComponent(user) : undefined, password ? decodeURIComponent(password) : undefined];
}

/** For logs and error messages: hosts and ports, never a password. */
export function describeRedisLocation(location: string): string {
  try {
    const parsed = parseRedisLocation(location);
    if (parsed.kind === 'cluster') return `Redis Cluster at ${parsed.nodes.map((node) => `${node.host}:${node.port}`).join(',')}`;
    const url = new URL(parsed.url);
    return `Redis at ${url.hostname}:${url.port || 6379}`;
  } catch {
    return 'Redis (unparsable location)';
  }
}

/**
 * BullMQ runs a queue's scripts over all of its keys at once, so on a cluster every key of a queue
 * must hash to one slot: the key prefix carries a hash tag (`{amc}`). Redis hashes the text of the
 * first non-empty `{…}` of a key.
 */
export function hasHashTag(prefix: string): boolean {
  return /\{[^{}]+\}/.test(prefix);
}
