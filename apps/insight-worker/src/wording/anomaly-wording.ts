import type { Finding } from '../findings/finding';
import { dataText, quoteSubject } from './quote-subject';
import {
  amount, assessmentClause, baselinePhrase, capitalized, consequenceList, direction, dimensionLabel, has, inSentence, label, signed,
} from './wording-parts';

/**
 * Anomalies: the cause, where it was measured against what, and what followed.
 * "Click-through rate (CTR) fell to 0.35% in Nov 16–22, 48.10% below the 0.67% expected from the
 *  8 weeks before (Sep 21 – Nov 15; range 0.55% to 0.82%), an unfavourable move. Clicks -48.20%,
 *  add to cart -47.00% and purchases -49.00% followed. Look at what changed at this step first."
 */
export function wordAnomaly(finding: Finding): string {
  switch (finding.kind) {
    case 'anomaly.campaign':
      return wordCampaignAnomaly(finding);
    case 'anomaly.mix_shift':
      return wordMixShift(finding);
    default:
      return wordMetricAnomaly(finding);
  }
}

/**
 * "50.12% below the 5,490,000 expected from the 8 weeks before (Sep 21 – Nov 15; range 4,900,000 to
 * 6,100,000)". The range is stated only when the value lies outside it; a cause shown unusual by a
 * metric downstream names that metric instead (evidence()).
 */
function expectation(finding: Finding): string {
  const change = finding.numbers.changePct;
  const outside = finding.statistics.causeOutside !== 0;
  const range = outside ? `range ${amount(finding, 'expectedLow')} to ${amount(finding, 'expectedHigh')}` : undefined;
  return `${amount(finding, 'changePct')} ${direction(change, 'above', 'below')} the ${amount(finding, 'expected')} expected from ${baselinePhrase(finding, { extra: range })}`;
}

function evidence(finding: Finding): string {
  if (!has(finding, 'evidenceLatest')) return '';
  const name = inSentence(dataText(finding.labels?.evidenceLatest ?? 'the clearest sign'));
  return ` The clearest sign: ${name} at ${amount(finding, 'evidenceLatest')}, outside its range of ${amount(finding, 'evidenceLow')} to ${amount(finding, 'evidenceHigh')}.`;
}

/** " It was already 60.00% below expected in Oct 19–25." when the previous window moved the same way. */
function earlierMove(finding: Finding): string {
  if (!has(finding, 'previousChangePct') || !finding.windows?.previous) return '';
  const change = finding.numbers.previousChangePct;
  return ` It was already ${amount(finding, 'previousChangePct')} ${direction(change, 'above', 'below')} expected in ${finding.windows.previous}.`;
}

function followed(finding: Finding, scope?: 'total'): string {
  const list = consequenceList(finding, { opening: true, scope });
  return list === '' ? '' : ` ${list} followed.`;
}

function wordMetricAnomaly(finding: Finding): string {
  const change = finding.numbers.changePct;
  const step = finding.statistics.funnelStep === 1 && change < 0 ? ' Look at what changed at this step first.' : '';
  return (
    `${capitalized(label(finding))} ${direction(change, 'rose', 'fell')} to ${amount(finding, 'latest')} in ${finding.windows?.latest}` +
    `${assessmentClause(finding)}: ${expectation(finding)}.${earlierMove(finding)}${followed(finding)}${evidence(finding)}${step}`
  );
}

function wordCampaignAnomaly(finding: Finding): string {
  const change = finding.numbers.changePct;
  const own = consequenceList(finding, { scope: 'subject' });
  const totals = consequenceList(finding, { scope: 'total' });
  const after = [own ? `its ${own}` : '', totals ? `in total, ${totals}` : ''].filter(Boolean).join('; ');
  return (
    `${quoteSubject(finding.subject ?? '')} ${direction(change, 'surged', 'broke')} in ${finding.windows?.latest}: its ${inSentence(label(finding))} ` +
    `${direction(change, 'rose', 'fell')} to ${amount(finding, 'latest')}${assessmentClause(finding)}: ${expectation(finding)}. ` +
    `It carries ${amount(finding, 'sharePct')} of the ${inSentence(label(finding))} by ${dimensionLabel(finding)}.${earlierMove(finding)}` +
    (after ? ` ${capitalized(after)} followed.` : '')
  );
}

function wordMixShift(finding: Finding): string {
  const metric = inSentence(label(finding));
  const side = (subject: string | undefined, prefix: string) =>
    `${quoteSubject(subject ?? '')} ${signed(finding, `${prefix}ChangePct`)} (from ${amount(finding, `${prefix}ShareBeforePct`)} to ${amount(finding, `${prefix}SharePct`)} of ${metric})`;
  const total = has(finding, 'totalChangePct')
    ? ` while the total changed by ${signed(finding, 'totalChangePct')} against ${baselinePhrase(finding)}, to ${amount(finding, 'totalLatest')}`
    : '';
  return (
    `${capitalized(metric)} moved from ${quoteSubject(finding.subject ?? '')} to ${quoteSubject(finding.counterpart ?? '')} in ${finding.windows?.latest}${total}: ` +
    `${side(finding.subject, 'from')}, ${side(finding.counterpart, 'to')}.${followed(finding)}`
  );
}
