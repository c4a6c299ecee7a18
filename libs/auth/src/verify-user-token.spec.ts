import { SignJWT, UnsecuredJWT } from 'jose';
import { mintUserToken } from './user-token';
import { createTokenVerifier } from './verify-user-token';

const secret = 'a-test-secret-that-is-at-least-32-chars';
const userId = '3f2b6c1e-8d4a-4b7e-9c2d-1a2b3c4d5e6f';
const verify = createTokenVerifier({ secret });

describe('createTokenVerifier (HS256)', () => {
  it('accepts a token minted with the secret and returns the user', async () => {
    const token = await mintUserToken({ userId, email: 'a@example.com', secret });
    await expect(verify(token)).resolves.toEqual({ id: userId, email: 'a@example.com' });
  });

  it.each([
    ['no token', async () => undefined, 'missing_token'],
    ['garbage', async () => 'not.a.jwt', 'malformed_token'],
    ['an expired token', async () => mintUserToken({ userId, secret, expiresIn: '-1m' }), 'expired_token'],
    ['a token signed with another secret', async () => mintUserToken({ userId, secret: 'x'.repeat(40) }), 'invalid_token'],
    ['an unsigned alg:none token', async () => new UnsecuredJWT({}).setSubject(userId).setExpirationTime('1h').encode(), 'invalid_token'],
    ['a sub that is not a UUID', async () => mintUserToken({ userId: 'admin', secret }), 'invalid_subject'],
    ['an HS512 token with the right secret', async () =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject(userId).setExpirationTime('1h').sign(new TextEncoder().encode(secret)), 'invalid_token'],
  ])('rejects %s', async (_label, make, reason) => {
    await expect(verify(await make())).rejects.toMatchObject({ reason });
  });
});
