import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView, HistoryPointRef, WindowGap } from '@amc-reports/contracts/src/dashboard-view';
import { windowLabel, windowRange } from './dashboard-context';

const GAP_WORDS: Record<WindowGap['state'], string> = {
  failed: 'failed',
  unusable: 'not usable by this report',
  missing: 'no execution',
  pending: 'not finished yet',
};

const gapWindow = (gap: WindowGap) => ({ timeWindowStart: gap.timeWindowStart, timeWindowEnd: gap.timeWindowEnd, timeZone: gap.timeZone });

/** "2026-11-09 – 2026-11-15: failed (AMC's reason) — a gap in the line, not a zero". */
export function gapNote(gap: WindowGap): string {
  return `${windowRange(gapWindow(gap))}: ${GAP_WORDS[gap.state]}${gap.reason ? ` (${gap.reason})` : ''}; a gap, not a zero`;
}

/**
 * History views (x = the executions' windows) with a row for each window that has no numbers,
 * in time order: the line breaks there instead of joining the weeks around it, and the table of
 * numbers lists the window with why. Gap rows hold `gap` (the state) and no values.
 */
export function insertHistoryGaps(views: BuiltView[], gaps: readonly WindowGap[]): BuiltView[] {
  if (gaps.length === 0) return views;
  return views.map((view) => {
    const history = view.data.history;
    if (!history || history.length === 0 || view.chart.x?.field !== 'window') return view;
    const startOf = new Map<string, number>(history.map((point: HistoryPointRef) => [point.executionId, Date.parse(point.timeWindowStart)]));
    const fields = [...new Set([...view.chart.series.map((series) => series.field), 'filteredRowCount'])];
    const gapRows = gaps.map((gap) => ({
      at: Date.parse(gap.timeWindowStart),
      row: {
        window: windowLabel(gapWindow(gap)),
        executionId: gap.executionId ?? null,
        ...Object.fromEntries(fields.map((field) => [field, null])),
        gap: gap.state,
        gapReason: gap.reason ?? null,
      } as ChartRow,
    }));
    const pointRows = view.data.rows.map((row) => ({ at: startOf.get(String(row.executionId)) ?? Number.POSITIVE_INFINITY, row }));
    const rows = [...pointRows, ...gapRows].sort((a, b) => a.at - b.at).map((entry) => entry.row);
    return { ...view, data: { ...view.data, rows, gaps: [...gaps], notes: [...(view.data.notes ?? []), ...gaps.map(gapNote)] } };
  });
}
