import type { ExportStatus } from '../api-types';
import { exportStatusPill } from '../components/badges';
import { formatBytes, formatMoment, formatRelative } from '../display-format';
import { h, replaceChildren } from '../dom';

export const FORMAT_LABELS: Record<string, string> = { pdf: 'PDF', png: 'PNG', csv: 'CSV', excel: 'Excel' };
export const SCOPE_LABELS: Record<string, string> = { dashboard: 'Whole dashboard', view: 'One view', raw: 'Raw result' };

export const isFinished = (status: string): boolean => status === 'completed' || status === 'failed' || status === 'expired';

/** One export in the panel's list: state, live progress, then the size, expiry and a download button. */
export function renderExportItem(item: HTMLElement, status: ExportStatus, viewName: string | null, onDownload: (status: ExportStatus, button: HTMLButtonElement) => void): void {
  const title = `${FORMAT_LABELS[status.format] ?? status.format} · ${viewName ?? SCOPE_LABELS[status.scope] ?? status.scope}`;
  item.dataset.exportId = status.id;
  item.dataset.status = status.status;
  const progress = Math.max(0, Math.min(100, Math.round(status.progress ?? 0)));
  const details: (HTMLElement | null)[] = [];
  if (!isFinished(status.status)) {
    details.push(h('div', { class: 'export-progress' },
      h('progress', { attrs: { max: 100, value: progress, 'aria-label': `${title}: ${progress}% rendered` } }),
      h('span', { class: 'small muted' }, status.status === 'pending' ? 'Waiting for a renderer…' : `${progress}%`)));
  }
  if (status.status === 'completed') {
    const button = h('button', { class: 'button button-primary button-small', attrs: { type: 'button' } }, 'Download');
    button.addEventListener('click', () => onDownload(status, button));
    details.push(h('div', { class: 'export-ready' },
      h('span', { class: 'small' }, formatBytes(status.fileSizeBytes),
        status.expiresAt ? h('span', { class: 'muted', attrs: { title: formatMoment(status.expiresAt) } }, ` · expires ${formatRelative(status.expiresAt)} (${formatMoment(status.expiresAt)})`) : null),
      button));
  }
  if (status.status === 'failed') details.push(h('p', { class: 'form-error small' }, status.error ?? 'The export failed.'));
  if (status.status === 'expired') {
    details.push(h('p', { class: 'small muted' }, `Expired${status.expiresAt ? ` ${formatMoment(status.expiresAt)}` : ''}: request a new one.`));
  }
  replaceChildren(item,
    h('div', { class: 'export-head' }, h('span', { class: 'export-title' }, title), exportStatusPill(status.status)),
    h('p', { class: 'small muted' }, `Requested ${formatRelative(status.requestedAt)}`),
    ...details);
}
