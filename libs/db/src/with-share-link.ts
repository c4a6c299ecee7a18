import type { PrismaClient, TransactionClient } from './prisma-client';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Runs `work` as role app_user with app.share_token_sha256 set and no user: the share-link
 * policies (migration 20261216000001) then show exactly the one report a valid link names — its
 * views, insights and runs — and nothing else, whatever the queries inside ask for.
 */
export async function withShareLink<T>(prisma: PrismaClient, tokenSha256: string, work: (tx: TransactionClient) => Promise<T>): Promise<T> {
  if (!SHA256_HEX.test(tokenSha256)) throw new Error('withShareLink needs the hex SHA-256 of a share token');
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.share_token_sha256', ${tokenSha256}, true)`;
    await tx.$executeRawUnsafe('SET LOCAL ROLE app_user');
    return work(tx);
  }, { timeout: 10_000, maxWait: 5_000 });
}
