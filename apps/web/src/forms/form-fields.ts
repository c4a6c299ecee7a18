import { h } from '../dom';
import { ApiError } from '../gateway-api';

/** One bad field: its path as the schemas name it (`aggregation.stages.0.column`) and why. */
export interface FieldProblem {
  path: string;
  message: string;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

let fieldCounter = 0;

/**
 * A labelled control with its own error line. `path` is the field's name in the zod schema the
 * form is validated with (libs/contracts), so a client-side issue and the API's 400 land on the
 * same field.
 */
export function field(path: string, label: string, control: Control, hint?: string): HTMLElement {
  const id = control.id || `field-${++fieldCounter}`;
  control.id = id;
  control.name ||= path;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field', dataset: { field: path } },
    h('label', { class: 'field-label', attrs: { for: id } }, label),
    control,
    hint ? h('p', { class: 'field-hint', attrs: { id: hintId! } }, hint) : null,
    h('p', { class: 'field-error form-error', attrs: { id: errorId, role: 'alert' } }));
}

export function textInput(attrs: Record<string, string | number | boolean | null | undefined> = {}): HTMLInputElement {
  return h('input', { attrs: { type: 'text', ...attrs } });
}

export function selectInput(options: Array<[value: string, text: string]>, value = ''): HTMLSelectElement {
  const select = h('select', null, ...options.map(([optionValue, text]) => h('option', { attrs: { value: optionValue } }, text)));
  select.value = value;
  return select;
}

/**
 * Shows problems at their fields: the field whose path is the problem's, else its nearest named
 * parent (`aggregation.stages.0` for `aggregation.stages.0.label` without a label input), else the
 * form-level line. Returns the first field shown, to move focus there.
 */
export function showProblems(form: HTMLElement, problems: readonly FieldProblem[], general: HTMLElement): HTMLElement | null {
  clearProblems(form, general);
  let first: HTMLElement | null = null;
  const unplaced: string[] = [];
  for (const problem of problems) {
    const parts = problem.path.split('.');
    let target: HTMLElement | null = null;
    let shown = '';
    for (let length = parts.length; length > 0 && !target; length--) {
      shown = parts.slice(0, length).join('.');
      target = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(shown)}"]`);
    }
    if (!target) {
      unplaced.push(`${problem.path}: ${problem.message}`);
      continue;
    }
    const error = target.querySelector<HTMLElement>(':scope > .field-error');
    const detail = shown === problem.path ? problem.message : `${problem.path.slice(shown.length + 1)}: ${problem.message}`;
    if (error) error.textContent = error.textContent ? `${error.textContent}; ${detail}` : detail;
    target.querySelector<HTMLElement>(':scope > input, :scope > select, :scope > textarea')?.setAttribute('aria-invalid', 'true');
    first ??= target;
  }
  general.textContent = unplaced.join('; ');
  return first;
}

export function clearProblems(form: HTMLElement, general: HTMLElement): void {
  for (const error of form.querySelectorAll<HTMLElement>('.field-error')) error.textContent = '';
  for (const invalid of form.querySelectorAll('[aria-invalid="true"]')) invalid.removeAttribute('aria-invalid');
  general.textContent = '';
}

/** zod issues as field problems, under a prefix (`template.name`). */
export function zodProblems(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = ''): FieldProblem[] {
  return issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'), message: issue.message }));
}

/**
 * The API's 400 (`issues`, each naming a field) or 409 (`field`) as field problems; `rename` maps
 * the API's names onto the form's (`dataAggregationSettings` → `aggregation`).
 */
export function apiProblems(error: unknown, rename: (field: string) => string = (name) => name): FieldProblem[] | null {
  if (!(error instanceof ApiError)) return null;
  const body = error.body as { issues?: { field: string; message: string }[]; field?: string; message?: string } | null;
  if (body?.issues?.length) return body.issues.map((issue) => ({ path: rename(issue.field), message: issue.message }));
  if (body?.field) return [{ path: rename(body.field), message: body.message ?? error.message }];
  return null;
}

export function focusField(target: HTMLElement | null): void {
  target?.querySelector<HTMLElement>('input, select, textarea')?.focus();
}
