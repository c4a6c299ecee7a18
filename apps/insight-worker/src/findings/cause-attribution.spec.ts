import { attributeCauses, type MetricEffect } from './cause-attribution';
import { buildMetricChain } from './metric-chain';

/** The funnel of a sponsored-ads result: impressions → clicks → detail page views → add to cart → purchases, plus sales and spend. */
const chain = buildMetricChain(
  ['impressions', 'clicks', 'detailPageViews', 'addToCart', 'purchases', 'sales', 'spend'],
  [
    { id: 'roas', numerator: 'sales', denominator: 'spend' },
    { id: 'purchaseRateOfClicks', numerator: 'purchases', denominator: 'clicks' },
  ],
  [],
  (volume, parent) => `${volume}Of${parent}`,
);

/** Relative changes → effects: `!` marks a move the anomaly test established, any other ≥ 10 % is notable. */
function effects(changes: Record<string, number | `${number}!`>): Map<string, MetricEffect> {
  return new Map(
    Object.entries(changes).map(([metric, raw]) => {
      const change = typeof raw === 'number' ? raw : Number(raw.slice(0, -1));
      return [metric, { metric, significant: typeof raw === 'string', notable: Math.abs(change) >= 0.1, size: Math.log1p(change) }];
    }),
  );
}

describe('attributeCauses', () => {
  it('makes a click-through drop one cause, with every volume after it as its consequence', () => {
    const groups = attributeCauses(
      chain,
      effects({
        impressions: 0.01, clicksOfimpressions: '-0.5!', clicks: '-0.49!', detailPageViewsOfclicks: 0.02, detailPageViews: '-0.48!',
        addToCartOfdetailPageViews: -0.03, addToCart: '-0.5!', purchasesOfaddToCart: 0.01, purchases: '-0.5!', salesOfpurchases: 0, sales: '-0.5!',
        spendOfimpressions: 0, spend: 0.01, roas: '-0.5!', purchaseRateOfClicks: -0.02,
      }),
    );
    expect(groups).toEqual([
      { cause: 'clicksOfimpressions', role: 'rate', consequences: ['clicks', 'detailPageViews', 'addToCart', 'purchases', 'sales', 'roas'] },
    ]);
  });

  it('makes a whole-funnel collapse one volume cause at the top, the rates untouched', () => {
    const groups = attributeCauses(
      chain,
      effects({
        impressions: '-0.55!', clicksOfimpressions: 0.02, clicks: '-0.54!', detailPageViewsOfclicks: -0.01, detailPageViews: '-0.55!',
        addToCartOfdetailPageViews: 0, addToCart: '-0.55!', purchasesOfaddToCart: 0.03, purchases: '-0.53!', salesOfpurchases: 0, sales: '-0.53!',
        spendOfimpressions: 0, spend: '-0.55!', roas: 0.04, purchaseRateOfClicks: 0.02,
      }),
    );
    expect(groups).toEqual([
      { cause: 'impressions', role: 'volume', consequences: ['clicks', 'detailPageViews', 'addToCart', 'purchases', 'sales', 'spend'] },
    ]);
  });

  it('places a purchase collapse that only the order value proves at the stage that fell most', () => {
    // Purchases −85 % against noisy history (not established on its own), sales only −40 %: sales per
    // purchase +300 % is far outside its range. Along purchases' path the add-to-cart → purchase
    // rate (−80 %) moved most, so that is the cause; purchases and the order value follow it.
    const groups = attributeCauses(
      chain,
      effects({
        impressions: 0.02, clicksOfimpressions: -0.05, clicks: -0.03, detailPageViewsOfclicks: 0.04, detailPageViews: 0.01,
        addToCartOfdetailPageViews: -0.2, addToCart: -0.2, purchasesOfaddToCart: -0.8, purchases: -0.85, salesOfpurchases: '3!', sales: -0.4,
        roas: -0.4, purchaseRateOfClicks: -0.84,
      }),
    );
    expect(groups).toEqual([{ cause: 'purchasesOfaddToCart', role: 'rate', consequences: ['purchases', 'salesOfpurchases', 'sales', 'roas', 'purchaseRateOfClicks'] }]);
  });

  it('keeps two causes apart and gives a volume downstream of both to the larger move', () => {
    const groups = attributeCauses(
      chain,
      effects({ impressions: '-0.3!', clicksOfimpressions: '-0.6!', clicks: '-0.72!', detailPageViewsOfclicks: 0, detailPageViews: '-0.72!' }),
    );
    expect(groups).toEqual([
      { cause: 'impressions', role: 'volume', consequences: [] },
      { cause: 'clicksOfimpressions', role: 'rate', consequences: ['clicks', 'detailPageViews'] },
    ]);
  });

  it('makes a ratio a cause of its own when neither of its volumes moved', () => {
    expect(attributeCauses(chain, effects({ sales: -0.06, spend: 0.07, roas: '-0.13!' }))).toEqual([{ cause: 'roas', role: 'rate', consequences: [] }]);
  });

  it('finds nothing when nothing was established', () => {
    expect(attributeCauses(chain, effects({ impressions: -0.12, clicks: -0.12, roas: 0.11 }))).toEqual([]);
  });
});
