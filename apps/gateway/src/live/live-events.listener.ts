import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  DASHBOARD_UPDATED, DashboardUpdatedEvent, EXPORT_COMPLETED, EXPORT_FAILED, ExportFinishedEvent, INSIGHTS_GENERATED,
  InsightsGeneratedEvent, type EventPattern as Pattern,
} from '@amc-reports/contracts';
import type { z } from 'zod';
import { MetricsService } from '../observability/metrics.service';
import { LiveEventsHub } from './live-events.hub';

/** Receives the workers' events on the Redis transport (@nestjs/microservices) and hands them to the hub. */
@Controller()
export class LiveEventsListener {
  private readonly logger = new Logger(LiveEventsListener.name);

  constructor(private readonly hub: LiveEventsHub, private readonly metrics: MetricsService) {}

  private relay<S extends z.ZodType>(pattern: Pattern, schema: S, payload: unknown): void {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      this.logger.warn(`ignored a malformed ${pattern} event: ${parsed.error.issues[0]?.message}`);
      return;
    }
    this.count(pattern, parsed.data as Record<string, unknown>);
    const data = parsed.data as Record<string, unknown> & { reportId: string; userId?: string };
    this.hub.publish({ pattern, reportId: data.reportId, userId: data.userId, data });
  }

  /** Worker-side facts for /metrics, taken from the events every worker publishes anyway. */
  private count(pattern: Pattern, data: Record<string, unknown>): void {
    const { metrics } = this.metrics;
    if (pattern === INSIGHTS_GENERATED) {
      metrics.insightRuns.inc({ source: data.aiModel === 'statistical' ? 'statistical' : 'llm' });
      if (typeof data.llmCalls === 'number') metrics.llmCalls.inc({ result: 'ok' }, Math.max(0, data.llmCalls - Number(data.llmFailures ?? 0)));
      if (typeof data.llmFailures === 'number') metrics.llmCalls.inc({ result: 'failed' }, data.llmFailures);
    }
    if (pattern === EXPORT_COMPLETED || pattern === EXPORT_FAILED) {
      const format = String(data.format);
      if (typeof data.sizeBytes === 'number') metrics.exportBytes.inc({ format }, data.sizeBytes);
      if (typeof data.durationMs === 'number') metrics.exportDuration.observe({ format, status: String(data.status) }, data.durationMs / 1000);
    }
  }

  @EventPattern(DASHBOARD_UPDATED)
  dashboardUpdated(@Payload() payload: unknown): void {
    this.relay(DASHBOARD_UPDATED, DashboardUpdatedEvent, payload);
  }

  @EventPattern(INSIGHTS_GENERATED)
  insightsGenerated(@Payload() payload: unknown): void {
    this.relay(INSIGHTS_GENERATED, InsightsGeneratedEvent, payload);
  }

  @EventPattern(EXPORT_COMPLETED)
  exportCompleted(@Payload() payload: unknown): void {
    this.relay(EXPORT_COMPLETED, ExportFinishedEvent, payload);
  }

  @EventPattern(EXPORT_FAILED)
  exportFailed(@Payload() payload: unknown): void {
    this.relay(EXPORT_FAILED, ExportFinishedEvent, payload);
  }
}
