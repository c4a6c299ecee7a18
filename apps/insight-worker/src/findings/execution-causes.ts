import { ANOMALY_ALPHA } from './baseline-test';
import { attributeCauses, type CauseGroup } from './cause-attribution';
import type { ExecutionProfile } from './finding';
import { metricByKey, type InsightMetrics, type MetricSeries } from './insight-metrics';
import type { InsightThresholds } from './insight-thresholds';
import { downstreamOf } from './metric-chain';
import { testKeyMoves, testSeriesAt, type KeyMove, type MetricTest } from './metric-tests';
import { findCampaignDimension } from './mix-recommendations';
import { mixShareOfChange } from './mix-shift';
import { studentTQuantile } from './student-t';

export type CauseKind = 'anomaly.metric' | 'anomaly.campaign' | 'anomaly.mix_shift';

/** One story of an execution: where a move started and what followed from it. */
export interface AttributedCause {
  kind: CauseKind;
  /** The metric the move started at (for a campaign: that campaign's metric). */
  metric: string;
  role: CauseGroup['role'];
  /** Total-level metrics that followed, funnel order. */
  consequences: string[];
  dimension?: string;
  /** The campaign's move (a campaign cause), or the campaign volume left (a mix shift). */
  move?: KeyMove;
  /** Where a mix shift's volume went. */
  counterpartMove?: KeyMove;
  /** The campaign's own later funnel steps that moved with it (its purchases). */
  subjectConsequences: KeyMove[];
}

export interface ExecutionAnalysis {
  targetIndex: number;
  tests: Map<string, MetricTest>;
  causes: AttributedCause[];
  campaignDimension?: string;
}

/** One campaign explaining this share of a total's move is that move's cause, not the whole funnel. */
export const DOMINANT_KEY_SHARE = 0.6;
/** A blended rate whose change is at least this much mix effect is the mix shift's consequence. */
export const MIX_EFFECT_SHARE = 0.6;
/** The counterpart of a mix shift makes up at least this share of the first move: volume moved, it did not vanish. */
export const MIX_OFFSET_SHARE = 0.5;

/**
 * Two campaigns moving opposite ways is itself the rare event, so each needs less than a lone
 * campaign's break (ANOMALY_ALPHA over the campaigns): the larger move outside its own 99 %
 * interval, the other outside its 95 % interval. On quiet histories such a pair, offsetting each
 * other under a steady total, comes up about once in a thousand executions.
 */
export const MIX_FIRST_ALPHA = 0.01;
export const MIX_COUNTERPART_ALPHA = 0.05;

/**
 * Volume moved between two campaigns under a steady total: the largest campaign move outside
 * MIX_FIRST_ALPHA and the largest opposite move outside MIX_COUNTERPART_ALPHA, each by the
 * practical floor on a campaign carrying the minimum share, the second making up at least
 * MIX_OFFSET_SHARE of the first and the total's own move at most that share of the two together.
 * Returns the falling and the rising campaign.
 */
function findMixShift(moves: readonly KeyMove[], totalDelta: number, thresholds: InsightThresholds): { down: KeyMove; up: KeyMove } | undefined {
  const unusual = (alpha: number) =>
    moves.filter(
      (move) =>
        move.share >= thresholds.minVolumeShare &&
        Math.abs(move.test.relativeChange) >= thresholds.minRelativeChange &&
        Math.abs(move.test.score) > studentTQuantile(1 - alpha / 2, move.test.df),
    );
  const byDelta = (a: KeyMove, b: KeyMove) => Math.abs(b.delta) - Math.abs(a.delta);
  const first = unusual(MIX_FIRST_ALPHA).sort(byDelta)[0];
  if (!first) return undefined;
  const counterpart = unusual(MIX_COUNTERPART_ALPHA).filter((move) => Math.sign(move.delta) === -Math.sign(first.delta)).sort(byDelta)[0];
  if (!counterpart || Math.abs(counterpart.delta) < MIX_OFFSET_SHARE * Math.abs(first.delta)) return undefined;
  // What the total did is at most half of what moved between the two: a shift, not a loss or a gain.
  if (Math.abs(totalDelta) > MIX_OFFSET_SHARE * (Math.abs(first.delta) + Math.abs(counterpart.delta))) return undefined;
  return first.delta < 0 ? { down: first, up: counterpart } : { down: counterpart, up: first };
}

/**
 * The causes of the target execution's moves (anomaly tests at ANOMALY_ALPHA): first at the total
 * level along the funnel (cause-attribution.ts), then by campaign — a total's move that one campaign
 * explains is that campaign's story; campaigns moving in opposite directions under a steady total
 * are a mix shift, and blended rates that moved by the mix alone are its consequences.
 */
export function analyseExecution(
  catalog: InsightMetrics,
  history: readonly ExecutionProfile[],
  series: readonly MetricSeries[],
  targetIndex: number,
  thresholds: InsightThresholds,
  alpha = ANOMALY_ALPHA,
): ExecutionAnalysis {
  const tests = testSeriesAt(series, targetIndex, thresholds, alpha);
  const effects = new Map([...tests].map(([key, test]) => [key, test.effect]));
  const groups = attributeCauses(catalog.chain, effects);
  const target = history[targetIndex];
  const dimension = target ? findCampaignDimension(target.profile, catalog) : undefined;
  const causes: AttributedCause[] = groups.map((group) => ({ kind: 'anomaly.metric', metric: group.cause, role: group.role, consequences: group.consequences, subjectConsequences: [] }));
  if (!dimension || !target) return { targetIndex, tests, causes };

  const movesCache = new Map<string, KeyMove[]>();
  const movesOf = (metricKey: string): KeyMove[] => {
    let moves = movesCache.get(metricKey);
    if (!moves) {
      const metric = metricByKey(catalog, metricKey);
      const totals = tests.get(metricKey)?.points ?? series.find((entry) => entry.metric.key === metricKey)?.points ?? [];
      moves = metric ? testKeyMoves(catalog, history, targetIndex, dimension, metric, totals, thresholds, alpha) : [];
      movesCache.set(metricKey, moves);
    }
    return moves;
  };
  const used = new Set<string>();
  const keyOutcome = (key: string, metricKey: string) => {
    const outcome = catalog.chain.outcome;
    if (!outcome || outcome === metricKey) return [];
    return movesOf(outcome).filter((move) => move.key === key && move.test.outside && Math.abs(move.test.relativeChange) >= thresholds.minRelativeChange);
  };
  const absorb = (into: AttributedCause, cause: AttributedCause) => {
    into.consequences.push(...[cause.metric, ...cause.consequences].filter((key) => !into.consequences.includes(key)));
    causes.splice(causes.indexOf(cause), 1);
  };

  const root = catalog.chain.root;
  const rootTotal = root ? tests.get(root) : undefined;
  // A total that moved by itself is that move's story; under a total that did not, campaigns trading volume are a shift.
  const mix = root && rootTotal && !rootTotal.effect.significant ? findMixShift(movesOf(root), rootTotal.test.value - rootTotal.test.expected, thresholds) : undefined;
  if (root && mix) {
    const shift: AttributedCause = {
      kind: 'anomaly.mix_shift', metric: root, role: 'volume', consequences: [], dimension, move: mix.down, counterpartMove: mix.up, subjectConsequences: [],
    };
    const moved = new Set([mix.down.key, mix.up.key]);
    const baseline = history.slice(0, targetIndex);
    // What the shift explains is its consequence: blended rates that moved by the mix alone
    // (shift-share), and totals whose move comes mostly from the two campaigns.
    for (const cause of [...causes]) {
      if (cause.kind !== 'anomaly.metric') continue;
      if (cause.role === 'rate') {
        const rate = metricByKey(catalog, cause.metric);
        const outliers = new Set(tests.get(cause.metric)?.test.outlierExecutionIds ?? []);
        const share = rate ? mixShareOfChange(catalog, baseline.filter((execution) => !outliers.has(execution.executionId)), target, dimension, rate) : undefined;
        if (share !== undefined && share >= MIX_EFFECT_SHARE) absorb(shift, cause);
      } else {
        const total = tests.get(cause.metric)?.test;
        const delta = total ? total.value - total.expected : 0;
        const fromMoved = movesOf(cause.metric).filter((move) => moved.has(move.key)).reduce((sum, move) => sum + move.delta, 0);
        if (delta !== 0 && Math.sign(fromMoved) === Math.sign(delta) && Math.abs(fromMoved) >= DOMINANT_KEY_SHARE * Math.abs(delta)) absorb(shift, cause);
      }
    }
    causes.push(shift);
    for (const key of moved) used.add(key);
  }

  // A volume's move that one campaign explains is that campaign's.
  const byKey = new Map<string, AttributedCause>();
  for (const cause of [...causes]) {
    if (cause.kind !== 'anomaly.metric' || cause.role !== 'volume') continue;
    const total = tests.get(cause.metric)?.test;
    if (!total) continue;
    const delta = total.value - total.expected;
    // The total's move is established; which campaign made it is a decomposition, not a new test:
    // the campaign adding most of the move (its own move past the floor) while the others together
    // stayed within the floor. A whole funnel falling has no such campaign.
    const dominant = movesOf(cause.metric)
      .filter((move) => !used.has(move.key) && move.share >= thresholds.minVolumeShare && Math.sign(move.delta) === Math.sign(delta) && Math.abs(move.test.relativeChange) >= thresholds.minRelativeChange)
      .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))[0];
    if (!dominant || Math.abs(dominant.delta) < DOMINANT_KEY_SHARE * Math.abs(delta)) continue;
    const restExpected = total.expected - dominant.test.expected;
    const restChange = restExpected > 0 ? (total.value - dominant.test.value) / restExpected - 1 : 0;
    if (Math.sign(restChange) === Math.sign(delta) && Math.abs(restChange) >= thresholds.minRelativeChange) continue;
    const earlier = byKey.get(dominant.key);
    if (earlier) {
      absorb(earlier, cause);
      continue;
    }
    byKey.set(dominant.key, cause);
    Object.assign(cause, {
      kind: 'anomaly.campaign',
      dimension,
      move: dominant,
      consequences: [cause.metric, ...cause.consequences],
      subjectConsequences: keyOutcome(dominant.key, cause.metric),
    });
  }
  for (const key of byKey.keys()) used.add(key);

  // A campaign that broke (or surged) on its own, without an unusual total: still its story, and
  // the totals that moved its way (by less than the anomaly bar) are named with it.
  const attributed = new Set(causes.flatMap((cause) => (cause.kind === 'anomaly.metric' ? [cause.metric, ...cause.consequences] : cause.consequences)));
  const followers = (metricKey: string, direction: number) =>
    [metricKey, ...downstreamOf(catalog.chain, metricKey)].filter((key) => {
      const effect = tests.get(key)?.effect;
      return effect !== undefined && effect.notable && Math.sign(effect.size) === direction && !attributed.has(key);
    });
  // Campaigns moving with an unusual total (the whole funnel fell) are that total's story.
  const totalCauseDirection = (metricKey: string) => {
    const cause = causes.find((candidate) => candidate.kind === 'anomaly.metric' && (candidate.metric === metricKey || candidate.consequences.includes(metricKey)));
    return cause ? Math.sign(tests.get(metricKey)?.effect.size ?? 0) : 0;
  };
  for (const metricKey of [root, catalog.chain.outcome]) {
    if (!metricKey) continue;
    const withTotal = totalCauseDirection(metricKey);
    for (const move of movesOf(metricKey)) {
      if (!move.significant || used.has(move.key) || Math.sign(move.delta) === withTotal) continue;
      used.add(move.key);
      const consequences = followers(metricKey, Math.sign(move.delta));
      for (const key of consequences) attributed.add(key);
      causes.push({ kind: 'anomaly.campaign', metric: metricKey, role: 'volume', consequences, dimension, move, subjectConsequences: keyOutcome(move.key, metricKey) });
    }
  }
  return { targetIndex, tests, causes, campaignDimension: dimension };
}
