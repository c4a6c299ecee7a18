import type { Finding } from '../findings/finding';
import { quoteSubject } from './quote-subject';
import { amount, baselinePhrase, capitalized, has, inSentence, label, signed } from './wording-parts';

/** Recommendations: the numbers behind the advice, then one concrete next step. */
export function wordRecommendation(finding: Finding): string {
  switch (finding.kind) {
    case 'recommendation.weakest_stage':
      return (
        `${capitalized(label(finding))} is the weakest funnel step in ${finding.windows?.latest}: ${amount(finding, 'latest')} against its median of ` +
        `${amount(finding, 'baseline')} over ${baselinePhrase(finding)}, ${signed(finding, 'changePct')}, while the other steps moved ` +
        `${signed(finding, 'otherStagesChangePct')} on median. Look at what changed at this step first.`
      );
    case 'recommendation.low_purchase_rate':
      return wordLowPurchaseRate(finding);
    case 'recommendation.low_return':
      return wordLowReturn(finding);
    case 'recommendation.frequency_cap':
      return wordFrequency(finding);
    case 'recommendation.overlap':
      return wordOverlap(finding);
    default:
      return `${capitalized(label(finding))}: ${Object.keys(finding.numbers)
        .map((key) => `${key} ${amount(finding, key)}`)
        .join(', ')}.`;
  }
}

const PEERS: Record<NonNullable<Finding['peers']>, { group: string; trials: string; step: string }> = {
  click: { group: 'click-based campaigns', trials: 'clicks', step: 'review its targeting, bids and landing page' },
  view: { group: 'view-through (DSP) campaigns', trials: 'impressions', step: 'review its audiences, creatives and frequency' },
  all: { group: 'campaigns', trials: 'clicks', step: 'review its targeting, bids and landing page' },
};

function wordLowPurchaseRate(finding: Finding): string {
  const peers = PEERS[finding.peers ?? 'all'];
  const shareKey = `${peers.trials}SharePct`;
  return (
    `${quoteSubject(finding.subject ?? '')} has a ${inSentence(label(finding))} of ${amount(finding, 'rate')} against ${amount(finding, 'mixRate')} ` +
    `for the ${amount(finding, 'peerCampaigns')} ${peers.group} together in ${finding.windows?.latest} (${signed(finding, 'gapPct')}), ` +
    `on ${amount(finding, shareKey)} of their ${peers.trials}; ${peers.step}.`
  );
}

function wordLowReturn(finding: Finding): string {
  const metric = finding.metric ?? 'roas';
  const mixKey = `mix${capitalized(metric)}`;
  const opening =
    `${quoteSubject(finding.subject ?? '')} has a ${inSentence(label(finding))} of ${amount(finding, metric)} against ${amount(finding, mixKey)} ` +
    `for the whole mix in ${finding.windows?.latest} (${signed(finding, 'gapPct')}) on ${amount(finding, 'spendSharePct')} of spend`;
  if (finding.statistics.prospecting === 1) {
    const ntbRoas = has(finding, 'newToBrandRoas') && has(finding, 'mixNewToBrandRoas')
      ? ` by its new-to-brand ROAS (${amount(finding, 'newToBrandRoas')} against ${amount(finding, 'mixNewToBrandRoas')})`
      : ' by what its new customers are worth';
    return (
      `${opening}, but ${amount(finding, 'newToBrandSharePct')} of its purchases are new to brand against ${amount(finding, 'mixNewToBrandSharePct')} ` +
      `for the mix: it is buying new customers, so judge it${ntbRoas} before moving budget.`
    );
  }
  return `${opening}; consider moving budget to stronger campaigns.`;
}

function wordFrequency(finding: Finding): string {
  const cap = has(finding, 'peakFrequencyUpper') ? amount(finding, 'peakFrequencyUpper') : amount(finding, 'peakFrequency');
  return (
    `${capitalized(label(finding))} falls past frequency ${quoteSubject(finding.subject ?? '')} in ${finding.windows?.latest}: ` +
    `${amount(finding, 'peakRatePct')} at that frequency, ${amount(finding, 'pastPeakRatePct')} for users reached more often, ` +
    `who took ${amount(finding, 'pastPeakSharePct')} of impressions; consider a frequency cap of ${cap}.`
  );
}

function wordOverlap(finding: Finding): string {
  const better = finding.numbers.upliftPct > 0;
  return (
    `Combined exposure ${better ? 'pays' : 'converts worse'} in ${finding.windows?.latest}: ${inSentence(label(finding))} is ${amount(finding, 'multiChannelRate')} ` +
    `for users reached on more than one channel against ${amount(finding, 'singleChannelRate')} for single-channel users, ` +
    `${amount(finding, 'upliftFactor')}× (${signed(finding, 'upliftPct')}); they are ${amount(finding, 'multiChannelReachSharePct')} of reach. ` +
    (better ? 'Plan campaigns to reach the same users on several channels.' : 'Check their frequency before adding more overlap.')
  );
}
