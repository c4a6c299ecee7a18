import { SignJWT } from 'jose';

export interface UserTokenOptions {
  userId: string;
  email?: string;
  secret: string;
  expiresIn?: string;
  issuer?: string;
  audience?: string;
}

/** An HS256 user token as the gateway expects (sub = user id): for local use, the demo and tests. */
export async function mintUserToken(options: UserTokenOptions): Promise<string> {
  let jwt = new SignJWT(options.email ? { email: options.email } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.userId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
