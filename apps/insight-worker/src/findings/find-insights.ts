import { findAnomalies } from './anomaly-findings';
import { findComparisons } from './comparison-findings';
import { analyseExecution, type ExecutionAnalysis } from './execution-causes';
import { applyFeedback } from './feedback-weights';
import type { ExecutionProfile, Finding, InsightInput } from './finding';
import { findFrequencyRecommendation } from './frequency-recommendation';
import { findWeakestStage } from './funnel-stage-recommendation';
import { buildInsightMetrics, buildMetricSeries, scopeToTouchModel } from './insight-metrics';
import { resolveThresholds } from './insight-thresholds';
import { findMixRecommendations } from './mix-recommendations';
import { findOverlapRecommendation } from './overlap-recommendation';
import { findRecoveries } from './recovery-findings';
import { distinctStories } from './story';
import { findSummary } from './summary-finding';
import { findTrends } from './trend-findings';

/** A dashboard shows a handful of insights; more is noise and more LLM tokens. */
export const MAX_FINDINGS = 12;
/** Below this a finding is more likely noise than news. */
export const MIN_STRENGTH = 0.05;
/** Per-type caps, so one kind of statement cannot crowd out the others. */
export const MAX_FINDINGS_PER_TYPE: Record<Finding['type'], number> = {
  summary: 1,
  anomaly: 4,
  trend: 3,
  recommendation: 3,
  comparison: 4,
};

/**
 * Statistical findings for one configuration's latest execution, strongest first, at most
 * MAX_FINDINGS, the summary always among them, one finding per story. Pure: same input, same
 * findings, same ids.
 *
 * The order of work is the order of explanation: the latest execution's anomalies and their causes
 * first; then what the previous execution's anomalies explain (a recovery, not a boom); then
 * week-on-week moves nothing above accounts for; trends over the history; recommendations on the mix.
 */
export function findInsights(input: InsightInput, maxFindings = MAX_FINDINGS): Finding[] {
  const settings = input.settings ?? {};
  const thresholds = resolveThresholds(input.thresholds);
  // Attribution results: one touch model's rows throughout, never the models added up.
  const scoped = scopeToTouchModel(input.latest, normalizeHistory(input.history, input.latest), settings);
  const { latest, history } = scoped;
  const catalog = buildInsightMetrics(latest.profile, { dashboardType: input.dashboardType, settings });
  const series = buildMetricSeries(catalog, history);
  const latestIndex = history.length - 1;

  const current = analyseExecution(catalog, history, series, latestIndex, thresholds);
  const previous = latestIndex >= 1 ? analyseExecution(catalog, history, series, latestIndex - 1, thresholds) : undefined;
  const anomalies = findAnomalies(catalog, history, current, previous);
  const recoveries = previous ? findRecoveries(catalog, history, series, previous, thresholds) : { findings: [], covered: new Set<string>() };
  const covered = new Set([...explainedMetrics(current), ...recoveries.covered]);
  const stageCauses = new Set(anomalies.filter((finding) => finding.kind === 'anomaly.metric').map((finding) => finding.metric));
  const candidates = [
    ...findSummary(catalog, latest, scoped.model ?? undefined),
    ...anomalies,
    ...recoveries.findings,
    ...findComparisons(catalog, history, series, covered, thresholds),
    // A trend fitted without the latest point where that point is an anomaly's (a campaign that broke).
    ...findTrends(catalog, history, series, thresholds, new Set(explainedMetrics(current))),
    // The weakest stage that is an anomaly's cause is that anomaly's story (its wording says where to look).
    ...findWeakestStage(catalog, history, latest).filter((finding) => !stageCauses.has(finding.metric)),
    ...findMixRecommendations(catalog, latest, thresholds),
    ...findFrequencyRecommendation(catalog, latest),
    ...findOverlapRecommendation(catalog, latest),
  ];
  const currency = catalog.frame.currency;
  return selectStrongest(applyFeedback(candidates, input.feedback), maxFindings).map((finding) => ({
    ...finding,
    currency,
    ...(scoped.model ? { touchModel: scoped.model } : {}),
  }));
}

/** Total-level metrics an anomaly of the latest execution already states: no comparison repeats them. */
function explainedMetrics(analysis: ExecutionAnalysis): string[] {
  return analysis.causes.flatMap((cause) => (cause.kind === 'anomaly.metric' ? [cause.metric, ...cause.consequences] : cause.consequences));
}

/** Oldest first, one point per execution, ending with the latest whether or not the caller included it. */
export function normalizeHistory(history: readonly ExecutionProfile[], latest: ExecutionProfile): ExecutionProfile[] {
  const seen = new Set<string>([latest.executionId]);
  const earlier: ExecutionProfile[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    if (seen.has(history[i].executionId)) continue;
    seen.add(history[i].executionId);
    earlier.unshift(history[i]);
  }
  return [...earlier, latest];
}

export function selectStrongest(candidates: readonly Finding[], maxFindings: number): Finding[] {
  const byId = new Map<string, Finding>();
  for (const finding of candidates) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  const ranked = distinctStories([...byId.values()].filter((finding) => finding.type === 'summary' || finding.strength >= MIN_STRENGTH).sort(byStrength));
  const perType = new Map<Finding['type'], number>();
  const capped = ranked.filter((finding) => {
    const count = (perType.get(finding.type) ?? 0) + 1;
    perType.set(finding.type, count);
    return count <= MAX_FINDINGS_PER_TYPE[finding.type];
  });
  const summary = capped.find((finding) => finding.type === 'summary');
  const rest = capped.filter((finding) => finding !== summary).slice(0, Math.max(0, maxFindings - (summary ? 1 : 0)));
  return (summary ? [summary, ...rest] : rest).sort(byStrength);
}

function byStrength(a: Finding, b: Finding): number {
  return b.strength - a.strength || a.id.localeCompare(b.id);
}
