import type { Assessment, Consequence, Finding, NumberUnit } from './finding';
import { roundForUnit } from './insight-metrics';
import { roundTo } from './strength';

export type NumberEntry = [key: string, value: number | undefined, unit: NumberUnit];

/** Rounds every value the way it will be quoted and records its unit; skips undefined / non-finite values. */
export function buildNumbers(entries: NumberEntry[]): Pick<Finding, 'numbers' | 'units'> {
  const numbers: Record<string, number> = {};
  const units: Record<string, NumberUnit> = {};
  for (const [key, value, unit] of entries) {
    if (value === undefined || !Number.isFinite(value)) continue;
    numbers[key] = roundForUnit(value, unit);
    units[key] = unit;
  }
  return { numbers, units };
}

/** Statistics keep 4 decimals (R², z, MAD): precise enough to check by hand, short enough to quote. */
export function buildStatistics(entries: Record<string, number | undefined>): Record<string, number> {
  const statistics: Record<string, number> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && Number.isFinite(value)) statistics[key] = roundTo(value, 4);
  }
  return statistics;
}

/** A change of a percent metric is in percentage points, of anything else in the metric's own unit. */
export function changeUnit(unit: NumberUnit): NumberUnit {
  return unit === 'percent' ? 'points' : unit;
}

/** Whether a move is good news: the metric layer's `upIsGood` (null for spend, frequency: neither). */
export function assessmentOf(upIsGood: boolean | null | undefined, direction: 'up' | 'down'): Assessment {
  if (upIsGood === null || upIsGood === undefined) return 'neutral';
  return (direction === 'up') === upIsGood ? 'favourable' : 'unfavourable';
}

export function directionOf(change: number): 'up' | 'down' {
  return change < 0 ? 'down' : 'up';
}

/** The key of a consequence's relative change in `numbers`: `clicksChangePct`. */
export function changeKeyOf(metric: string, suffix = 'ChangePct'): string {
  return `${metric.replace(/[^A-Za-z0-9_]/g, '_')}${suffix}`;
}

/**
 * Consequences with their numbers: each metric's relative change (in percent) under its own key,
 * labelled with the metric layer's label. Metrics without a change are left out.
 */
export function buildConsequences(
  metrics: ReadonlyArray<{ key: string; label: string; change: number | undefined }>,
  suffix = 'ChangePct',
  scope?: Consequence['scope'],
): { consequences: Consequence[]; entries: NumberEntry[]; labels: Record<string, string> } {
  const consequences: Consequence[] = [];
  const entries: NumberEntry[] = [];
  const labels: Record<string, string> = {};
  for (const metric of metrics) {
    if (metric.change === undefined || !Number.isFinite(metric.change)) continue;
    const changeKey = changeKeyOf(metric.key, suffix);
    consequences.push({ metric: metric.key, label: metric.label, changeKey, ...(scope ? { scope } : {}) });
    entries.push([changeKey, metric.change * 100, 'percent']);
    labels[changeKey] = metric.label;
  }
  return { consequences, entries, labels };
}

/**
 * A prediction is an estimate: counts and money of 100 or more keep three significant digits
 * ("5,490,000 expected", not "5,490,123.37"), so no sentence claims a precision the fit lacks.
 */
export function roundEstimate(value: number, unit: NumberUnit): number {
  if ((unit === 'count' || unit === 'currency') && Math.abs(value) >= 100) return Number(value.toPrecision(3));
  return value;
}
