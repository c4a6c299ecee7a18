/** The bearer token lives in sessionStorage: it leaves with the tab, never in localStorage or a cookie. */
const KEY = 'amc-reports.token';

export function readToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The token's claims for display only (the gateway verifies it; this page never trusts it). */
export function tokenClaims(token: string): { sub?: string; email?: string; exp?: number } | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return typeof claims === 'object' && claims !== null ? (claims as { sub?: string; email?: string; exp?: number }) : null;
  } catch {
    return null;
  }
}

/** A JWT has three base64url parts; anything else is refused before a request is made. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}
