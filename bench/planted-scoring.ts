/**
 * Scoring of the planted-effect benchmark (issue 13): per history, whether the planted effect is
 * named among the top 3 insights of the latest execution (the summary excluded), whether a quiet
 * history raised a false alarm (any anomaly, or any non-summary insight at confidence ≥ 0.6), and
 * how many distinct causes the top 3 hold (story.ts: a card whose cause is another top-3 card's
 * cause or consequence in the same family is the same story). Confidence is the stored one:
 * composeInsights without an LLM (strength × verification of the templated text).
 */
import type { Finding } from '../apps/insight-worker/src/findings/finding';
import { windowLabel } from '../apps/insight-worker/src/findings/execution-windows';
import { distinctStories } from '../apps/insight-worker/src/findings/story';
import { composeInsights, type ComposedInsight } from '../apps/insight-worker/src/insight-composer';
import type { PlantedHistory } from './planted-histories';

export const FALSE_ALARM_CONFIDENCE = 0.6;

/** Whether a finding states the planted effect: its kind, cause metric, direction and campaigns. */
export function namesPlantedEffect(planted: PlantedHistory, finding: Finding): boolean {
  switch (planted.kind) {
    case 'collapse':
      return finding.kind === 'anomaly.metric' && finding.metric === 'impressions' && finding.direction === 'down';
    case 'spike':
      return finding.kind === 'anomaly.metric' && finding.metric === 'impressions' && finding.direction === 'up';
    case 'campaign_break':
      return finding.kind === 'anomaly.campaign' && finding.subject === planted.campaign && finding.direction === 'down';
    case 'ctr_drop':
      return finding.kind === 'anomaly.metric' && finding.metric === 'ctr' && finding.direction === 'down';
    case 'trend':
      return finding.kind === 'trend.metric' && finding.metric === 'impressions' && finding.direction === 'up';
    case 'mix_shift':
      return finding.kind === 'anomaly.mix_shift' && new Set([finding.subject, finding.counterpart]).size === 2 &&
        [finding.subject, finding.counterpart].every((name) => name === planted.campaign || name === planted.to);
    case 'recovery':
      return finding.kind === 'comparison.recovery' && finding.metric === 'impressions' && finding.subject === undefined &&
        finding.windows?.previous === windowLabel(planted.history[planted.history.length - 2]);
    default:
      return false;
  }
}

/** The three effects of a 'combined' history, each to be named by its own card. */
export function combinedEffectsNamed(planted: PlantedHistory, findings: readonly Finding[]): [trend: boolean, clickThrough: boolean, campaign: boolean] {
  return [
    findings.some((finding) => finding.kind === 'trend.metric' && finding.direction === 'up'),
    findings.some((finding) => namesPlantedEffect({ ...planted, kind: 'ctr_drop' }, finding)),
    findings.some((finding) => namesPlantedEffect({ ...planted, kind: 'campaign_break' }, finding)),
  ];
}

export interface HistoryScore {
  planted: PlantedHistory;
  insights: ComposedInsight[];
  /** Non-summary insights, best first. */
  ranked: ComposedInsight[];
  top3: ComposedInsight[];
  namedInTop3: boolean;
  /** Top-3 cards naming the planted effect: 1 when one card tells the story. */
  cardsNamingEffect: number;
  falseAlarm: boolean;
  distinctInTop3: number;
  /** Distinct causes among all of the execution's non-summary insights (capped at 3). */
  distinctAvailable: number;
}

export async function scoreHistory(planted: PlantedHistory): Promise<HistoryScore> {
  const history = planted.history;
  const { insights } = await composeInsights({ dashboardType: 'funnel', latest: history[history.length - 1], history, views: [] }, null);
  const ranked = insights.filter((insight) => insight.insightType !== 'summary').sort((a, b) => b.confidenceScore - a.confidenceScore);
  const top3 = ranked.slice(0, 3);
  const findings = (list: ComposedInsight[]) => list.map((insight) => insight.sourceData.finding);
  return {
    planted,
    insights,
    ranked,
    top3,
    namedInTop3: top3.some((insight) => namesPlantedEffect(planted, insight.sourceData.finding)),
    cardsNamingEffect: top3.filter((insight) => namesPlantedEffect(planted, insight.sourceData.finding)).length,
    falseAlarm: ranked.some((insight) => insight.insightType === 'anomaly' || insight.confidenceScore >= FALSE_ALARM_CONFIDENCE),
    distinctInTop3: distinctStories(findings(top3)).length,
    distinctAvailable: Math.min(3, distinctStories(findings(ranked)).length),
  };
}
