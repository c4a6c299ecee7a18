import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The operator's ADMIN_TOKEN, compared in constant time. Both sides are hashed first so neither
 * the comparison time nor an early length check tells how long the token is.
 */
export function adminTokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `Authorization: Bearer <token>`, the scheme matched case-insensitively (RFC 7235). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** Three base64url segments: a JWT, i.e. a user token presented where the admin token belongs. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
