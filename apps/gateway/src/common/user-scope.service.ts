import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { InjectPrisma, withUser, type PrismaClient, type TransactionClient } from '@amc-reports/db';

/**
 * Every user request runs here: one transaction as app_user with app.user_id = the token's sub.
 * The users row is registered on first use; its e-mail claim is stored only when no other user
 * holds it (app_register_user decides that where RLS would hide the other holder).
 */
@Injectable()
export class UserScope {
  constructor(@InjectPrisma() private readonly prisma: PrismaClient) {}

  run<T>(user: AuthenticatedUser, work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return withUser(this.prisma, user.id, async (tx) => {
      await tx.$executeRaw`SELECT app_register_user(${user.id}::uuid, ${user.email}::text)`;
      return work(tx);
    });
  }
}
