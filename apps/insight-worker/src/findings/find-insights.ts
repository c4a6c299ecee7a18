import { findAnomalies } from './anomaly-findings';
import { findComparisons } from './comparison-findings';
import type { ExecutionProfile, Finding, InsightInput } from './finding';
import { findFrequencyRecommendation } from './frequency-recommendation';
import { findWeakestStage } from './funnel-stage-recommendation';
import { buildInsightMetrics, buildMetricSeries, scopeToTouchModel } from './insight-metrics';
import { findMixRecommendations } from './mix-recommendations';
import { findSummary } from './summary-finding';
import { findTrends } from './trend-findings';

/** A dashboard shows a handful of insights; more is noise and more LLM tokens. */
export const MAX_FINDINGS = 12;
/** Below this a finding is more likely noise than news (e.g. a 4 % effect on 1 % of the volume). */
export const MIN_STRENGTH = 0.05;
/**
 * Per-type caps, so one sharp week cannot fill the dashboard with a dozen "X fell vs last week"
 * comparisons and crowd out trends and recommendations.
 */
export const MAX_FINDINGS_PER_TYPE: Record<Finding['type'], number> = {
  summary: 1,
  anomaly: 4,
  trend: 4,
  recommendation: 3,
  comparison: 5,
};

/**
 * Statistical findings for one configuration's latest execution, strongest first, at most
 * MAX_FINDINGS, the summary always among them. Pure: same input, same findings, same ids.
 */
export function findInsights(input: InsightInput, maxFindings = MAX_FINDINGS): Finding[] {
  const settings = input.settings ?? {};
  // Attribution results: one touch model's rows throughout, never the models added up.
  const scoped = scopeToTouchModel(input.latest, normalizeHistory(input.history, input.latest), settings);
  const { latest, history } = scoped;
  const catalog = buildInsightMetrics(latest.profile, { dashboardType: input.dashboardType, settings });
  const series = buildMetricSeries(catalog, history);
  const previous = history.length >= 2 ? history[history.length - 2] : undefined;
  const candidates = [
    ...findSummary(catalog, latest, scoped.model ?? undefined),
    ...findTrends(series),
    ...findAnomalies(series, latest.executionId),
    ...findComparisons(series, latest, previous, catalog),
    ...findWeakestStage(catalog, history, latest),
    ...findMixRecommendations(catalog, latest),
    ...findFrequencyRecommendation(catalog, latest),
  ];
  const currency = catalog.frame.currency;
  return selectStrongest(withoutRepeatedComparisons(candidates), maxFindings).map((finding) => ({
    ...finding,
    currency,
    ...(scoped.model ? { touchModel: scoped.model } : {}),
  }));
}

/** A metric whose latest value is an anomaly already has its stronger statement; the week-on-week comparison repeats it. */
function withoutRepeatedComparisons(candidates: readonly Finding[]): Finding[] {
  const anomalous = new Set(candidates.filter((finding) => finding.type === 'anomaly').map((finding) => finding.metric));
  return candidates.filter((finding) => !(finding.type === 'comparison' && !finding.dimension && anomalous.has(finding.metric)));
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
  const ranked = [...byId.values()]
    .filter((finding) => finding.type === 'summary' || finding.strength >= MIN_STRENGTH)
    .sort(byStrength);
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
