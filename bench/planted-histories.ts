/**
 * Generated weekly funnel histories with one planted effect each, for the planted-effect benchmark
 * (bench/planted-effects.bench.ts) and its seeded version in the test suite. Each history has 4–6
 * campaigns over 8–12 weeks; every campaign has its own level, its own rates (within ±15 % of a
 * shared centre, so no campaign is structurally far below the mix) and its own weekly noise of 3 %
 * to 10 % (volumes; each funnel rate varies by half of that). Nothing but the planted effect moves.
 */
import type { DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { ExecutionProfile } from '../apps/insight-worker/src/findings/finding';
import { seededRandom } from './seeded-random';

export const PLANTED_EFFECTS = ['collapse', 'campaign_break', 'spike', 'ctr_drop', 'trend', 'mix_shift', 'recovery'] as const;
export type PlantedEffect = (typeof PLANTED_EFFECTS)[number];
/** Several effects at once (a steady trend, a click-through drop and one campaign breaking): three stories to keep apart. */
export type HistoryKind = PlantedEffect | 'quiet' | 'combined';

export interface PlantedHistory {
  kind: HistoryKind;
  seed: number;
  weeks: number;
  campaigns: string[];
  history: ExecutionProfile[];
  /** The campaign that broke, or the one a mix shift moved volume from (and `to`). */
  campaign?: string;
  to?: string;
}

const CAMPAIGNS: ReadonlyArray<readonly [string, string]> = [
  ['Holiday_Sponsored_Products', 'SPONSORED_PRODUCTS'],
  ['Brand_Defense_SB', 'SPONSORED_BRANDS'],
  ['Prospecting_DSP_Display', 'DSP'],
  ['Retargeting_DSP_Video', 'DSP'],
  ['Launch_Sponsored_Display', 'SPONSORED_DISPLAY'],
  ['Always_On_SP_Generic', 'SPONSORED_PRODUCTS'],
];
const COLUMNS = ['impressions', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales', 'total_cost', 'new_to_brand_purchases'];

interface Campaign {
  name: string;
  adProduct: string;
  impressions: number;
  ctr: number;
  dpvRate: number;
  cartRate: number;
  purchaseRate: number;
  orderValue: number;
  cpm: number;
  ntbShare: number;
  noise: number;
}

/** Standard normal by Box–Muller from the seeded uniform generator. */
function normal(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

function makeCampaigns(next: () => number, count: number): Campaign[] {
  const around = (centre: number, spread = 0.15) => centre * (1 + spread * (2 * next() - 1));
  return CAMPAIGNS.slice(0, count).map(([name, adProduct]) => ({
    name,
    adProduct,
    impressions: 300_000 + next() * 1_700_000,
    ctr: around(0.008),
    dpvRate: around(0.6),
    cartRate: around(0.25),
    purchaseRate: around(0.4),
    orderValue: around(40, 0.12),
    cpm: around(6, 0.12),
    ntbShare: around(0.45, 0.2),
    noise: 0.03 + next() * 0.07,
  }));
}

interface WeekChange {
  impressions?: number;
  ctr?: number;
}

function weekRows(campaigns: readonly Campaign[], next: () => number, change: (campaign: Campaign) => WeekChange) {
  return campaigns.map((campaign) => {
    const { impressions: volumeFactor = 1, ctr: ctrFactor = 1 } = change(campaign);
    const vary = (scale: number) => Math.max(0.05, 1 + campaign.noise * scale * normal(next));
    const impressions = Math.round(campaign.impressions * volumeFactor * vary(1));
    const clicks = Math.round(impressions * campaign.ctr * ctrFactor * vary(0.5));
    const dpv = Math.round(clicks * campaign.dpvRate * vary(0.5));
    const cart = Math.round(dpv * campaign.cartRate * vary(0.5));
    const purchases = Math.round(cart * campaign.purchaseRate * vary(0.5));
    const sales = Math.round(purchases * campaign.orderValue * vary(0.3) * 100) / 100;
    const cost = Math.round((impressions / 1000) * campaign.cpm * vary(0.2) * 100) / 100;
    const ntb = Math.round(purchases * campaign.ntbShare * vary(0.5));
    return { campaign: campaign.name, adProduct: campaign.adProduct, values: [impressions, clicks, dpv, cart, purchases, sales, cost, ntb] };
  });
}

type Row = ReturnType<typeof weekRows>[number];

function profileOf(rows: readonly Row[]): ResultProfile {
  const sum = (subset: readonly Row[]) => Object.fromEntries(COLUMNS.map((column, index) => [column, subset.reduce((total, row) => total + row.values[index], 0)]));
  const bucketsBy = (keyOf: (row: Row) => string): DimensionBucket[] =>
    [...new Set(rows.map(keyOf))].map((key) => {
      const subset = rows.filter((row) => keyOf(row) === key);
      return { key, rowCount: subset.length, filteredRowCount: 0, totals: sum(subset) };
    });
  return {
    version: 1,
    rowCount: rows.length,
    filteredRowCount: 0,
    columns: [],
    metrics: COLUMNS,
    dimensions: ['campaign', 'ad_product_type'],
    dateColumn: null,
    totals: sum(rows),
    dimensionBreakdowns: { campaign: bucketsBy((row) => row.campaign), ad_product_type: bucketsBy((row) => row.adProduct) },
    dateSeries: [],
    crossBreakdowns: [
      {
        dimensions: ['campaign', 'ad_product_type'],
        buckets: rows.map((row) => ({ keys: [row.campaign, row.adProduct] as [string, string], rowCount: 1, filteredRowCount: 0, totals: sum([row]) })),
      },
    ],
  };
}

/** AMC's window of week w: Monday 00:00 to the next Monday 00:00 (end-exclusive), from 2026-09-07. */
function executionOf(seed: number, week: number, rows: readonly Row[]): ExecutionProfile {
  const start = Date.UTC(2026, 8, 7 + 7 * week);
  return {
    executionId: `planted-${seed}-${week}`,
    timeWindowStart: new Date(start).toISOString(),
    timeWindowEnd: new Date(start + 7 * 86_400_000).toISOString(),
    profile: profileOf(rows),
  };
}

/** One history; the same (kind, seed) always gives the same numbers. */
export function generateHistory(kind: HistoryKind, seed: number): PlantedHistory {
  const next = seededRandom(seed * 7919 + PLANTED_EFFECTS.indexOf(kind as PlantedEffect) + 17);
  const weeks = 8 + Math.floor(next() * 5);
  const campaigns = makeCampaigns(next, 4 + Math.floor(next() * 3));
  const latest = weeks - 1;
  const total = campaigns.reduce((sum, campaign) => sum + campaign.impressions, 0);
  const bySize = [...campaigns].sort((a, b) => b.impressions - a.impressions);
  const atLeast15 = campaigns.filter((campaign) => campaign.impressions >= 0.15 * total);
  const large = atLeast15.length >= 2 ? atLeast15 : bySize.slice(0, 2);
  const broken = large[Math.floor(next() * large.length)];
  // A mix shift moves volume between two campaigns of similar size (so the gain shows in the
  // receiving one too), from the better converting to the worse converting one.
  const conversion = (campaign: Campaign) => campaign.ctr * campaign.dpvRate * campaign.cartRate * campaign.purchaseRate;
  const pairs = large.flatMap((a) => large.filter((b) => b !== a && a.impressions / b.impressions <= 1.6 && b.impressions / a.impressions <= 1.6).map((b) => [a, b] as const));
  const [from, to] = (pairs.length > 0 ? pairs : [[bySize[0], bySize[1]] as const])
    .map(([a, b]) => (conversion(a) >= conversion(b) ? [a, b] : [b, a]))
    .sort((x, y) => conversion(y[0]) - conversion(y[1]) - (conversion(x[0]) - conversion(x[1])))[0];
  const history: ExecutionProfile[] = [];
  for (let week = 0; week < weeks; week++) {
    const change = (campaign: Campaign): WeekChange => {
      switch (kind) {
        case 'collapse':
          return week === latest ? { impressions: 0.45 } : {};
        case 'spike':
          return week === latest ? { impressions: 1.8 } : {};
        case 'campaign_break':
          return week === latest && campaign === broken ? { impressions: 0.12 } : {};
        case 'ctr_drop':
          return week === latest ? { ctr: 0.5 } : {};
        case 'trend':
          return { impressions: 1.06 ** week };
        case 'recovery':
          return week === latest - 1 ? { impressions: 0.45 } : {};
        case 'combined':
          return {
            impressions: 1.06 ** week * (week === latest && campaign === broken ? 0.12 : 1),
            ...(week === latest ? { ctr: 0.5 } : {}),
          };
        case 'mix_shift':
          // The share `from` loses goes to `to`, so the total stays where it was.
          if (week !== latest) return {};
          if (campaign === from) return { impressions: 0.35 };
          if (campaign === to) return { impressions: 1 + (0.65 * from.impressions) / to.impressions };
          return {};
        default:
          return {};
      }
    };
    history.push(executionOf(seed, week, weekRows(campaigns, next, change)));
  }
  return {
    kind,
    seed,
    weeks,
    campaigns: campaigns.map((campaign) => campaign.name),
    history,
    ...(kind === 'campaign_break' || kind === 'combined' ? { campaign: broken.name } : {}),
    ...(kind === 'mix_shift' ? { campaign: from.name, to: to.name } : {}),
  };
}
