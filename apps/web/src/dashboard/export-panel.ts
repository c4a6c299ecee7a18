import type { DashboardView, ExportFormat, ExportScope, ExportStatus, RunState } from '../api-types';
import { h, replaceChildren } from '../dom';
import { ApiError, type GatewayApi } from '../gateway-api';
import { FORMAT_LABELS, isFinished, renderExportItem, SCOPE_LABELS } from './export-item';

const POLL_MS = 1_000;
const FORMATS: ExportFormat[] = ['pdf', 'png', 'csv', 'excel'];
const RAW_FORMATS: ExportFormat[] = ['csv', 'excel'];

export interface ExportPanel {
  element: HTMLElement;
  setViews(views: DashboardView[]): void;
  /** The executions an export may render (the dashboard's history); the shown one is the default. */
  setExecutions(history: RunState[]): void;
  /** export.completed / export.failed from the report's event stream: refresh that export now. */
  onExportEvent(exportId: string): void;
  dispose(): void;
}

/**
 * Choose a format and what to export, follow its progress (polling GET /v1/exports/:id, nudged
 * by the SSE export events), download it when ready, and see when it expires.
 */
export function createExportPanel(api: GatewayApi, reportId: string, announce: (message: string) => void): ExportPanel {
  let views: DashboardView[] = [];
  let disposed = false;
  let timer: number | undefined;
  const tracked = new Map<string, { status: ExportStatus; element: HTMLLIElement }>();

  const formatInputs = FORMATS.map((format, index) => h('input', {
    attrs: { type: 'radio', name: 'export-format', id: `export-format-${format}`, value: format, checked: index === 0 },
    on: { change: () => syncScopes() },
  }));
  const formatGroup = h('fieldset', { class: 'segmented' }, h('legend', { class: 'field-label' }, 'Format'),
    h('div', { class: 'segmented-options' }, ...FORMATS.map((format, index) => h('span', { class: 'segment' },
      formatInputs[index], h('label', { attrs: { for: `export-format-${format}` } }, FORMAT_LABELS[format])))));
  const scopeSelect = h('select', { attrs: { id: 'export-scope', name: 'scope' }, on: { change: () => syncScopes() } },
    ...(['dashboard', 'view', 'raw'] as ExportScope[]).map((scope) => h('option', { attrs: { value: scope } }, scope === 'raw' ? `${SCOPE_LABELS.raw} (CSV, Excel)` : SCOPE_LABELS[scope])));
  const viewSelect = h('select', { attrs: { id: 'export-view', name: 'viewId' } });
  const viewField = h('div', { class: 'field', attrs: { hidden: true } }, h('label', { class: 'field-label', attrs: { for: 'export-view' } }, 'View'), viewSelect);
  const executionSelect = h('select', { attrs: { id: 'export-execution', name: 'executionId' } });
  const executionField = h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: 'export-execution' } }, 'Execution to export'), executionSelect);
  // A byte order mark makes Excel read a CSV as UTF-8 (names in Japanese, accents); other tools may not want one.
  const bomInput = h('input', { attrs: { type: 'checkbox', id: 'export-bom', name: 'bom', checked: true } });
  const bomField = h('div', { class: 'field field-inline', attrs: { hidden: true } }, bomInput,
    h('label', { attrs: { for: 'export-bom' } }, 'Byte order mark (for Excel)'));
  const error = h('p', { class: 'form-error', attrs: { role: 'alert' } });
  const submit = h('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Export');
  const list = h('ul', { class: 'export-list', attrs: { 'aria-label': 'Recent exports' } });
  const empty = h('p', { class: 'empty small' }, 'No exports of this report yet.');

  const selectedFormat = (): ExportFormat => (formatInputs.find((input) => input.checked)?.value as ExportFormat) ?? 'pdf';
  function syncScopes(): void {
    const rawOption = scopeSelect.querySelector<HTMLOptionElement>('option[value="raw"]')!;
    rawOption.disabled = !RAW_FORMATS.includes(selectedFormat());
    if (rawOption.disabled && scopeSelect.value === 'raw') scopeSelect.value = 'dashboard';
    viewField.hidden = scopeSelect.value !== 'view';
    bomField.hidden = selectedFormat() !== 'csv';
  }

  const viewName = (status: ExportStatus): string | null => (status.viewId ? views.find((view) => view.id === status.viewId)?.name ?? null : null);
  const show = (status: ExportStatus): void => {
    let entry = tracked.get(status.id);
    if (!entry) {
      entry = { status, element: h('li', { class: 'export-item' }) };
      tracked.set(status.id, entry);
      list.prepend(entry.element);
    } else if (entry.status.status !== status.status && isFinished(status.status)) {
      announce(status.status === 'completed' ? `${FORMAT_LABELS[status.format]} export is ready to download.` : `${FORMAT_LABELS[status.format]} export ${status.status}.`);
    }
    entry.status = status;
    renderExportItem(entry.element, status, viewName(status), download);
    empty.hidden = tracked.size > 0;
  };

  const refresh = async (exportId: string): Promise<void> => {
    try {
      show(await api.getExport(exportId));
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.status !== 404) throw failure;
    }
  };
  const poll = async (): Promise<void> => {
    timer = undefined;
    const open = [...tracked.values()].filter((entry) => !isFinished(entry.status.status));
    await Promise.all(open.map((entry) => refresh(entry.status.id).catch(() => undefined)));
    schedule();
  };
  const schedule = (): void => {
    if (disposed || timer !== undefined) return;
    if ([...tracked.values()].some((entry) => !isFinished(entry.status.status))) timer = window.setTimeout(() => void poll(), POLL_MS);
  };

  async function download(status: ExportStatus, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    button.textContent = 'Downloading…';
    try {
      const file = await api.download(status.downloadUrl ?? `/v1/exports/${status.id}/download`);
      const url = URL.createObjectURL(file.blob);
      const link = h('a', { attrs: { href: url, download: file.fileName, hidden: true } });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      button.textContent = 'Download again';
    } catch (failure) {
      button.textContent = 'Download';
      // 410: expired meanwhile; show the row as the API now sees it.
      if (failure instanceof ApiError && (failure.status === 410 || failure.status === 409)) await refresh(status.id).catch(() => undefined);
      else error.textContent = `The download failed: ${(failure as Error).message}`;
    } finally {
      button.disabled = false;
    }
  }

  const form = h('form', {
    class: 'export-form',
    attrs: { 'aria-label': 'Request an export' },
    on: {
      submit: (event) => {
        event.preventDefault();
        error.textContent = '';
        const scope = scopeSelect.value as ExportScope;
        const format = selectedFormat();
        const request = {
          format, scope, ...(scope === 'view' ? { viewId: viewSelect.value } : {}),
          ...(executionSelect.value ? { executionId: executionSelect.value } : {}),
          ...(format === 'csv' ? { options: { bom: bomInput.checked } } : {}),
        };
        submit.disabled = true;
        api.requestExport(reportId, request).then((status) => {
          show(status);
          announce(`${FORMAT_LABELS[status.format]} export requested.`);
          schedule();
        }, (failure: unknown) => {
          error.textContent = `The export could not be requested: ${(failure as Error).message}`;
        }).finally(() => (submit.disabled = false));
      },
    },
  }, formatGroup,
  h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: 'export-scope' } }, 'Contents'), scopeSelect),
  viewField, executionField, bomField, error, submit);

  const element = h('section', { class: 'card export-panel', attrs: { 'aria-labelledby': 'export-title' } },
    h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'export-title' } }, 'Export')),
    form, h('h3', { class: 'subheading' }, 'Recent exports'), empty, list);

  api.listExports(reportId).then((page) => {
    for (const status of [...page.items].reverse()) if (!tracked.has(status.id)) show(status);
    schedule();
  }, () => undefined);

  return {
    element,
    setViews(next) {
      views = next;
      const current = viewSelect.value;
      replaceChildren(viewSelect, ...views.map((view) => h('option', { attrs: { value: view.id, selected: view.id === current } }, view.name)));
    },
    setExecutions(history) {
      const current = executionSelect.value;
      const usable = history.filter((run) => run.status === 'SUCCEEDED' && !run.superseded);
      const label = (run: RunState) => `${run.timeWindow.start.slice(0, 10)} – ${run.timeWindow.end.slice(0, 10)}`;
      replaceChildren(executionSelect,
        h('option', { attrs: { value: '', selected: current === '' } }, 'The one the dashboard shows'),
        ...[...usable].reverse().map((run) => h('option', { attrs: { value: run.executionId, selected: run.executionId === current } }, label(run))));
    },
    onExportEvent(exportId) {
      void refresh(exportId).then(schedule, () => undefined);
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) window.clearTimeout(timer);
    },
  };
}
