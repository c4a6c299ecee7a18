import type { ValueFormat } from '@amc-reports/charts/src/chart-spec';
import type { MetricTotals } from '@amc-reports/contracts/src/result-profile';
import type { MetricRole } from '@amc-reports/contracts/src/report-settings';
import { cleanFloat } from '../profile/metric-accumulator';
import type { DetectedColumns, SpendUnitDecision } from './column-detection';

/** A number or null when unknown (no column, every row withheld, or a rate over zero). */
export type MaybeNumber = number | null;

/** Reads role values from a bucket's totals: spend converted to dollars, a missing total is null (never 0). */
export class MetricReader {
  constructor(
    readonly columns: DetectedColumns,
    private readonly spendUnit: SpendUnitDecision | null,
  ) {}

  has(role: MetricRole): boolean {
    return this.columns.metrics[role] !== undefined;
  }

  value(totals: MetricTotals | undefined, role: MetricRole): MaybeNumber {
    const column = this.columns.metrics[role];
    if (!column || !totals) return null;
    const value = totals[column];
    if (value === undefined) return null;
    return role === 'spend' && this.spendUnit ? cleanFloat(value / this.spendUnit.divisor) : value;
  }
}

export function ratio(numerator: MaybeNumber, denominator: MaybeNumber): MaybeNumber {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return numerator / denominator;
}

/** Relative change from previous to latest (0.1 = +10 %); null without a non-zero previous. */
export function relativeChange(latest: MaybeNumber, previous: MaybeNumber): MaybeNumber {
  if (latest === null || previous === null || previous === 0) return null;
  return (latest - previous) / Math.abs(previous);
}

export interface KpiDefinition {
  field: string;
  label: string;
  format: ValueFormat;
  /** Roles that must be present for the KPI to mean anything. */
  needs: MetricRole[];
  compute: (values: Partial<Record<MetricRole, MaybeNumber>>) => MaybeNumber;
}

const role = (name: MetricRole) => (values: Partial<Record<MetricRole, MaybeNumber>>) => values[name] ?? null;

/** Volume metrics then the usual advertising ratios, in card order. */
export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  { field: 'impressions', label: 'Impressions', format: 'integer', needs: ['impressions'], compute: role('impressions') },
  { field: 'clicks', label: 'Clicks', format: 'integer', needs: ['clicks'], compute: role('clicks') },
  { field: 'spend', label: 'Spend', format: 'currency', needs: ['spend'], compute: role('spend') },
  { field: 'purchases', label: 'Purchases', format: 'integer', needs: ['purchases'], compute: role('purchases') },
  { field: 'sales', label: 'Sales', format: 'currency', needs: ['sales'], compute: role('sales') },
  { field: 'reach', label: 'Reach', format: 'integer', needs: ['reach'], compute: role('reach') },
  { field: 'ctr', label: 'CTR', format: 'percent', needs: ['clicks', 'impressions'], compute: (v) => ratio(v.clicks ?? null, v.impressions ?? null) },
  { field: 'cpc', label: 'CPC', format: 'currency', needs: ['spend', 'clicks'], compute: (v) => ratio(v.spend ?? null, v.clicks ?? null) },
  {
    field: 'cpm',
    label: 'CPM',
    format: 'currency',
    needs: ['spend', 'impressions'],
    compute: (v) => {
      const perImpression = ratio(v.spend ?? null, v.impressions ?? null);
      return perImpression === null ? null : perImpression * 1000;
    },
  },
  { field: 'roas', label: 'ROAS', format: 'ratio', needs: ['sales', 'spend'], compute: (v) => ratio(v.sales ?? null, v.spend ?? null) },
  { field: 'cpa', label: 'CPA', format: 'currency', needs: ['spend', 'purchases'], compute: (v) => ratio(v.spend ?? null, v.purchases ?? null) },
  {
    field: 'conversionRate',
    label: 'Conversion rate',
    format: 'percent',
    needs: ['purchases', 'clicks'],
    compute: (v) => ratio(v.purchases ?? null, v.clicks ?? null),
  },
  { field: 'acos', label: 'ACOS', format: 'percent', needs: ['spend', 'sales'], compute: (v) => ratio(v.spend ?? null, v.sales ?? null) },
  {
    field: 'newToBrandShare',
    label: 'New-to-brand share',
    format: 'percent',
    needs: ['newToBrandPurchases', 'purchases'],
    compute: (v) => ratio(v.newToBrandPurchases ?? null, v.purchases ?? null),
  },
];

/** The KPIs whose inputs the result has. */
export function availableKpis(reader: MetricReader): KpiDefinition[] {
  return KPI_DEFINITIONS.filter((kpi) => kpi.needs.every((name) => reader.has(name)));
}

/** Every available KPI of one bucket, keyed by KPI field. */
export function computeKpis(reader: MetricReader, totals: MetricTotals | undefined, kpis: readonly KpiDefinition[]): Record<string, MaybeNumber> {
  const values: Partial<Record<MetricRole, MaybeNumber>> = {};
  for (const name of ['impressions', 'clicks', 'spend', 'purchases', 'sales', 'reach', 'newToBrandPurchases'] as const) {
    values[name] = reader.value(totals, name);
  }
  return Object.fromEntries(kpis.map((kpi) => [kpi.field, kpi.compute(values)]));
}
