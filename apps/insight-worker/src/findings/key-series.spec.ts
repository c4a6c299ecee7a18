import { OTHER_BUCKET_KEY, type ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { profileFromCsv, weeklyExecution } from '../../test/profile-from-csv';
import type { ExecutionProfile } from './finding';
import { buildInsightMetrics, buildKeySeries, metricByKey } from './insight-metrics';

/** A week's campaigns; `truncated` adds the `__other__` bucket a top-K cut leaves. */
function week(index: number, rows: string, truncated = false): ExecutionProfile {
  const profile = profileFromCsv(`campaign,impressions,clicks\n${rows}`);
  if (!truncated) return weeklyExecution(index, profile);
  const buckets = profile.dimensionBreakdowns.campaign;
  const other = { ...buckets[0], key: OTHER_BUCKET_KEY };
  const withOther: ResultProfile = { ...profile, dimensionBreakdowns: { ...profile.dimensionBreakdowns, campaign: [...buckets, other] } };
  return weeklyExecution(index, withOther);
}

describe('a campaign series over the history (read from per-profile value columns)', () => {
  const history = [week(1, 'A,1000,10\nB,500,0'), week(2, 'B,400,4'), week(3, 'B,300,3', true), week(4, 'A,1200,0\nB,200,2')];
  const catalog = buildInsightMetrics(history[3].profile, { dashboardType: 'performance' });

  it('a volume missing from an execution that listed every key is 0; past a top-K cut it is unknown', () => {
    const impressions = metricByKey(catalog, 'impressions')!;
    expect(buildKeySeries(catalog, history, 'campaign', 'A', impressions).map(({ index, value }) => [index, value])).toEqual([[0, 1000], [1, 0], [3, 1200]]);
  });

  it('a rate is left out where its denominator is missing or its value is undefined, never read as 0', () => {
    const ctr = metricByKey(catalog, 'ctr')!;
    expect(buildKeySeries(catalog, history, 'campaign', 'A', ctr).map(({ index, value }) => [index, value])).toEqual([[0, 1], [3, 0]]);
    expect(buildKeySeries(catalog, history, 'campaign', 'B', ctr).map(({ index }) => index)).toEqual([0, 1, 2, 3]);
  });

  it('reads the same values again from the cached column, and each execution through its own point', () => {
    const impressions = metricByKey(catalog, 'impressions')!;
    const first = buildKeySeries(catalog, history, 'campaign', 'B', impressions);
    expect(buildKeySeries(catalog, history, 'campaign', 'B', impressions)).toEqual(first);
    expect(first.map((point) => point.executionId)).toEqual(history.map((execution) => execution.executionId));
    expect(first.map((point) => point.value)).toEqual([500, 400, 300, 200]);
  });
});
