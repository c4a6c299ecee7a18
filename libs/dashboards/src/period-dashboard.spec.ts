import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { addSumsAcrossExecutions, buildMetricFrame, readSums } from '@amc-reports/metrics';
import { profileInlineRows } from '@amc-reports/result-profile';
import { PERIOD_DELIVERY_ORDER, PERIOD_WEEKS, PRIVACY_REFUSAL } from '../test/period-history';
import { buildPlannedDashboard, profilesNeeded } from './build-planned-dashboard';
import { mergeProfiles } from './merge-profiles';
import { type ComparisonRequest, planPeriod, PeriodRequestError, type PeriodRequest } from './period-plan';
import type { TimelineExecution } from './timeline';

const profiles = new Map<string, ResultProfile>();
const timeline: TimelineExecution[] = PERIOD_DELIVERY_ORDER.map((name) => {
  const week = PERIOD_WEEKS[name];
  if (week.rows) profiles.set(week.executionId, profileInlineRows(week.columns!, week.rows));
  return {
    executionId: week.executionId, timeWindowStart: new Date(week.window.start).toISOString(), timeWindowEnd: new Date(week.window.end).toISOString(),
    timeZone: week.window.timeZone, status: week.status, state: week.status === 'SUCCEEDED' ? 'usable' : 'failed', completedAt: week.occurredAt,
    supersededBy: name === 'week4' ? PERIOD_WEEKS.week4Rerun.executionId : null, reason: week.error ? `${week.error.code}: ${week.error.message}` : null,
  };
});
const settings = { visualization: {}, aggregation: {} };

function build(period: PeriodRequest, comparison: ComparisonRequest = { kind: 'previous' }) {
  const plan = planPeriod(timeline, period, comparison, 12);
  const needed = new Map(profilesNeeded(plan).map((id) => [id, profiles.get(id)!]));
  return { plan, ...buildPlannedDashboard('funnel', settings, plan, needed, { compareTables: true }) };
}
const view = (views: BuiltView[], key: string) => views.find((entry) => entry.key === key)!;
const cards = (views: BuiltView[]) => view(views, 'funnel.cards').data;

describe('the latest window', () => {
  it('shows the re-run of week 4 compared with week 3: purchases 30 vs 36 (−6, −16.67 %)', () => {
    const { plan, views } = build({ kind: 'latest' });
    expect(plan.period.members.map((execution) => execution.executionId)).toEqual([PERIOD_WEEKS.week4Rerun.executionId]);
    expect(cards(views).window).toEqual({ latest: '2026-11-23 – 2026-11-29', previous: '2026-11-16 – 2026-11-22' });
    expect(cards(views).rows[0]).toMatchObject({ period: 'latest', purchases: 30, impressions: 15_000 });
    expect(cards(views).rows[1]).toMatchObject({ period: 'previous', purchases: 36, impressions: 18_000 });
    expect(cards(views).summary!.purchasesChange).toBeCloseTo(-6 / 36, 10);
    const campaigns = view(views, 'funnel.campaigns').data.rows;
    const campaignA = campaigns.find((row) => row.campaign === 'A')!;
    expect(campaignA).toMatchObject({ purchases: 25, 'purchases.previous': 30, 'purchases.delta': -5 });
    expect(campaignA['purchases.deltaPct']).toBeCloseTo(-5 / 30, 12);
    expect(view(views, 'funnel.campaigns').chart.series.map((series) => series.label)).toEqual(expect.arrayContaining([
      'Purchases (2026-11-16 – 2026-11-22)', 'Δ Purchases', 'Δ % Purchases',
    ]));
  });

  it('draws the failed week 2 as a gap in the history, not a skipped point', () => {
    const { views } = build({ kind: 'latest' });
    const history = view(views, 'funnel.history').data;
    expect(history.rows.map((row) => [row.window, row.gap ?? 'ok', row.purchases])).toEqual([
      ['2025-11-03', 'ok', 20], ['2025-11-10', 'missing', null], ['2026-11-02', 'ok', 25], ['2026-11-09', 'failed', null], ['2026-11-16', 'ok', 36], ['2026-11-23', 'ok', 30],
    ]);
    expect(history.notes).toContain(`2026-11-09 – 2026-11-15: failed (PrivacyThresholdNotMet: ${PRIVACY_REFUSAL}); a gap, not a zero`);
  });
});

describe('one past execution', () => {
  it('compares week 3 with the failed week 2 as a gap naming AMC\'s reason, never with week 1', () => {
    const { views, comparison } = build({ kind: 'execution', executionId: PERIOD_WEEKS.week3.executionId });
    expect(comparison).toEqual({ kind: 'previous', window: '2026-11-09 – 2026-11-15', state: 'failed', reason: `PrivacyThresholdNotMet: ${PRIVACY_REFUSAL}` });
    expect(cards(views).rows).toHaveLength(1);
    expect(cards(views).summary!.purchasesChange).toBeUndefined();
    expect(cards(views).filteredRowCount).toBe(1);
    expect(view(views, 'funnel.campaigns').data.rows.find((row) => row.campaign === 'C')).toMatchObject({ purchases: null, filteredRowCount: 1 });
  });

  it('compares week 1 with the same week a year earlier (Nov 3 – Nov 9, 2025): purchases 25 vs 20, +25 %', () => {
    const { views, comparison } = build({ kind: 'execution', executionId: PERIOD_WEEKS.week1.executionId }, { kind: 'year' });
    expect(comparison).toMatchObject({ kind: 'year', window: '2025-11-03 – 2025-11-09', state: 'ok' });
    expect(cards(views).summary!.purchasesChange).toBeCloseTo(0.25, 10);
  });

  it('says a missing year-earlier window is missing', () => {
    const { comparison } = build({ kind: 'latest' }, { kind: 'year' });
    expect(comparison).toMatchObject({ kind: 'year', window: '2025-11-23 – 2025-11-29', state: 'missing' });
  });

  it('compares the re-run with the run it replaced: purchases 30 vs 26', () => {
    const { views } = build({ kind: 'latest' }, { kind: 'execution', executionId: PERIOD_WEEKS.week4.executionId });
    expect(cards(views).rows.map((row) => row.purchases)).toEqual([30, 26]);
  });

  it('shows a failed execution as failed, with no views', () => {
    const { plan, views } = build({ kind: 'execution', executionId: PERIOD_WEEKS.week2.executionId });
    expect(plan.period).toMatchObject({ state: 'failed', reason: `PrivacyThresholdNotMet: ${PRIVACY_REFUSAL}` });
    expect(views).toEqual([]);
  });

  it('refuses an id that is no execution of the workflow, naming the parameter', () => {
    expect(() => build({ kind: 'execution', executionId: '00000000-0000-4000-8000-000000000000' })).toThrow(PeriodRequestError);
    expect(() => build({ kind: 'latest' }, { kind: 'execution', executionId: PERIOD_WEEKS.week4Rerun.executionId })).toThrow(/execution shown/);
  });
});

describe('a range of weeks', () => {
  it('adds weeks 1, 3 and 4 (re-run) of Nov 2 – Nov 29, the failed week 2 a gap: 48,000 impressions, 91 purchases, CTR 1.8125 %', () => {
    const { plan, views } = build({ kind: 'range', from: '2026-11-02', to: '2026-11-29' }, { kind: 'none' });
    expect(plan.period.members.map((execution) => execution.executionId)).toEqual(
      [PERIOD_WEEKS.week1, PERIOD_WEEKS.week3, PERIOD_WEEKS.week4Rerun].map((week) => week.executionId));
    expect(plan.period.gaps.map((gap) => gap.state)).toEqual(['failed']);
    const latest = cards(views).rows[0];
    expect(latest).toMatchObject({ impressions: 48_000, clicks: 870, purchases: 91, sales: 4_550, ctr: 870 / 48_000 });
    expect(cards(views).window!.latest).toBe('2026-11-02 – 2026-11-29');
    expect(view(views, 'funnel.campaigns').data.rows.find((row) => row.campaign === 'A')).toMatchObject({ impressions: 33_000, purchases: 75 });
    expect(view(views, 'funnel.history').data.rows.map((row) => row.gap ?? row.purchases)).toEqual([25, 'failed', 36, 30]);
  });

  it('never adds reach across weeks (unknown), as the metric layer\'s accumulator does', () => {
    const weeks = [PERIOD_WEEKS.week1, PERIOD_WEEKS.week3].map((week) => profiles.get(week.executionId)!);
    const merged = mergeProfiles(weeks.map((profile, index) => ({ profile, window: `week ${index}` })), {});
    expect(merged.totals.user_reach).toBeUndefined();
    expect(merged.notes!.join(' ')).toMatch(/user_reach: distinct users cannot be added/);
    const sums = weeks.map((profile) => readSums(profile.totals, buildMetricFrame(profile)));
    expect(readSums(merged.totals, buildMetricFrame(merged))).toEqual(addSumsAcrossExecutions(sums));
    expect(merged).toMatchObject({ rowCount: 5, filteredRowCount: 1 });
  });

  it('"the last 4 weeks" is Nov 2 – Nov 29, compared with the 4 weeks before, which have no execution', () => {
    const { plan, comparison } = build({ kind: 'weeks', weeks: 4 });
    expect([plan.period.first, plan.period.last]).toEqual(['2026-11-02', '2026-11-29']);
    expect(comparison).toMatchObject({ window: '2026-10-05 – 2026-11-01', state: 'missing' });
  });

  it('compares Nov 16 – Nov 29 with Nov 2 – Nov 15 and says the compared range misses its failed week', () => {
    const { views, comparison } = build({ kind: 'range', from: '2026-11-16', to: '2026-11-29' });
    expect(comparison).toMatchObject({ window: '2026-11-02 – 2026-11-15', state: 'ok', reason: '1 window of it without numbers: failed' });
    expect(cards(views).rows.map((row) => row.purchases)).toEqual([66, 25]);
  });

  it('counts overlapping windows once and leaves out windows reaching outside the range', () => {
    const overlapping: TimelineExecution = {
      ...timeline.find((execution) => execution.executionId === PERIOD_WEEKS.week3.executionId)!,
      executionId: 'two-weeks', timeWindowStart: '2026-11-16T05:00:00.000Z', timeWindowEnd: '2026-11-30T05:00:00.000Z', completedAt: '2026-12-01T00:00:00Z',
    };
    const plan = planPeriod([...timeline, overlapping], { kind: 'range', from: '2026-11-05', to: '2026-11-29' }, { kind: 'none' }, 12);
    expect(plan.period.members.map((execution) => execution.executionId)).toEqual([PERIOD_WEEKS.week3.executionId, PERIOD_WEEKS.week4Rerun.executionId]);
    expect(plan.period.excluded.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(/^overlaps Nov 23 – Nov 29, 2026/), expect.stringMatching(/reaches outside the range/),
    ]);
    expect(plan.period.gaps.map((gap) => [gap.state, gap.reason])).toEqual([
      ['missing', 'only an execution reaching outside the range covers these days (2026-11-05 – 2026-11-08)'], ['failed', `PrivacyThresholdNotMet: ${PRIVACY_REFUSAL}`],
    ]);
  });

  it('refuses a range ending before it starts', () => {
    expect(() => build({ kind: 'range', from: '2026-11-29', to: '2026-11-02' })).toThrow(/must not be before from/);
  });
});
