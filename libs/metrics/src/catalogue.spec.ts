import { BASE_METRICS, BASE_METRIC_IDS } from './base-metrics';
import { METRICS, getMetric, ratioMetric } from './catalogue';
import { DERIVED_METRICS } from './derived-metrics';
import { describeFormula, formulaText } from './formula-text';
import { buildMetricFrame } from './metric-frame';

describe('the metric catalogue', () => {
  it('defines a conversion rate once: one metric divides purchases by clicks, another purchases by impressions, with different labels', () => {
    const ofClicks = DERIVED_METRICS.filter((metric) => metric.numerator === 'purchases' && metric.denominator === 'clicks');
    const ofImpressions = DERIVED_METRICS.filter((metric) => metric.numerator === 'purchases' && metric.denominator === 'impressions');
    expect(ofClicks.map((metric) => metric.label)).toEqual(['Purchase rate (of clicks)']);
    expect(ofImpressions.map((metric) => metric.label)).toEqual(['Purchase rate (of impressions)']);
    expect(ratioMetric('purchases', 'clicks')).toBe(ofClicks[0]);
  });

  it('never gives two quantities one label, nor one quantity two definitions', () => {
    const labels = METRICS.map((metric) => metric.label.toLowerCase());
    expect(new Set(labels).size).toBe(labels.length);
    const ratios = DERIVED_METRICS.map((metric) => `${metric.numerator}/${metric.denominator}×${metric.scale ?? 1}`);
    expect(new Set(ratios).size).toBe(ratios.length);
    expect(new Set(METRICS.map((metric) => metric.id)).size).toBe(METRICS.length);
  });

  it('builds every ratio from base metrics, and lists every base metric id', () => {
    const baseIds = new Set(BASE_METRICS.map((metric) => metric.id));
    expect([...baseIds]).toEqual([...BASE_METRIC_IDS]);
    for (const metric of DERIVED_METRICS) {
      expect(baseIds.has(metric.numerator) && baseIds.has(metric.denominator)).toBe(true);
    }
  });

  it('names a ratio it does not know after what it divides', () => {
    expect(ratioMetric('addToCart', 'detailPageViews')).toMatchObject({
      id: 'addToCartOfDetailPageViews',
      label: 'Add to cart (of detail page views)',
      unit: 'percent',
      upIsGood: true,
    });
  });

  it('says whether up is good', () => {
    expect(getMetric('roas').upIsGood).toBe(true);
    expect(getMetric('cpa').upIsGood).toBe(false);
    expect(getMetric('spend').upIsGood).toBeNull();
  });
});

describe('formula text', () => {
  it('states each derived metric as a division of sums', () => {
    expect(formulaText('ctr')).toBe('Clicks ÷ Impressions');
    expect(formulaText('cpm')).toBe('Spend ÷ Impressions × 1,000');
  });

  it('names the columns and the spend conversion of the result', () => {
    const frame = buildMetricFrame({ metrics: ['product_sales', 'total_cost', 'impressions'], totals: { product_sales: 10, total_cost: 900_000_000, impressions: 1e6 } });
    expect(describeFormula('roas', frame)).toBe(
      'Return on ad spend (ROAS) = Sales ÷ Spend; Sales: sum of product_sales; Spend: sum of total_cost in millicents ÷ 100,000 (USD). Sums over rows, then divided.',
    );
    expect(describeFormula('impressions', frame)).toBe('Impressions = sum of impressions');
  });
});
