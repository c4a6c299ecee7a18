// Test fixture: starts throw-away infrastructure, prints the server pids, then waits to be signalled.
import { startInfrastructure } from '../src';

(async () => {
  const infra = await startInfrastructure({ dataRoot: process.argv[2], durable: false, env: {}, redisCluster: process.argv[4] === 'cluster' });
  const pids = infra.pids;
  process.stdout.write(`READY ${JSON.stringify({ pids, databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl })}\n`);
  if (process.argv[3] === 'crash') setTimeout(() => { throw new Error('simulated crash'); }, 200);
  setInterval(() => undefined, 1_000);
})();
