import type { BuiltView } from '@amc-reports/contracts';
import {
  earlierHistoryIds, historyFingerprint, planRegeneration, settingsSignature, sortHistory, viewsSignature, type HistoryEntry,
} from './history-fingerprint';

const DAY = 86_400_000;
/** Weekly windows w1..wN, each completed an hour after it ended. */
const weeks = (...numbers: number[]): HistoryEntry[] =>
  numbers.map((n) => ({ executionId: `w${n}`, timeWindowStart: n * 7 * DAY, completedAt: (n + 1) * 7 * DAY + 3_600_000 }));
const settings = settingsSignature({ dashboardType: 'funnel', aggregation: { historyLength: 3 }, promptVersion: 'p1', writer: 'statistical' });
const view = (key: string, position: number, fields: string[], x?: string): BuiltView => ({
  key, name: key, viewType: 'chart', position, chart: { kind: 'bar', title: key, x: x ? { field: x, type: 'category' } : undefined, series: fields.map((field) => ({ field, label: field })) },
  data: { rows: [] },
} as unknown as BuiltView);
const views = viewsSignature([view('a', 0, ['clicks'], 'campaign')]);

describe('earlierHistoryIds', () => {
  it.each([
    // index in w1..w5, length → the newest `length` windows before it, oldest first
    [0, 2, []],
    [1, 2, ['w1']],
    [4, 2, ['w3', 'w4']],
    [4, 10, ['w1', 'w2', 'w3', 'w4']],
    [4, 0, []],
  ])('execution %i with %i earlier points → %j', (index, length, expected) => {
    expect(earlierHistoryIds(sortHistory(weeks(1, 2, 3, 4, 5)), index, length)).toEqual(expected);
  });

  it('leaves out executions of the same window start (they are not "before" it)', () => {
    const sorted = sortHistory([...weeks(1, 2), { executionId: 'w2-other-end', timeWindowStart: 2 * 7 * DAY, completedAt: 0 }]);
    const index = sorted.findIndex((entry) => entry.executionId === 'w2');
    expect(earlierHistoryIds(sorted, index, 5)).toEqual(['w1']);
  });
});

describe('planRegeneration', () => {
  const fingerprints = (entries: HistoryEntry[], length = 3, viewShape = views) =>
    new Map(planRegeneration(entries, new Map(), length, settings, viewShape).all.map((p) => [p.executionId, p.fingerprint]));

  it('recomputes nothing when the stored fingerprints are current', () => {
    const current = fingerprints(weeks(1, 2, 3, 4));
    expect(planRegeneration(weeks(1, 2, 3, 4), current, 3, settings, views).stale).toEqual([]);
  });

  it('after a late week 2, recomputes week 2 and the weeks whose history holds it (length 3: weeks 3 and 4), not week 5', () => {
    const before = fingerprints(weeks(1, 3, 4, 5));
    const plan = planRegeneration(weeks(1, 2, 3, 4, 5), before, 3, settings, views);
    expect(plan.stale.map((p) => [p.executionId, p.earlierIds])).toEqual([['w2', ['w1']], ['w3', ['w1', 'w2']], ['w4', ['w2', 'w3']]]);
    expect(plan.all.map((p) => p.executionId)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
  });

  it('a re-run of a window (a new execution id) changes the later fingerprints; the arrival order of ids does not', () => {
    const original = fingerprints(weeks(1, 2, 3));
    const rerun = weeks(1, 2, 3).map((entry) => (entry.executionId === 'w2' ? { ...entry, executionId: 'w2-rerun' } : entry));
    expect(fingerprints(rerun).get('w3')).not.toBe(original.get('w3'));
    expect(fingerprints(weeks(3, 1, 2))).toEqual(original);
  });

  it('settings, wording and the views insights hang on are part of the fingerprint; view data and key order are not', () => {
    const base = historyFingerprint(settings, views, 'w3', ['w1', 'w2']);
    const otherLength = settingsSignature({ dashboardType: 'funnel', aggregation: { historyLength: 4 }, promptVersion: 'p1', writer: 'statistical' });
    const otherWriter = settingsSignature({ dashboardType: 'funnel', aggregation: { historyLength: 3 }, promptVersion: 'p1', writer: 'gpt-x' });
    const otherViews = viewsSignature([view('a', 0, ['clicks', 'purchases'], 'campaign')]);
    expect(new Set([base, historyFingerprint(otherLength, views, 'w3', ['w1', 'w2']), historyFingerprint(otherWriter, views, 'w3', ['w1', 'w2']),
      historyFingerprint(settings, otherViews, 'w3', ['w1', 'w2'])]).size).toBe(4);
    const reordered = settingsSignature({ dashboardType: 'funnel', aggregation: { stages: [{ column: 'x' }], historyLength: 3 }, promptVersion: 'p1', writer: 'statistical' });
    const ordered = settingsSignature({ dashboardType: 'funnel', aggregation: { historyLength: 3, stages: [{ column: 'x' }] }, promptVersion: 'p1', writer: 'statistical' });
    expect(reordered).toBe(ordered);
    const withData = { ...view('a', 0, ['clicks'], 'campaign'), data: { rows: [{ clicks: 5 }] } } as BuiltView;
    expect(viewsSignature([withData])).toBe(views);
  });
});
