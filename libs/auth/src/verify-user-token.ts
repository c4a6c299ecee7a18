import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { unstorableTextProblem } from '@amc-reports/contracts/src/api/storable-text';

export interface TokenVerifierOptions {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The longest lifetime (exp − iat, or exp − now without iat) a token may claim; default 24 h. */
  maxLifetimeSeconds?: number;
  /** Clock skew tolerated between the token issuer and us; default 60 s. */
  clockToleranceSeconds?: number;
}

export interface AuthenticatedUser {
  id: string;
  email: string | null;
}

export type InvalidTokenReason = 'missing_token' | 'malformed_token' | 'expired_token' | 'invalid_token' | 'invalid_subject' | 'invalid_lifetime';

export class InvalidTokenError extends Error {
  constructor(readonly reason: InvalidTokenReason, message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The nil and max UUIDs are placeholders, never a real user: a token naming them is forged or broken. */
const PLACEHOLDER_UUIDS = new Set(['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
const DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600;
const MAX_EMAIL_LENGTH = 320;

/**
 * Verifies a user's bearer token: HS256 with JWT_SECRET, or the keys at JWT_JWKS_URL. The
 * algorithms are pinned, so `alg: none` and algorithm-confusion tokens fail like bad signatures.
 * A token must expire (`exp`), within the lifetime cap, and must not be issued in the future: a
 * leaked never-expiring or far-future token is otherwise a permanent key.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (token: string | undefined) => Promise<AuthenticatedUser> {
  const key: Uint8Array | JWTVerifyGetKey = options.secret
    ? new TextEncoder().encode(options.secret)
    : createRemoteJWKSet(new URL(options.jwksUrl ?? 'missing:jwks'));
  const algorithms = options.secret ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'];
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const tolerance = options.clockToleranceSeconds ?? 60;
  return async (token) => {
    if (!token) throw new InvalidTokenError('missing_token', 'a Bearer token is required');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms, issuer: options.issuer, audience: options.audience, requiredClaims: ['exp'], clockTolerance: tolerance,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired_token', 'the token has expired');
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp') {
        throw new InvalidTokenError('invalid_lifetime', 'the token must carry an expiry (exp)');
      }
      if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) throw new InvalidTokenError('malformed_token', 'the token is malformed');
      throw new InvalidTokenError('invalid_token', 'the token signature or claims are not valid');
    }
    checkLifetime(payload, maxLifetime, tolerance);
    return { id: subjectOf(payload), email: emailOf(payload) };
  };
}

function checkLifetime(payload: JWTPayload, maxLifetime: number, tolerance: number): void {
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number;
  if (payload.iat !== undefined && payload.iat > now + tolerance) {
    throw new InvalidTokenError('invalid_lifetime', 'the token is issued in the future (iat)');
  }
  const lifetime = exp - (payload.iat ?? now);
  if (lifetime > maxLifetime + tolerance) {
    throw new InvalidTokenError('invalid_lifetime', `the token lives ${lifetime} s; at most ${maxLifetime} s are accepted`);
  }
}

function subjectOf(payload: JWTPayload): string {
  if (typeof payload.sub !== 'string' || !UUID.test(payload.sub) || PLACEHOLDER_UUIDS.has(payload.sub.toLowerCase())) {
    throw new InvalidTokenError('invalid_subject', 'the token subject (sub) must be a user id (UUID)');
  }
  return payload.sub.toLowerCase();
}

/** The e-mail claim is informational (stored when free); an unusable one is ignored, not fatal. */
function emailOf(payload: JWTPayload): string | null {
  const email = payload.email;
  if (typeof email !== 'string' || email.length === 0 || email.length > MAX_EMAIL_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(email) || unstorableTextProblem(email)) return null;
  return email;
}
