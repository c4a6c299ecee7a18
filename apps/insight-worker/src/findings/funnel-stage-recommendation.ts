import { periodOf, spanLabel, windowLabel } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId } from './finding-id';
import { buildNumbers, buildStatistics } from './finding-numbers';
import type { InsightMetric, InsightMetrics } from './insight-metrics';
import { median } from './robust-statistics';
import { roundStrength, saturate } from './strength';

/** A baseline from fewer than 3 earlier executions is one bad week away from being wrong. */
export const MIN_STAGE_HISTORY = 3;
/** The weakest stage must be down at least this much against its own baseline… */
export const MIN_STAGE_DROP_PCT = 20;
/** …and this many points further down than the typical other stage, or it is a general slump, not a stage. */
export const MIN_STAGE_GAP_PCT = 15;

interface StageState {
  rate: InsightMetric;
  latest: number;
  baseline: number;
  changePct: number;
  historySize: number;
}

/**
 * The weakest funnel stage against the others. Stage rates are not comparable in absolute terms
 * (a 1 % CTR and a 40 % cart-to-purchase rate can both be healthy), so each stage is indexed to
 * its own median over the earlier executions and the stages are compared by that index.
 */
export function findWeakestStage(catalog: InsightMetrics, history: readonly ExecutionProfile[], latest: ExecutionProfile): Finding[] {
  const earlier = history.filter((execution) => execution.executionId !== latest.executionId);
  const frames = earlier.map((execution) => catalog.frameOf(execution));
  const states: StageState[] = [];
  for (const rate of catalog.stageRates) {
    const latestValue = rate.valueOf(latest.profile.totals, catalog.frame);
    const past = earlier.map((execution, index) => rate.valueOf(execution.profile.totals, frames[index])).filter((value): value is number => value !== undefined);
    if (latestValue === undefined || past.length < MIN_STAGE_HISTORY) continue;
    const baseline = median(past);
    if (baseline === 0) continue;
    states.push({ rate, latest: latestValue, baseline, changePct: (latestValue / baseline - 1) * 100, historySize: past.length });
  }
  if (states.length < 2) return [];
  const weakest = states.reduce((worst, state) => (state.changePct < worst.changePct ? state : worst));
  const othersChangePct = median(states.filter((state) => state !== weakest).map((state) => state.changePct));
  const gap = othersChangePct - weakest.changePct;
  if (weakest.changePct > -MIN_STAGE_DROP_PCT || gap < MIN_STAGE_GAP_PCT) return [];
  return [
    {
      id: findingId('recommendation', 'weakest_stage'),
      type: 'recommendation',
      kind: 'recommendation.weakest_stage',
      metric: weakest.rate.key,
      metricLabel: weakest.rate.label,
      windows: { latest: windowLabel(latest), ...(earlier.length > 0 ? { baseline: spanLabel(earlier) } : {}), period: periodOf(latest) },
      ...buildNumbers([
        ['latest', weakest.latest, 'percent'],
        ['baseline', weakest.baseline, 'percent'],
        ['changePct', weakest.changePct, 'percent'],
        ['otherStagesChangePct', othersChangePct, 'percent'],
        ['baselinePeriods', weakest.historySize, 'count'],
      ]),
      executionIds: [...earlier.map((execution) => execution.executionId), latest.executionId],
      strength: roundStrength(saturate(gap / 100, 0.5) * saturate(weakest.historySize - 1, 4)),
      statistics: buildStatistics({ gap, historySize: weakest.historySize, stages: states.length }),
    },
  ];
}
