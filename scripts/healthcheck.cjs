#!/usr/bin/env node
// Container health check (docker-compose.yml): `node scripts/healthcheck.cjs <app>` exits 0 when the
// app in this container is alive, 1 when not. The gateway must answer /health/live; a worker must
// have a fresh heartbeat in Redis from this host (libs/runtime worker-heartbeat.ts writes it every
// 5 s: a worker that is wedged, or paused forever, stops being healthy). Plain JavaScript: it runs
// every few seconds and must not pay for the TypeScript loader.
'use strict';
const os = require('node:os');

const app = process.argv[2];
const fail = (why) => {
  process.stderr.write(`${app ?? '?'} unhealthy: ${why}\n`);
  process.exit(1);
};

async function gateway() {
  const port = process.env.GATEWAY_PORT || '3000';
  const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(4_000) });
  if (!response.ok) fail(`/health/live answered ${response.status}`);
}

/**
 * The same Redis the apps use: REDIS_URL (redis://, or redis+cluster://host:port,…) or
 * REDIS_CLUSTER_NODES. A trimmed copy of libs/queue's parsing (this file cannot load TypeScript);
 * the apps' config has already refused a malformed value at start-up.
 */
function connect() {
  const { Cluster, Redis } = require('ioredis');
  const options = { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0 };
  const location = process.env.REDIS_CLUSTER_NODES ? `redis+cluster://${process.env.REDIS_CLUSTER_NODES}` : process.env.REDIS_URL;
  const cluster = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)/.exec(location || '');
  if (!cluster) return { redis: new Redis(location, { ...options, retryStrategy: () => null }), isCluster: false };
  const [user, password] = (cluster[2] || '').split(':').map((part) => (part ? decodeURIComponent(part) : undefined));
  const nodes = cluster[3].split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const colon = entry.lastIndexOf(':');
    return { host: entry.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(entry.slice(colon + 1)) };
  });
  const redisOptions = { connectTimeout: 3_000, maxRetriesPerRequest: 0, username: user, password, tls: cluster[1] === 'rediss' ? {} : undefined };
  return { redis: new Cluster(nodes, { lazyConnect: true, clusterRetryStrategy: () => null, redisOptions }), isCluster: true };
}

async function worker() {
  const { redis, isCluster } = connect();
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const staleAfter = Number(process.env.HEALTH_WORKER_STALE_MS || 20_000);
    const prefix = process.env.QUEUE_PREFIX || (isCluster ? '{amc}' : 'amc');
    const members = await redis.zrangebyscore(`${prefix}:heartbeats`, Date.now() - staleAfter, '+inf');
    if (!members.some((member) => member.startsWith(`${app}:${os.hostname()}:`))) fail(`no heartbeat from this host within ${staleAfter} ms`);
  } finally {
    redis.disconnect();
  }
}

if (!['gateway', 'report-service', 'insight-worker', 'export-worker'].includes(app)) fail('usage: healthcheck.cjs <gateway|report-service|insight-worker|export-worker>');
(app === 'gateway' ? gateway() : worker()).then(() => process.exit(0), (error) => fail(error.message));
