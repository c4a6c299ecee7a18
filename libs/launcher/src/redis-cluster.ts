import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { clusterLocation } from '@amc-reports/queue';
import { findFreePort } from './free-port';
import { redisServerArgs, spawnRedisServer, type RunningRedis } from './redis-server';

export interface RedisClusterOptions {
  /** Each node keeps its data and nodes.conf in a directory of its own below this one (emptied first). */
  dir: string;
  /** Masters to start (Redis Cluster needs at least 3). */
  masters?: number;
  log: (line: string) => void;
  /** How long the nodes may take to agree on cluster_state:ok. */
  timeoutMs?: number;
}

export interface RunningRedisCluster {
  /** redis+cluster://127.0.0.1:p1,… (what REDIS_URL takes). */
  url: string;
  nodes: Array<{ host: string; port: number; busPort: number; pid: number | undefined }>;
  pids: number[];
  stop(): Promise<void>;
}

const SLOTS = 16_384;

/** Distinct free ports: the kernel may hand the same one out twice in a row once it is released. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort());
  return [...ports];
}

/**
 * A real Redis Cluster of `masters` redis-server processes (no replicas), built by hand the way
 * `redis-cli --cluster create` does it: each node gets an even share of the 16,384 slots
 * (CLUSTER ADDSLOTSRANGE), the first meets the others (CLUSTER MEET over their bus ports), and it
 * is ready once every node reports cluster_state:ok with all nodes known. The cluster bus port is
 * chosen free as well (cluster-port), not the fixed port + 10000. Throw-away: the data directory
 * is emptied at start, since node ids and ports are new each time.
 */
export async function startRedisCluster(options: RedisClusterOptions): Promise<RunningRedisCluster> {
  const masters = options.masters ?? 3;
  if (masters < 3) throw new Error('a Redis Cluster needs at least 3 masters');
  fs.rmSync(options.dir, { recursive: true, force: true });
  const ports = await freePorts(masters * 2);
  const started: RunningRedis[] = [];
  const nodes: RunningRedisCluster['nodes'] = [];
  const stop = async () => void (await Promise.all(started.map((server) => server.stop())));
  try {
    for (let index = 0; index < masters; index += 1) {
      const [port, busPort] = [ports[index * 2], ports[index * 2 + 1]];
      const dir = path.join(options.dir, `node-${index}`);
      fs.mkdirSync(dir, { recursive: true });
      const args = [
        ...redisServerArgs(port, dir),
        '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'),
        '--cluster-port', String(busPort), '--cluster-node-timeout', '5000',
      ];
      const server = await spawnRedisServer(`redis-cluster-${index}`, args, port, (line) => options.log(`[node ${index}] ${line}`));
      started.push(server);
      nodes.push({ host: '127.0.0.1', port, busPort, pid: server.pid });
    }
    await formCluster(nodes, options.timeoutMs ?? 30_000);
    options.log(`cluster_state:ok with ${masters} masters on ${nodes.map((node) => node.port).join(', ')}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: clusterLocation(nodes),
    nodes,
    pids: nodes.map((node) => node.pid).filter((pid): pid is number => typeof pid === 'number'),
    stop,
  };
}

async function formCluster(nodes: RunningRedisCluster['nodes'], timeoutMs: number): Promise<void> {
  const clients = nodes.map((node) => new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    const share = Math.ceil(SLOTS / nodes.length);
    await Promise.all(clients.map((client, index) => {
      const first = index * share;
      const last = Math.min(SLOTS, first + share) - 1;
      return client.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
    }));
    for (const node of nodes.slice(1)) await clients[0].call('CLUSTER', 'MEET', node.host, String(node.port), String(node.busPort));
    await waitForClusterOk(clients, nodes.length, timeoutMs);
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/** Every node must see every other node and all slots served; gossip converges within a second or two. */
async function waitForClusterOk(clients: Redis[], expectedNodes: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const infos = await Promise.all(clients.map((client) => client.call('CLUSTER', 'INFO') as Promise<string>));
    const ready = infos.every((info) => /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${expectedNodes}\\b`).test(info));
    if (ready) return;
    last = infos.map((info) => /cluster_state:\w+/.exec(info)?.[0] ?? '?').join(' ');
    if (Date.now() > deadline) throw new Error(`Redis Cluster did not reach cluster_state:ok within ${timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
