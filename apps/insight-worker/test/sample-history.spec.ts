/**
 * What the 8-week sample (copied into test/fixtures/history) actually holds, checked
 * by hand, because issue 4 expected "the anomaly in week 7 and the upward trend in impressions".
 * The week-7 anomaly is there (in the add-to-cart → purchase rate and in clicks, when week 7 is the
 * latest execution). An upward impressions trend is not: impressions fall in total, in every
 * campaign and in every ad product. The engine reports that as it is.
 */
import { fitLeastSquares } from '../src/findings/least-squares';
import { robustZScore } from '../src/findings/robust-z-score';
import { loadWeeklyHistory } from './profile-from-csv';

const weeks = loadWeeklyHistory();
const totals = (metric: string) => weeks.map((week) => week.profile.totals[metric]);
const byKey = (dimension: string, key: string, metric: string) =>
  weeks.map((week) => week.profile.dimensionBreakdowns[dimension].find((bucket) => bucket.key === key)!.totals[metric]);

describe('impressions in the 8-week sample (x = week 0..7, Sxx = 42, slope = Sxy / 42)', () => {
  it.each([
    // [series, Sxy, slope per week, R², values]
    ['all campaigns', -8_239_925, -196_188.6905, 0.2321, totals('impressions')],
    ['Holiday_Sponsored_Products', -141_087.5, -3_359.2262, 0.0001, byKey('campaign', 'Holiday_Sponsored_Products', 'impressions')],
    ['Brand_Defense_SB', -580_125, -13_812.5, 0.004, byKey('campaign', 'Brand_Defense_SB', 'impressions')],
    ['Prospecting_DSP_Display', -2_182_405.5, -51_962.0357, 0.0389, byKey('campaign', 'Prospecting_DSP_Display', 'impressions')],
    ['Retargeting_DSP_Video', -2_521_359.5, -60_032.369, 0.051, byKey('campaign', 'Retargeting_DSP_Video', 'impressions')],
    ['Launch_Sponsored_Display', -2_814_947.5, -67_022.5595, 0.0872, byKey('campaign', 'Launch_Sponsored_Display', 'impressions')],
    ['DSP (both DSP campaigns)', -4_703_765, -111_994.4048, 0.4866, byKey('ad_product_type', 'DSP', 'impressions')],
  ])('%s: falls, never rises (Sxy %d, slope %d a week, R² %d)', (_label, sxy, slope, r2, series) => {
    const fit = fitLeastSquares(series)!;
    expect(fit.slope * 42).toBeCloseTo(sxy, 1);
    expect(fit.slope).toBeCloseTo(slope, 3);
    expect(fit.r2).toBeCloseTo(r2, 4);
    expect(fit.slope).toBeLessThan(0);
  });

  it('has no upward trend even without the last week: weeks 1–7 fall too (slope −152,981 a week, R² 0.11)', () => {
    const fit = fitLeastSquares(totals('impressions').slice(0, 7))!;
    expect(fit.slope).toBeCloseTo(-152_981.1, 1);
    expect(fit.r2).toBeCloseTo(0.112, 3);
  });
});

describe('week 7 of the sample against weeks 1–6 (robust z = (x − median) / (1.4826 × MAD))', () => {
  const week7 = (series: number[]) => robustZScore(series[6], series.slice(0, 6))!.z;

  it.each([
    // Rates in %: purchases / add_to_cart 31.08 40.09 46.55 50.86 39.67 47.82 → 12.25.
    ['add to cart → purchase rate', -5.1437, weeks.map((week) => (100 * week.profile.totals.purchases) / week.profile.totals.add_to_cart)],
    ['clicks', -4.386, totals('clicks')],
    ['Retargeting_DSP_Video detail page views', -4.2831, byKey('campaign', 'Retargeting_DSP_Video', 'detail_page_view')],
    ['Retargeting_DSP_Video clicks', -3.0608, byKey('campaign', 'Retargeting_DSP_Video', 'clicks')],
    ['Launch_Sponsored_Display new-to-brand purchases', 3.187, byKey('campaign', 'Launch_Sponsored_Display', 'new_to_brand_purchases')],
  ])('%s is an anomaly (|z| ≥ 3): z = %d', (_label, z, series) => {
    expect(week7(series)).toBeCloseTo(z, 3);
  });

  it('is not an anomaly in total impressions: 5,477,146 against a median of 7,245,726 (MAD 530,667), z = −2.25', () => {
    expect(week7(totals('impressions'))).toBeCloseTo(-2.2479, 4);
  });
});
