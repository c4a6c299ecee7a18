import { Injectable } from '@nestjs/common';
import type { api, BuiltView, DashboardType, ResultProfile } from '@amc-reports/contracts';
import { readExecutionProfiles, readReportTimeline, type TransactionClient } from '@amc-reports/db';
import {
  buildPlannedDashboard, planPeriod, PeriodRequestError, profilesNeeded, toTimelineExecution, UnusableResultError,
  type ComparisonRequest, type PeriodPlan, type PeriodRequest,
} from '@amc-reports/dashboards';
import { validationError } from '../common/request-validation';
import { describeComparison, describePeriod, describeStoredPeriod, resultProblem } from './period-views';
import { runState } from './run-state';
import { readVerdicts } from '../insights/insight-verdicts';

const HISTORY_SHOWN = 20;
const INSIGHTS_SHOWN = 10;

export { readReportHeadlines } from './report-headlines';

const historyLengthOf = (aggregation: unknown): number => {
  const requested = (aggregation as { historyLength?: unknown } | null)?.historyLength;
  return typeof requested === 'number' && requested >= 1 ? Math.min(Math.floor(requested), 52) : 12;
};

function requestsOf(query: api.DashboardQuery): { period: PeriodRequest; comparison: ComparisonRequest } | null {
  const picked = query.executionId || query.from || query.weeks || query.compare || query.compareExecutionId;
  if (!picked) return null;
  const period: PeriodRequest = query.executionId ? { kind: 'execution', executionId: query.executionId }
    : query.from && query.to ? { kind: 'range', from: query.from, to: query.to }
      : query.weeks ? { kind: 'weeks', weeks: query.weeks } : { kind: 'latest' };
  const comparison: ComparisonRequest = query.compareExecutionId ? { kind: 'execution', executionId: query.compareExecutionId }
    : { kind: query.compare ?? 'previous' };
  return { period, comparison };
}

/**
 * Assembles GET /v1/reports/:id/dashboard inside the caller's RLS transaction: the stored views
 * (as the report service built them for the newest usable window), or — with a period or a
 * comparison asked for — views built now from the profiles of the executions it needs.
 */
@Injectable()
export class DashboardReader {
  async read(tx: TransactionClient, reportId: string, query: api.DashboardQuery = {}) {
    const report = await tx.reportConfiguration.findUnique({ where: { id: reportId }, include: { workflow: true } });
    if (!report) return null;
    const rows = report.workflowId ? await readReportTimeline(tx, report.workflowId, reportId) : [];
    const timeline = rows.map(toTimelineExecution);
    const requests = requestsOf(query);
    const settings = { visualization: report.visualizationSettings, aggregation: report.dataAggregationSettings };

    let built: { views: BuiltView[]; plan: PeriodPlan; problem: string | null } | null = null;
    if (requests) {
      let plan: PeriodPlan;
      try {
        plan = planPeriod(timeline, requests.period, requests.comparison, historyLengthOf(report.dataAggregationSettings));
      } catch (error) {
        if (error instanceof PeriodRequestError) throw validationError([{ field: error.field, message: error.message }]);
        throw error;
      }
      const profiles = await readExecutionProfiles(tx, profilesNeeded(plan));
      try {
        built = { plan, problem: null, views: buildPlannedDashboard(report.dashboardType as DashboardType, settings, plan, profiles, { compareTables: true }).views };
      } catch (error) {
        if (!(error instanceof UnusableResultError)) throw error;
        built = { plan, problem: error.message, views: [] };
      }
    }

    const stored = await tx.dashboardView.findMany({ where: { reportConfigurationId: reportId }, orderBy: [{ position: 'asc' }, { viewKey: 'asc' }] });
    const storedByKey = new Map(stored.map((view) => [view.viewKey, view]));
    const views = built
      ? built.views.map((view) => ({
        id: storedByKey.get(view.key)?.id ?? null, key: view.key, name: view.name, viewType: view.viewType, position: view.position,
        chart: view.chart, data: view.data, layout: storedByKey.get(view.key)?.layoutSettings ?? {},
        sourceExecutionId: built!.plan.period.kind === 'execution' ? (built!.plan.period.members[0]?.executionId ?? null) : null, processedAt: new Date(),
      }))
      : stored.map((view) => ({
        id: view.id, key: view.viewKey, name: view.name, viewType: view.viewType, position: view.position,
        chart: view.chartConfigurations, data: view.processedData, layout: view.layoutSettings,
        sourceExecutionId: view.sourceExecutionId, processedAt: view.processedAt,
      }));

    const period = built ? describePeriod(built.plan, requests!.period.kind, built.problem) : describeStoredPeriod(stored, timeline);
    // Stored cards were built against the window before theirs: the same plan names it.
    const comparison = describeComparison(built?.plan ?? planPeriod(timeline, { kind: 'latest' }, { kind: 'previous' }, 1));
    const shownIds = period?.executionIds ?? [];
    return {
      report: {
        id: report.id, name: report.name, dashboardType: report.dashboardType, isEnabled: report.isEnabled,
        organizationId: report.workflow?.organizationId ?? null,
        workflow: report.workflow
          ? { id: report.workflow.id, name: report.workflow.name, reportEnabled: report.workflow.reportEnabled, amcInstanceId: report.workflow.amcInstanceId }
          : null,
      },
      latestRun: rows[0] ? runState(rows[0]) : null,
      history: rows.slice(0, HISTORY_SHOWN).map(runState),
      views,
      // The insights of the execution the views show, stored or built: while its set is still being
      // computed, none, rather than an earlier window's beside these numbers, unlabeled.
      insights: await this.insights(tx, reportId, period ? shownIds : null),
      source: built ? ('built' as const) : ('stored' as const),
      period,
      comparison,
      problem: resultProblem(rows, timeline, period, report.dashboardType as DashboardType, settings),
    };
  }

  /**
   * The insights of the one execution shown (a range has none of its own). Only when no views name
   * their execution (none stored yet) the newest window's set: not the set written last, since a
   * late or retried job for an older week must not replace the ones that match the newest numbers.
   */
  private async insights(tx: TransactionClient, reportId: string, shownIds: string[] | null) {
    let executionId: string | null = null;
    if (shownIds === null) {
      const latest = await tx.dashboardInsight.findFirst({
        where: { dashboardView: { reportConfigurationId: reportId }, execution: { supersededBy: null } },
        orderBy: [{ execution: { timeWindowStart: 'desc' } }, { execution: { completedAt: 'desc' } }, { createdAt: 'desc' }],
        select: { executionId: true },
      });
      executionId = latest?.executionId ?? null;
    } else if (shownIds.length === 1) {
      executionId = shownIds[0];
    }
    if (!executionId) return [];
    const insights = await tx.dashboardInsight.findMany({
      where: { executionId, dashboardView: { reportConfigurationId: reportId } },
      orderBy: [{ confidenceScore: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
      take: INSIGHTS_SHOWN,
    });
    const verdicts = await readVerdicts(tx, reportId, insights);
    return insights.map((insight) => ({
      id: insight.id, viewId: insight.dashboardViewId, executionId: insight.executionId, type: insight.insightType,
      text: insight.insightText, confidence: Number(insight.confidenceScore), aiModel: insight.aiModel, sourceData: insight.sourceData,
      feedback: verdicts.get(insight.id) ?? null, createdAt: insight.createdAt,
    }));
  }
}
