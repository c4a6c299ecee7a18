import { applyFeedback, feedbackFactor, type FeedbackWeight } from './feedback-weights';
import type { Finding } from './finding';

const finding = (kind: Finding['kind'], metric?: string, dimension?: string): Finding => ({
  id: `${kind}.${metric ?? ''}`, type: kind === 'summary' ? 'summary' : 'comparison', kind, metric, dimension,
  numbers: {}, units: {}, executionIds: [], strength: 0.4, statistics: {},
});
const weight = (dismissed: number, useful: number, metric: string | null = 'purchases', dimension: string | null = null): FeedbackWeight => ({
  kind: 'comparison.metric', metric, dimension, dismissed, useful,
});

describe('feedback weights', () => {
  it('halves a dismissed kind for the same metric and dimension, at most twice', () => {
    expect(feedbackFactor(finding('comparison.metric', 'purchases'), [weight(1, 0)])).toBe(0.5);
    expect(feedbackFactor(finding('comparison.metric', 'purchases'), [weight(5, 0)])).toBe(0.25);
  });

  it('lets "useful" from someone else cancel a dismissal', () => {
    expect(feedbackFactor(finding('comparison.metric', 'purchases'), [weight(1, 1)])).toBe(1);
  });

  it('leaves other kinds, metrics and dimensions alone', () => {
    expect(feedbackFactor(finding('anomaly.metric', 'purchases'), [weight(2, 0)])).toBe(1);
    expect(feedbackFactor(finding('comparison.metric', 'clicks'), [weight(2, 0)])).toBe(1);
    expect(feedbackFactor(finding('comparison.metric', 'purchases', 'campaign'), [weight(2, 0)])).toBe(1);
  });

  it('never down-weights the summary, and records the factor it applied', () => {
    const [summary, comparison] = applyFeedback([finding('summary'), finding('comparison.metric', 'purchases')], [{ ...weight(1, 0), kind: 'summary', metric: null }, weight(1, 0)]);
    expect(summary.strength).toBe(0.4);
    expect(comparison).toMatchObject({ strength: 0.2, statistics: { feedbackFactor: 0.5 } });
  });
});
