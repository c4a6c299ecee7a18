/**
 * Test helper: small weekly funnel histories by campaign, with a fixed ±2–3 % wiggle (so each series
 * has a spread) and whatever change a test applies to a week. Built through the CSV helper, so the
 * profiles look like the profiler's (per campaign, per ad product, campaign × ad product).
 */
import type { ExecutionProfile } from '../src/findings/finding';
import { profileFromCsv, weeklyExecution } from './profile-from-csv';

export interface CampaignPlan {
  name: string;
  adProduct: string;
  impressions: number;
  ctr: number;
  /** Purchases per click. */
  purchaseRate: number;
  orderValue: number;
  cpm: number;
}

export const CAMPAIGN_A: CampaignPlan = { name: 'Always_On_SP', adProduct: 'SPONSORED_PRODUCTS', impressions: 1_000_000, ctr: 0.01, purchaseRate: 0.05, orderValue: 40, cpm: 5 };
export const CAMPAIGN_B: CampaignPlan = { name: 'Prospecting_DSP', adProduct: 'DSP', impressions: 800_000, ctr: 0.005, purchaseRate: 0.04, orderValue: 35, cpm: 6 };
export const CAMPAIGN_C: CampaignPlan = { name: 'Brand_SB', adProduct: 'SPONSORED_BRANDS', impressions: 600_000, ctr: 0.012, purchaseRate: 0.045, orderValue: 45, cpm: 5.5 };

const WIGGLE = [1, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.015, 0.985, 1.005, 0.995, 1.02];

export type WeekChange = (campaign: CampaignPlan, week: number) => { impressions?: number; ctr?: number; purchaseRate?: number };

export function funnelWeeks(weeks: number, campaigns: readonly CampaignPlan[], change: WeekChange = () => ({})): ExecutionProfile[] {
  return Array.from({ length: weeks }, (_, week) => {
    const rows = campaigns.map((campaign, index) => {
      const { impressions: volume = 1, ctr = 1, purchaseRate = 1 } = change(campaign, week);
      const wiggle = (shift: number) => WIGGLE[(week + index * 3 + shift) % WIGGLE.length];
      const impressions = Math.round(campaign.impressions * volume * wiggle(0));
      const clicks = Math.round(impressions * campaign.ctr * ctr * wiggle(1));
      const purchases = Math.round(clicks * campaign.purchaseRate * purchaseRate * wiggle(2));
      const sales = Math.round(purchases * campaign.orderValue * wiggle(3) * 100) / 100;
      const cost = Math.round((impressions / 1000) * campaign.cpm * wiggle(4) * 100) / 100;
      return [campaign.name, campaign.adProduct, impressions, clicks, purchases, sales, cost].join(',');
    });
    return weeklyExecution(week + 1, profileFromCsv(['campaign,ad_product_type,impressions,clicks,purchases,product_sales,total_cost', ...rows].join('\n')));
  });
}
