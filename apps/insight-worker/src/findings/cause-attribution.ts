import type { MetricChain } from './metric-chain';

/** One metric's move, as a test saw it (anomaly, comparison or trend: the attribution is the same). */
export interface MetricEffect {
  metric: string;
  /** Unusual (the statistical test) and big enough (the practical floor): a move of its own. */
  significant: boolean;
  /** Big enough to name as a consequence of another move, unusual or not. */
  notable: boolean;
  /** Signed size on the log scale (log of latest ÷ expected), so moves of different metrics compare. */
  size: number;
}

export interface CauseGroup {
  /** The metric the move started at: a volume (impressions fell) or a rate (CTR fell). */
  cause: string;
  role: 'volume' | 'rate';
  /** Metrics that moved because of it, in funnel order. */
  consequences: string[];
}

/**
 * One cause per story, by the funnel (metric-chain.ts). Walking the volumes top down:
 * - a volume whose own rate is steady follows its parent: a consequence of the parent's cause;
 * - a rate that moved, with its volume moving the same way, is a cause (a rate effect: CTR fell,
 *   clicks followed); a rate that moved while its volume did not is its denominator's consequence
 *   (purchases collapsed, sales held: sales per purchase rose because purchases fell);
 * - a volume that moved with neither its parent nor its rate explaining it is a cause of its own.
 * Ratios beside the chain (ROAS, CPA, …) follow the cause of the input that moved most, or are a
 * cause when neither input moved. A volume with two causes upstream goes to the larger move.
 */
export function attributeCauses(chain: MetricChain, effects: ReadonlyMap<string, MetricEffect>): CauseGroup[] {
  const groups: CauseGroup[] = [];
  const groupOf = new Map<string, CauseGroup>();
  const effect = (metric: string) => effects.get(metric);
  const significant = (metric: string) => effect(metric)?.significant === true;
  const notable = (metric: string) => effect(metric)?.notable === true;
  const size = (metric: string) => Math.abs(effect(metric)?.size ?? 0);
  const sameWay = (a: string, b: string) => Math.sign(effect(a)?.size ?? 0) === Math.sign(effect(b)?.size ?? 0);
  const open = (metric: string, role: CauseGroup['role']): CauseGroup => {
    const group: CauseGroup = { cause: metric, role, consequences: [] };
    groups.push(group);
    groupOf.set(metric, group);
    return group;
  };
  const join = (group: CauseGroup, metric: string) => {
    if (groupOf.has(metric)) return;
    group.consequences.push(metric);
    groupOf.set(metric, group);
  };

  /**
   * A cause found through its evidence downstream: purchases fell 85 % while sales fell 44 %, so
   * sales per purchase rose far outside its range, though neither volume's own test was conclusive
   * on a noisy history. The move is placed where most of it happened on the volume's path up the
   * funnel (the root's move or a rate's, on the log scale), and the volumes from there down follow.
   */
  const openAt = (volume: string): CauseGroup => {
    const direction = Math.sign(effect(volume)?.size ?? 0);
    const path: Array<{ metric: string; role: CauseGroup['role']; feeds: string }> = [];
    const volumes = [volume];
    for (let current = volume, link = chain.links.get(current); link; current = link.parent, link = chain.links.get(current)) {
      path.push({ metric: link.rate, role: 'rate', feeds: current });
      volumes.unshift(link.parent);
    }
    path.push({ metric: volumes[0], role: 'volume', feeds: volumes[0] });
    let best = { metric: volume, role: 'volume' as CauseGroup['role'], feeds: volume };
    let bestSize = 0;
    for (const element of path) {
      const elementSize = effect(element.metric)?.size ?? 0;
      if (notable(element.metric) && Math.sign(elementSize) === direction && Math.abs(elementSize) > bestSize) {
        best = element;
        bestSize = Math.abs(elementSize);
      }
    }
    const group = groupOf.get(best.metric) ?? open(best.metric, best.role);
    for (const below of volumes.slice(volumes.indexOf(best.feeds))) {
      if (below !== best.metric && notable(below) && Math.sign(effect(below)?.size ?? 0) === direction) join(group, below);
    }
    return group;
  };
  /** A denominator moved against the ratio: the ratio's move is the denominator's evidence. */
  const isDenominatorEffect = (ratio: string, denominator: string) =>
    notable(denominator) && Math.sign(effect(denominator)?.size ?? 0) === -Math.sign(effect(ratio)?.size ?? 0);

  for (const volume of chain.volumes) {
    const link = chain.links.get(volume);
    if (!link) {
      if (significant(volume)) open(volume, 'volume');
      continue;
    }
    const parentGroup = groupOf.get(link.parent);
    if (significant(link.rate) && notable(volume) && sameWay(volume, link.rate)) {
      const rateGroup = groupOf.get(link.rate) ?? open(link.rate, 'rate');
      join(parentGroup && size(link.parent) > size(link.rate) ? parentGroup : rateGroup, volume);
      continue;
    }
    // The parent moved and this volume did not follow in step: the rate shows the parent's move.
    if (parentGroup && notable(link.rate)) join(parentGroup, link.rate);
    else if (significant(link.rate) && isDenominatorEffect(link.rate, link.parent)) join(openAt(link.parent), link.rate);
    else if (significant(link.rate)) open(link.rate, 'rate');
    const placed = groupOf.get(link.parent);
    if (placed && notable(volume) && sameWay(volume, link.parent)) join(placed, volume);
    else if (significant(volume)) open(volume, 'volume');
  }

  for (const [metric, { numerator, denominator }] of chain.inputs) {
    if (groupOf.has(metric) || !notable(metric)) continue;
    const explained = [numerator, denominator].filter((input) => groupOf.has(input) && notable(input)).sort((a, b) => size(b) - size(a));
    if (explained.length > 0) {
      join(groupOf.get(explained[0])!, metric);
      continue;
    }
    if (!significant(metric)) continue;
    // Neither input had a cause: the input that moved the ratio's way most is where it started.
    const drivers = [numerator, denominator]
      .filter((input) => chain.volumes.includes(input) && notable(input))
      .filter((input) => (input === numerator ? sameWay(input, metric) : isDenominatorEffect(metric, input)))
      .sort((a, b) => size(b) - size(a));
    if (drivers.length > 0) join(openAt(drivers[0]), metric);
    else open(metric, 'rate');
  }
  return groups;
}
