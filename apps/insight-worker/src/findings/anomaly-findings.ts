import type { BaselineTest } from './baseline-test';
import type { AttributedCause, ExecutionAnalysis } from './execution-causes';
import { periodOf, spanLabel, windowLabel, type FindingWindows } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, hashText, idPart } from './finding-id';
import { assessmentOf, buildConsequences, buildNumbers, buildStatistics, changeKeyOf, directionOf, roundEstimate, type NumberEntry } from './finding-numbers';
import { metricByKey, type InsightMetrics } from './insight-metrics';
import type { KeyMove } from './metric-tests';
import { intervalStrength, roundStrength, saturate } from './strength';

/**
 * One anomaly finding per cause of the latest execution (execution-causes.ts): the move where it
 * started, tested against the baseline its earlier executions predict (baseline-test.ts), and
 * every metric that followed from it, each with its own change against its own baseline.
 */
export function findAnomalies(catalog: InsightMetrics, history: readonly ExecutionProfile[], analysis: ExecutionAnalysis, previous?: ExecutionAnalysis): Finding[] {
  return analysis.causes.flatMap((cause) => {
    const finding = anomalyFinding(catalog, history, analysis, cause);
    return finding ? [withEarlierMove(finding, cause, history, previous)] : [];
  });
}

/**
 * A move that continues the previous execution's (the same cause, the same way) says so: the
 * previous window was itself unusual, and this one is measured against the weeks before both.
 */
function withEarlierMove(finding: Finding, cause: AttributedCause, history: readonly ExecutionProfile[], previous: ExecutionAnalysis | undefined): Finding {
  if (!previous) return finding;
  const earlier = previous.causes.find((candidate) => candidate.kind === cause.kind && candidate.metric === cause.metric && candidate.move?.key === cause.move?.key);
  const earlierTest = earlier ? (earlier.move?.test ?? previous.tests.get(earlier.metric)?.test) : undefined;
  if (!earlierTest || Math.sign(earlierTest.relativeChange) !== Math.sign(finding.numbers.changePct ?? 0)) return finding;
  const extra = buildNumbers([['previousChangePct', earlierTest.relativeChange * 100, 'percent']]);
  return {
    ...finding,
    numbers: { ...finding.numbers, ...extra.numbers },
    units: { ...finding.units, ...extra.units },
    windows: finding.windows ? { ...finding.windows, previous: windowLabel(history[previous.targetIndex]) } : finding.windows,
  };
}

/** The windows of a test: the target's, and the earlier executions the baseline rests on. */
export function testWindows(history: readonly ExecutionProfile[], targetIndex: number, test: BaselineTest): FindingWindows {
  const earlier = history.slice(0, targetIndex);
  const outlier = earlier.find((execution) => test.outlierExecutionIds.includes(execution.executionId));
  return {
    latest: windowLabel(history[targetIndex]),
    ...(earlier.length > 0 ? { baseline: spanLabel(earlier) } : {}),
    ...(outlier ? { anomalous: windowLabel(outlier) } : {}),
    period: periodOf(history[targetIndex]),
  };
}

function testEntries(test: BaselineTest, unit: Finding['units'][string]): NumberEntry[] {
  return [
    ['latest', test.value, unit],
    ['expected', roundEstimate(test.expected, unit), unit],
    ['expectedLow', roundEstimate(Math.max(0, test.low), unit), unit],
    ['expectedHigh', roundEstimate(test.high, unit), unit],
    ['changePct', test.relativeChange * 100, 'percent'],
    ['baselinePeriods', test.used, 'count'],
  ];
}

function testStatistics(test: BaselineTest, extra: Record<string, number | undefined> = {}): Record<string, number> {
  return buildStatistics({
    score: test.score,
    criticalValue: test.criticalValue,
    df: test.df,
    trendModel: test.model === 'trend' ? 1 : 0,
    leftOut: test.outlierExecutionIds.length,
    ...extra,
  });
}

function totalConsequences(catalog: InsightMetrics, analysis: ExecutionAnalysis, keys: readonly string[]) {
  return buildConsequences(
    keys.map((key) => ({ key, label: metricByKey(catalog, key)?.label ?? key, change: analysis.tests.get(key)?.test.relativeChange })),
  );
}

/** The consequence whose own test lies furthest outside its interval. */
function strongestConsequence(analysis: ExecutionAnalysis, keys: readonly string[]): { key: string; test: BaselineTest } | undefined {
  let best: { key: string; test: BaselineTest } | undefined;
  for (const key of keys) {
    const test = analysis.tests.get(key)?.test;
    if (!test?.outside) continue;
    if (!best || Math.abs(test.score) / test.criticalValue > Math.abs(best.test.score) / best.test.criticalValue) best = { key, test };
  }
  return best;
}

function anomalyFinding(catalog: InsightMetrics, history: readonly ExecutionProfile[], analysis: ExecutionAnalysis, cause: AttributedCause): Finding | null {
  const metric = metricByKey(catalog, cause.metric);
  if (!metric) return null;
  const executionIds = history.slice(0, analysis.targetIndex + 1).map((execution) => execution.executionId);
  const followed = totalConsequences(catalog, analysis, cause.consequences);
  const common = { metric: metric.key, metricLabel: metric.label, executionIds, currency: catalog.frame.currency };

  if (cause.kind === 'anomaly.metric') {
    const test = analysis.tests.get(cause.metric)?.test;
    if (!test) return null;
    const direction = directionOf(test.relativeChange);
    const isStage = catalog.stageRates.some((rate) => rate.key === metric.key);
    // A cause placed by its evidence downstream (cause-attribution.ts openAt) names that evidence.
    const evidence = test.outside ? undefined : strongestConsequence(analysis, cause.consequences);
    const evidenceMetric = evidence ? metricByKey(catalog, evidence.key) : undefined;
    const evidenceEntries: NumberEntry[] = evidence && evidenceMetric
      ? [
          ['evidenceLatest', evidence.test.value, evidenceMetric.unit],
          ['evidenceLow', roundEstimate(Math.max(0, evidence.test.low), evidenceMetric.unit), evidenceMetric.unit],
          ['evidenceHigh', roundEstimate(evidence.test.high, evidenceMetric.unit), evidenceMetric.unit],
        ]
      : [];
    const strongest = evidence?.test ?? test;
    return {
      id: findingId('anomaly', idPart(metric.key)),
      type: 'anomaly',
      kind: 'anomaly.metric',
      ...common,
      direction,
      assessment: assessmentOf(metric.upIsGood, direction),
      consequences: followed.consequences,
      labels: { ...followed.labels, ...(evidenceMetric ? { evidenceLatest: evidenceMetric.label } : {}) },
      windows: testWindows(history, analysis.targetIndex, test),
      ...buildNumbers([...testEntries(test, metric.unit), ...followed.entries, ...evidenceEntries]),
      strength: intervalStrength(strongest.score, strongest.criticalValue, strongest.df),
      statistics: testStatistics(test, { funnelStep: isStage && cause.role === 'rate' ? 1 : undefined, causeOutside: test.outside ? 1 : 0 }),
    };
  }

  const move = cause.move;
  if (!move || !cause.dimension) return null;
  if (cause.kind === 'anomaly.campaign') {
    const direction = directionOf(move.test.relativeChange);
    const own = buildConsequences(
      cause.subjectConsequences.map((other) => ({ key: other.metric, label: metricByKey(catalog, other.metric)?.label ?? other.metric, change: other.test.relativeChange })),
      'OwnChangePct',
      'subject',
    );
    return {
      id: findingId('anomaly', 'campaign', idPart(metric.key), idPart(cause.dimension), `k${hashText(move.key)}`),
      type: 'anomaly',
      kind: 'anomaly.campaign',
      ...common,
      dimension: cause.dimension,
      subject: move.key,
      direction,
      assessment: assessmentOf(metric.upIsGood, direction),
      consequences: [...own.consequences, ...followed.consequences],
      labels: { ...own.labels, ...followed.labels },
      windows: testWindows(history, analysis.targetIndex, move.test),
      ...buildNumbers([...testEntries(move.test, metric.unit), ['sharePct', move.share * 100, 'percent'], ...own.entries, ...followed.entries]),
      // A campaign's story weighs with the volume it carries: a fifth of it or more is full weight.
      strength: roundStrength(intervalStrength(move.test.score, move.test.criticalValue, move.test.df) * (0.75 + 0.25 * saturate(move.share, 0.1))),
      statistics: testStatistics(move.test),
    };
  }

  const counterpart = cause.counterpartMove;
  const total = analysis.tests.get(cause.metric)?.test;
  if (!counterpart || !total) return null;
  const side = (prefix: string, keyMove: KeyMove): NumberEntry[] => [
    [`${prefix}ChangePct`, keyMove.test.relativeChange * 100, 'percent'],
    [`${prefix}ShareBeforePct`, keyMove.shareBefore * 100, 'percent'],
    [`${prefix}SharePct`, keyMove.shareLatest * 100, 'percent'],
  ];
  const weakest = [move, counterpart].reduce((a, b) => (Math.abs(a.test.score) / a.test.criticalValue < Math.abs(b.test.score) / b.test.criticalValue ? a : b));
  return {
    id: findingId('anomaly', 'mix_shift', idPart(metric.key), idPart(cause.dimension)),
    type: 'anomaly',
    kind: 'anomaly.mix_shift',
    ...common,
    dimension: cause.dimension,
    subject: move.key,
    counterpart: counterpart.key,
    consequences: followed.consequences,
    labels: followed.labels,
    windows: testWindows(history, analysis.targetIndex, total),
    ...buildNumbers([
      ['totalLatest', total.value, metric.unit],
      [changeKeyOf('total'), total.relativeChange * 100, 'percent'],
      ['baselinePeriods', total.used, 'count'],
      ...side('from', move),
      ...side('to', counterpart),
      ...followed.entries,
    ]),
    strength: intervalStrength(weakest.test.score, weakest.test.criticalValue, weakest.test.df),
    statistics: testStatistics(weakest.test),
  };
}
