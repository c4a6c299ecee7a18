import { z } from 'zod';

/** Fire-and-forget events on the Redis transport of @nestjs/microservices (DESIGN §4). */
export const DASHBOARD_UPDATED = 'dashboard.updated' as const;
export const INSIGHTS_GENERATED = 'insights.generated' as const;
export const EXPORT_COMPLETED = 'export.completed' as const;
export const EXPORT_FAILED = 'export.failed' as const;
export const EVENT_PATTERNS = [DASHBOARD_UPDATED, INSIGHTS_GENERATED, EXPORT_COMPLETED, EXPORT_FAILED] as const;
export type EventPattern = (typeof EVENT_PATTERNS)[number];

export const DashboardUpdatedEvent = z.object({
  reportId: z.string().uuid(),
  workflowId: z.string().uuid(),
  executionId: z.string().uuid(),
  status: z.string(),
  occurredAt: z.string(),
});
export type DashboardUpdatedEvent = z.infer<typeof DashboardUpdatedEvent>;

export const InsightsGeneratedEvent = z.object({
  reportId: z.string().uuid(),
  executionId: z.string().uuid(),
  insightCount: z.number().int().min(0),
  aiModel: z.string(),
  /** LLM wording requests made and failed for this run (0 when no key is configured). */
  llmCalls: z.number().int().min(0).optional(),
  llmFailures: z.number().int().min(0).optional(),
  occurredAt: z.string(),
});
export type InsightsGeneratedEvent = z.infer<typeof InsightsGeneratedEvent>;

export const ExportFinishedEvent = z.object({
  reportId: z.string().uuid(),
  exportId: z.string().uuid(),
  userId: z.string().uuid(),
  format: z.string(),
  status: z.enum(['completed', 'failed']),
  error: z.string().nullable(),
  /** Size of the stored file (completed) and request-to-finish time, for /metrics. */
  sizeBytes: z.number().int().min(0).optional(),
  durationMs: z.number().min(0).optional(),
  occurredAt: z.string(),
});
export type ExportFinishedEvent = z.infer<typeof ExportFinishedEvent>;
