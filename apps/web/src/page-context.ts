import type { GatewayApi } from './gateway-api';

/** What every page gets: where to draw, the API, and a way to tell screen readers what changed. */
export interface PageContext {
  main: HTMLElement;
  api: GatewayApi;
  announce(message: string): void;
  /** Aborted when the reader leaves the page: pending work checks it before touching the DOM. */
  signal: AbortSignal;
}

/** Undoes what a page set up (charts, streams, timers) before the next one renders. */
export type PageCleanup = () => void;
