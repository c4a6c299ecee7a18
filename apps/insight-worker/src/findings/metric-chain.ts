import { DERIVED_METRICS, ratioMetric, type MetricDefinition } from '@amc-reports/metrics';

/**
 * How the volumes of a result follow from each other, from the metric layer's definitions: each
 * volume is its parent volume times a rate (clicks = impressions × CTR, purchases = add to cart ×
 * purchases per add to cart, sales = purchases × sales per purchase, spend = impressions × CPM).
 * Cause attribution walks this chain in funnel order: a move starts at a volume or at a rate, and
 * the volumes after it follow unless their own rate moved too.
 */
export interface ChainLink {
  volume: string;
  parent: string;
  rate: string;
}

export interface MetricChain {
  /** Volumes, every parent before its children (the funnel order, then the side volumes). */
  volumes: string[];
  /** By volume. */
  links: Map<string, ChainLink>;
  /** Derived metrics that are no link's rate, with the volumes they divide (ROAS, CPA, …). */
  inputs: Map<string, { numerator: string; denominator: string }>;
  /** The top of the funnel: where delivery starts. */
  root?: string;
  /** The last funnel stage (purchases, usually): what a campaign is bought for. */
  outcome?: string;
}

const FUNNEL_ORDER = ['impressions', 'clicks', 'detailPageViews', 'addToCart', 'purchases'];
/** [volume, parent, fallback parent]: the volumes beside the funnel and what they multiply. */
const SIDE_LINKS: ReadonlyArray<readonly [string, string, string?]> = [
  ['sales', 'purchases'],
  ['unitsSold', 'purchases'],
  ['newToBrandPurchases', 'purchases'],
  ['newToBrandSales', 'sales'],
  ['spend', 'impressions', 'clicks'],
  ['convertedUsers', 'reach'],
];

/** The catalogue's ratio of the two (CPM with its × 1,000 included), else one named after what it divides. */
export function linkRate(volume: string, parent: string): MetricDefinition {
  return DERIVED_METRICS.find((metric) => metric.numerator === volume && metric.denominator === parent) ?? ratioMetric(volume, parent);
}

/**
 * The chain over the volumes a result has. `stages` are the funnel's (settings or AMC order);
 * `rateIdOf` returns the id of the metric standing for a link's rate (made if the catalogue has none).
 */
export function buildMetricChain(
  volumeIds: readonly string[],
  derived: ReadonlyArray<{ id: string; numerator: string; denominator: string }>,
  stages: readonly string[],
  rateIdOf: (volume: string, parent: string) => string,
): MetricChain {
  const present = new Set(volumeIds);
  const funnel = (stages.length >= 2 ? stages : FUNNEL_ORDER).filter((id) => present.has(id));
  const links = new Map<string, ChainLink>();
  for (let i = 1; i < funnel.length; i++) links.set(funnel[i], { volume: funnel[i], parent: funnel[i - 1], rate: rateIdOf(funnel[i], funnel[i - 1]) });
  for (const [volume, parent, fallback] of SIDE_LINKS) {
    if (!present.has(volume) || links.has(volume)) continue;
    const from = present.has(parent) ? parent : fallback && present.has(fallback) ? fallback : undefined;
    if (from) links.set(volume, { volume, parent: from, rate: rateIdOf(volume, from) });
  }
  const ordered: string[] = [];
  const visit = (id: string) => {
    if (ordered.includes(id)) return;
    const link = links.get(id);
    if (link) visit(link.parent);
    ordered.push(id);
  };
  for (const id of [...funnel, ...volumeIds]) visit(id);
  const rates = new Set([...links.values()].map((link) => link.rate));
  const inputs = new Map<string, { numerator: string; denominator: string }>();
  for (const metric of derived) {
    if (!rates.has(metric.id) && present.has(metric.numerator) && present.has(metric.denominator)) {
      inputs.set(metric.id, { numerator: metric.numerator, denominator: metric.denominator });
    }
  }
  const root = funnel[0] ?? ordered.find((id) => !links.has(id));
  return { volumes: ordered, links, inputs, root, outcome: funnel.length >= 2 ? funnel[funnel.length - 1] : undefined };
}

/** Every volume downstream of `volume` (its children, their children, …). */
export function downstreamOf(chain: MetricChain, volume: string): string[] {
  const result: string[] = [];
  for (const id of chain.volumes) {
    for (let link = chain.links.get(id); link; link = chain.links.get(link.parent)) {
      if (link.parent === volume) {
        result.push(id);
        break;
      }
    }
  }
  return result;
}
