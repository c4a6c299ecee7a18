import { adminTokenMatches, bearerToken, looksLikeJwt } from './admin-token';

describe('admin token helpers', () => {
  it('matches only the exact token, and nothing when no token is configured', () => {
    expect(adminTokenMatches('s3cret-admin-token', 's3cret-admin-token')).toBe(true);
    expect(adminTokenMatches('s3cret-admin-token ', 's3cret-admin-token')).toBe(false);
    expect(adminTokenMatches('short', 's3cret-admin-token')).toBe(false);
    expect(adminTokenMatches(undefined, 's3cret-admin-token')).toBe(false);
    expect(adminTokenMatches('anything', undefined)).toBe(false);
  });

  it.each([
    ['Bearer abc', 'abc'], ['bearer abc', 'abc'], ['BEARER abc', 'abc'], ['BeArEr \tabc ', 'abc'],
    ['Basic abc', undefined], ['Bearer', undefined], ['Bearer a b', undefined], [undefined, undefined], ['Bearerabc', undefined],
  ])('reads the bearer token of %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it('tells a JWT from an opaque token', () => {
    expect(looksLikeJwt('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln')).toBe(true);
    expect(looksLikeJwt('0123456789abcdef0123')).toBe(false);
  });
});
