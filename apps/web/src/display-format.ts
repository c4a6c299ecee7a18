import { formatWindow as formatAmcWindow } from '@amc-reports/dashboards/src/time-window';
import type { TimeWindow } from './api-types';

/**
 * Dates and sizes for people. AMC time windows are whole days of the event's time zone with an
 * exclusive end, shown as AMC means them ("Nov 2 – Nov 8, 2026"; libs/dashboards time-window.ts,
 * the gateway's label when it sends one), never in the reader's zone; moments such as "completed"
 * are shown in the reader's own time zone.
 */
const MOMENT = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function formatWindow(window: TimeWindow): string {
  return window.label ?? formatAmcWindow(window);
}

export function formatMoment(iso: string | null | undefined): string {
  return iso ? MOMENT.format(new Date(iso)) : '—';
}

/** "3 minutes ago", "in 7 days". */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [['year', 31_536_000], ['month', 2_592_000], ['day', 86_400], ['hour', 3_600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return RELATIVE.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}

// Metric names are not here: their labels come from the metric layer (libs/metrics) only.
const ACRONYMS: Record<string, string> = { ntb: 'NTB', dsp: 'DSP', amc: 'AMC' };

/** "funnel" → "Funnel", "add_to_cart" → "Add to cart", "dsp" → "DSP". */
export function humanize(text: string): string {
  const spaced = text.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim();
  const words = spaced.split(' ').map((word) => ACRONYMS[word] ?? word).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
