/** The dimensions dashboards and insights look for, by AMC naming (first alias present wins). */
export const DIMENSION_ALIASES = {
  campaign: ['campaign', 'campaign_name', 'campaign_id_string', 'campaign_id'],
  adProduct: ['ad_product_type', 'ad_product', 'product_type'],
  attributionModel: ['attribution_model', 'touch_model', 'attribution_type', 'model'],
  exposureGroup: ['exposure_group', 'segment', 'segment_name', 'audience_segment', 'audience'],
  frequencyBucket: ['frequency_bucket', 'frequency'],
  path: ['path', 'conversion_path', 'path_to_conversion'],
} as const;

export type DimensionRole = keyof typeof DIMENSION_ALIASES;
export const DIMENSION_ROLES = Object.keys(DIMENSION_ALIASES) as DimensionRole[];

export interface DimensionColumnResolution {
  dimensions: Partial<Record<DimensionRole, string>>;
  missingOverrides: Array<{ role: string; column: string }>;
}

/** Case-insensitive exact names; settings overrides win and must name a text column of the result. */
export function resolveDimensionColumns(
  textColumns: readonly string[],
  overrides: Readonly<Record<string, string | undefined>> = {},
): DimensionColumnResolution {
  const lowerNames = new Map(textColumns.map((name) => [name.toLowerCase(), name]));
  const dimensions: DimensionColumnResolution['dimensions'] = {};
  for (const role of DIMENSION_ROLES) {
    const found = DIMENSION_ALIASES[role].map((alias) => lowerNames.get(alias)).find((name) => name !== undefined);
    if (found) dimensions[role] = found;
  }
  const missingOverrides: DimensionColumnResolution['missingOverrides'] = [];
  for (const role of DIMENSION_ROLES) {
    const column = overrides[role];
    if (column === undefined) continue;
    const name = lowerNames.get(column.toLowerCase());
    if (name) dimensions[role] = name;
    else missingOverrides.push({ role, column });
  }
  return { dimensions, missingOverrides };
}
