import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { notFound, Pagination, parseId, parseRequest, toPage, Uuid } from '../common/request-validation';
import { readVerdicts } from './insight-verdicts';

/** dashboard_insights.insight_type (CHECK constraint, DESIGN §3). */
export const INSIGHT_TYPES = ['trend', 'anomaly', 'recommendation', 'summary', 'comparison'] as const;

const ListInsights = Pagination.extend({
  type: z.enum(INSIGHT_TYPES).optional(),
  minConfidence: z.coerce.number().min(0).max(1).optional(),
  executionId: Uuid.transform((id) => id.toLowerCase()).optional(),
});

/**
 * GET /v1/reports/:id/insights: the stored insights of a report (every current execution, or the
 * one named), best first, each with the caller's own verdict. Row-level security decides
 * visibility, so another organization's report is a 404.
 */
@Controller('v1/reports')
@UseGuards(JwtAuthGuard)
export class InsightsController {
  constructor(private readonly scope: UserScope) {}

  @Get(':id/insights')
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query() query: unknown) {
    const reportId = parseId(id, 'report');
    const { limit, offset, type, minConfidence, executionId } = parseRequest(ListInsights, query);
    const page = await this.scope.run(user, async (tx) => {
      const report = await tx.reportConfiguration.findUnique({ where: { id: reportId }, select: { id: true } });
      if (!report) return null;
      const rows = await tx.dashboardInsight.findMany({
        where: {
          dashboardView: { reportConfigurationId: reportId },
          ...(type ? { insightType: type } : {}),
          ...(minConfidence !== undefined ? { confidenceScore: { gte: minConfidence } } : {}),
          // A newer run of the same window replaced a superseded execution's numbers: its insights
          // are history, shown only when that execution is asked for by id.
          ...(executionId ? { executionId } : { execution: { supersededBy: null } }),
        },
        include: {
          dashboardView: { select: { viewKey: true } },
          execution: { select: { timeWindowStart: true, timeWindowEnd: true } },
        },
        // Total order, so pages never repeat or skip a row.
        orderBy: [{ confidenceScore: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
        take: limit + 1,
        skip: offset,
      });
      const page = toPage(rows, { limit, offset });
      return { ...page, verdicts: await readVerdicts(tx, reportId, page.items) };
    });
    if (!page) throw notFound('report');
    const { verdicts, ...rest } = page;
    return {
      ...rest,
      items: page.items.map((insight) => ({
        id: insight.id,
        viewId: insight.dashboardViewId,
        viewKey: insight.dashboardView.viewKey,
        executionId: insight.executionId,
        timeWindow: { start: insight.execution.timeWindowStart, end: insight.execution.timeWindowEnd },
        findingId: insight.findingId,
        type: insight.insightType,
        text: insight.insightText,
        confidence: Number(insight.confidenceScore),
        aiModel: insight.aiModel,
        promptVersion: insight.promptVersion,
        sourceData: insight.sourceData,
        feedback: verdicts.get(insight.id) ?? null,
        createdAt: insight.createdAt,
      })),
    };
  }
}
