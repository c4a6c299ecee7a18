export * from './job-options';
export * from './report-update.queue';
export * from './insight-generate.queue';
export * from './export-render.queue';
export * from './maintenance.queue';
export * from './delivery.queue';
export * from './delivery-rules';
export * from './queues';
export * from './events';
export * from './amc-execution-event.schema';
export { AMC_EVENT_EXAMPLE, amcEventFieldsMarkdown, amcEventExampleMarkdown } from './amc-event-docs';
export * from './result-profile';
export * from './dashboard-view';
export {
  parseReportSettings, formatSettingsIssues, ExportSettings, REPORT_SETTINGS_SCHEMAS, HISTORY_LENGTH_DEFAULT, HISTORY_LENGTH_MAX,
  RETENTION_DAYS_DEFAULT, RETENTION_DAYS_MAX, MIN_INSIGHT_CONFIDENCE_DEFAULT, WEAK_FINDING_STRENGTH, PDF_ORIENTATIONS, PDF_PAGE_SIZES,
  type ReportSettings, type RawReportSettings,
  INSIGHT_OPTIMIZATION_METRICS, INSIGHT_THRESHOLD_DEFAULTS, InsightVisualizationSettings, type InsightOptimizationMetric,
} from './report-settings';
export * from './amc-signature';
export * as api from './api';
export * from './stored-profile';
