import { createHash } from 'node:crypto';
import type { BuiltView } from '@amc-reports/contracts';

/**
 * What an execution's insight set is computed from, as one hash: the execution itself, the earlier
 * executions its history holds (ids: a re-run of a window is a new execution, so a changed result
 * is a changed id), the report's settings, the views insights are hung on, and who words them.
 * Equal fingerprints mean recomputing would give the same set (with template wording; an LLM words
 * it anew each time, so skipping it saves a call and changes nothing a reader could rely on).
 */

/** One usable execution of the workflow as the history query orders them. */
export interface HistoryEntry {
  executionId: string;
  timeWindowStart: number;
  completedAt: number;
}

export interface SettingsForFingerprint {
  dashboardType: string;
  aggregation: unknown;
  promptVersion: string;
  /** The LLM model, or 'statistical' when there is none. */
  writer: string;
}

/** Only what viewKeyForFinding reads: which view charts which field, in which order. */
export function viewsSignature(views: readonly BuiltView[]): string {
  const shapes = [...views]
    .sort((a, b) => a.position - b.position || a.key.localeCompare(b.key))
    .map((view) => [view.key, view.position, view.viewType, view.chart.x?.field ?? null, view.chart.series.map((series) => series.field)]);
  return JSON.stringify(shapes);
}

export function settingsSignature(settings: SettingsForFingerprint): string {
  return JSON.stringify([settings.dashboardType, stableJson(settings.aggregation ?? null), settings.promptVersion, settings.writer]);
}

/** `inputs`: what else the set is computed from for this execution (thresholds, users' feedback on earlier insights). */
export function historyFingerprint(settings: string, views: string, executionId: string, earlierIds: readonly string[], inputs: unknown = null): string {
  return createHash('sha256').update(JSON.stringify([settings, views, executionId, earlierIds, stableJson(inputs)])).digest('hex').slice(0, 32);
}

/** Thresholds and feedback weights as the fingerprint takes them (feedback rows in a fixed order). */
export function inputsSignature(thresholds: unknown, feedback: ReadonlyArray<Record<string, unknown>> | undefined): unknown {
  const rows = [...(feedback ?? [])].map((row) => stableJson(row)).sort();
  return { thresholds: thresholds ?? null, feedback: rows };
}

/** Oldest first by window, then completion, then id: the order the loaders read history in. */
export function sortHistory(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return [...entries].sort((a, b) => a.timeWindowStart - b.timeWindowStart || a.completedAt - b.completedAt || a.executionId.localeCompare(b.executionId));
}

/**
 * The executions before `sorted[index]` in its history, oldest first: windows starting earlier,
 * the newest `length` of them (insight-input-loader's loadEarlierHistory, on ids).
 */
export function earlierHistoryIds(sorted: readonly HistoryEntry[], index: number, length: number): string[] {
  if (length <= 0) return [];
  const start = sorted[index].timeWindowStart;
  let end = index;
  while (end > 0 && sorted[end - 1].timeWindowStart >= start) end--;
  return sorted.slice(Math.max(0, end - length), end).map((entry) => entry.executionId);
}

export interface PlannedExecution {
  executionId: string;
  earlierIds: string[];
  fingerprint: string;
  /** The fingerprint stored now (null: none); the write is conditional on it being unchanged. */
  stored: string | null;
}

/**
 * One pass over the whole history: every execution's fingerprint now, and which of them differ
 * from what is stored (those, and only those, are recomputed).
 */
export function planRegeneration(
  entries: readonly HistoryEntry[], stored: ReadonlyMap<string, string | null>, historyLength: number, settings: string, views: string,
  inputsOf: (entry: HistoryEntry) => unknown = () => null,
): { all: PlannedExecution[]; stale: PlannedExecution[] } {
  const sorted = sortHistory(entries);
  const all = sorted.map((entry, index) => {
    const earlierIds = earlierHistoryIds(sorted, index, historyLength - 1);
    return {
      executionId: entry.executionId, earlierIds, fingerprint: historyFingerprint(settings, views, entry.executionId, earlierIds, inputsOf(entry)),
      stored: stored.get(entry.executionId) ?? null,
    };
  });
  return { all, stale: all.filter((planned) => planned.fingerprint !== planned.stored) };
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` settings hash alike. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
