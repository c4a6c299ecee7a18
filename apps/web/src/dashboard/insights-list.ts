import type { Insight, RunState } from '../api-types';
import { confidenceBadge, typeBadge } from '../components/badges';
import { formatMoment } from '../display-format';
import { h, replaceChildren } from '../dom';
import { insightFeedbackControl, type SendVerdict } from './insight-feedback';
import { insightNumbers } from './insight-numbers';

/** The most confident insights shown at once; the rest one click away. */
const FIRST_SHOWN = 4;

export interface InsightFeedback {
  send: SendVerdict;
  announce(message: string): void;
}

/** The latest execution's insights, best first, each with its confidence, the numbers behind it and the reader's verdict control. */
export function renderInsights(container: HTMLElement, insights: Insight[], history: RunState[], highlightNew = false, feedback?: InsightFeedback): void {
  if (insights.length === 0) {
    replaceChildren(container, h('p', { class: 'empty' }, 'No insights yet. They appear a few seconds after an execution lands (up to 3 minutes while a replay of the workflow catches up).'));
    return;
  }
  const items = insights.map((insight, index) => {
    const item = h('li', { class: `insight${highlightNew ? ' insight-new' : ''}`, attrs: { hidden: index >= FIRST_SHOWN }, dataset: { insightId: insight.id, type: insight.type } },
      h('div', { class: 'insight-meta' }, typeBadge(insight.type, insight.type), confidenceBadge(insight.confidence)),
      h('p', { class: 'insight-text' }, insight.text),
      insightNumbers(insight, history),
      h('p', { class: 'insight-time muted small' }, `Generated ${formatMoment(insight.createdAt)}`));
    // The summary states totals: nothing to agree or disagree with.
    if (feedback && insight.type !== 'summary') item.append(insightFeedbackControl(insight, item, feedback.send, feedback.announce));
    return item;
  });
  const hiddenCount = insights.length - FIRST_SHOWN;
  const more = hiddenCount > 0 ? h('button', {
    class: 'button button-small show-more', attrs: { type: 'button' },
    on: {
      click: () => {
        items.forEach((item) => (item.hidden = false));
        more?.remove();
        items[FIRST_SHOWN]?.querySelector<HTMLElement>('summary')?.focus();
      },
    },
  }, `Show ${hiddenCount} more`) : null;
  replaceChildren(container, h('ol', { class: 'insight-list' }, ...items), more);
}
