import { Readable } from 'node:stream';
import { buildEChartsOption } from '@amc-reports/charts';
import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { profileFixture, singleExecutionInput } from '../test/build-inputs';
import { profileCsvStream } from '@amc-reports/result-profile';
import { UnusableResultError } from '@amc-reports/result-profile';
import { buildDashboard } from './build-dashboard';

const FUNNEL_VIEWS = ['funnel.cards', 'funnel.stages', 'funnel.conversion-rates', 'funnel.campaigns', 'funnel.ad-products', 'funnel.history', 'funnel.history-rates'];
const samples: Array<[DashboardType, string, string[]]> = [
  ['funnel', 'funnel_by_campaign.csv', FUNNEL_VIEWS],
  ['funnel', 'funnel_with_filtered_rows.csv', FUNNEL_VIEWS],
  ['funnel', 'history/funnel_week_08.csv', FUNNEL_VIEWS],
  ['performance', 'performance_daily.csv', ['performance.cards', 'performance.history', 'performance.daily', 'performance.campaigns']],
  ['performance', 'funnel_by_campaign.csv', ['performance.cards', 'performance.history', 'performance.campaigns']],
  [
    'attribution',
    'attribution_models.csv',
    ['attribution.cards', 'attribution.models', 'attribution.model-comparison', 'attribution.credit-share', 'attribution.campaigns'],
  ],
  ['audience', 'audience_overlap.csv', ['audience.cards', 'audience.segments', 'audience.overlap', 'audience.reach-history']],
  ['audience', 'frequency_distribution.csv', ['audience.cards', 'audience.frequency', 'audience.reach-history']],
  ['audience', 'path_to_conversion.csv', ['audience.cards', 'audience.paths', 'audience.path-rates']],
];

describe('buildDashboard', () => {
  it.each(samples)('builds a %s dashboard from %s', async (type, fixture, keys) => {
    const views = buildDashboard(type, singleExecutionInput(await profileFixture(fixture)));
    expect(views.map((view) => view.key)).toEqual(keys);
    expect(views.map((view) => view.position)).toEqual(keys.map((_, index) => index));
  });

  it.each(samples)('gives %s views of %s that chart, serialise as JSON and rebuild identically', async (type, fixture) => {
    const input = singleExecutionInput(await profileFixture(fixture));
    const views = buildDashboard(type, input);
    expect(buildDashboard(type, input)).toEqual(views);
    expect(JSON.parse(JSON.stringify(views))).toEqual(views);
    for (const view of views) {
      const fields = new Set(view.data.rows.flatMap((row) => Object.keys(row)));
      const referenced = [view.chart.x?.field, ...view.chart.series.map((series) => series.field)].filter((field) => field !== undefined);
      for (const field of referenced) expect({ view: view.key, field, present: fields.has(field!) || view.data.rows.length === 0 }).toMatchObject({ present: true });
      expect(() => buildEChartsOption(view.chart, view.data.rows)).not.toThrow();
    }
  });

  it('builds a custom dashboard from the declared views', async () => {
    const input = singleExecutionInput(await profileFixture('performance_daily.csv'), {
      visualization: { views: [{ key: 'clicks', title: 'Clicks by campaign', kind: 'pie', x: 'campaign', y: 'clicks' }] },
    });
    expect(buildDashboard('custom', input).map((view) => view.key)).toEqual(['custom.clicks']);
  });

  const csv = (text: string) => profileCsvStream(Readable.from([text]));

  it.each<[string, DashboardType, string, string, string]>([
    [
      'a result with no numeric column',
      'performance',
      'campaign,note\nHoliday_Sponsored_Products,first\nBrand_Defense_SB,second\n',
      'no_numeric_column',
      'the result has no numeric column to chart (columns: campaign (string), note (string))',
    ],
    ['a result with no rows', 'funnel', 'campaign,impressions,clicks\n', 'no_rows', 'the result has no rows'],
    [
      'a funnel from a result with one stage column',
      'funnel',
      'exposure_group,reach,conversions\nDSP only,437094,19597\n',
      'wrong_shape',
      'a funnel needs at least 2 stage columns (impressions, clicks, detail_page_view, add_to_cart, purchases); found conversions. Name the stages in data_aggregation_settings.stages',
    ],
    [
      'an audience dashboard from a campaign result',
      'audience',
      'campaign,impressions\nA,10\n',
      'wrong_shape',
      'an audience dashboard needs an exposure_group, frequency_bucket or path column, or a reach column (user_reach, reach, users_in_bucket)',
    ],
  ])('rejects %s with a readable UnusableResultError', async (_name, type, text, reason, message) => {
    const profile = await csv(text);
    const error = (() => {
      try {
        buildDashboard(type, singleExecutionInput(profile));
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UnusableResultError);
    expect(error).toMatchObject({ reason, message });
  });
});
