import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Readiness: Postgres, Redis and migrations; 503 when any is down so a balancer drains us. */
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
