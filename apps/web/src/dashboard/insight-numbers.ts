import { formatValue } from '@amc-reports/charts';
import type { Insight, RunState } from '../api-types';
import { formatWindow, humanize } from '../display-format';
import { h } from '../dom';

const STATISTIC_LABELS: Record<string, string> = {
  r2: 'R²',
  n: 'Points',
  score: 'Standard errors from expected',
  criticalValue: 'Interval edge (standard errors)',
  df: 'Degrees of freedom',
  slopeT: 'Slope t statistic',
  leftOut: 'Unusual executions left out',
  trendModel: 'Baseline follows a trend (1 = yes)',
  feedbackFactor: 'Weight after dismissals',
};

/**
 * A finding's number in its own unit, formatted by the metric layer as the dashboard formats it
 * ("percent" values are stored as percentages: 6.28 means 6.28%).
 */
function formatFindingNumber(value: number, unit: string | undefined, currency: string | undefined): string {
  switch (unit) {
    case 'count':
      return formatValue(value, 'number');
    case 'percent':
      return formatValue(value / 100, 'percent');
    case 'currency':
      return formatValue(value, 'currency', { currency });
    case 'points':
      return formatValue(value / 100, 'percent').replace(/%$/, ' pp');
    case 'ratio':
      return formatValue(value, 'ratio');
    default:
      return formatValue(value, 'number');
  }
}

function definitionList(entries: [string, string][]): HTMLDListElement {
  return h('dl', { class: 'number-list' }, ...entries.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
}

/**
 * What an insight is built on (its source_data): the finding's numbers in their units, the
 * statistics behind its strength, and the executions (time windows) it read, so a reader can
 * check every number the sentence cites.
 */
export function insightNumbers(insight: Insight, history: RunState[]): HTMLElement {
  const finding = insight.sourceData?.finding;
  const numbers = insight.sourceData?.numbers ?? finding?.numbers ?? {};
  const units = finding?.units ?? {};
  const statistics = finding?.statistics ?? {};
  const executionIds = insight.sourceData?.executionIds ?? finding?.executionIds ?? [];
  const windows = new Map(history.map((run) => [run.executionId, formatWindow(run.timeWindow)]));
  const windowLabels = executionIds.map((id) => windows.get(id)).filter((label): label is string => Boolean(label));

  // Metric numbers carry the metric layer's labels (the cards' own); the rest are named by their key.
  const labels = finding?.labels ?? {};
  const numberEntries = Object.entries(numbers).map(([key, value]): [string, string] => [labels[key] ?? humanize(key), formatFindingNumber(value, units[key], finding?.currency)]);
  const statisticEntries = Object.entries(statistics)
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]): [string, string] => [STATISTIC_LABELS[key] ?? humanize(key), formatValue(value, 'number')]);
  const windowsOfFinding = finding?.windows;
  const compared = windowsOfFinding?.latest
    ? `${windowsOfFinding.latest}${windowsOfFinding.previous ? ` vs ${windowsOfFinding.previous}` : windowsOfFinding.baseline ? ` vs ${windowsOfFinding.baseline}` : ''}`
    : null;
  const provenance: [string, string][] = [
    ...(compared ? [['Windows', compared] as [string, string]] : []),
    ['Executions', executionIds.length === 0 ? '—' : `${executionIds.length}${windowLabels.length ? ` (${summariseWindows(windowLabels)})` : ''}`],
    ['Statistical strength', finding?.strength === undefined ? '—' : formatValue(finding.strength, 'ratio')],
    ['Worded by', insight.aiModel === 'statistical' || !insight.aiModel ? 'Statistical template (no language model)' : insight.aiModel],
  ];

  return h('details', { class: 'insight-numbers' },
    h('summary', null, 'Numbers behind this insight'),
    h('div', { class: 'number-groups' },
      numberEntries.length ? h('div', null, h('h4', null, finding?.metricLabel ?? 'Figures'), definitionList(numberEntries)) : null,
      statisticEntries.length ? h('div', null, h('h4', null, 'Statistics'), definitionList(statisticEntries)) : null,
      h('div', null, h('h4', null, 'Source'), definitionList(provenance))));
}

function summariseWindows(labels: string[]): string {
  return labels.length <= 2 ? labels.join('; ') : `${labels[0]} … ${labels[labels.length - 1]}`;
}
