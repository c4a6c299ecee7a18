import type { CrossBucket, DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';

/**
 * AMC attribution results carry one row per campaign per touch model: every model splits the same
 * conversions differently, so numbers are only ever taken within one model. Usual models in
 * reading order; others follow alphabetically.
 */
export const TOUCH_MODEL_ORDER = ['last_touch', 'first_touch', 'linear', 'position_based', 'time_decay', 'data_driven'] as const;
/** The model a report shows when its settings do not choose one and the result has it. */
export const DEFAULT_TOUCH_MODEL = 'last_touch';

const OTHER_KEY = '__other__';
const NULL_KEY = '__null__';

/** "Last Touch", "last-touch", "LAST_TOUCH" → "last_touch". */
export function normalizeTouchModel(key: string): string {
  return key.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** "last_touch" → "Last touch". */
export function touchModelLabel(key: string): string {
  const words = key.replace(/[_\s-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function orderTouchModels(keys: readonly string[]): string[] {
  const rank = (key: string) => {
    const index = (TOUCH_MODEL_ORDER as readonly string[]).indexOf(normalizeTouchModel(key));
    return index === -1 ? TOUCH_MODEL_ORDER.length : index;
  };
  return keys
    .filter((key) => key !== OTHER_KEY && key !== NULL_KEY)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface TouchModelChoice {
  /** The model key as it appears in the result. */
  model: string;
  source: 'settings' | 'default' | 'first';
  /** Set when the settings named a model the result does not have (the first model is shown instead). */
  missingSetting?: string;
}

/** The report's model (settings), else last touch when present, else the first model in reading order. */
export function chooseTouchModel(keys: readonly string[], setting?: string): TouchModelChoice | null {
  const ordered = orderTouchModels(keys);
  if (ordered.length === 0) return null;
  const find = (wanted: string) => ordered.find((key) => normalizeTouchModel(key) === normalizeTouchModel(wanted));
  if (setting) {
    const chosen = find(setting);
    if (chosen) return { model: chosen, source: 'settings' };
  }
  const fallback = find(DEFAULT_TOUCH_MODEL);
  const choice: TouchModelChoice = fallback ? { model: fallback, source: 'default' } : { model: ordered[0], source: 'first' };
  return setting ? { ...choice, missingSetting: setting } : choice;
}

function statsOf(bucket: DimensionBucket): Pick<ResultProfile, 'metricStats'> {
  const counts = bucket.valueCounts ?? {};
  return {
    metricStats: Object.fromEntries(
      Object.keys(counts).map((metric) => [metric, { count: counts[metric], min: bucket.min?.[metric] ?? 0, max: bucket.max?.[metric] ?? 0 }]),
    ),
  };
}

/**
 * The profile as if the result held only one touch model's rows: totals from the model's bucket,
 * per-dimension breakdowns from the model × dimension cross breakdowns. Dimensions without such a
 * breakdown, dates and other pairs are dropped (they mix models), never shown summed over models.
 */
export function scopeProfileToTouchModel(profile: ResultProfile, modelColumn: string, model: string): ResultProfile {
  const bucket = (profile.dimensionBreakdowns[modelColumn] ?? []).find((entry) => entry.key === model);
  const empty: DimensionBucket = { key: model, rowCount: 0, filteredRowCount: 0, totals: {} };
  const own = bucket ?? empty;
  const breakdowns: Record<string, DimensionBucket[]> = {};
  let folded = false;
  for (const cross of profile.crossBreakdowns ?? []) {
    const modelIndex = cross.dimensions.indexOf(modelColumn);
    if (modelIndex === -1) continue;
    const dimension = cross.dimensions[1 - modelIndex];
    folded ||= cross.buckets.some((entry) => entry.keys[0] === OTHER_KEY && entry.keys[1] === OTHER_KEY);
    breakdowns[dimension] = cross.buckets
      .filter((entry: CrossBucket) => entry.keys[modelIndex] === model)
      .map((entry) => ({
        key: entry.keys[1 - modelIndex],
        rowCount: entry.rowCount,
        filteredRowCount: entry.filteredRowCount,
        totals: entry.totals,
        ...(entry.valueCounts ? { valueCounts: entry.valueCounts } : {}),
        ...(entry.min ? { min: entry.min } : {}),
        ...(entry.max ? { max: entry.max } : {}),
      }))
      .sort((a, b) => b.rowCount - a.rowCount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  const dimensions = profile.dimensions.filter((dimension) => breakdowns[dimension] !== undefined);
  return {
    ...profile,
    rowCount: own.rowCount,
    filteredRowCount: own.filteredRowCount,
    totals: own.totals,
    ...statsOf(own),
    dimensions,
    dimensionBreakdowns: Object.fromEntries(dimensions.map((dimension) => [dimension, breakdowns[dimension]])),
    dimensionKeyCounts: undefined,
    dateColumn: null,
    dateSeries: [],
    crossBreakdowns: [],
    notes: [
      ...(profile.notes ?? []),
      `${touchModelLabel(model)} rows only (${modelColumn} = ${model})`,
      ...(folded ? ['some model × dimension pairs were folded into "Other" and are not in the breakdowns'] : []),
    ],
  };
}
