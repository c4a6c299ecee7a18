import { metricLabel, touchModelLabel } from '@amc-reports/metrics';
import type { Finding } from '../findings/finding';
import { formatStatistic } from './number-format';
import { wordAnomaly } from './anomaly-wording';
import { dataText, quoteSubject } from './quote-subject';
import { wordRecommendation } from './recommendation-wording';
import {
  amount, assessmentClause, capitalized, consequenceList, dimensionLabel, direction, has, label, perPeriod, periods, plural, signed,
} from './wording-parts';

export { dimensionWords } from './wording-parts';

/**
 * Deterministic wording of a finding: the fallback when no LLM is configured or it fails, and
 * the wording of any finding the LLM left out. Cites only the finding's own numbers, formatted
 * by number-format.ts, and its own window labels, so every template passes verifyInsightNumbers
 * by construction (tested).
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
      return finding.kind === 'comparison.recovery' ? wordRecovery(finding) : wordComparison(finding);
    case 'recommendation':
      return wordRecommendation(finding);
  }
}

function wordSummary(finding: Finding): string {
  // "Label value" pairs, with the labels the dashboard's cards carry.
  const parts = Object.keys(finding.numbers)
    .filter((key) => key !== 'withheldRows')
    .map((key) => `${dataText(finding.labels?.[key] ?? metricLabel(key))} ${amount(finding, key)}`);
  const withheldCount = finding.numbers.withheldRows;
  const withheld = has(finding, 'withheldRows')
    ? ` ${amount(finding, 'withheldRows')} ${plural(withheldCount, 'row was', 'rows were')} withheld by AMC privacy thresholds and ${plural(withheldCount, 'is', 'are')} not in these totals.`
    : '';
  const window = finding.windows?.latest ? `, ${finding.windows.latest}` : '';
  const model = finding.touchModel ? ` (${touchModelLabel(finding.touchModel)} model)` : '';
  return `Latest execution${window}${model}: ${parts.join('; ')}.${withheld}`;
}

function wordTrend(finding: Finding): string {
  const change = finding.numbers.changePctPerPeriod;
  const per = perPeriod(finding.windows?.period);
  const span = finding.windows?.baseline ? ` (${finding.windows.baseline})` : '';
  const followers = consequenceList(finding, { opening: true, suffix: (index) => (index === 0 ? ` ${per}` : '') });
  return (
    `${capitalized(label(finding))} ${direction(change, 'rose', 'fell')} ${amount(finding, 'changePctPerPeriod')} ${per} over ${periods(finding, 'periods')}${span}, ` +
    `from ${amount(finding, 'first')} to ${amount(finding, 'latest')} (R² ${formatStatistic(finding.statistics.r2)})${assessmentClause(finding, 'trend')}.` +
    (followers ? ` ${followers} moved with it.` : '')
  );
}

function wordComparison(finding: Finding): string {
  const change = finding.numbers.change;
  const windows = finding.windows;
  const followers = consequenceList(finding, { opening: true });
  const mover =
    finding.subject !== undefined && has(finding, 'moverShareOfChangePct')
      ? ` ${quoteSubject(finding.subject)} moved it most: from ${amount(finding, 'moverPrevious')} to ${amount(finding, 'moverLatest')} ` +
        `(${signed(finding, 'moverChange')}), ${amount(finding, 'moverShareOfChangePct')} of the movement by ${dimensionLabel(finding)}.`
      : '';
  return (
    `${capitalized(label(finding))} ${direction(change, 'rose', 'fell')} ${amount(finding, 'changePct')} in ${windows?.latest} versus ${windows?.previous}, ` +
    `from ${amount(finding, 'previous')} to ${amount(finding, 'latest')} (${signed(finding, 'change')})${assessmentClause(finding)}.` +
    (followers ? ` ${followers} followed.` : '') +
    mover
  );
}

/** "Purchases back to the 6-week median in Oct 26 – Nov 1 after the drop of Oct 19–25: …" */
function wordRecovery(finding: Finding): string {
  const windows = finding.windows;
  const period = windows?.period ?? 'execution';
  const count = amount(finding, 'baselinePeriods');
  const median = period === 'execution' ? `the median of the ${count} ${plural(finding.numbers.baselinePeriods, 'execution')} before it` : `the ${count}-${period} median`;
  const earlier = finding.numbers.previousChangePct;
  const who = finding.subject === undefined ? capitalized(label(finding)) : `${capitalized(label(finding))} of ${quoteSubject(finding.subject)}`;
  const followers = consequenceList(finding, { opening: true });
  if (finding.statistics.partial === 1) {
    return (
      `${who} partly back in ${windows?.latest} after the ${direction(earlier, 'spike', 'drop')} of ${windows?.previous}: ` +
      `${direction(finding.numbers.changePct, 'up', 'down')} ${amount(finding, 'changePct')} from ${amount(finding, 'previous')} to ${amount(finding, 'latest')}, ` +
      `still ${amount(finding, 'medianGapPct')} ${direction(finding.numbers.medianGapPct, 'above', 'below')} ${median} of ${amount(finding, 'baselineMedian')}` +
      `${windows?.baseline ? ` (${windows.baseline})` : ''}.` +
      (followers ? ` ${followers} moved with it.` : '')
    );
  }
  return (
    `${who} back to ${median} in ${windows?.latest} after the ${direction(earlier, 'spike', 'drop')} of ${windows?.previous}: ` +
    `${amount(finding, 'latest')} against a median of ${amount(finding, 'baselineMedian')}${windows?.baseline ? ` (${windows.baseline})` : ''}, ` +
    `${direction(finding.numbers.changePct, 'up', 'down')} ${amount(finding, 'changePct')} from ${amount(finding, 'previous')} in ${windows?.previous}, ` +
    `which was ${amount(finding, 'previousChangePct')} ${direction(earlier, 'above', 'below')} expected.` +
    (followers ? ` ${followers} recovered with it.` : '')
  );
}
