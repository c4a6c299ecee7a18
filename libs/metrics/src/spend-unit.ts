/**
 * The unit AMC spend columns come in. `dollars` means the currency's major unit (dollars, euros);
 * AMC's raw tables report `total_cost` / `imp_total_cost` in millicents and `spend` in microcents,
 * while many queries already divide to dollars.
 */
export const SPEND_UNITS = ['dollars', 'cents', 'millicents', 'microcents'] as const;
export type SpendUnitName = (typeof SPEND_UNITS)[number];
/** What `data_aggregation_settings.spendUnit` takes: a unit, or `auto` to detect it from the result. */
export const SPEND_UNIT_SETTINGS = ['auto', ...SPEND_UNITS] as const;
export type SpendUnitSetting = (typeof SPEND_UNIT_SETTINGS)[number];

export const SPEND_UNIT_DIVISORS: Record<SpendUnitName, number> = {
  dollars: 1,
  cents: 100,
  millicents: 100_000,
  microcents: 100_000_000,
};

export interface SpendUnitDecision {
  /** The spend column(s) the decision is about. */
  columns: string[];
  unit: SpendUnitName;
  divisor: number;
  source: 'settings' | 'detected';
  /** Why, in words, for the view notes: "total_cost read as millicents (CPM $8.53)". */
  reason: string;
}

/** What detection looks at: the result's totals and the spend column's value range. */
export interface SpendEvidence {
  columns: string[];
  /** Sum of the spend column(s) over the result. */
  spendTotal: number | undefined;
  impressionsTotal: number | undefined;
  /** True when every spend value (and the total) is a whole number. */
  integersOnly: boolean;
}

/** No real campaign pays more than this per thousand impressions; a larger "CPM" means a smaller unit. */
export const MAX_PLAUSIBLE_CPM = 1000;

/**
 * Decided once per result. Unless the settings say: with impressions, the first of dollars →
 * millicents → microcents giving a CPM of at most 1,000 (the performance sample's `total_cost` is
 * dollars: CPM 8.53; path_to_conversion's `imp_total_cost` is millicents: as dollars its CPM would
 * be 16 million); without impressions, millicents for an integer-only `total_cost` /
 * `imp_total_cost` (AMC's unit for those), dollars otherwise.
 */
export function decideSpendUnit(evidence: SpendEvidence, setting: SpendUnitSetting = 'auto'): SpendUnitDecision {
  const names = evidence.columns.join(' + ');
  if (setting !== 'auto') {
    return { columns: evidence.columns, unit: setting, divisor: SPEND_UNIT_DIVISORS[setting], source: 'settings', reason: `${names} in ${setting} (report settings)` };
  }
  const decided = (unit: SpendUnitName, why: string): SpendUnitDecision => ({
    columns: evidence.columns,
    unit,
    divisor: SPEND_UNIT_DIVISORS[unit],
    source: 'detected',
    reason: `${names} read as ${unit} (${why})`,
  });
  const { spendTotal, impressionsTotal } = evidence;
  if (spendTotal !== undefined && spendTotal > 0 && impressionsTotal !== undefined && impressionsTotal > 0) {
    for (const unit of ['dollars', 'millicents', 'microcents'] as const) {
      const cpm = (spendTotal / SPEND_UNIT_DIVISORS[unit] / impressionsTotal) * 1000;
      if (cpm <= MAX_PLAUSIBLE_CPM || unit === 'microcents') return decided(unit, `CPM ${cpm.toFixed(2)}`);
    }
  }
  if (evidence.integersOnly && evidence.columns.every((column) => /^(imp_)?total_cost$/i.test(column))) {
    return decided('millicents', "AMC's unit for it");
  }
  return decided('dollars', 'no impressions to check against');
}
