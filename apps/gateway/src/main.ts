import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import type { Observable } from 'rxjs';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayEnv } from '@amc-reports/config';
import {
  checkDependenciesOrExit, createLogger, eventsMicroservice, exitOnShutdownSignal, exitWithProblem, lifecycleLogger, loadAppConfigOrExit,
  PinoNestLogger,
} from '@amc-reports/runtime';
import { GatewayModule } from './app.module';
import { installRequestHygiene } from './common/request-hygiene';
import { LiveEventsHub } from './live/live-events.hub';
import { collectRoutes, serveOpenApi, undocumentedRouteProblems } from './openapi';
import { registerHttpMetrics } from './observability/http-metrics.hook';
import { MetricsService } from './observability/metrics.service';
import { mountQueueDashboard } from './observability/queue-dashboard';
import { serveSharedPage } from './web/serve-shared-page';
import { serveWebApp } from './web/serve-web-app';

const APP = 'gateway';

async function main(): Promise<void> {
  const config = loadAppConfigOrExit(APP, GatewayEnv);
  const logger = createLogger(APP, config.LOG_LEVEL);
  await checkDependenciesOrExit(APP, config, logger);

  // Body limits are set per route (request-hygiene); Fastify answers 413 past them and 415 for
  // content types it has no parser for.
  const adapter = new FastifyAdapter({ bodyLimit: config.EVENT_BODY_LIMIT_BYTES, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register(config), adapter, {
    rawBody: true,
    logger: new PinoNestLogger(logger),
  });
  const registeredRoutes = collectRoutes(app);
  installRequestHygiene(app, config);
  serveOpenApi(app);
  serveWebApp(app);
  serveSharedPage(app);
  const fastify = app.getHttpAdapter().getInstance();
  registerHttpMetrics(fastify, app.get(MetricsService));
  const dashboardQueues = await mountQueueDashboard(fastify, config.REDIS_URL, config.QUEUE_PREFIX, config.ADMIN_TOKEN);
  fastify.addHook('onClose', async () => void (await Promise.all(dashboardQueues.map((queue) => queue.close()))));
  // The workers' events arrive on the Redis transport; SSE clients get them from here.
  const events = app.connectMicroservice(eventsMicroservice(config.REDIS_URL), { inheritAppConfig: true });
  resyncLiveClientsAfterReconnect(events.status, app.get(LiveEventsHub), logger);
  await app.init();
  const problems = undocumentedRouteProblems(registeredRoutes());
  if (problems.length > 0) {
    await app.close();
    exitWithProblem(APP, `the HTTP routes and the API document disagree: ${problems.join('; ')}`);
  }
  await app.startAllMicroservices();
  // SIGTERM: stop accepting (Fastify answers 503 to new requests while it drains), end the SSE
  // streams, finish in-flight requests, flush the outbox marks, close the pools; within the grace period.
  exitOnShutdownSignal({
    app: APP, logger, graceMs: config.SHUTDOWN_GRACE_MS,
    stop: async (signal) => {
      lifecycleLogger(logger).info({ signal }, 'gateway stopping');
      await app.close();
    },
  });
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  lifecycleLogger(logger).info({ port: config.GATEWAY_PORT, host: config.GATEWAY_HOST }, 'gateway listening');
}

/**
 * Events published while the Redis subscription was down are gone (fire-and-forget): once it is
 * back (ioredis resubscribes by itself), every SSE client is told to reload instead of trusting
 * a page that may have missed updates.
 */
function resyncLiveClientsAfterReconnect(status: Observable<string>, hub: LiveEventsHub, logger: Logger): void {
  let interrupted = false;
  status.subscribe((state) => {
    if (state === 'reconnecting' || state === 'disconnected') {
      if (!interrupted) logger.warn({ redis: true }, 'live events: Redis subscription lost, reconnecting');
      interrupted = true;
    } else if (state === 'connected' && interrupted) {
      interrupted = false;
      logger.info({ redis: true }, 'live events: Redis subscription back; clients told to resync');
      hub.resync('live updates were interrupted: reload to catch up');
    }
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${APP}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
