import type { ChartRow, ChartSeries, ChartSpec, ValueFormat } from './chart-spec';

/** Series further apart than this in scale do not share an axis: the smaller would lie flat on zero. */
export const SCALE_SPLIT_RATIO = 10;
/** At most two value axes per panel (left, right); more scales become small multiples. */
export const MAX_AXES_PER_PANEL = 2;

export interface SeriesGroup {
  series: ChartSeries[];
  format: ValueFormat;
  /** Largest absolute value of the group's series; null when none has a value. */
  magnitude: number | null;
}

/** One plot area: its groups, each on its own axis (left, then right). */
export type ChartPanel = SeriesGroup[];

/** Counts read the same whether shown with decimals or not; money, percents and ratios are each their own unit. */
function unitClass(format: ValueFormat): string {
  return format === 'integer' || format === 'number' ? 'count' : format;
}

function magnitudeOf(series: ChartSeries, rows: readonly ChartRow[]): number | null {
  let largest: number | null = null;
  for (const row of rows) {
    const value = row[series.field];
    if (typeof value === 'number' && Number.isFinite(value)) largest = Math.max(largest ?? 0, Math.abs(value));
  }
  return largest;
}

/**
 * Series that can share an axis: the same unit, and within 10× of each other in scale. Groups keep
 * the order in which the spec first names one of their series.
 */
export function groupSeriesByScale(spec: ChartSpec, rows: readonly ChartRow[]): SeriesGroup[] {
  const formatOf = (series: ChartSeries): ValueFormat => series.format ?? spec.format ?? 'number';
  // A stack adds its parts up: they are one quantity on one axis by construction.
  if (spec.kind === 'stacked-bar' || spec.kind === 'scatter') {
    return spec.series.length === 0 ? [] : [{ series: spec.series, format: formatOf(spec.series[0]), magnitude: null }];
  }
  const groups: SeriesGroup[] = [];
  const sized = spec.series.map((series, order) => ({ series, order, magnitude: magnitudeOf(series, rows) }));
  // Largest first, so each group is anchored at its largest series and holds what is within 10× of it.
  const bySize = [...sized].sort((a, b) => (b.magnitude ?? -1) - (a.magnitude ?? -1) || a.order - b.order);
  const members = new Map<SeriesGroup, typeof sized>();
  for (const entry of bySize) {
    const unit = unitClass(formatOf(entry.series));
    const home = groups.find((group) => {
      if (unitClass(group.format) !== unit) return false;
      if (entry.magnitude === null || group.magnitude === null || entry.magnitude === 0) return true;
      return group.magnitude / entry.magnitude <= SCALE_SPLIT_RATIO;
    });
    if (home) {
      members.get(home)!.push(entry);
      if (home.magnitude === null) home.magnitude = entry.magnitude;
    } else {
      const group: SeriesGroup = { series: [], format: formatOf(entry.series), magnitude: entry.magnitude };
      groups.push(group);
      members.set(group, [entry]);
    }
  }
  for (const group of groups) {
    const ordered = members.get(group)!.sort((a, b) => a.order - b.order);
    group.series = ordered.map((entry) => entry.series);
    group.format = formatOf(ordered[0].series);
  }
  const firstOrder = (group: SeriesGroup) => spec.series.indexOf(group.series[0]);
  return groups.sort((a, b) => firstOrder(a) - firstOrder(b));
}

/** One panel with an axis per group when there are at most two scales, else one panel per scale (small multiples). */
export function layoutPanels(groups: readonly SeriesGroup[]): ChartPanel[] {
  if (groups.length <= MAX_AXES_PER_PANEL) return [groups.slice()];
  return groups.map((group) => [group]);
}
