import { SignJWT, UnsecuredJWT } from 'jose';
import { mintUserToken } from './user-token';
import { createTokenVerifier } from './verify-user-token';

const secret = 'a-test-secret-that-is-at-least-32-chars';
const key = new TextEncoder().encode(secret);
const userId = '3f2b6c1e-8d4a-4b7e-9c2d-1a2b3c4d5e6f';
const verify = createTokenVerifier({ secret });
const now = (): number => Math.floor(Date.now() / 1000);
const signed = (claims: Record<string, unknown>, sub: string = userId) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).sign(key);

describe('createTokenVerifier (HS256)', () => {
  it('accepts a token minted with the secret and returns the user', async () => {
    const token = await mintUserToken({ userId, email: 'a@example.com', secret });
    await expect(verify(token)).resolves.toEqual({ id: userId, email: 'a@example.com' });
  });

  it('accepts a token without iat whose expiry is within the cap', async () => {
    await expect(verify(await signed({ exp: now() + 3600 }))).resolves.toMatchObject({ id: userId });
  });

  it('ignores an e-mail claim it cannot store (control characters, lone surrogates, absurd length)', async () => {
    for (const email of ['a\u0000@example.com', 'a\ud800@example.com', `${'a'.repeat(400)}@example.com`, 42]) {
      await expect(verify(await signed({ exp: now() + 60, email }))).resolves.toEqual({ id: userId, email: null });
    }
  });

  it.each([
    ['no token', async () => undefined, 'missing_token'],
    ['garbage', async () => 'not.a.jwt', 'malformed_token'],
    ['an expired token', async () => mintUserToken({ userId, secret, expiresIn: '-1m' }), 'expired_token'],
    ['a token signed with another secret', async () => mintUserToken({ userId, secret: 'x'.repeat(40) }), 'invalid_token'],
    ['an unsigned alg:none token', async () => new UnsecuredJWT({}).setSubject(userId).setExpirationTime('1h').encode(), 'invalid_token'],
    ['a sub that is not a UUID', async () => mintUserToken({ userId: 'admin', secret }), 'invalid_subject'],
    ['the nil UUID as sub', async () => mintUserToken({ userId: '00000000-0000-0000-0000-000000000000', secret }), 'invalid_subject'],
    ['the max UUID as sub', async () => mintUserToken({ userId: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', secret }), 'invalid_subject'],
    ['an HS512 token with the right secret', async () =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject(userId).setExpirationTime('1h').sign(key), 'invalid_token'],
    ['a token without exp', async () => signed({ iat: now() }), 'invalid_lifetime'],
    ['a token living longer than 24 h', async () => signed({ iat: now(), exp: now() + 25 * 3600 }), 'invalid_lifetime'],
    ['a token without iat expiring in a year', async () => signed({ exp: now() + 365 * 86400 }), 'invalid_lifetime'],
    ['a token issued an hour in the future', async () => signed({ iat: now() + 3600, exp: now() + 7200 }), 'invalid_lifetime'],
  ])('rejects %s', async (_label, make, reason) => {
    await expect(verify(await make())).rejects.toMatchObject({ reason });
  });

  it('takes a configured lifetime cap', async () => {
    const strict = createTokenVerifier({ secret, maxLifetimeSeconds: 600 });
    await expect(strict(await signed({ iat: now(), exp: now() + 3600 }))).rejects.toMatchObject({ reason: 'invalid_lifetime' });
    await expect(strict(await signed({ iat: now(), exp: now() + 300 }))).resolves.toMatchObject({ id: userId });
  });

  it('tolerates a minute of clock skew on iat', async () => {
    await expect(verify(await signed({ iat: now() + 30, exp: now() + 3600 }))).resolves.toMatchObject({ id: userId });
  });
});
