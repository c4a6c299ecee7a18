import os from 'node:os';
import { createRedisClient, type RedisClient } from '@amc-reports/queue';
import type { GateStatus } from './dependency-gate';

/**
 * Worker liveness in Redis, read by the gateway's /health: each worker process keeps its entry in
 * one sorted set fresh (score = last beat, ms) with its details in a hash beside it. A process
 * that dies stops beating; its entry goes stale and is pruned by the next reader.
 */
export function heartbeatKeys(prefix: string): { beats: string; details: string } {
  return { beats: `${prefix}:heartbeats`, details: `${prefix}:heartbeats:details` };
}

/** The default beat (HEARTBEAT_INTERVAL_MS): /health and the container check allow a few missed ones. */
export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface HeartbeatDetails {
  app: string;
  pid: number;
  host: string;
  startedAt: string;
  /** Set while the process holds its jobs because a dependency is away. */
  pausedFor: string | null;
}

export class WorkerHeartbeat {
  private readonly redis: RedisClient;
  private readonly member: string;
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly app: string,
    private readonly gateStatus: () => GateStatus,
    private readonly intervalMs = HEARTBEAT_INTERVAL_MS,
  ) {
    // Fail fast: a beat that cannot be sent is simply missed (that is the signal).
    this.redis = createRedisClient(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.redis.on('error', () => undefined);
    this.member = `${app}:${os.hostname()}:${process.pid}`;
  }

  /** Beats once before resolving (so a worker that says "ready" is already visible), then every interval. */
  async start(): Promise<void> {
    if (this.redis.status !== 'ready') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3_000);
        this.redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  /** A clean stop removes the entry at once: /health shows the worker gone, not merely late. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    const keys = heartbeatKeys(this.prefix);
    await this.redis.multi().zrem(keys.beats, this.member).hdel(keys.details, this.member).exec().catch(() => undefined);
    this.redis.disconnect();
  }

  private async beat(): Promise<void> {
    const keys = heartbeatKeys(this.prefix);
    const gate = this.gateStatus();
    const details: HeartbeatDetails = {
      app: this.app, pid: process.pid, host: os.hostname(), startedAt: this.startedAt, pausedFor: gate.paused ? gate.dependency : null,
    };
    await this.redis.multi().zadd(keys.beats, Date.now(), this.member).hset(keys.details, this.member, JSON.stringify(details)).exec()
      .catch(() => undefined);
  }
}

export interface LiveWorker extends HeartbeatDetails {
  lastBeatAgeMs: number;
}

/** The worker processes whose last beat is younger than `staleAfterMs`; older entries are removed. */
export async function readLiveWorkers(redis: RedisClient, prefix: string, staleAfterMs: number, now = Date.now()): Promise<LiveWorker[]> {
  const keys = heartbeatKeys(prefix);
  const cutoff = now - staleAfterMs;
  const stale = await redis.zrangebyscore(keys.beats, '-inf', `(${cutoff}`);
  if (stale.length > 0) await redis.multi().zremrangebyscore(keys.beats, '-inf', `(${cutoff}`).hdel(keys.details, ...stale).exec();
  const entries = await redis.zrangebyscore(keys.beats, cutoff, '+inf', 'WITHSCORES');
  const members: Array<{ member: string; beatAt: number }> = [];
  for (let index = 0; index < entries.length; index += 2) members.push({ member: entries[index], beatAt: Number(entries[index + 1]) });
  if (members.length === 0) return [];
  const details = await redis.hmget(keys.details, ...members.map((entry) => entry.member));
  return members.map((entry, index) => {
    const parsed = details[index] ? (JSON.parse(details[index]!) as HeartbeatDetails) : null;
    const [app, host, pid] = entry.member.split(':');
    return {
      app: parsed?.app ?? app, host: parsed?.host ?? host, pid: parsed?.pid ?? Number(pid), startedAt: parsed?.startedAt ?? '',
      pausedFor: parsed?.pausedFor ?? null, lastBeatAgeMs: Math.max(0, now - entry.beatAt),
    };
  });
}
