import { metricLabel } from '@amc-reports/metrics';
import type { PeriodName } from '../findings/execution-windows';
import type { Finding } from '../findings/finding';
import { formatAmount, formatSigned } from './number-format';
import { dataText } from './quote-subject';

/**
 * The pieces every template is made of. Numbers only ever come from the finding (formatted by the
 * metric layer, with the currency's symbol), labels from the metric layer, windows from the finding
 * (execution-windows.ts); so a template cannot state anything verification does not accept.
 */

/** A dimension column as words: "ad_product_type" → "ad product type". */
export function dimensionWords(column: string): string {
  return column.replace(/_+/g, ' ').trim();
}

export function amount(finding: Finding, key: string): string {
  return formatAmount(finding.numbers[key], finding.units[key] ?? 'count', finding.currency);
}

export function signed(finding: Finding, key: string): string {
  return formatSigned(finding.numbers[key], finding.units[key] ?? 'count', finding.currency);
}

export function has(finding: Finding, key: string): boolean {
  return typeof finding.numbers[key] === 'number';
}

/**
 * The metric layer's label, as the dashboard shows it (never re-worded here). Labels can come
 * from the result's column names, so they are data too: kept to one clean line.
 */
export function label(finding: Finding): string {
  return dataText(finding.metricLabel ?? metricLabel(finding.metric ?? 'value'));
}

export function dimensionLabel(finding: Finding): string {
  return dataText(dimensionWords(finding.dimension ?? ''));
}

export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Purchase rate (of clicks)" mid-sentence keeps its capital only for acronyms (CTR, ROAS). */
export function inSentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

export function direction(value: number, up: string, down: string): string {
  return value < 0 ? down : up;
}

/** "1 row was", "2 rows were": the count is the finding's, the grammar follows it. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return Math.abs(count) === 1 ? singular : pluralForm;
}

/** "8 weeks", "1 week", "6 executions": a count of the finding's periods. */
export function periods(finding: Finding, key: string): string {
  const period = finding.windows?.period ?? 'execution';
  return `${amount(finding, key)} ${plural(finding.numbers[key], period)}`;
}

/** "a week", "per execution". */
export function perPeriod(period: PeriodName | undefined): string {
  return period === undefined || period === 'execution' ? 'per execution' : `a ${period}`;
}

/** "a, b and c". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** At most this many consequences are written out; the finding keeps all of them. */
export const MAX_CONSEQUENCES_WORDED = 5;

/** "clicks -49.80%, purchases -51.00% and sales -50.50%", capitalised when it opens a sentence. */
export function consequenceList(finding: Finding, options: { scope?: 'subject' | 'total'; opening?: boolean; suffix?: (index: number) => string } = {}): string {
  const consequences = (finding.consequences ?? []).filter((consequence) => {
    if (!has(finding, consequence.changeKey)) return false;
    if (options.scope === 'subject') return consequence.scope === 'subject';
    if (options.scope === 'total') return consequence.scope !== 'subject';
    return true;
  });
  const items = consequences
    .slice(0, MAX_CONSEQUENCES_WORDED)
    .map((consequence, index) => `${inSentence(dataText(consequence.label))} ${signed(finding, consequence.changeKey)}${options.suffix?.(index) ?? ''}`);
  // The rest stay in the finding's numbers (shown under the insight); the sentence cites no count of its own.
  const text = consequences.length > items.length ? `${items.join(', ')} and others` : listed(items);
  return options.opening ? capitalized(text) : text;
}

/** ", an unfavourable move" for a metric the layer says should go the other way; nothing for spend or frequency. */
export function assessmentClause(finding: Finding, noun = 'move'): string {
  if (finding.assessment === 'favourable') return `, a favourable ${noun}`;
  if (finding.assessment === 'unfavourable') return `, an unfavourable ${noun}`;
  return '';
}

/** "the 8 weeks before (Sep 21 – Nov 15)", with the left-out anomalous window named. */
export function baselinePhrase(finding: Finding, options: { countKey?: string; extra?: string } = {}): string {
  const windows = finding.windows;
  const inside = [
    // A recovery's baseline ends before the anomalous window; any other baseline names what it left out.
    windows?.baseline ? `${windows.baseline}${windows.anomalous && finding.kind !== 'comparison.recovery' ? ` without ${windows.anomalous}` : ''}` : '',
    options.extra ?? '',
  ].filter(Boolean);
  return `the ${periods(finding, options.countKey ?? 'baselinePeriods')} before${inside.length > 0 ? ` (${inside.join('; ')})` : ''}`;
}
