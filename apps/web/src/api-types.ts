import type { ChartRow, ChartSpec } from '@amc-reports/charts';

/** The gateway's JSON shapes this page reads (dates arrive as ISO strings). */
export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  nextOffset: number | null;
}

export interface ReportSummary {
  id: string;
  workflowId: string | null;
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
}

export interface RunState {
  executionId: string;
  status: string;
  timeWindow: TimeWindow;
  completedAt: string;
  rowCount: number | null;
  filteredRowCount: number | null;
  error: { code: string | null; message: string } | null;
  superseded: boolean;
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
}

export interface DashboardView {
  id: string;
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
    workflow: { id: string; name: string; reportEnabled: boolean } | null;
  };
  latestRun: RunState | null;
  history: RunState[];
  views: DashboardView[];
  insights: Insight[];
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
