import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedisCluster } from '@amc-reports/launcher';

export interface TestRedisCluster {
  url: string;
  pids: number[];
  stop(): Promise<void>;
}

/**
 * A throw-away 3-master Redis Cluster (free ports, data in a temporary directory) for the tests
 * that prove the system on a cluster; its servers stop with the test process whatever happens
 * (the launcher's ordered stop), and `stop()` removes the data.
 */
export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-redis-cluster-'));
  const cluster = await startRedisCluster({ dir, log: process.env.E2E_ECHO ? (line) => process.stdout.write(`${line}\n`) : () => undefined });
  return {
    url: cluster.url,
    pids: cluster.pids,
    async stop() {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
