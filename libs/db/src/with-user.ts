import type { PrismaClient, TransactionClient } from './prisma-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `work` in one transaction as role app_user with app.user_id set, so Postgres row-level
 * security (not application code) decides what the user can see and change. Both settings are
 * transaction-local (`true` / SET LOCAL): a pooled connection never carries them to the next user.
 */
export async function withUser<T>(
  prisma: PrismaClient,
  userId: string,
  work: (tx: TransactionClient) => Promise<T>,
  options?: { timeoutMs?: number },
): Promise<T> {
  if (!UUID.test(userId)) throw new Error(`withUser needs a UUID user id, got "${userId}"`);
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true)`;
      await tx.$executeRawUnsafe('SET LOCAL ROLE app_user');
      return work(tx);
    },
    { timeout: options?.timeoutMs ?? 10_000, maxWait: 5_000 },
  );
}
