import type { Dashboard } from '../api-types';
import { formatWindow } from '../display-format';

/**
 * The line above the insights: whose they are. The set of the window the views show can lag them
 * (computed seconds after the execution lands, and up to 3 minutes later while a replay of the
 * workflow catches up): the list then holds the newest set there is, and this says of which window,
 * so a reader does not take an earlier week's insights for this one's.
 */
export function insightsHint(dashboard: Pick<Dashboard, 'period' | 'latestRun' | 'insights' | 'history'>): string {
  if (dashboard.period?.kind === 'range') return 'A range has no insights of its own: open one execution for its insights';
  const shown = dashboard.period?.executionIds.length === 1 ? dashboard.period.executionIds[0] : dashboard.latestRun?.executionId;
  const insightsOf = dashboard.insights[0]?.executionId;
  if (insightsOf && shown && insightsOf !== shown) {
    const run = dashboard.history.find((candidate) => candidate.executionId === insightsOf);
    return `Insights of ${run ? formatWindow(run.timeWindow) : 'an earlier window'}: those of the window shown are still being computed`;
  }
  return dashboard.period?.kind === 'execution' ? 'The shown execution, most confident first' : 'Latest execution, most confident first';
}
