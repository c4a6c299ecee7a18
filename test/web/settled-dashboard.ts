/**
 * Whether a dashboard answer has settled on its newest usable window: its views show that window's
 * execution and its insights are that execution's. Not "the latest run": report jobs run
 * REPORT_CONCURRENCY at a time, so the execution created last need not be the newest window.
 */
export function settledOnNewestWindow(board: {
  history?: Array<{ executionId: string; outcome?: string; timeWindow: { start: string } }>;
  period?: { executionIds?: string[] } | null;
  insights?: Array<{ executionId: string }>;
}): boolean {
  const newest = [...(board.history ?? [])]
    .filter((run) => run.outcome === 'usable')
    .sort((a, b) => b.timeWindow.start.localeCompare(a.timeWindow.start))[0]?.executionId;
  return Boolean(newest)
    && (board.period?.executionIds ?? []).includes(newest!)
    && (board.insights ?? []).some((insight) => insight.executionId === newest);
}
