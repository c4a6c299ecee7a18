import type { ShareLink } from '../api-types';
import { formatMoment } from '../display-format';
import { h, replaceChildren } from '../dom';
import { ApiError, errorMessage, type GatewayApi } from '../gateway-api';
import { lazyDetails } from './subscriptions-panel';

const STATUS_TONES: Record<ShareLink['status'], string> = { active: 'ok', expired: 'neutral', revoked: 'bad' };

/**
 * Client share links: a read-only dashboard for someone without an account, valid until it
 * expires or is revoked. The link is shown once, when it is made (only its hash is kept).
 */
export function createShareLinksPanel(api: GatewayApi, reportId: string, canEdit: boolean, announce: (message: string) => void): HTMLElement {
  const list = h('ul', { class: 'share-list', attrs: { 'aria-label': 'Share links' } });
  const created = h('div', { class: 'notice', attrs: { hidden: true, role: 'status' } });
  const error = h('p', { class: 'form-error', attrs: { role: 'alert' } });

  const refresh = async (): Promise<void> => {
    try {
      const links = (await api.listShareLinks(reportId)).items;
      if (links.length === 0) {
        replaceChildren(list, h('li', { class: 'empty small' }, 'No share links.'));
        return;
      }
      replaceChildren(list, ...links.map((link) => h('li', { class: 'share-link', dataset: { linkId: link.id, status: link.status } },
        h('div', { class: 'subscription-head' }, h('strong', null, link.label ?? 'Share link'), h('span', { class: `pill pill-${STATUS_TONES[link.status]}` }, link.status),
          link.allowExports ? h('span', { class: 'tag' }, 'exports allowed') : null),
        h('div', { class: 'small muted' }, `${link.status === 'active' ? 'Valid until' : 'Ended'} ${formatMoment(link.revokedAt ?? link.expiresAt)} · viewed ${link.viewCount} time${link.viewCount === 1 ? '' : 's'}`
          + (link.lastViewedAt ? `, last ${formatMoment(link.lastViewedAt)}` : '')),
        link.allowedOrigins.length > 0 ? h('div', { class: 'small muted' }, `May be embedded by ${link.allowedOrigins.join(', ')}`) : null,
        canEdit && link.status === 'active'
          ? h('button', { class: 'button button-small button-quiet', attrs: { type: 'button' }, dataset: { action: 'revoke' }, on: { click: () => void revoke(link) } }, 'Revoke')
          : null)));
    } catch (failure) {
      error.textContent = `Could not load the share links: ${(failure as Error).message}`;
    }
  };

  const revoke = async (link: ShareLink): Promise<void> => {
    await api.revokeShareLink(reportId, link.id);
    announce('Share link revoked: it answers “no longer available” from now on.');
    await refresh();
  };

  const label = h('input', { attrs: { id: 'share-label', type: 'text', maxlength: 200, placeholder: 'Acme Brand team' } });
  const days = h('input', { attrs: { id: 'share-days', type: 'number', min: 1, max: 365, value: 30 } });
  const exportsAllowed = h('input', { attrs: { id: 'share-exports', type: 'checkbox' } });
  const origins = h('input', { attrs: { id: 'share-origins', type: 'text', placeholder: 'https://portal.client.com' } });
  const form = h('form', { class: 'subscription-form', attrs: { 'aria-label': 'Create a share link', novalidate: true } },
    h('div', { class: 'form-row' },
      h('div', { class: 'field field-grow' }, h('label', { class: 'field-label', attrs: { for: 'share-label' } }, 'For'), label),
      h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: 'share-days' } }, 'Valid for (days)'), days)),
    h('span', { class: 'check' }, exportsAllowed, h('label', { attrs: { for: 'share-exports' } }, 'Allow PDF / PNG / CSV / Excel downloads')),
    h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: 'share-origins' } }, 'Sites that may embed it (optional)'), origins),
    h('div', { class: 'form-actions' }, h('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Create share link')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const expiresAt = new Date(Date.now() + Number(days.value || 30) * 86_400_000).toISOString();
    api.createShareLink(reportId, {
      expiresAt, allowExports: exportsAllowed.checked, ...(label.value.trim() ? { label: label.value.trim() } : {}),
      allowedOrigins: origins.value.split(/[,\s]+/).map((origin) => origin.trim()).filter(Boolean),
    }).then(async (link) => {
      const url = new URL(`/share/${link.token}`, location.origin).toString();
      replaceChildren(created, h('strong', null, 'Share this link (shown once): '), h('a', { class: 'share-url', attrs: { href: url, target: '_blank', rel: 'noreferrer' } }, url));
      created.hidden = false;
      form.reset();
      announce('Share link created.');
      await refresh();
    }, (failure: unknown) => {
      error.textContent = failure instanceof ApiError ? errorMessage(failure.body) ?? failure.message : (failure as Error).message;
    });
  });

  void refresh();
  return h('section', { class: 'delivery-panel', attrs: { 'aria-labelledby': 'share-title' } },
    h('header', { class: 'card-header' }, h('h3', { attrs: { id: 'share-title' } }, 'Client share links'),
      h('span', { class: 'muted small' }, 'Read-only, no account needed')),
    created, error, list, canEdit ? lazyDetails('Create a share link', form) : null);
}
