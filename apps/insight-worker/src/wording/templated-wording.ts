import { metricLabel, touchModelLabel } from '@amc-reports/metrics';
import type { Finding } from '../findings/finding';
import { formatAmount, formatSigned, formatStatistic } from './number-format';
import { dataText, quoteSubject } from './quote-subject';

/** A dimension column as words: "ad_product_type" → "ad product type". */
export function dimensionWords(column: string): string {
  return column.replace(/_+/g, ' ').trim();
}

/**
 * Deterministic wording of a finding: the fallback when no LLM is configured or it fails, and
 * the wording of any finding the LLM left out. Cites only the finding's own numbers, formatted
 * by number-format.ts, so every template passes verifyInsightNumbers by construction (tested).
 */
export const STATISTICAL_MODEL = 'statistical';

export function wordFinding(finding: Finding): string {
  switch (finding.type) {
    case 'summary':
      return wordSummary(finding);
    case 'trend':
      return wordTrend(finding);
    case 'anomaly':
      return wordAnomaly(finding);
    case 'comparison':
      return finding.subject === undefined ? wordComparison(finding) : wordMover(finding);
    case 'recommendation':
      return wordRecommendation(finding);
  }
}

function amount(finding: Finding, key: string): string {
  return formatAmount(finding.numbers[key], finding.units[key] ?? 'count', finding.currency);
}

function signed(finding: Finding, key: string): string {
  return formatSigned(finding.numbers[key], finding.units[key] ?? 'count', finding.currency);
}

function has(finding: Finding, key: string): boolean {
  return typeof finding.numbers[key] === 'number';
}

/**
 * The metric layer's label, as the dashboard shows it (never re-worded here). Labels can come
 * from the result's column names, so they are data too: kept to one clean line.
 */
function label(finding: Finding): string {
  return dataText(finding.metricLabel ?? metricLabel(finding.metric ?? 'value'));
}

function dimensionLabel(finding: Finding): string {
  return dataText(dimensionWords(finding.dimension ?? ''));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Purchase rate (of clicks)" mid-sentence keeps its capital only for acronyms (CTR, ROAS). */
function inSentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function direction(value: number, up: string, down: string): string {
  return value < 0 ? down : up;
}

function wordSummary(finding: Finding): string {
  // "Label value" pairs, with the labels the dashboard's cards carry.
  const parts = Object.keys(finding.numbers)
    .filter((key) => key !== 'withheldRows')
    .map((key) => `${dataText(finding.labels?.[key] ?? metricLabel(key))} ${amount(finding, key)}`);
  const withheld = has(finding, 'withheldRows')
    ? ` ${amount(finding, 'withheldRows')} rows were withheld by AMC privacy thresholds and are not in these totals.`
    : '';
  const model = finding.touchModel ? ` (${touchModelLabel(finding.touchModel)} model)` : '';
  return `Latest execution${model}: ${parts.join('; ')}.${withheld}`;
}

function wordTrend(finding: Finding): string {
  const slope = finding.numbers.slopePerPeriod;
  const weak = (finding.statistics.r2 ?? 0) < 0.5 ? ', a weak fit' : '';
  return (
    `${capitalized(label(finding))} trended ${direction(slope, 'up', 'down')} over ${amount(finding, 'periods')} executions, ` +
    `by ${amount(finding, 'slopePerPeriod')} (${amount(finding, 'changePctPerPeriod')}) per execution, ` +
    `from ${amount(finding, 'first')} to ${amount(finding, 'latest')} (R² ${formatStatistic(finding.statistics.r2)}${weak}).`
  );
}

function wordAnomaly(finding: Finding): string {
  const z = finding.statistics.z;
  const deviation = has(finding, 'deviationPct')
    ? `${amount(finding, 'deviationPct')} ${direction(z, 'above', 'below')} the median of ${amount(finding, 'expected')}`
    : `against a median of ${amount(finding, 'expected')}`;
  return (
    `${capitalized(label(finding))} in the latest execution: ${amount(finding, 'latest')}, ${deviation} and ` +
    `outside the expected range of ${amount(finding, 'expectedLow')} to ${amount(finding, 'expectedHigh')} ` +
    `(robust z ${formatStatistic(z)} over ${formatAmount(finding.statistics.historySize, 'count')} earlier executions).`
  );
}

function wordComparison(finding: Finding): string {
  const change = finding.numbers.change;
  return (
    `${capitalized(label(finding))} ${direction(change, 'rose', 'fell')} ${amount(finding, 'changePct')} versus the previous execution, ` +
    `from ${amount(finding, 'previous')} to ${amount(finding, 'latest')} (${signed(finding, 'change')}).`
  );
}

function wordMover(finding: Finding): string {
  const change = finding.numbers.change;
  const byPct = has(finding, 'changePct') ? ` (${signed(finding, 'changePct')})` : '';
  return (
    `${quoteSubject(finding.subject ?? '')} moved ${inSentence(label(finding))} most by ${dimensionLabel(finding)}: ` +
    `${direction(change, 'up', 'down')} from ${amount(finding, 'previous')} to ${amount(finding, 'latest')}${byPct}, ` +
    `${amount(finding, 'shareOfChangePct')} of the movement across all of them.`
  );
}

function wordRecommendation(finding: Finding): string {
  if (finding.id.startsWith('recommendation.weakest_stage')) {
    return (
      `${capitalized(label(finding))} is the weakest funnel step: ${amount(finding, 'latest')} against its usual ${amount(finding, 'baseline')} ` +
      `(${signed(finding, 'changePct')}), while the other stages moved ${signed(finding, 'otherStagesChangePct')} on median. ` +
      `Look at what changed at this step first.`
    );
  }
  if (finding.id.startsWith('recommendation.low_purchase_rate')) {
    return (
      `${quoteSubject(finding.subject ?? '')} has a ${inSentence(label(finding))} of ${amount(finding, 'rate')} against ${amount(finding, 'mixRate')} ` +
      `for the whole mix (${signed(finding, 'gapPct')}) while taking ${amount(finding, 'clicksSharePct')} of clicks; ` +
      `review its targeting, bids and landing page.`
    );
  }
  if (finding.id.startsWith('recommendation.low_roas')) {
    return (
      `${quoteSubject(finding.subject ?? '')} has a ${inSentence(label(finding))} of ${amount(finding, 'roas')} against ${amount(finding, 'mixRoas')} ` +
      `for the whole mix (${signed(finding, 'gapPct')}) on ${amount(finding, 'spendSharePct')} of spend; ` +
      `consider moving budget to stronger campaigns.`
    );
  }
  if (finding.id.startsWith('recommendation.frequency_cap')) {
    const cap = has(finding, 'peakFrequencyUpper') ? amount(finding, 'peakFrequencyUpper') : amount(finding, 'peakFrequency');
    return (
      `${capitalized(label(finding))} peaks at frequency ${quoteSubject(finding.subject ?? '')} (${amount(finding, 'peakRatePct')}) ` +
      `and drop to ${amount(finding, 'pastPeakRatePct')} beyond it, where ${amount(finding, 'pastPeakSharePct')} of impressions go; ` +
      `consider a frequency cap around ${cap}.`
    );
  }
  return `${capitalized(label(finding))}: ${Object.keys(finding.numbers)
    .map((key) => `${key} ${amount(finding, key)}`)
    .join(', ')}.`;
}
