import type { Dashboard, RunState } from '../api-types';
import { formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';
import type { PeriodSelection } from '../router';

export interface PeriodPicker {
  element: HTMLElement;
  /** The history the execution lists offer, and the selection the URL holds. */
  update(dashboard: Dashboard, selection: PeriodSelection): void;
}

const OUTCOME_WORDS: Record<string, string> = { usable: 'succeeded', failed: 'failed', unusable: 'not usable by this report', pending: 'not finished' };

/** "Nov 16 – Nov 22, 2026 · failed" ("· replaced by a re-run" for an older run of a window). */
function runLabel(run: RunState): string {
  const outcome = OUTCOME_WORDS[run.outcome ?? (run.status === 'SUCCEEDED' ? 'usable' : 'failed')] ?? run.status.toLowerCase();
  return `${formatWindow(run.timeWindow)} · ${outcome}${run.superseded ? ' · replaced by a re-run' : ''}`;
}

function select(id: string, label: string, options: Array<[string, string]>, onChange: () => void): { field: HTMLElement; input: HTMLSelectElement } {
  const input = h('select', { attrs: { id, name: id }, on: { change: onChange } }, ...options.map(([value, text]) => h('option', { attrs: { value } }, text)));
  return { field: h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: id } }, label), input), input };
}

/**
 * The period picker: the latest window, any past execution (failed and replaced ones too, said
 * so), the last N weeks or a custom range, and what to compare with. Every change goes to the URL
 * (`onChange`), so a link or a reload shows the same period.
 */
export function createPeriodPicker(onChange: (selection: PeriodSelection) => void): PeriodPicker {
  let history: RunState[] = [];
  const apply = (): void => onChange(read());
  const show = select('period-show', 'Show', [['latest', 'Latest window'], ['execution', 'A past execution'], ['weeks', 'Last weeks'], ['range', 'Custom range']], () => {
    layout();
    if (show.input.value === 'latest' || (show.input.value === 'execution' && execution.input.value)) apply();
  });
  const execution = select('period-execution', 'Execution', [], apply);
  const weeksInput = h('input', { attrs: { id: 'period-weeks', name: 'weeks', type: 'number', min: 1, max: 52, value: 4, inputmode: 'numeric' } });
  const weeks = h('div', { class: 'field field-narrow' }, h('label', { class: 'field-label', attrs: { for: 'period-weeks' } }, 'Weeks'), weeksInput);
  const fromInput = h('input', { attrs: { id: 'period-from', name: 'from', type: 'date' } });
  const toInput = h('input', { attrs: { id: 'period-to', name: 'to', type: 'date' } });
  const range = h('div', { class: 'period-range' },
    h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: 'period-from' } }, 'From'), fromInput),
    h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: 'period-to' } }, 'To (included)'), toInput));
  const compare = select('period-compare', 'Compare with', [['previous', 'Previous window'], ['year', 'Same window a year earlier'], ['execution', 'An execution…'], ['none', 'Nothing']], () => {
    layout();
    if (compare.input.value !== 'execution' || compareExecution.input.value) apply();
  });
  const compareExecution = select('period-compare-execution', 'Compared execution', [], apply);
  const error = h('p', { class: 'form-error', attrs: { role: 'alert', id: 'period-error' } });
  const applyButton = h('button', { class: 'button button-small', attrs: { type: 'submit' } }, 'Show');
  const form = h('form', {
    class: 'period-picker card',
    attrs: { 'aria-label': 'Period and comparison', novalidate: true },
    on: {
      submit: (event) => {
        event.preventDefault();
        const selection = read();
        if (selection.show === 'range' && (!selection.from || !selection.to)) {
          error.textContent = 'Choose both days of the range.';
          (selection.from ? toInput : fromInput).setAttribute('aria-invalid', 'true');
          return;
        }
        if (selection.show === 'range' && selection.from! > selection.to!) {
          error.textContent = 'The range ends before it starts.';
          toInput.setAttribute('aria-invalid', 'true');
          return;
        }
        error.textContent = '';
        fromInput.removeAttribute('aria-invalid');
        toInput.removeAttribute('aria-invalid');
        onChange(selection);
      },
    },
  }, show.field, execution.field, weeks, range, compare.field, compareExecution.field, applyButton, error);

  function read(): PeriodSelection {
    const kind = show.input.value as PeriodSelection['show'];
    const comparison = compare.input.value as PeriodSelection['compare'];
    return {
      show: kind,
      ...(kind === 'execution' && execution.input.value ? { executionId: execution.input.value } : {}),
      ...(kind === 'weeks' ? { weeks: Math.min(52, Math.max(1, Math.round(Number(weeksInput.value) || 4))) } : {}),
      ...(kind === 'range' ? { from: fromInput.value, to: toInput.value } : {}),
      compare: comparison,
      ...(comparison === 'execution' && compareExecution.input.value ? { compareExecutionId: compareExecution.input.value } : {}),
    };
  }

  function layout(): void {
    execution.field.hidden = show.input.value !== 'execution';
    weeks.hidden = show.input.value !== 'weeks';
    range.hidden = show.input.value !== 'range';
    compareExecution.field.hidden = compare.input.value !== 'execution';
    applyButton.hidden = show.input.value === 'latest' || show.input.value === 'execution';
  }

  const fillExecutions = (input: HTMLSelectElement, placeholder: string, chosen: string | undefined): void => {
    replaceChildren(input, h('option', { attrs: { value: '' } }, placeholder),
      ...history.map((run) => h('option', { attrs: { value: run.executionId, selected: run.executionId === chosen } }, runLabel(run))));
    input.value = chosen && history.some((run) => run.executionId === chosen) ? chosen : '';
  };

  return {
    element: form,
    update(dashboard, selection) {
      history = dashboard.history;
      show.input.value = selection.show;
      fillExecutions(execution.input, 'Choose an execution…', selection.executionId);
      fillExecutions(compareExecution.input, 'Choose an execution…', selection.compareExecutionId);
      if (selection.weeks) weeksInput.value = String(selection.weeks);
      const period = dashboard.period;
      // A range starts from what is shown: the chosen days, else the shown window's.
      fromInput.value = selection.from ?? period?.timeWindow.firstDay ?? '';
      toInput.value = selection.to ?? period?.timeWindow.lastDay ?? '';
      compare.input.value = selection.compare;
      layout();
    },
  };
}
