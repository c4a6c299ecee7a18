import { z } from 'zod';
import { DASHBOARD_TYPES, VIEW_TYPES } from '../dashboard-view';
import { AmcId, Name, NullableTimestamp, pageOf, Pagination, SettingsObject, Timestamp, Uuid } from './common.schema';

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

export const TimeWindow = z.object({ start: Timestamp, end: Timestamp });

export const RunState = z.object({
  executionId: Uuid,
  status: z.string(),
  timeWindow: TimeWindow,
  completedAt: Timestamp,
  rowCount: z.int().nullable(),
  filteredRowCount: z.int().nullable(),
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
  superseded: z.boolean(),
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
  createdAt: Timestamp,
});

export const DashboardViewBody = z.object({
  id: Uuid,
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
