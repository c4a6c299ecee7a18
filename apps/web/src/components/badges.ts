import { h } from '../dom';
import { humanize } from '../display-format';

/** Every state has a word and a glyph, so none depends on colour alone. */
const RUN_STATES: Record<string, { label: string; tone: string; glyph: string }> = {
  SUCCEEDED: { label: 'Succeeded', tone: 'ok', glyph: '✓' },
  FAILED: { label: 'Failed', tone: 'bad', glyph: '✕' },
  CANCELLED: { label: 'Cancelled', tone: 'warn', glyph: '⊘' },
  RUNNING: { label: 'Running', tone: 'info', glyph: '↻' },
  PENDING: { label: 'Pending', tone: 'info', glyph: '…' },
};

export function runStatusPill(status: string): HTMLSpanElement {
  const state = RUN_STATES[status] ?? { label: humanize(status), tone: 'neutral', glyph: '•' };
  return h('span', { class: `pill pill-${state.tone}`, dataset: { status } },
    h('span', { class: 'pill-glyph', attrs: { 'aria-hidden': 'true' } }, state.glyph), state.label);
}

const EXPORT_STATES: Record<string, { label: string; tone: string; glyph: string }> = {
  pending: { label: 'Queued', tone: 'info', glyph: '…' },
  processing: { label: 'Rendering', tone: 'info', glyph: '↻' },
  completed: { label: 'Ready', tone: 'ok', glyph: '✓' },
  failed: { label: 'Failed', tone: 'bad', glyph: '✕' },
  expired: { label: 'Expired', tone: 'neutral', glyph: '⌛' },
};

export function exportStatusPill(status: string): HTMLSpanElement {
  const state = EXPORT_STATES[status] ?? { label: humanize(status), tone: 'neutral', glyph: '•' };
  return h('span', { class: `pill pill-${state.tone}`, dataset: { status } },
    h('span', { class: 'pill-glyph', attrs: { 'aria-hidden': 'true' } }, state.glyph), state.label);
}

export function confidenceLevel(confidence: number): 'high' | 'medium' | 'low' {
  if (confidence >= 0.75) return 'high';
  if (confidence >= 0.5) return 'medium';
  return 'low';
}

/** "High · 0.77" with a three-step meter; the score is the stored confidence_score (0–1). */
export function confidenceBadge(confidence: number): HTMLSpanElement {
  const level = confidenceLevel(confidence);
  const filled = level === 'high' ? 3 : level === 'medium' ? 2 : 1;
  const meter = h('span', { class: 'confidence-meter', attrs: { 'aria-hidden': 'true' } },
    ...[1, 2, 3].map((step) => h('span', { class: step <= filled ? 'on' : 'off' })));
  return h('span', {
    class: `confidence confidence-${level}`,
    attrs: { title: `Confidence ${confidence.toFixed(2)}: statistical strength × number verification` },
  }, meter, `${humanize(level)} confidence · ${confidence.toFixed(2)}`);
}

export function typeBadge(text: string, variant: string): HTMLSpanElement {
  return h('span', { class: `tag tag-${variant}` }, humanize(text));
}

/**
 * A run as this report sees it: AMC's status, except a SUCCEEDED run whose result the report
 * cannot use, which is "Unusable" (never a green tick over a dashboard that did not change).
 */
export function runOutcomePill(run: { status: string; outcome?: string }): HTMLSpanElement {
  if (run.outcome === 'unusable') {
    return h('span', { class: 'pill pill-warn', dataset: { status: run.status, outcome: 'unusable' } },
      h('span', { class: 'pill-glyph', attrs: { 'aria-hidden': 'true' } }, '⚠'), 'Unusable');
  }
  if (run.outcome === 'failed' && run.status === 'SUCCEEDED') {
    return h('span', { class: 'pill pill-bad', dataset: { status: run.status, outcome: 'failed' } },
      h('span', { class: 'pill-glyph', attrs: { 'aria-hidden': 'true' } }, '✕'), 'Not processed');
  }
  return runStatusPill(run.status);
}
