import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { adminTokenMatches, bearerToken } from '@amc-reports/auth';
import { QUEUE_NAMES } from '@amc-reports/contracts';
import { producerConnectionOptions } from '@amc-reports/queue';

const BASE_PATH = '/admin/queues';

/**
 * bull-board at /admin/queues for operators, behind ADMIN_TOKEN: a Bearer header, or ?token= once
 * in a browser (then an HttpOnly cookie scoped to the dashboard carries it for the UI's own calls).
 * Without ADMIN_TOKEN the route does not exist.
 */
export async function mountQueueDashboard(fastify: FastifyInstance, redisUrl: string, prefix: string, adminToken: string | undefined): Promise<Queue[]> {
  if (!adminToken) return [];
  const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: producerConnectionOptions(redisUrl), prefix }));
  for (const queue of queues) queue.on('error', () => undefined);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(BASE_PATH);
  // The adapter packages are typed against slightly different copies of the interface.
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: serverAdapter as never });
  await fastify.register(async (scoped) => {
    scoped.addHook('onRequest', async (request, reply) => {
      const header = bearerToken(request.headers.authorization);
      const query = (request.query as Record<string, string | undefined>)?.token;
      const cookie = /(?:^|;\s*)amc_admin=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
      if (!adminTokenMatches(header ?? query ?? (cookie ? decodeURIComponent(cookie) : undefined), adminToken)) {
        await reply.code(401).send({ statusCode: 401, error: 'unauthorized', message: 'the queue dashboard needs the admin token' });
        return;
      }
      if (query) reply.header('set-cookie', `amc_admin=${encodeURIComponent(query)}; Path=${BASE_PATH}; HttpOnly; SameSite=Strict`);
    });
    await scoped.register(serverAdapter.registerPlugin() as never, { prefix: BASE_PATH });
  });
  return queues;
}
