import type { ChartRow, ChartSpec } from '@amc-reports/charts';

/** The gateway's JSON shapes this page reads (dates arrive as ISO strings). */
export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  nextOffset: number | null;
}

export interface AmcInstance {
  instanceId: string;
  organizationId: string;
  name: string | null;
  advertiserId: string | null;
  marketplace: string | null;
}

/** GET /v1/organizations: the reader's organizations, their AMC instances and the reader's role. */
export interface MyOrganization {
  id: string;
  name: string;
  role: 'owner' | 'editor' | 'viewer';
  amcInstances: AmcInstance[];
}

export interface MyOrganizations {
  items: MyOrganization[];
  /** Set when the reader belongs to no organization: who can add them. */
  message?: string;
}

export interface ReportSummary {
  id: string;
  workflowId: string | null;
  organizationId: string | null;
  amcInstanceId: string | null;
  name: string;
  dashboardType: string;
  isEnabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Sent by GET /v1/reports: the workflow's latest run and the report's headline insight. */
  lastRun?: Dashboard['latestRun'];
  lastInsight?: Dashboard['insights'][number] | null;
}

export interface TimeWindow {
  start: string;
  end: string;
  /** The event's zone and the days the window covers as AMC means them (exclusive end shown as the last day). */
  timeZone?: string;
  firstDay?: string;
  lastDay?: string;
  /** "Nov 2 – Nov 8, 2026". */
  label?: string;
}

export type ExecutionOutcome = 'usable' | 'failed' | 'unusable' | 'pending';
export type WindowState = 'ok' | 'failed' | 'unusable' | 'missing' | 'pending';

export interface RunState {
  executionId: string;
  status: string;
  timeWindow: TimeWindow;
  completedAt: string;
  rowCount: number | null;
  filteredRowCount: number | null;
  error: { code: string | null; message: string } | null;
  superseded: boolean;
  replacedBy?: string | null;
  /** This report's view of the run: a SUCCEEDED run it cannot use is `unusable`. */
  outcome?: ExecutionOutcome;
  reason?: string | null;
}

export interface WindowGapView {
  state: Exclude<WindowState, 'ok'>;
  timeWindow: TimeWindow;
  executionId: string | null;
  reason: string | null;
}

/** The window the cards show, or the one they are compared with. */
export interface PeriodView {
  kind: 'latest' | 'execution' | 'range';
  timeWindow: TimeWindow;
  state: WindowState;
  reason: string | null;
  executionIds: string[];
  gaps: WindowGapView[];
  excluded: { executionId: string; window: string; reason: string }[];
  replacedBy: string | null;
}

export interface ComparisonView extends PeriodView {
  comparison: 'previous' | 'year' | 'execution';
}

export interface ResultProblem {
  executionId: string;
  outcome: 'failed' | 'unusable' | 'pending';
  timeWindow: TimeWindow;
  code: string | null;
  message: string;
  expected: string | null;
  showing: TimeWindow | null;
}

export interface ViewData {
  rows: ChartRow[];
  summary?: Record<string, number | null>;
  filteredRowCount?: number;
  history?: { executionId: string; timeWindowStart: string; timeWindowEnd: string }[];
  notes?: string[];
  /** Per field: the number's formula with the result's columns (the metric layer's), shown as a tooltip. */
  formulas?: Record<string, string>;
  /** The windows of the cards' numbers: the latest execution and the one compared with. */
  window?: { latest: string; previous?: string };
  touchModel?: string;
  /** What the numbers are compared with, also when that window has none (failed, missing). */
  comparison?: { kind: string; window: string; state: WindowState; reason?: string };
  /** Δ / Δ % columns of a compared chart, for its table of numbers. */
  comparisonFields?: { field: string; label: string; format?: import('@amc-reports/charts').ValueFormat }[];
}

export interface DashboardView {
  /** Null for a view only a chosen period has (no stored row to export or attach insights to). */
  id: string | null;
  key: string;
  name: string;
  viewType: 'chart' | 'table' | 'metric_card' | 'insight' | string;
  position: number;
  chart: ChartSpec;
  data: ViewData | null;
  sourceExecutionId: string | null;
  processedAt: string | null;
}

export interface InsightSourceData {
  finding?: {
    id?: string;
    metricLabel?: string;
    labels?: Record<string, string>;
    currency?: string;
    units?: Record<string, string>;
    numbers?: Record<string, number>;
    statistics?: Record<string, number>;
    strength?: number;
    executionIds?: string[];
    windows?: { latest?: string; previous?: string; baseline?: string };
  };
  numbers?: Record<string, number>;
  executionIds?: string[];
}

export interface Insight {
  id: string;
  viewId: string;
  executionId: string;
  type: string;
  text: string;
  confidence: number;
  aiModel: string | null;
  sourceData: InsightSourceData | null;
  /** The reader's own verdict (POST /v1/insights/:id/feedback). */
  feedback?: InsightVerdict | null;
  createdAt: string;
}

export type InsightVerdict = 'useful' | 'dismissed';

export interface Dashboard {
  report: {
    id: string;
    name: string;
    dashboardType: string;
    isEnabled: boolean;
    organizationId?: string | null;
    workflow: { id: string; name: string; reportEnabled: boolean; amcInstanceId?: string } | null;
  };
  latestRun: RunState | null;
  history: RunState[];
  views: DashboardView[];
  insights: Insight[];
  source?: 'stored' | 'built';
  period?: PeriodView | null;
  comparison?: ComparisonView | null;
  problem?: ResultProblem | null;
}

export type ExportFormat = 'pdf' | 'png' | 'csv' | 'excel';
export type ExportScope = 'dashboard' | 'view' | 'raw';

export interface ExportStatus {
  id: string;
  reportId: string;
  format: ExportFormat;
  scope: ExportScope;
  viewId: string | null;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'expired' | string;
  progress: number;
  fileSizeBytes: number | null;
  error: string | null;
  requestedAt: string;
  completedAt: string | null;
  expiresAt: string | null;
  downloadUrl: string | null;
}

export type OrganizationRole = MyOrganization['role'];
/** An organization of the reader's, as the forms read it. */
export type Organization = MyOrganization;

export interface ReportDetail extends ReportSummary {
  visualizationSettings: Record<string, unknown>;
  dataAggregationSettings: Record<string, unknown>;
  exportSettings: Record<string, unknown>;
}

export interface ReportPreview {
  execution: RunState | null;
  profile: {
    rowCount: number;
    filteredRowCount: number;
    columns: { name: string; kind: string }[];
    metrics: Record<string, string[]>;
    dimensions: Record<string, string>;
    spendUnit: { columns: string[]; unit: string; source: string; reason: string } | null;
  } | null;
  views: DashboardView[];
  problem: { code: string; message: string; expected: string } | null;
}

/** Delivery (issue 16). */
export type DeliveryFormat = ExportFormat | 'link';
export type SubscriptionChannel =
  | { type: 'email'; recipients: string[] }
  | { type: 'slack'; webhookUrl: string }
  | { type: 'webhook'; url: string };
export type SubscriptionTrigger = { type: 'after_execution' } | { type: 'schedule'; cron: string; timeZone: string };
export type SubscriptionCondition =
  | { type: 'changed' }
  | { type: 'insight'; minConfidence: number }
  | { type: 'metric'; expression: string };

export interface Delivery {
  id: string;
  subscriptionId: string;
  trigger: { kind: 'after_execution' | 'schedule' | 'manual'; executionId: string | null; scheduledFor: string | null };
  channel: string;
  recipient: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  skippedBy: string | null;
  skipReason: string | null;
  attempts: number;
  error: string | null;
  files: { format: string; fileName: string; sizeBytes: number | null; as: 'attachment' | 'link'; expiresAt: string | null }[];
  createdAt: string;
  sentAt: string | null;
}

export interface Subscription {
  id: string;
  name: string;
  channel: SubscriptionChannel;
  formats: DeliveryFormat[];
  trigger: SubscriptionTrigger;
  conditions: SubscriptionCondition[];
  enabled: boolean;
  nextRunAt: string | null;
  recentDeliveries: Delivery[];
  webhookSecret?: string;
}

export interface NewSubscription {
  name?: string;
  channel: SubscriptionChannel;
  formats: DeliveryFormat[];
  trigger: SubscriptionTrigger;
  conditions: SubscriptionCondition[];
}

export interface ShareLink {
  id: string;
  label: string | null;
  allowExports: boolean;
  allowedOrigins: string[];
  expiresAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  viewCount: number;
  lastViewedAt: string | null;
  token?: string;
  url?: string;
}

export interface Membership {
  id: string;
  role: 'owner' | 'editor' | 'viewer';
}

/** GET /v1/shared/:token/dashboard: the dashboard without ids, and what the link allows. */
export interface SharedDashboard {
  report: { name: string; dashboardType: string };
  latestRun: RunState | null;
  history: RunState[];
  views: DashboardView[];
  insights: Insight[];
  share: { expiresAt: string; allowExports: boolean };
}

export interface SharedExport {
  format: ExportFormat;
  status: string;
  progress: number;
  error: string | null;
  fileSizeBytes: number | null;
  expiresAt: string | null;
  downloadUrl: string | null;
}
