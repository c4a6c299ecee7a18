import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createRedisClient } from '@amc-reports/queue';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { RetryLaterException } from './export-view';

const HOUR_SECONDS = 3600;

/**
 * Export requests per rolling hour, per user and per organization, counted in Redis so every
 * gateway shares the budget. Consumed only once a request is valid and about to be written (a
 * 4xx costs nothing); a request refused by one limit gives its point back to the other; a
 * request that then fails to be saved gives both back.
 */
@Injectable()
export class ExportRateLimits implements OnApplicationShutdown {
  private readonly redis;
  private readonly perUser: RateLimiterRedis;
  private readonly perOrganization: RateLimiterRedis;

  constructor(@InjectGatewayConfig() private readonly config: GatewayConfig) {
    this.redis = createRedisClient(config.REDIS_URL, { enableOfflineQueue: false });
    this.redis.on('error', () => undefined);
    const keyPrefix = `${config.QUEUE_PREFIX}:export-rate`;
    this.perUser = new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${keyPrefix}:user`, points: config.EXPORTS_PER_HOUR_PER_USER, duration: HOUR_SECONDS });
    this.perOrganization = new RateLimiterRedis({
      storeClient: this.redis, keyPrefix: `${keyPrefix}:org`, points: config.EXPORTS_PER_HOUR_PER_ORGANIZATION, duration: HOUR_SECONDS,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }

  /** Takes one request from both budgets, or throws 429 (over a limit) / 503 (Redis away). */
  async consume(userId: string, organizationId: string): Promise<void> {
    try {
      await this.perUser.consume(userId);
    } catch (error) {
      throw refusal(error, `you requested ${this.config.EXPORTS_PER_HOUR_PER_USER} exports in the last hour (the limit)`);
    }
    try {
      await this.perOrganization.consume(organizationId);
    } catch (error) {
      await this.perUser.reward(userId).catch(() => undefined);
      throw refusal(error, `your organization requested ${this.config.EXPORTS_PER_HOUR_PER_ORGANIZATION} exports in the last hour (the limit)`);
    }
  }

  async refund(userId: string, organizationId: string): Promise<void> {
    await Promise.all([this.perUser.reward(userId), this.perOrganization.reward(organizationId)]).catch(() => undefined);
  }
}

function refusal(error: unknown, limitMessage: string): RetryLaterException {
  if (error instanceof RateLimiterRes) {
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    return new RetryLaterException(429, seconds, 'rate_limited', `${limitMessage}; try again in ${seconds} s`);
  }
  return new RetryLaterException(503, 5, 'queue_unavailable', 'exports cannot be requested right now (the queue is unavailable); nothing was saved, try again');
}
