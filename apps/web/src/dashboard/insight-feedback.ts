import type { Insight, InsightVerdict } from '../api-types';
import { h } from '../dom';

export type SendVerdict = (insightId: string, verdict: InsightVerdict | null) => Promise<void>;

const LABELS: Record<InsightVerdict, { text: string; done: string }> = {
  useful: { text: 'Useful', done: 'Marked useful.' },
  dismissed: { text: 'Dismiss', done: 'Dismissed: insights of this kind for this metric will weigh less in later executions.' },
};

/**
 * "Useful" and "Dismiss" under an insight, as toggle buttons (aria-pressed): pressing the active one
 * takes the verdict back. The reader's verdict comes with the dashboard; a failed request puts the
 * buttons back as they were and says why.
 */
export function insightFeedbackControl(insight: Insight, item: HTMLElement, send: SendVerdict, announce: (message: string) => void): HTMLElement {
  let current: InsightVerdict | null = insight.feedback ?? null;
  const status = h('span', { class: 'insight-feedback-status muted small', attrs: { role: 'status' } });
  const buttons = new Map<InsightVerdict, HTMLButtonElement>();
  const show = () => {
    for (const [verdict, button] of buttons) button.setAttribute('aria-pressed', String(current === verdict));
    item.classList.toggle('insight-dismissed', current === 'dismissed');
    item.dataset.feedback = current ?? '';
  };
  const choose = async (verdict: InsightVerdict) => {
    const next = current === verdict ? null : verdict;
    for (const button of buttons.values()) button.disabled = true;
    try {
      await send(insight.id, next);
      current = next;
      status.textContent = next ? LABELS[next].done : 'Verdict withdrawn.';
      announce(status.textContent);
    } catch (error) {
      status.textContent = `Could not save: ${(error as Error).message}`;
    } finally {
      for (const button of buttons.values()) button.disabled = false;
      show();
    }
  };
  for (const verdict of ['useful', 'dismissed'] as const) {
    buttons.set(verdict, h('button', {
      class: `button button-small button-quiet insight-${verdict}-button`,
      attrs: { type: 'button', 'aria-pressed': 'false' },
      on: { click: () => void choose(verdict) },
    }, LABELS[verdict].text));
  }
  show();
  return h('div', { class: 'insight-feedback', attrs: { role: 'group', 'aria-label': 'Your verdict on this insight' } }, ...buttons.values(), status);
}
