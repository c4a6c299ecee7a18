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

async function worker() {
  const { Redis } = require('ioredis');
  const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const staleAfter = Number(process.env.HEALTH_WORKER_STALE_MS || 20_000);
    const prefix = process.env.QUEUE_PREFIX || 'amc';
    const members = await redis.zrangebyscore(`${prefix}:heartbeats`, Date.now() - staleAfter, '+inf');
    if (!members.some((member) => member.startsWith(`${app}:${os.hostname()}:`))) fail(`no heartbeat from this host within ${staleAfter} ms`);
  } finally {
    redis.disconnect();
  }
}

if (!['gateway', 'report-service', 'insight-worker', 'export-worker'].includes(app)) fail('usage: healthcheck.cjs <gateway|report-service|insight-worker|export-worker>');
(app === 'gateway' ? gateway() : worker()).then(() => process.exit(0), (error) => fail(error.message));
