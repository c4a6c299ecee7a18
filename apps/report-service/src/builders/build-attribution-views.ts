import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { MetricTotals, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { UnusableResultError } from '../profile/unusable-result.error';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import { bucketLabel, compareText, filteredRowsNotes, finalizeViews, humanizeColumn, prepareDashboard } from './dashboard-context';
import { type MaybeNumber, type MetricReader, ratio } from './metric-values';

/** Usual AMC touch models in reading order; others follow alphabetically. */
const MODEL_ORDER = ['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay', 'data_driven'];

interface PairBucket {
  model: string;
  campaign: string;
  totals: MetricTotals;
  filteredRowCount: number;
}

/**
 * Attribution dashboard (DESIGN §6): conversions and sales per touch model, and each campaign's
 * share of credit within a model. Shares are taken within a model because every model splits the
 * same conversions differently: adding credit across models would count conversions several times.
 */
export function buildAttributionViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('attribution', input);
  const { profile, reader, columns, aggregation } = context;
  const modelColumn = columns.dimensions.attributionModel;
  const campaignColumn = columns.dimensions.campaign;
  if (!reader.has('purchases') && !reader.has('sales')) {
    throw new UnusableResultError(
      'wrong_shape',
      `an attribution dashboard needs a conversions / purchases or sales column; the result has ${profile.metrics.join(', ')}`,
    );
  }
  if (!modelColumn && !campaignColumn) {
    throw new UnusableResultError('wrong_shape', 'an attribution dashboard needs an attribution_model or a campaign column');
  }
  const notes = filteredRowsNotes(profile.filteredRowCount);
  const views: ViewDraft[] = [];

  if (modelColumn) {
    const models = orderModels(profile.dimensionBreakdowns[modelColumn] ?? []);
    const modelRows: ChartRow[] = models.map((bucket) => ({
      model: bucketLabel(bucket.key),
      conversions: reader.value(bucket.totals, 'purchases'),
      sales: reader.value(bucket.totals, 'sales'),
      salesPerConversion: ratio(reader.value(bucket.totals, 'sales'), reader.value(bucket.totals, 'purchases')),
      filteredRowCount: bucket.filteredRowCount,
    }));
    views.push({
      key: 'attribution.models',
      name: 'Conversions by touch model',
      viewType: 'chart',
      chart: {
        kind: 'bar',
        title: 'Conversions by touch model',
        x: { field: 'model', type: 'category', label: humanizeColumn(modelColumn) },
        series: [
          ...(reader.has('purchases') ? [{ field: 'conversions', label: 'Conversions', format: 'number' as const }] : []),
          ...(reader.has('sales') ? [{ field: 'sales', label: 'Sales', format: 'currency' as const, secondaryAxis: reader.has('purchases') }] : []),
        ],
      },
      data: {
        rows: modelRows,
        filteredRowCount: profile.filteredRowCount,
        summary: Object.fromEntries(modelRows.map((row) => [String(row.model), (row.conversions ?? row.sales) as MaybeNumber])),
        notes,
      },
    });
  }

  const pairs = modelColumn && campaignColumn ? modelCampaignPairs(profile, modelColumn, campaignColumn) : null;
  if (pairs && modelColumn && campaignColumn) {
    const creditRole = reader.has('purchases') ? 'purchases' : 'sales';
    // Model totals come from the model breakdown (exact), not from the pairs, which may be folded.
    const modelBuckets = orderModels(profile.dimensionBreakdowns[modelColumn] ?? []);
    const modelKeys = modelBuckets.map((bucket) => bucket.key);
    const modelTotals = new Map(modelBuckets.map((bucket) => [bucket.key, reader.value(bucket.totals, creditRole)]));
    const salesTotals = new Map(modelBuckets.map((bucket) => [bucket.key, reader.value(bucket.totals, 'sales')]));
    const campaignCredit = new Map<string, number>();
    for (const pair of pairs) {
      campaignCredit.set(pair.campaign, (campaignCredit.get(pair.campaign) ?? 0) + (reader.value(pair.totals, creditRole) ?? 0));
    }
    const campaigns = [...campaignCredit.entries()]
      .filter(([campaign]) => campaign !== OTHER_BUCKET_KEY)
      .sort(([a, creditA], [b, creditB]) => creditB - creditA || compareText(a, b))
      .slice(0, aggregation.topCampaigns)
      .map(([campaign]) => campaign);
    const share = (pair: PairBucket | undefined, role: 'purchases' | 'sales', total: MaybeNumber | undefined) =>
      pair ? ratio(reader.value(pair.totals, role), total ?? null) : null;
    const pairOf = new Map(pairs.map((pair) => [`${pair.model}\u0001${pair.campaign}`, pair]));

    views.push({
      key: 'attribution.credit-share',
      name: 'Share of credit by campaign',
      viewType: 'chart',
      chart: {
        kind: 'bar',
        title: 'Share of credit by campaign',
        x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
        series: modelKeys.map((model) => ({ field: model, label: bucketLabel(model), format: 'percent' as const })),
      },
      data: {
        rows: campaigns.map((campaign) => ({
          campaign: bucketLabel(campaign),
          ...Object.fromEntries(
            modelKeys.map((model) => [model, share(pairOf.get(`${model}\u0001${campaign}`), creditRole, modelTotals.get(model))]),
          ),
        })),
        notes: [`share of each model's ${creditRole === 'purchases' ? 'conversions' : 'sales'} credited to the campaign`, ...notes],
      },
    });
    const tableRows: ChartRow[] = campaigns.flatMap((campaign) =>
      modelKeys.flatMap((model) => {
        const pair = pairOf.get(`${model}\u0001${campaign}`);
        if (!pair) return [];
        return [
          {
            campaign: bucketLabel(campaign),
            model: bucketLabel(model),
            conversions: reader.value(pair.totals, 'purchases'),
            sales: reader.value(pair.totals, 'sales'),
            creditShare: creditRole === 'purchases' ? share(pair, 'purchases', modelTotals.get(model)) : null,
            salesShare: share(pair, 'sales', salesTotals.get(model)),
            filteredRowCount: pair.filteredRowCount,
          },
        ];
      }),
    );
    views.push(campaignTable(tableRows, campaignColumn, true, profile.filteredRowCount, notes));
  } else if (campaignColumn) {
    const rows = singleModelRows(profile, campaignColumn, reader, aggregation.topCampaigns);
    const why = modelColumn ? 'no attribution model × campaign breakdown in the profile' : 'no attribution_model column: one model assumed';
    views.push(campaignTable(rows, campaignColumn, false, profile.filteredRowCount, [why, ...notes]));
  }
  return finalizeViews(views, context.visualization.hiddenViews);
}

function campaignTable(rows: ChartRow[], campaignColumn: string, withModel: boolean, filteredRowCount: number, notes: string[]): ViewDraft {
  return {
    key: 'attribution.campaigns',
    name: 'Attribution by campaign',
    viewType: 'table',
    chart: {
      kind: 'table',
      title: 'Attribution by campaign',
      x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
      series: [
        ...(withModel ? [{ field: 'model', label: 'Touch model' }] : []),
        { field: 'conversions', label: 'Conversions', format: 'number' },
        { field: 'sales', label: 'Sales', format: 'currency' },
        { field: 'creditShare', label: 'Share of conversions', format: 'percent' },
        { field: 'salesShare', label: 'Share of sales', format: 'percent' },
        { field: 'filteredRowCount', label: 'Withheld rows', format: 'integer' },
      ],
    },
    data: { rows, filteredRowCount, notes },
  };
}

function singleModelRows(profile: ResultProfile, campaignColumn: string, reader: MetricReader, limit: number): ChartRow[] {
  const buckets = (profile.dimensionBreakdowns[campaignColumn] ?? []).filter((bucket) => bucket.key !== OTHER_BUCKET_KEY);
  const totalConversions = reader.value(profile.totals, 'purchases');
  const totalSales = reader.value(profile.totals, 'sales');
  return buckets
    .map((bucket) => ({
      campaign: bucketLabel(bucket.key),
      conversions: reader.value(bucket.totals, 'purchases'),
      sales: reader.value(bucket.totals, 'sales'),
      creditShare: ratio(reader.value(bucket.totals, 'purchases'), totalConversions),
      salesShare: ratio(reader.value(bucket.totals, 'sales'), totalSales),
      filteredRowCount: bucket.filteredRowCount,
    }))
    .sort((a, b) => (b.conversions ?? b.sales ?? -1) - (a.conversions ?? a.sales ?? -1))
    .slice(0, limit);
}

/** The model × campaign buckets of the profile's cross breakdown, in either column order. */
function modelCampaignPairs(profile: ResultProfile, modelColumn: string, campaignColumn: string): PairBucket[] | null {
  for (const cross of profile.crossBreakdowns ?? []) {
    const [first, second] = cross.dimensions;
    const modelFirst = first === modelColumn && second === campaignColumn;
    if (!modelFirst && !(first === campaignColumn && second === modelColumn)) continue;
    return cross.buckets
      .filter((bucket) => !(bucket.keys[0] === OTHER_BUCKET_KEY && bucket.keys[1] === OTHER_BUCKET_KEY))
      .map((bucket) => ({
        model: modelFirst ? bucket.keys[0] : bucket.keys[1],
        campaign: modelFirst ? bucket.keys[1] : bucket.keys[0],
        totals: bucket.totals,
        filteredRowCount: bucket.filteredRowCount,
      }));
  }
  return null;
}

function orderModels<T extends { key: string }>(buckets: readonly T[]): T[] {
  const rank = (key: string) => {
    const index = MODEL_ORDER.indexOf(key.toLowerCase());
    return index === -1 ? MODEL_ORDER.length : index;
  };
  return [...buckets].filter((bucket) => bucket.key !== OTHER_BUCKET_KEY).sort((a, b) => rank(a.key) - rank(b.key) || compareText(a.key, b.key));
}
