import { BASE_METRICS, type BaseMetricId } from './base-metrics';
import type { BaseMetric, ColumnMetric } from './metric-definition';

/** The column(s) one base metric is read from in a given result. */
export interface ResolvedColumns {
  /** Summed row by row: one column, or the click- and view-attributed parts of one quantity. */
  columns: string[];
  /** What the columns hold beyond the metric's name ("14d", "click-attributed"); shown in the label. */
  qualifier?: string;
  source: 'alias' | 'settings';
}

export type MetricColumns = Partial<Record<BaseMetricId, ResolvedColumns>>;

export interface MetricColumnResolution {
  metrics: MetricColumns;
  /** Settings overrides naming a column the result does not have (the caller says so to the user). */
  missingOverrides: Array<{ metric: string; column: string }>;
}

interface StemMatch {
  column: string;
  total: boolean;
  part?: 'clicks' | 'views';
  window?: string;
}

function stemPattern(stem: string): RegExp {
  return new RegExp(`^(total_)?${stem}(?:_(clicks|views))?(?:_(\\d+d))?$`);
}
const PATTERNS = new Map(BASE_METRICS.flatMap((metric) => metric.stems.map((stem) => [stem, stemPattern(stem)] as const)));

function matchStem(stem: string, lowerNames: ReadonlyMap<string, string>): StemMatch[] {
  const pattern = PATTERNS.get(stem)!;
  const matches: StemMatch[] = [];
  for (const [lower, column] of lowerNames) {
    const found = pattern.exec(lower);
    if (found) matches.push({ column, total: found[1] !== undefined, part: found[2] as StemMatch['part'], window: found[3] });
  }
  return matches;
}

/**
 * The best columns for one stem: the whole quantity (`purchases`, `total_purchases`, then with a
 * window, `purchases_14d`), else its click- and view-attributed parts added up, else one part alone
 * (labelled as such: click-attributed purchases are not all purchases).
 */
function pickColumns(matches: StemMatch[]): ResolvedColumns | null {
  const rank = (match: StemMatch) => (match.window ? 2 : 0) + (match.total ? 1 : 0);
  const whole = matches.filter((match) => !match.part).sort((a, b) => rank(a) - rank(b) || a.column.localeCompare(b.column));
  if (whole.length > 0) return { columns: [whole[0].column], ...(whole[0].window ? { qualifier: whole[0].window } : {}), source: 'alias' };
  const parts = matches.filter((match) => match.part).sort((a, b) => rank(a) - rank(b) || a.column.localeCompare(b.column));
  for (const first of parts) {
    const other = parts.find((match) => match.part !== first.part && match.total === first.total && match.window === first.window);
    if (other) {
      const [clicks, views] = first.part === 'clicks' ? [first, other] : [other, first];
      return { columns: [clicks.column, views.column], ...(first.window ? { qualifier: first.window } : {}), source: 'alias' };
    }
  }
  if (parts.length === 0) return null;
  const part = parts[0];
  const qualifier = [part.part === 'clicks' ? 'click-attributed' : 'view-attributed', part.window].filter(Boolean).join(', ');
  return { columns: [part.column], qualifier, source: 'alias' };
}

/**
 * Which numeric columns of a result hold which base metric: AMC naming (case-insensitive, exact
 * stems with their `total_` / `_14d` / `_clicks` / `_views` forms, never a prefix match that would
 * take `clicks_rate` for clicks), then the settings' overrides, which win.
 */
export function resolveMetricColumns(numericColumns: readonly string[], overrides: Readonly<Record<string, string | undefined>> = {}): MetricColumnResolution {
  const lowerNames = new Map(numericColumns.map((name) => [name.toLowerCase(), name]));
  const metrics: MetricColumns = {};
  for (const metric of BASE_METRICS) {
    for (const stem of metric.stems) {
      const picked = pickColumns(matchStem(stem, lowerNames));
      if (picked) {
        metrics[metric.id as BaseMetricId] = picked;
        break;
      }
    }
  }
  const missingOverrides: MetricColumnResolution['missingOverrides'] = [];
  for (const metric of BASE_METRICS) {
    const column = overrides[metric.id];
    if (column === undefined) continue;
    const name = lowerNames.get(column.toLowerCase());
    if (name) metrics[metric.id as BaseMetricId] = { columns: [name], source: 'settings' };
    else missingOverrides.push({ metric: metric.id, column });
  }
  return { metrics, missingOverrides };
}

/** True for a column any base metric could be read from (used or not): not an extra metric. */
export function isMetricColumnName(column: string): boolean {
  const lower = column.toLowerCase();
  return [...PATTERNS.values()].some((pattern) => pattern.test(lower));
}

// Summing a rate, an id or a per-user average across rows means nothing, so such numeric
// columns are never summed into a metric (AMC results often carry conversion_rate or campaign_id).
const NON_ADDITIVE = /(^|_)(rate|ratio|pct|percent|share|per|avg|average|mean|median|id|frequency|rank|index)(_|$)/i;

export function isAdditiveColumn(column: string): boolean {
  return !NON_ADDITIVE.test(column);
}

/** `detail_page_view` → "Detail page view". */
export function humanizeColumn(name: string): string {
  const words = name.replace(/[_\s]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A numeric column no catalogue metric claims (custom SQL): its own sum, labelled by its name. */
export function columnMetric(column: string): ColumnMetric {
  return { kind: 'column', id: column, column, label: humanizeColumn(column), unit: 'count', upIsGood: null };
}

/** A base metric's label in one result: "Purchases (14d)" when the columns say more than the name. */
export function qualifiedLabel(metric: BaseMetric, resolved: ResolvedColumns | undefined): string {
  return resolved?.qualifier ? `${metric.label} (${resolved.qualifier})` : metric.label;
}
