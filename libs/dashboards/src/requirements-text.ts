import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { DASHBOARD_TYPES } from '@amc-reports/contracts/src/dashboard-view';
import { DIMENSION_ALIASES, type DimensionRole, findMetric, getMetric, humanizeColumn, inputsOf } from '@amc-reports/metrics';
import { DASHBOARD_REQUIREMENTS } from './dashboard-requirements';

const code = (name: string) => `\`${name}\``;
const roleLabel = (role: DimensionRole) => humanizeColumn(role.replace(/([A-Z])/g, '_$1').toLowerCase());

/** The base metrics behind metric ids (a ratio reads its numerator and denominator), in order. */
function baseMetricsOf(ids: readonly string[]): string[] {
  const bases = ids.flatMap((id) => {
    const metric = findMetric(id);
    if (!metric) return [];
    return metric.kind === 'derived' ? inputsOf(metric) : [metric.id];
  });
  return [...new Set(bases)];
}

function columnsOf(id: string): string {
  const metric = getMetric(id);
  return metric.kind === 'base' ? metric.stems.map(code).join(', ') : '';
}

const labelOf = (id: string) => getMetric(id).label;
const firstStem = (id: string) => {
  const metric = getMetric(id);
  return metric.kind === 'base' ? metric.stems[0] : id;
};
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');
const either = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : items.join(''));

function needsText(type: DashboardType): string {
  const requirement = DASHBOARD_REQUIREMENTS[type];
  const parts: string[] = [];
  if (requirement.needsMetrics) {
    const { anyOf, atLeast } = requirement.needsMetrics;
    parts.push(`${atLeast === 1 ? 'one' : `at least ${atLeast}`} of ${either(anyOf.map(labelOf))}`);
  }
  if (requirement.needsDimensions) {
    const { anyOf, orMetric } = requirement.needsDimensions;
    const names = anyOf.map(roleLabel).map((label) => label.toLowerCase());
    parts.push(`${article(names[0])} ${either(names)} column${orMetric ? `, or a ${labelOf(orMetric).toLowerCase()} column` : ''}`);
  }
  return parts.length > 0 ? parts.join(', and ') : 'the columns its views name';
}

/**
 * What a dashboard type expects of a result, in one sentence for an unusable-result banner:
 * "a funnel dashboard needs at least 2 of Impressions, Clicks, … (columns such as impressions, clicks…)".
 */
export function expectedColumnsText(type: DashboardType, settings: { aggregation?: unknown; visualization?: unknown } = {}): string {
  const aggregation = (settings.aggregation ?? {}) as { stages?: Array<{ column: string }>; columns?: Record<string, string> };
  if (type === 'funnel' && aggregation.stages?.length) {
    return `a funnel dashboard needs the stage columns its settings name: ${aggregation.stages.map((stage) => stage.column).join(', ')}`;
  }
  if (type === 'custom') {
    const views = ((settings.visualization ?? {}) as { views?: Array<{ y?: string | string[]; metrics?: string[] }> }).views ?? [];
    const columns = [...new Set(views.flatMap((view) => [...(Array.isArray(view.y) ? view.y : view.y ? [view.y] : []), ...(view.metrics ?? [])]))];
    return `a custom dashboard needs the columns and metrics its views chart: ${columns.join(', ') || 'none declared'}`;
  }
  const requirement = DASHBOARD_REQUIREMENTS[type];
  const examples = [
    ...(requirement.needsMetrics?.anyOf ?? []).flatMap((id) => baseMetricsOf([id])).map((id) => aggregation.columns?.[id] ?? firstStem(id)),
    ...(requirement.needsDimensions?.anyOf ?? []).map((role) => aggregation.columns?.[role] ?? DIMENSION_ALIASES[role][0]),
    ...(requirement.needsDimensions?.orMetric ? [aggregation.columns?.[requirement.needsDimensions.orMetric] ?? firstStem(requirement.needsDimensions.orMetric)] : []),
  ];
  return `${article(type)} ${type} dashboard needs ${needsText(type)} (AMC columns such as ${[...new Set(examples)].join(', ')})`;
}

/**
 * The README's "AMC columns each dashboard type reads", from the builders' own lists and the
 * metric layer's column names (a test keeps the README equal to it).
 */
export function dashboardColumnsMarkdown(): string {
  const sections = DASHBOARD_TYPES.map((type) => {
    const requirement = DASHBOARD_REQUIREMENTS[type];
    if (type === 'custom') {
      return [`#### ${type}`, '', `Needs ${needsText(type)}: numeric columns in \`y\`, catalogue metrics by id in \`metrics\` (their AMC columns as in [Metrics](#metrics)), a text or date column as \`x\`. Settings: ${requirement.settings}.`].join('\n');
    }
    const bases = baseMetricsOf(requirement.reads.metrics);
    const ratios = requirement.reads.metrics.filter((id) => findMetric(id)?.kind === 'derived');
    const rows = [
      '| reads | AMC columns (first found wins; each also as `total_…`, `…_14d`, `…_clicks` + `…_views`) |',
      '|---|---|',
      ...bases.map((id) => `| ${labelOf(id)} (\`${id}\`) | ${columnsOf(id)} |`),
      ...requirement.reads.dimensions.map((role) => `| ${roleLabel(role)} (dimension \`${role}\`) | ${DIMENSION_ALIASES[role].map(code).join(', ')} |`),
      ...(requirement.reads.dateColumn ? ['| Date (by day) | the first date column of the result |'] : []),
    ];
    return [
      `#### ${type}`,
      '',
      `Needs ${needsText(type)}. Shows the ratios its inputs allow: ${ratios.map(labelOf).join(', ')}. Settings: ${requirement.settings}.`,
      '',
      ...rows,
    ].join('\n');
  });
  return sections.join('\n\n');
}
