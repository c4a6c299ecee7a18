import type { BuiltView, DashboardType, HistoryPointRef, ViewComparison } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { NULL_BUCKET_KEY, OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import {
  type AggregationSettings,
  formatSettingsIssues,
  parseReportSettings,
  type VisualizationSettings,
} from '@amc-reports/contracts/src/report-settings';
import {
  buildMetricFrame,
  chooseTouchModel,
  type DimensionRole,
  type MetricFrame,
  resolveDimensionColumns,
  scopeProfileToTouchModel,
  touchModelLabel,
} from '@amc-reports/metrics';
import { UnusableResultError } from '@amc-reports/result-profile';
import type { ComparisonInput, DashboardBuildInput, ExecutionProfile, ViewDraft } from './dashboard-build-input';
import { MetricReader } from './metric-reader';
import { windowDays, windowRangeText } from './time-window';

export { humanizeColumn } from '@amc-reports/metrics';

export interface TouchModelScope {
  column: string;
  /** The model key as the result spells it. */
  model: string;
  /** Every model of the latest result, in reading order. */
  models: string[];
  note: string;
}

/** Everything a builder needs, read and checked once. */
export interface DashboardContext<T extends DashboardType> {
  visualization: VisualizationSettings<T>;
  aggregation: AggregationSettings<T>;
  /** The latest execution, scoped to the report's touch model when the result has one row per model. */
  latest: ExecutionProfile;
  profile: ResultProfile;
  /** The latest result with every model (the attribution pivot compares them). */
  unscopedProfile: ResultProfile;
  dimensions: Partial<Record<DimensionRole, string>>;
  frame: MetricFrame;
  reader: MetricReader;
  touchModel: TouchModelScope | null;
  /** Oldest first, one execution per time window, at most `historyLength`, the latest last; scoped like `latest`. */
  history: ExecutionProfile[];
  /** The input's comparison, scoped like `latest` (undefined: the previous execution of the history). */
  comparison: ComparisonInput | null | undefined;
}

export function prepareDashboard<T extends DashboardType>(type: T, input: DashboardBuildInput): DashboardContext<T> {
  const parsed = parseReportSettings(type, { visualization: input.settings.visualization, aggregation: input.settings.aggregation });
  if (!parsed.success) {
    throw new UnusableResultError('invalid_settings', `the report settings are invalid: ${formatSettingsIssues(parsed.issues)}`);
  }
  const { visualization, aggregation } = parsed.settings;
  const unscopedProfile = input.latest.profile;
  assertUsableProfile(unscopedProfile);
  const resolved = resolveDimensionColumns(unscopedProfile.dimensions, aggregation.columns);
  for (const missing of resolved.missingOverrides) throw missingOverride(missing.role, missing.column, 'text', unscopedProfile);

  const touchModel = touchModelScope(unscopedProfile, resolved.dimensions.attributionModel, aggregation.attributionModel);
  const scope = (execution: ExecutionProfile): ExecutionProfile =>
    touchModel ? { ...execution, profile: scopeProfileToTouchModel(execution.profile, touchModel.column, touchModel.model) } : execution;
  const latest = scope(input.latest);
  const frame = buildMetricFrame(latest.profile, { columns: aggregation.columns, spendUnit: aggregation.spendUnit, currency: aggregation.currency });
  for (const missing of frame.missingOverrides) throw missingOverride(missing.metric, missing.column, 'numeric', unscopedProfile);
  return {
    visualization,
    aggregation,
    latest,
    profile: latest.profile,
    unscopedProfile,
    dimensions: resolved.dimensions,
    frame,
    reader: new MetricReader(frame),
    touchModel,
    history: selectHistory(input, aggregation.historyLength).map((execution) =>
      execution.executionId === input.latest.executionId ? latest : scope(execution),
    ),
    comparison: input.comparison && input.comparison.execution ? { ...input.comparison, execution: scope(input.comparison.execution) } : input.comparison,
  };
}

/** Rows of different touch models are never added up: everything is for the settings' model, else last touch. */
function touchModelScope(profile: ResultProfile, column: string | undefined, setting: string | undefined): TouchModelScope | null {
  if (!column) return null;
  const keys = (profile.dimensionBreakdowns[column] ?? []).map((bucket) => bucket.key);
  const choice = chooseTouchModel(keys, setting);
  if (!choice) return null;
  const models = keys.filter((key) => key !== OTHER_BUCKET_KEY && key !== NULL_BUCKET_KEY);
  const missing = choice.missingSetting ? ` (the settings ask for "${choice.missingSetting}", which this result does not have)` : '';
  return {
    column,
    model: choice.model,
    models,
    note: `figures for the ${touchModelLabel(choice.model)} model${missing}: touch models split the same conversions, so they are never added up`,
  };
}

function missingOverride(role: string, column: string, kind: string, profile: ResultProfile): UnusableResultError {
  const available = profile.columns.map((entry) => `${entry.name} (${entry.kind})`).join(', ');
  return new UnusableResultError(
    'wrong_shape',
    `the report settings name column "${column}" for ${role}, but the result has no ${kind} column of that name (columns: ${available})`,
  );
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
  // A period's history is its members, as the caller chose them (one per window already).
  if (input.latest.members) return input.history;
  const executions = input.history.some((entry) => entry.executionId === input.latest.executionId)
    ? input.history
    : [...input.history, input.latest];
  const windowKey = (entry: HistoryPointRef) => `${entry.timeWindowStart}|${entry.timeWindowEnd}`;
  const newestIndexByWindow = new Map<string, number>();
  executions.forEach((entry, index) => newestIndexByWindow.set(windowKey(entry), index));
  const unique = executions.filter((entry, index) => newestIndexByWindow.get(windowKey(entry)) === index);
  return unique.slice(-historyLength);
}

/** A per-execution reader for history points: the same settings, its own spend unit, tolerant of columns an older result lacked. */
export function readerForExecution<T extends DashboardType>(context: DashboardContext<T>, execution: ExecutionProfile): MetricReader {
  if (execution.executionId === context.latest.executionId) return context.reader;
  const { aggregation } = context;
  return new MetricReader(
    buildMetricFrame(execution.profile, { columns: aggregation.columns, spendUnit: aggregation.spendUnit, currency: aggregation.currency }),
  );
}

/**
 * What cards compare with: the input's comparison (null when its window is a gap), else the
 * execution before the latest in the history (which holds usable executions only), or null.
 */
export function previousExecution<T extends DashboardType>(context: DashboardContext<T>): ExecutionProfile | null {
  if (context.comparison !== undefined) return context.comparison?.execution ?? null;
  return context.history.length >= 2 ? context.history[context.history.length - 2] : null;
}

/** The comparison a view states (`data.comparison`): the window named, and why it has no numbers when it has none. */
export function viewComparison<T extends DashboardType>(context: DashboardContext<T>): ViewComparison | undefined {
  const comparison = context.comparison;
  if (!comparison) return undefined;
  const window = { start: comparison.window.timeWindowStart, end: comparison.window.timeWindowEnd, timeZone: comparison.window.timeZone };
  return { kind: comparison.kind, window: windowRangeText(window), state: comparison.state, ...(comparison.reason ? { reason: comparison.reason } : {}) };
}

/** Drops the views the user hid and numbers the rest 0..n in order. */
export function finalizeViews(drafts: ViewDraft[], hiddenViews: readonly string[] = []): BuiltView[] {
  const hidden = new Set(hiddenViews);
  return drafts.filter((draft) => !hidden.has(draft.key)).map((draft, position) => ({ ...draft, position }));
}

export function toHistoryRef(execution: HistoryPointRef): HistoryPointRef {
  return {
    executionId: execution.executionId, timeWindowStart: execution.timeWindowStart, timeWindowEnd: execution.timeWindowEnd,
    ...(execution.timeZone ? { timeZone: execution.timeZone } : {}),
  };
}

const asWindow = (execution: Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>) => ({
  start: execution.timeWindowStart, end: execution.timeWindowEnd, timeZone: execution.timeZone,
});

/** The label of a history point: the window's first day, in the event's time zone. */
export function windowLabel(execution: Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>): string {
  return windowDays(asWindow(execution)).first;
}

/** "2026-10-01 – 2026-10-31": the days an execution's numbers cover (AMC's exclusive end shown as the last day). */
export function windowRange(execution: Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>): string {
  return windowRangeText(asWindow(execution));
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

export function filteredRowsNotes(filteredRowCount: number): string[] {
  if (filteredRowCount === 0) return [];
  const rows = filteredRowCount === 1 ? '1 row was' : `${filteredRowCount} rows were`;
  return [`${rows} withheld by AMC's privacy thresholds: counted, not summed`];
}

/** What every view of the dashboard says about how its numbers were read: the touch model and the spend unit. */
export function contextNotes<T extends DashboardType>(context: DashboardContext<T>): string[] {
  return [...(context.touchModel ? [context.touchModel.note] : []), ...context.reader.spendNotes()];
}

/** The parts of `data` every view carries: spend unit and touch model, stated. */
export function contextData<T extends DashboardType>(context: DashboardContext<T>) {
  return { ...context.reader.spendUnit(), ...(context.touchModel ? { touchModel: context.touchModel.model } : {}) };
}
