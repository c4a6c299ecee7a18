import { createHash, randomBytes } from 'node:crypto';
import { GoneException } from '@nestjs/common';
import type { PrismaClient } from '@amc-reports/db';
import { notFound } from '../common/request-validation';

/** 32 random bytes, URL-safe: the only handle a share or download link has. Only its SHA-256 is stored. */
export function newToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: tokenSha256(token) };
}

export const tokenSha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface ActiveShareLink {
  id: string;
  reportConfigurationId: string;
  tokenSha256: string;
  allowExports: boolean;
  allowedOrigins: string[];
  expiresAt: Date;
}

export function gone(message: string): GoneException {
  return new GoneException({ statusCode: 410, error: 'gone', message });
}

/**
 * The link a token names: 404 when there is none (a token that was never made looks like any
 * other unknown URL), 410 once it was revoked or expired.
 */
export async function activeShareLink(prisma: PrismaClient, token: string): Promise<ActiveShareLink> {
  if (!TOKEN_SHAPE.test(token)) throw notFound('share link');
  const link = await prisma.reportShareLink.findUnique({ where: { tokenSha256: tokenSha256(token) } });
  if (!link) throw notFound('share link');
  if (link.revokedAt) throw gone('this share link was revoked; ask the sender for a new one');
  if (link.expiresAt.getTime() <= Date.now()) throw gone(`this share link expired at ${link.expiresAt.toISOString()}; ask the sender for a new one`);
  return link;
}

export const isTokenShaped = (token: string): boolean => TOKEN_SHAPE.test(token);
