import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export interface TokenVerifierOptions {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export interface AuthenticatedUser {
  id: string;
  email: string | null;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'missing_token' | 'malformed_token' | 'expired_token' | 'invalid_token' | 'invalid_subject', message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies a user's bearer token: HS256 with JWT_SECRET, or the keys at JWT_JWKS_URL. The
 * algorithms are pinned, so `alg: none` and algorithm-confusion tokens fail like bad signatures.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (token: string | undefined) => Promise<AuthenticatedUser> {
  const key: Uint8Array | JWTVerifyGetKey = options.secret
    ? new TextEncoder().encode(options.secret)
    : createRemoteJWKSet(new URL(options.jwksUrl ?? 'missing:jwks'));
  const algorithms = options.secret ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'];
  return async (token) => {
    if (!token) throw new InvalidTokenError('missing_token', 'a Bearer token is required');
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, { algorithms, issuer: options.issuer, audience: options.audience });
      if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
        throw new InvalidTokenError('invalid_subject', 'the token subject (sub) must be a user id (UUID)');
      }
      return { id: payload.sub.toLowerCase(), email: typeof payload.email === 'string' ? payload.email : null };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired_token', 'the token has expired');
      if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) throw new InvalidTokenError('malformed_token', 'the token is malformed');
      throw new InvalidTokenError('invalid_token', 'the token signature or claims are not valid');
    }
  };
}
