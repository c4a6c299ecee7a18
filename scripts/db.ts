/**
 * npm run db:migrate | db:rollback | db:status — dbmate over prisma/migrations.
 * Uses DATABASE_URL when set, otherwise starts the embedded dev Postgres (./var/pg) for the call.
 */
import path from 'node:path';
import { runDbmate, startInfrastructure, type DbmateCommand } from '@amc-reports/launcher';

const COMMANDS: Record<string, DbmateCommand> = { migrate: 'up', rollback: 'rollback', status: 'status' };

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`usage: db.ts ${Object.keys(COMMANDS).join('|')}\n`);
    process.exit(2);
  }
  let databaseUrl = process.env.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  if (!databaseUrl) {
    const infra = await startInfrastructure({
      dataRoot: path.resolve(process.env.AMC_DATA_DIR ?? 'var'), durable: true, env: { REDIS_URL: 'redis://unused' },
      postgresPort: Number(process.env.AMC_POSTGRES_PORT ?? 54329),
    });
    databaseUrl = infra.databaseUrl;
    stop = () => infra.stop();
  }
  try {
    const output = await runDbmate(databaseUrl, command);
    process.stdout.write(`${output || `db:${name}: nothing to do`}\n`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`db: ${(error as Error).message}\n`);
  process.exit(1);
});
