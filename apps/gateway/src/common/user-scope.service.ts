import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { InjectPrisma, withUser, type PrismaClient, type TransactionClient } from '@amc-reports/db';

/**
 * Every user request runs here: one transaction as app_user with app.user_id = the token's sub,
 * the users row upserted on first use (with the email claim when it is free).
 */
@Injectable()
export class UserScope {
  constructor(@InjectPrisma() private readonly prisma: PrismaClient) {}

  run<T>(user: AuthenticatedUser, work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return withUser(this.prisma, user.id, async (tx) => {
      await tx.$executeRaw`
        INSERT INTO users (id, email)
        VALUES (${user.id}::uuid, CASE WHEN ${user.email}::text IS NULL OR EXISTS (SELECT 1 FROM users WHERE email = ${user.email}::text)
                                    THEN NULL ELSE ${user.email}::text END)
        ON CONFLICT (id) DO NOTHING`;
      return work(tx);
    });
  }
}
