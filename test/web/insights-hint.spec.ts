import type { Dashboard, Insight, RunState } from '../../apps/web/src/api-types';
import { insightsHint } from '../../apps/web/src/dashboard/insights-hint';

const run = (executionId: string, start: string, end: string): RunState => ({
  executionId, status: 'SUCCEEDED', timeWindow: { start, end, timeZone: 'UTC' }, completedAt: end, rowCount: 2, filteredRowCount: 0, error: null, superseded: false,
});
const insight = (executionId: string): Insight => ({
  id: `i-${executionId}`, viewId: 'v', executionId, type: 'trend', text: 'Clicks rose', confidence: 0.8, aiModel: null, sourceData: null, createdAt: '2026-10-20T00:00:00Z',
});
const week41 = run('e41', '2026-10-05T00:00:00Z', '2026-10-12T00:00:00Z');
const week42 = run('e42', '2026-10-12T00:00:00Z', '2026-10-19T00:00:00Z');
const latest = (insights: Insight[]): Pick<Dashboard, 'period' | 'latestRun' | 'insights' | 'history'> => ({
  period: { kind: 'latest', timeWindow: week42.timeWindow, state: 'ok', reason: null, executionIds: ['e42'], gaps: [], excluded: [], replacedBy: null },
  latestRun: week42, history: [week42, week41], insights,
});

it('says the insights are the shown window\'s when they are', () => {
  expect(insightsHint(latest([insight('e42')]))).toBe('Latest execution, most confident first');
  expect(insightsHint(latest([]))).toBe('Latest execution, most confident first');
});

it('names the earlier window whose insights are shown while the shown window\'s are still being computed', () => {
  expect(insightsHint(latest([insight('e41')]))).toBe('Insights of Oct 5 – Oct 11, 2026: those of the window shown are still being computed');
  expect(insightsHint({ ...latest([insight('e30')]) })).toBe('Insights of an earlier window: those of the window shown are still being computed');
});

it('a range has none of its own, and one execution shown is said so', () => {
  const range = latest([]);
  expect(insightsHint({ ...range, period: { ...range.period!, kind: 'range', executionIds: ['e41', 'e42'] } })).toMatch(/^A range has no insights/);
  expect(insightsHint({ ...range, period: { ...range.period!, kind: 'execution', executionIds: ['e41'] }, insights: [insight('e41')] }))
    .toBe('The shown execution, most confident first');
});
