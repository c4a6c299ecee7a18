import type { Finding, NumberUnit } from './finding';
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

export function percentChange(latest: number, previous: number): number | undefined {
  return previous === 0 ? undefined : ((latest - previous) / Math.abs(previous)) * 100;
}
