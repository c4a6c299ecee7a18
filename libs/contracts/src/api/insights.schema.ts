import { z } from 'zod';
import { Timestamp, Uuid } from './common.schema';

/** What a reader can say about an insight: worth having, or not news to them. */
export const INSIGHT_VERDICTS = ['useful', 'dismissed'] as const;
export type InsightVerdict = (typeof INSIGHT_VERDICTS)[number];
export const InsightVerdictValue = z.enum(INSIGHT_VERDICTS);

/** POST /v1/insights/:id/feedback. */
export const InsightFeedbackBody = z.strictObject({ verdict: InsightVerdictValue });
export type InsightFeedbackBody = z.infer<typeof InsightFeedbackBody>;

/**
 * The caller's verdict as stored: for the finding of that execution of that report (so it outlives
 * the insight set being regenerated), with what later executions are weighed by.
 */
export const InsightFeedbackView = z.object({
  insightId: Uuid,
  reportId: Uuid,
  executionId: Uuid,
  findingId: z.string(),
  findingKind: z.string(),
  metric: z.string().nullable(),
  dimension: z.string().nullable(),
  verdict: InsightVerdictValue,
  updatedAt: Timestamp,
});
export type InsightFeedbackView = z.infer<typeof InsightFeedbackView>;
