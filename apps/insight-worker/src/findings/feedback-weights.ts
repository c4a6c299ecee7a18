import type { Finding } from './finding';
import { roundStrength } from './strength';

/**
 * What users said about earlier insights of the same report (insight_feedback), counted per finding
 * kind, metric and dimension: "dismissed" is "not news to me", so later findings of that kind for
 * that metric and dimension weigh less (they rank lower and their confidence falls); "useful" by
 * someone else cancels a dismissal. Feedback never removes a finding: an analyst who dismissed a
 * weekly purchase comparison must still see a collapse (a different kind).
 */
export interface FeedbackWeight {
  kind: string;
  metric: string | null;
  dimension: string | null;
  dismissed: number;
  useful: number;
}

/** Each net dismissal halves the strength, at most twice (a quarter of it). */
export const DISMISSED_FACTOR = 0.5;
export const MAX_DISMISSALS_COUNTED = 2;

export function feedbackFactor(finding: Pick<Finding, 'kind' | 'metric' | 'dimension'>, feedback: readonly FeedbackWeight[]): number {
  const entry = feedback.find(
    (candidate) => candidate.kind === finding.kind && candidate.metric === (finding.metric ?? null) && candidate.dimension === (finding.dimension ?? null),
  );
  if (!entry) return 1;
  const net = Math.min(MAX_DISMISSALS_COUNTED, entry.dismissed - entry.useful);
  return net > 0 ? DISMISSED_FACTOR ** net : 1;
}

/** The summary is a statement of totals, not a finding one can disagree with: never down-weighted. */
export function applyFeedback(findings: readonly Finding[], feedback: readonly FeedbackWeight[] | undefined): Finding[] {
  if (!feedback || feedback.length === 0) return [...findings];
  return findings.map((finding) => {
    if (finding.type === 'summary') return finding;
    const factor = feedbackFactor(finding, feedback);
    if (factor === 1) return finding;
    return { ...finding, strength: roundStrength(finding.strength * factor), statistics: { ...finding.statistics, feedbackFactor: factor } };
  });
}
