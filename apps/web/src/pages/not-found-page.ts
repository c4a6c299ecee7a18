import { h, replaceChildren } from '../dom';

/**
 * One message for a report that does not exist and one that belongs to someone else: like the
 * API's 404, the page never confirms that another user's report exists.
 */
export function renderNotFoundPage(main: HTMLElement, what: 'page' | 'report'): void {
  const title = what === 'report' ? 'Report not found' : 'Page not found';
  const text = what === 'report'
    ? 'None of your reports has this id. It may have been deleted, or the link is not meant for your account.'
    : 'There is nothing at this address.';
  const heading = h('h1', { attrs: { tabindex: -1 } }, title);
  replaceChildren(main, h('section', { class: 'not-found', dataset: { notFound: what } },
    h('p', { class: 'not-found-code', attrs: { 'aria-hidden': 'true' } }, '404'),
    heading,
    h('p', { class: 'lead' }, text),
    h('a', { class: 'button button-primary', attrs: { href: '#/reports' } }, 'Back to your reports')));
  heading.focus({ preventScroll: true });
}
