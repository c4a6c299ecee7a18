import { defineConfig } from 'prisma/config';

// Migrations are dbmate's (prisma/migrations/*.sql); Prisma only generates the client, which
// needs no connection. The URL is read for `prisma studio`-style tools when present.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/amc_reports' },
});
