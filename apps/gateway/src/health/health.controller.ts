import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * The system's health: dependencies, worker liveness, queue lag; 503 unless `ok`. For
   * monitoring, not for a balancer: while Postgres is away this gateway still answers (503 with
   * Retry-After), which is better than no gateway at all; containers probe /health/live.
   */
  @Get('health')
  async readiness(@Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.health.check();
    reply.status(report.status === 'ok' ? 200 : 503);
    return report;
  }

  /** Liveness: the process answers; says nothing about dependencies. */
  @Get('health/live')
  @HttpCode(200)
  liveness() {
    return { status: 'ok' };
  }
}
