/** The events GET /v1/reports/:id/events sends (libs/contracts events.ts), as this page uses them. */
export interface ReportEventHandlers {
  onDashboardUpdated(event: { executionId: string; status: string }): void;
  onInsightsGenerated(event: { executionId: string; insightCount: number }): void;
  onExportFinished(event: { exportId: string; status: string }): void;
  onConnectionChange(state: 'live' | 'reconnecting' | 'offline'): void;
  /** The gateway could not tell what this page missed while it was away (or Redis was): reload what it shows. */
  onResync(): void;
}

const EXPORT_EVENTS = ['export.completed', 'export.failed'] as const;

/**
 * Subscribes to a report's Server-Sent Events. EventSource reconnects by itself after a drop (after
 * the server's `retry`), sending the last event id so the gateway replays what was missed, or says
 * `resync` when it cannot; heartbeats keep proxies from closing an idle stream. Returns the
 * function that closes it.
 */
export function subscribeToReportEvents(url: string, handlers: ReportEventHandlers): () => void {
  const source = new EventSource(url);
  const parse = (event: Event): Record<string, unknown> | null => {
    try {
      return JSON.parse((event as MessageEvent<string>).data) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  source.addEventListener('open', () => handlers.onConnectionChange('live'));
  // CLOSED after an error: the server refused the stream (e.g. the token expired); no retry follows.
  source.addEventListener('error', () => handlers.onConnectionChange(source.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting'));
  source.addEventListener('dashboard.updated', (event) => {
    const data = parse(event);
    if (data) handlers.onDashboardUpdated({ executionId: String(data.executionId), status: String(data.status) });
  });
  source.addEventListener('insights.generated', (event) => {
    const data = parse(event);
    if (data) handlers.onInsightsGenerated({ executionId: String(data.executionId), insightCount: Number(data.insightCount ?? 0) });
  });
  source.addEventListener('resync', () => handlers.onResync());
  for (const name of EXPORT_EVENTS) {
    source.addEventListener(name, (event) => {
      const data = parse(event);
      if (data) handlers.onExportFinished({ exportId: String(data.exportId), status: String(data.status) });
    });
  }
  return () => source.close();
}
