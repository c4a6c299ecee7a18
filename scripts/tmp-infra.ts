import { startInfrastructure, migrateDatabase } from '@amc-reports/launcher';
import { execSync } from 'node:child_process';
(async () => {
  const infra = await startInfrastructure({ dataRoot: '/tmp/amc-try2', durable: false, env: {} });
  await migrateDatabase(infra.databaseUrl);
  console.log(execSync(`bash /tmp/gw-try.sh '${infra.databaseUrl}' '${infra.redisUrl}' 2>&1`).toString());
  await infra.stop();
})();
