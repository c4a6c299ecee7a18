import type { BuiltView, DashboardType, HistoryPointRef } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { NULL_BUCKET_KEY, OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import {
  type AggregationSettings,
  formatSettingsIssues,
  parseReportSettings,
  type VisualizationSettings,
} from '@amc-reports/contracts/src/report-settings';
import { UnusableResultError } from '../profile/unusable-result.error';
import { type DetectedColumns, decideSpendUnit, detectColumns, type SpendUnitDecision } from './column-detection';
import type { DashboardBuildInput, ExecutionProfile, ViewDraft } from './dashboard-build-input';
import { MetricReader } from './metric-values';

/** Everything a builder needs, read and checked once. */
export interface DashboardContext<T extends DashboardType> {
  visualization: VisualizationSettings<T>;
  aggregation: AggregationSettings<T>;
  latest: ExecutionProfile;
  profile: ResultProfile;
  columns: DetectedColumns;
  spendUnit: SpendUnitDecision | null;
  reader: MetricReader;
  /** Oldest first, one execution per time window, at most `historyLength`, the latest last. */
  history: ExecutionProfile[];
}

export function prepareDashboard<T extends DashboardType>(type: T, input: DashboardBuildInput): DashboardContext<T> {
  const parsed = parseReportSettings(type, { visualization: input.settings.visualization, aggregation: input.settings.aggregation });
  if (!parsed.success) {
    throw new UnusableResultError('invalid_settings', `the report settings are invalid: ${formatSettingsIssues(parsed.issues)}`);
  }
  const { visualization, aggregation } = parsed.settings;
  const profile = input.latest.profile;
  assertUsableProfile(profile);
  const columns = detectColumns(profile, aggregation.columns);
  const spendUnit = decideSpendUnit(profile, columns, aggregation.spendUnit);
  return {
    visualization,
    aggregation,
    latest: input.latest,
    profile,
    columns,
    spendUnit,
    reader: new MetricReader(columns, spendUnit),
    history: selectHistory(input, aggregation.historyLength),
  };
}

/** A result with no rows or no numeric column cannot make any dashboard. */
export function assertUsableProfile(profile: ResultProfile): void {
  if (profile.rowCount === 0) throw new UnusableResultError('no_rows', 'the result has no rows');
  if (profile.metrics.length === 0) {
    const columns = profile.columns.map((column) => `${column.name} (${column.kind})`).join(', ');
    throw new UnusableResultError('no_numeric_column', `the result has no numeric column to chart (columns: ${columns})`);
  }
}

/**
 * The executions history charts show. A newer execution of the same time window replaces the older
 * one (AMC restates windows as late conversions arrive), so each window appears once, at the place
 * of its newest execution.
 */
export function selectHistory(input: DashboardBuildInput, historyLength: number): ExecutionProfile[] {
  const executions = input.history.some((entry) => entry.executionId === input.latest.executionId)
    ? input.history
    : [...input.history, input.latest];
  const windowKey = (entry: HistoryPointRef) => `${entry.timeWindowStart}|${entry.timeWindowEnd}`;
  const newestIndexByWindow = new Map<string, number>();
  executions.forEach((entry, index) => newestIndexByWindow.set(windowKey(entry), index));
  const unique = executions.filter((entry, index) => newestIndexByWindow.get(windowKey(entry)) === index);
  return unique.slice(-historyLength);
}

/** A per-execution reader for history points: the same overrides, tolerant of columns an older result lacked. */
export function readerForExecution<T extends DashboardType>(context: DashboardContext<T>, execution: ExecutionProfile): MetricReader {
  if (execution.executionId === context.latest.executionId) return context.reader;
  let columns: DetectedColumns;
  try {
    columns = detectColumns(execution.profile, context.aggregation.columns);
  } catch {
    columns = detectColumns(execution.profile);
  }
  return new MetricReader(columns, decideSpendUnit(execution.profile, columns, context.aggregation.spendUnit));
}

/** Drops the views the user hid and numbers the rest 0..n in order. */
export function finalizeViews(drafts: ViewDraft[], hiddenViews: readonly string[] = []): BuiltView[] {
  const hidden = new Set(hiddenViews);
  return drafts.filter((draft) => !hidden.has(draft.key)).map((draft, position) => ({ ...draft, position }));
}

export function toHistoryRef(execution: HistoryPointRef): HistoryPointRef {
  return { executionId: execution.executionId, timeWindowStart: execution.timeWindowStart, timeWindowEnd: execution.timeWindowEnd };
}

/** The label of a history point: the window's first day. */
export function windowLabel(execution: HistoryPointRef): string {
  return execution.timeWindowStart.slice(0, 10);
}

/** Code-unit order: deterministic whatever the server's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function bucketLabel(key: string): string {
  if (key === OTHER_BUCKET_KEY) return 'Other';
  if (key === NULL_BUCKET_KEY) return '(none)';
  return key;
}

/** `detail_page_view` → "Detail page view". */
export function humanizeColumn(name: string): string {
  const words = name.replace(/[_\s]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function filteredRowsNotes(filteredRowCount: number): string[] {
  if (filteredRowCount === 0) return [];
  const rows = filteredRowCount === 1 ? '1 row was' : `${filteredRowCount} rows were`;
  return [`${rows} withheld by AMC's privacy thresholds: counted, not summed`];
}

/** Always said, dollars included: the unit of spend is a guess unless the settings fix it. */
export function spendNotes(spendUnit: SpendUnitDecision | null): string[] {
  return spendUnit ? [`spend: ${spendUnit.reason}`] : [];
}
