import { h, replaceChildren } from '../dom';
import { ApiError, GatewayApi } from '../gateway-api';
import { looksLikeJwt, saveToken } from '../session-token';

export interface SignInOptions {
  main: HTMLElement;
  returnTo: string | null;
  reason: string | null;
  onSignedIn(returnTo: string): void;
}

/** Paste a bearer token; it is checked against the gateway before it is kept for this tab. */
export function renderSignInPage(options: SignInOptions): void {
  const error = h('p', { class: 'form-error', attrs: { id: 'token-error', role: 'alert' } });
  const input = h('textarea', {
    class: 'token-input',
    attrs: {
      id: 'token', name: 'token', rows: 4, required: true, spellcheck: 'false', autocomplete: 'off',
      'aria-describedby': 'token-hint token-error', placeholder: 'eyJhbGciOi…',
    },
  });
  const submit = h('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Sign in');

  const showError = (message: string): void => {
    error.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };

  const form = h('form', {
    class: 'sign-in-form',
    attrs: { novalidate: true, 'aria-labelledby': 'sign-in-title' },
    on: {
      submit: (event) => {
        event.preventDefault();
        const token = input.value.trim().replace(/^Bearer\s+/i, '');
        if (!looksLikeJwt(token)) {
          showError('That is not a bearer token: a JWT has three parts separated by dots.');
          return;
        }
        submit.disabled = true;
        submit.textContent = 'Checking…';
        // A 401 here is the answer to show, not a reason to redirect.
        new GatewayApi(token, () => undefined).listReports(0, 1).then(
          () => {
            saveToken(token);
            options.onSignedIn(options.returnTo ?? '/reports');
          },
          (failure: unknown) => {
            submit.disabled = false;
            submit.textContent = 'Sign in';
            showError(failure instanceof ApiError && failure.status === 401
              ? `The gateway refused this token (${failure.message}).`
              : `Could not reach the gateway: ${(failure as Error).message}`);
          },
        );
      },
    },
  },
  h('label', { class: 'field-label', attrs: { for: 'token' } }, 'Bearer token'),
  input,
  h('p', { class: 'field-hint', attrs: { id: 'token-hint' } },
    'Paste the token that ', h('code', null, 'npm run demo'), ' prints, or mint one with ',
    h('code', null, 'npm run cli -- token --user <your user id>'), '. It is kept for this browser tab only.'),
  error,
  submit);

  replaceChildren(options.main, h('section', { class: 'sign-in' },
    h('div', { class: 'sign-in-card' },
      h('h1', { attrs: { id: 'sign-in-title' } }, 'Sign in'),
      h('p', { class: 'lead' }, 'Dashboards, insights and exports for your Amazon Marketing Cloud workflows.'),
      options.reason === 'expired' ? h('p', { class: 'notice', attrs: { role: 'status' } }, 'Your session ended. Sign in again to continue.') : null,
      form)));
}
