import { Injectable, Logger } from '@nestjs/common';
import type { api } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';
import { notFound } from '../common/request-validation';

/** What later executions are weighed by: the finding's kind, metric and dimension, as the worker stored them. */
export interface FeedbackKey {
  findingKind: string;
  metric: string | null;
  dimension: string | null;
}

const text = (value: unknown, max: number): string | null => (typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null);

/**
 * From an insight's source_data (the finding as the worker stored it). Insights stored before
 * findings had a kind fall back to their insight type, so a verdict on them is still counted.
 */
export function feedbackKey(sourceData: unknown, insightType: string): FeedbackKey {
  const finding = (sourceData as { finding?: Record<string, unknown> } | null)?.finding ?? {};
  return {
    findingKind: text(finding.kind, 100) ?? insightType,
    metric: text(finding.metric, 300),
    dimension: text(finding.dimension, 300),
  };
}

interface FeedbackRow {
  report_configuration_id: string;
  execution_id: string;
  finding_id: string;
  finding_kind: string;
  metric: string | null;
  dimension: string | null;
  verdict: api.InsightVerdict;
  updated_at: Date;
  created: boolean;
}

/**
 * A user's verdict on an insight, inside their RLS transaction: the insight must be visible to
 * them (a member of the report's organization, any role: a verdict is a way of reading), and the
 * verdict row is theirs alone (insight_feedback policies). Stored against the report, execution and
 * finding, so regenerating the insight set (new row ids) keeps it.
 */
@Injectable()
export class InsightFeedbackService {
  private readonly logger = new Logger(InsightFeedbackService.name);

  async give(tx: TransactionClient, userId: string, insightId: string, verdict: api.InsightVerdict): Promise<{ created: boolean; view: api.InsightFeedbackView }> {
    const insight = await this.visibleInsight(tx, insightId);
    const key = feedbackKey(insight.sourceData, insight.insightType);
    const [row] = await tx.$queryRaw<FeedbackRow[]>`
      INSERT INTO insight_feedback (report_configuration_id, execution_id, finding_id, user_id, verdict, finding_kind, metric, dimension)
      VALUES (${insight.reportId}::uuid, ${insight.executionId}::uuid, ${insight.findingId}, ${userId}::uuid, ${verdict}, ${key.findingKind},
              ${key.metric}, ${key.dimension})
      ON CONFLICT ON CONSTRAINT insight_feedback_once DO UPDATE
        SET verdict = EXCLUDED.verdict, finding_kind = EXCLUDED.finding_kind, metric = EXCLUDED.metric, dimension = EXCLUDED.dimension
      RETURNING report_configuration_id, execution_id, finding_id, finding_kind, metric, dimension, verdict, updated_at, (xmax = 0) AS created`;
    this.logger.log({ msg: `insight feedback ${row.created ? 'recorded' : 'changed'}`, reportId: insight.reportId, executionId: insight.executionId, insightId, verdict });
    return {
      created: row.created,
      view: {
        insightId, reportId: row.report_configuration_id, executionId: row.execution_id, findingId: row.finding_id, findingKind: row.finding_kind,
        metric: row.metric, dimension: row.dimension, verdict: row.verdict, updatedAt: row.updated_at.toISOString(),
      },
    };
  }

  /** Idempotent: withdrawing a verdict never given is done too. */
  async withdraw(tx: TransactionClient, userId: string, insightId: string): Promise<void> {
    const insight = await this.visibleInsight(tx, insightId);
    await tx.insightFeedback.deleteMany({ where: { reportConfigurationId: insight.reportId, executionId: insight.executionId, findingId: insight.findingId, userId } });
  }

  private async visibleInsight(tx: TransactionClient, insightId: string) {
    const insight = await tx.dashboardInsight.findUnique({
      where: { id: insightId },
      select: { executionId: true, findingId: true, insightType: true, sourceData: true, dashboardView: { select: { reportConfigurationId: true } } },
    });
    if (!insight) throw notFound('insight');
    return { ...insight, reportId: insight.dashboardView.reportConfigurationId };
  }
}
