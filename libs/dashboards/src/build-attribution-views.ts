import type { ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { orderTouchModels, shareOf, touchModelLabel } from '@amc-reports/metrics';
import { UnusableResultError } from '@amc-reports/result-profile';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import {
  bucketLabel,
  compareText,
  contextData,
  contextNotes,
  type DashboardContext,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  type TouchModelScope,
} from './dashboard-context';
import { ATTRIBUTION_CAMPAIGN_METRICS, ATTRIBUTION_CARD_METRICS, ATTRIBUTION_MODEL_METRICS } from './dashboard-requirements';
import { buildCardsView } from './metric-cards-view';

type AttributionContext = DashboardContext<'attribution'>;

const CARD_METRICS = ATTRIBUTION_CARD_METRICS;
const MODEL_METRICS = ATTRIBUTION_MODEL_METRICS;
const CAMPAIGN_METRICS = ATTRIBUTION_CAMPAIGN_METRICS;

/**
 * Attribution dashboard (DESIGN §6). Touch models split the same conversions differently, so
 * every total and share is for one model (the report's, default last touch), and models are
 * compared side by side — a campaign × model pivot and each model's share of credit — never added.
 */
export function buildAttributionViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('attribution', input);
  const { profile, reader, dimensions, touchModel } = context;
  if (!reader.has('purchases') && !reader.has('sales')) {
    throw new UnusableResultError(
      'wrong_shape',
      `an attribution dashboard needs a conversions / purchases or sales column; the result has ${profile.metrics.join(', ')}`,
    );
  }
  if (!dimensions.attributionModel && !dimensions.campaign) {
    throw new UnusableResultError('wrong_shape', 'an attribution dashboard needs an attribution_model or a campaign column');
  }
  const modelName = touchModel ? `${touchModelLabel(touchModel.model)} model` : null;
  const views: ViewDraft[] = [
    buildCardsView(context, { key: 'attribution.cards', name: modelName ? `Key metrics (${modelName})` : 'Key metrics', metrics: CARD_METRICS }),
  ];
  if (touchModel) views.push(modelsTable(context, touchModel));
  const campaign = dimensions.campaign;
  const pairs = touchModel && campaign ? modelCampaignPairs(context.unscopedProfile, touchModel.column, campaign) : null;
  if (touchModel && campaign && pairs) views.push(...modelComparisonViews(context, touchModel, campaign, pairs));
  if (campaign && profile.dimensionBreakdowns[campaign]) views.push(campaignTable(context, campaign, modelName));
  else if (campaign) {
    views.push({ ...campaignTable(context, campaign, modelName), data: { rows: [], notes: ['no touch model × campaign breakdown in the profile'] } });
  }
  return finalizeViews(views, context.visualization.hiddenViews);
}

/** One row per model, its own totals beside the others': the models compared, not summed. */
function modelsTable(context: AttributionContext, touchModel: TouchModelScope): ViewDraft {
  const { reader } = context;
  const metrics = reader.present(MODEL_METRICS);
  const buckets = new Map((context.unscopedProfile.dimensionBreakdowns[touchModel.column] ?? []).map((bucket) => [bucket.key, bucket]));
  const rows: ChartRow[] = orderTouchModels(touchModel.models).map((model) => ({
    model: touchModelLabel(model),
    chosen: model === touchModel.model ? 'yes: the totals above' : '',
    ...reader.values(buckets.get(model)?.totals, metrics),
    filteredRowCount: buckets.get(model)?.filteredRowCount ?? 0,
  }));
  return {
    key: 'attribution.models',
    name: 'Touch models side by side',
    viewType: 'table',
    chart: {
      kind: 'table',
      title: 'Touch models side by side',
      x: { field: 'model', type: 'category', label: 'Touch model' },
      series: [{ field: 'chosen', label: "The report's model" }, ...metrics.map((id) => reader.series(id)), { field: 'filteredRowCount', label: 'Withheld rows', format: 'integer' }],
      currency: context.frame.currency,
    },
    data: {
      rows,
      formulas: reader.formulas(metrics),
      notes: ['each model credits the same conversions: compare the rows, never add them', ...reader.spendNotes()],
      ...contextData(context),
    },
  };
}

interface PairBucket {
  model: string;
  campaign: string;
  totals: Record<string, number>;
}

function modelComparisonViews(context: AttributionContext, touchModel: TouchModelScope, campaignColumn: string, pairs: PairBucket[]): ViewDraft[] {
  const { reader, aggregation } = context;
  const credit = reader.has('purchases') ? 'purchases' : 'sales';
  const creditLabel = reader.label(credit);
  const models = orderTouchModels(touchModel.models);
  const modelTotals = new Map(
    (context.unscopedProfile.dimensionBreakdowns[touchModel.column] ?? []).map((bucket) => [bucket.key, reader.value(bucket.totals, credit)]),
  );
  const pairOf = new Map(pairs.map((pair) => [`${pair.model}\u0001${pair.campaign}`, pair]));
  const creditOf = (model: string, campaign: string) => {
    const pair = pairOf.get(`${model}\u0001${campaign}`);
    return pair ? reader.value(pair.totals, credit) : null;
  };
  // Campaigns ranked by the report's model, so the pivot reads from the chosen model's view.
  const campaigns = [...new Set(pairs.map((pair) => pair.campaign))]
    .filter((campaign) => campaign !== OTHER_BUCKET_KEY)
    .sort((a, b) => (creditOf(touchModel.model, b) ?? -1) - (creditOf(touchModel.model, a) ?? -1) || compareText(a, b))
    .slice(0, aggregation.topCampaigns);
  const field = (model: string) => `${credit}.${model}`;
  const modelSeries = (format: ChartSeries['format'], label: (model: string) => string): ChartSeries[] =>
    models.map((model) => ({ field: field(model), label: label(model), format }));
  const notes = [...reader.spendNotes(), ...filteredRowsNotes(context.unscopedProfile.filteredRowCount)];
  return [
    {
      key: 'attribution.model-comparison',
      name: `${creditLabel} by campaign and touch model`,
      viewType: 'table',
      chart: {
        kind: 'table',
        title: `${creditLabel} by campaign and touch model`,
        x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
        series: modelSeries(credit === 'sales' ? 'currency' : 'number', (model) => `${creditLabel}, ${touchModelLabel(model)}`),
        currency: context.frame.currency,
      },
      data: {
        rows: campaigns.map((campaign) => ({
          campaign: bucketLabel(campaign),
          ...Object.fromEntries(models.map((model) => [field(model), creditOf(model, campaign)])),
        })),
        notes: [`${creditLabel.toLowerCase()} each touch model credits to the campaign; a column per model, never a total across them`, ...notes],
        ...contextData(context),
      },
    },
    {
      key: 'attribution.credit-share',
      name: 'Share of credit by campaign, per touch model',
      viewType: 'chart',
      chart: {
        kind: 'bar',
        title: 'Share of credit by campaign, per touch model',
        x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
        series: modelSeries('percent', (model) => touchModelLabel(model)),
      },
      data: {
        rows: campaigns.map((campaign) => ({
          campaign: bucketLabel(campaign),
          ...Object.fromEntries(models.map((model) => [field(model), shareOf(creditOf(model, campaign), modelTotals.get(model))])),
        })),
        notes: [`share of each model's ${creditLabel.toLowerCase()} credited to the campaign (campaign ÷ the model's total)`, ...notes],
        ...contextData(context),
      },
    },
  ];
}

/** The report's model only: each campaign's credit, money and share of the model's total. */
function campaignTable(context: AttributionContext, campaignColumn: string, modelName: string | null): ViewDraft {
  const { profile, reader, aggregation } = context;
  const metrics = reader.present(CAMPAIGN_METRICS);
  const buckets = (profile.dimensionBreakdowns[campaignColumn] ?? []).filter((bucket) => bucket.key !== OTHER_BUCKET_KEY);
  const total = (id: string) => reader.value(profile.totals, id);
  const row = (bucket: DimensionBucket): ChartRow => ({
    campaign: bucketLabel(bucket.key),
    ...reader.values(bucket.totals, metrics),
    purchasesShare: shareOf(reader.value(bucket.totals, 'purchases'), total('purchases')),
    salesShare: shareOf(reader.value(bucket.totals, 'sales'), total('sales')),
    filteredRowCount: bucket.filteredRowCount,
  });
  const rank = (entry: ChartRow) => ((entry.purchases ?? entry.sales ?? -1) as number);
  const title = modelName ? `Attribution by campaign (${modelName})` : 'Attribution by campaign';
  return {
    key: 'attribution.campaigns',
    name: title,
    viewType: 'table',
    chart: {
      kind: 'table',
      title,
      x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
      series: [
        ...metrics.map((id) => reader.series(id)),
        ...(reader.has('purchases') ? [{ field: 'purchasesShare', label: `Share of ${reader.label('purchases').toLowerCase()}`, format: 'percent' as const }] : []),
        ...(reader.has('sales') ? [{ field: 'salesShare', label: `Share of ${reader.label('sales').toLowerCase()}`, format: 'percent' as const }] : []),
        { field: 'filteredRowCount', label: 'Withheld rows', format: 'integer' },
      ],
      currency: context.frame.currency,
    },
    data: {
      rows: buckets.map(row).sort((a, b) => rank(b) - rank(a) || compareText(String(a.campaign), String(b.campaign))).slice(0, aggregation.topCampaigns),
      filteredRowCount: profile.filteredRowCount,
      formulas: reader.formulas(metrics),
      notes: [...(context.touchModel ? [] : ['no attribution_model column: one model assumed']), ...contextNotes(context), ...filteredRowsNotes(profile.filteredRowCount)],
      ...contextData(context),
    },
  };
}

/** The model × campaign buckets of the profile's cross breakdown, in either column order. */
function modelCampaignPairs(profile: ResultProfile, modelColumn: string, campaignColumn: string): PairBucket[] | null {
  for (const cross of profile.crossBreakdowns ?? []) {
    const [first, second] = cross.dimensions;
    const modelFirst = first === modelColumn && second === campaignColumn;
    if (!modelFirst && !(first === campaignColumn && second === modelColumn)) continue;
    return cross.buckets
      .filter((bucket) => !(bucket.keys[0] === OTHER_BUCKET_KEY && bucket.keys[1] === OTHER_BUCKET_KEY))
      .map((bucket) => ({ model: modelFirst ? bucket.keys[0] : bucket.keys[1], campaign: modelFirst ? bucket.keys[1] : bucket.keys[0], totals: bucket.totals }));
  }
  return null;
}
