import { z } from 'zod';
import { COMPARISON_KINDS, DASHBOARD_TYPES, VIEW_TYPES, WINDOW_GAP_STATES } from '../dashboard-view';
import { AmcId, Name, NullableTimestamp, pageOf, Pagination, SettingsObject, Timestamp, Uuid } from './common.schema';
import { InsightVerdictValue } from './insights.schema';

const ReportFields = {
  name: Name(),
  dashboardType: z.enum(DASHBOARD_TYPES),
  visualizationSettings: SettingsObject,
  dataAggregationSettings: SettingsObject,
  exportSettings: SettingsObject,
  isEnabled: z.boolean(),
};
export const CreateReport = z.strictObject({
  ...ReportFields,
  workflowId: Uuid.optional(),
  queryTemplateId: Uuid.optional(),
  name: ReportFields.name.optional(),
  visualizationSettings: SettingsObject.default({}),
  dataAggregationSettings: SettingsObject.default({}),
  exportSettings: SettingsObject.default({}),
  isEnabled: z.boolean().default(true),
}).refine((body) => Boolean(body.workflowId) !== Boolean(body.queryTemplateId), {
  path: ['workflowId'], message: 'give exactly one of workflowId or queryTemplateId',
});
export type CreateReport = z.infer<typeof CreateReport>;
export const UpdateReport = z.strictObject(ReportFields).partial();
export type UpdateReport = z.infer<typeof UpdateReport>;
export const ListReports = Pagination.extend({
  workflowId: Uuid.optional(),
  organizationId: Uuid.optional(),
  amcInstanceId: AmcId.optional(),
});

/** A calendar day, YYYY-MM-DD. */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').refine((day) => {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}, 'not a day of the calendar');

/**
 * An AMC time window: the instants as stored, and the days they cover as AMC means them (in the
 * event's time zone, the exclusive end shown as the last day): "Nov 2 – Nov 8, 2026".
 */
export const TimeWindow = z.object({
  start: Timestamp,
  end: Timestamp,
  timeZone: z.string().optional(),
  firstDay: Day.optional(),
  lastDay: Day.optional(),
  label: z.string().optional(),
});

/** How an execution stands for this report: usable, failed, unusable (by this report or any), pending. */
export const EXECUTION_OUTCOMES = ['usable', ...WINDOW_GAP_STATES.filter((state) => state !== 'missing')] as const;

export const RunState = z.object({
  executionId: Uuid,
  status: z.string(),
  timeWindow: TimeWindow,
  completedAt: Timestamp,
  rowCount: z.int().nullable(),
  filteredRowCount: z.int().nullable(),
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
  superseded: z.boolean(),
  /** The re-run that replaced this execution (a newer execution of the same window). */
  replacedBy: Uuid.nullable().optional(),
  outcome: z.enum(EXECUTION_OUTCOMES).optional(),
  /** Why it has no numbers for this report (AMC's reason, or what this report could not use). */
  reason: z.string().nullable().optional(),
});

export const HeadlineInsight = z.object({
  executionId: Uuid,
  type: z.string(),
  text: z.string(),
  confidence: z.number(),
  createdAt: Timestamp,
});

const ReportBase = z.object({
  id: Uuid,
  workflowId: Uuid.nullable(),
  queryTemplateId: Uuid.nullable(),
  sourceConfigurationId: Uuid.nullable(),
  name: z.string(),
  dashboardType: z.enum(DASHBOARD_TYPES),
  isEnabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const Report = ReportBase.extend({
  visualizationSettings: z.record(z.string(), z.unknown()),
  dataAggregationSettings: z.record(z.string(), z.unknown()),
  exportSettings: z.record(z.string(), z.unknown()),
});
/** A list item: no settings (GET /v1/reports/:id has them), plus what the report list shows. */
export const ReportSummary = ReportBase.extend({
  organizationId: Uuid.nullable(),
  amcInstanceId: z.string().nullable(),
  /** The workflow's latest run, with `outcome` for this report (unusable: the dashboard shows an older one). */
  lastRun: RunState.nullable(),
  lastInsight: HeadlineInsight.nullable(),
});
export const ReportPage = pageOf(ReportSummary);

export const INSIGHT_TYPES = ['trend', 'anomaly', 'recommendation', 'summary', 'comparison'] as const;

export const DashboardInsight = z.object({
  id: Uuid,
  viewId: Uuid,
  executionId: Uuid,
  type: z.enum(INSIGHT_TYPES),
  text: z.string(),
  confidence: z.number(),
  aiModel: z.string(),
  sourceData: z.unknown(),
  /** The caller's own verdict on it (POST /v1/insights/:id/feedback), null before they gave one. */
  feedback: InsightVerdictValue.nullable(),
  createdAt: Timestamp,
});

export const DashboardViewBody = z.object({
  /** The stored view's id (exports, insights); null for a view only a chosen period has. */
  id: Uuid.nullable(),
  key: z.string(),
  name: z.string(),
  viewType: z.enum(VIEW_TYPES),
  position: z.int(),
  /** A chart spec (libs/charts) and the builder's processed data; their shapes belong to the view type. */
  chart: z.unknown(),
  data: z.unknown(),
  layout: z.unknown(),
  sourceExecutionId: Uuid.nullable(),
  processedAt: NullableTimestamp,
});

/** `?executionId=`, `?from=&to=` or `?weeks=` pick the period; `?compare=` / `?compareExecutionId=` what it is compared with. */
export const DashboardQuery = z.strictObject({
  executionId: Uuid.transform((id) => id.toLowerCase()).optional(),
  from: Day.optional(),
  to: Day.optional(),
  weeks: z.coerce.number().int().min(1).max(52).optional(),
  compare: z.enum(['none', 'previous', 'year']).optional(),
  compareExecutionId: Uuid.transform((id) => id.toLowerCase()).optional(),
}).superRefine((query, ctx) => {
  if ((query.from === undefined) !== (query.to === undefined)) {
    ctx.addIssue({ code: 'custom', path: [query.from === undefined ? 'from' : 'to'], message: 'from and to go together (both days included)' });
  }
  const picks = [query.executionId !== undefined, query.from !== undefined || query.to !== undefined, query.weeks !== undefined].filter(Boolean).length;
  if (picks > 1) ctx.addIssue({ code: 'custom', path: ['executionId'], message: 'give one of executionId, from/to or weeks' });
  if (query.compareExecutionId && query.compare && query.compare !== 'none') {
    ctx.addIssue({ code: 'custom', path: ['compare'], message: 'give compare or compareExecutionId, not both' });
  }
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

export const WindowGapView = z.object({
  state: z.enum(WINDOW_GAP_STATES),
  timeWindow: TimeWindow,
  executionId: Uuid.nullable(),
  reason: z.string().nullable(),
});

/** The window a dashboard's cards show, or the one they are compared with. */
export const PeriodView = z.object({
  /** latest: the newest window this report can use; execution: one chosen; range: days added up. */
  kind: z.enum(['latest', 'execution', 'range']),
  timeWindow: TimeWindow,
  state: z.enum(['ok', ...WINDOW_GAP_STATES]),
  reason: z.string().nullable(),
  /** The executions whose numbers it holds (one, or a range's). */
  executionIds: z.array(Uuid),
  /** Windows of a range without numbers: failed, unusable, missing. */
  gaps: z.array(WindowGapView),
  /** Executions of a range left out (overlapping windows are never added twice). */
  excluded: z.array(z.object({ executionId: Uuid, window: z.string(), reason: z.string() })),
  /** A chosen execution a re-run replaced: the re-run's id. */
  replacedBy: Uuid.nullable(),
});

export const ComparisonView = PeriodView.extend({ comparison: z.enum(COMPARISON_KINDS) });

/** A result the report could not use (or a failed latest run) while the dashboard shows an older one. */
export const ResultProblem = z.object({
  executionId: Uuid,
  outcome: z.enum(['failed', 'unusable', 'pending']),
  timeWindow: TimeWindow,
  code: z.string().nullable(),
  message: z.string(),
  /** What this report needs of a result (unusable results only). */
  expected: z.string().nullable(),
  /** The window the dashboard shows instead ("the previous good execution"), or null when none. */
  showing: TimeWindow.nullable(),
});

export const Dashboard = z.object({
  report: z.object({
    id: Uuid,
    name: z.string(),
    dashboardType: z.enum(DASHBOARD_TYPES),
    isEnabled: z.boolean(),
    organizationId: Uuid.nullable(),
    workflow: z.object({ id: Uuid, name: z.string(), reportEnabled: z.boolean(), amcInstanceId: z.string() }).nullable(),
  }).passthrough(),
  latestRun: RunState.nullable(),
  history: z.array(RunState),
  views: z.array(DashboardViewBody),
  insights: z.array(DashboardInsight),
  /** stored: the views as the report service last built them; built: made for the requested period now. */
  source: z.enum(['stored', 'built']).optional(),
  period: PeriodView.nullable().optional(),
  comparison: ComparisonView.nullable().optional(),
  problem: ResultProblem.nullable().optional(),
}).passthrough();

export const ListInsights = Pagination.extend({
  type: z.enum(INSIGHT_TYPES).optional(),
  minConfidence: z.coerce.number().min(0).max(1).optional(),
  executionId: Uuid.transform((id) => id.toLowerCase()).optional(),
});

export const InsightItem = DashboardInsight.omit({ createdAt: true }).extend({
  viewKey: z.string(),
  timeWindow: TimeWindow,
  findingId: z.string(),
  promptVersion: z.string(),
  createdAt: Timestamp,
});
export const InsightPage = pageOf(InsightItem);

/** Draft settings to preview on the latest usable result (the editor's live preview); nothing is stored. */
export const PreviewReport = z.strictObject({
  dashboardType: ReportFields.dashboardType,
  visualizationSettings: SettingsObject.default({}),
  dataAggregationSettings: SettingsObject.default({}),
});
export type PreviewReport = z.infer<typeof PreviewReport>;

/** The latest usable result's columns and what the metric layer reads from them, for mapping columns. */
export const ResultProfileSummary = z.object({
  rowCount: z.int(),
  filteredRowCount: z.int(),
  columns: z.array(z.object({ name: z.string(), kind: z.string() })),
  /** Per catalogue metric the result has: the column(s) it is read from. */
  metrics: z.record(z.string(), z.array(z.string())),
  /** Per dimension role found (campaign, attributionModel…): the column. */
  dimensions: z.record(z.string(), z.string()),
  spendUnit: z.object({ columns: z.array(z.string()), unit: z.string(), source: z.string(), reason: z.string() }).nullable(),
});

export const ReportPreview = z.object({
  execution: RunState.nullable(),
  profile: ResultProfileSummary.nullable(),
  views: z.array(DashboardViewBody),
  /** The draft settings cannot make a dashboard of this result: what was wrong and what they expect. */
  problem: z.object({ code: z.string(), message: z.string(), expected: z.string() }).nullable(),
});
