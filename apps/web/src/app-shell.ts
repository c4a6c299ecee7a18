import { h, replaceChildren } from './dom';

export interface AppShell {
  main: HTMLElement;
  announce(message: string): void;
  showUser(email: string | null, onSignOut: (() => void) | null): void;
  /** Moves keyboard and screen-reader focus to the new page's heading after a route change. */
  focusHeading(): void;
}

/** The frame around every page: skip link, top bar, the main landmark and a polite live region. */
export function mountAppShell(root: HTMLElement): AppShell {
  const main = h('main', { class: 'page', attrs: { id: 'main-content', tabindex: -1 } });
  const user = h('div', { class: 'topbar-user' });
  const liveRegion = h('div', { class: 'sr-only', attrs: { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const skipLink = h('a', {
    class: 'skip-link',
    // A real href would change the route: focus the content directly instead.
    attrs: { href: '#main-content' },
    on: { click: (event) => { event.preventDefault(); main.focus(); } },
  }, 'Skip to content');
  const brand = h('a', { class: 'brand', attrs: { href: '#/reports' } },
    h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }),
    h('span', { class: 'brand-name' }, 'AMC Reports'));
  const header = h('header', { class: 'topbar' }, h('div', { class: 'topbar-inner' }, brand, user));
  replaceChildren(root, skipLink, header, main, liveRegion);

  return {
    main,
    announce(message) {
      // Clearing first makes a repeated message be read again.
      liveRegion.textContent = '';
      window.setTimeout(() => (liveRegion.textContent = message), 50);
    },
    showUser(email, onSignOut) {
      replaceChildren(user,
        email ? h('span', { class: 'topbar-email', attrs: { title: 'Signed in' } }, email) : null,
        onSignOut ? h('button', { class: 'button button-quiet button-on-dark', attrs: { type: 'button' }, on: { click: onSignOut } }, 'Sign out') : null);
    },
    focusHeading() {
      const heading = main.querySelector<HTMLElement>('h1');
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    },
  };
}
