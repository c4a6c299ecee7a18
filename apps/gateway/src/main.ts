import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Transport } from '@nestjs/microservices';
import { GatewayEnv } from '@amc-reports/config';
import { checkDependenciesOrExit, createLogger, exitWithProblem, lifecycleLogger, loadAppConfigOrExit, PinoNestLogger, redisTransportOptions } from '@amc-reports/runtime';
import { GatewayModule } from './app.module';
import { installRequestHygiene } from './common/request-hygiene';
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
  app.enableShutdownHooks();
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
  app.connectMicroservice({ transport: Transport.REDIS, options: redisTransportOptions(config.REDIS_URL) }, { inheritAppConfig: true });
  await app.init();
  const problems = undocumentedRouteProblems(registeredRoutes());
  if (problems.length > 0) {
    await app.close();
    exitWithProblem(APP, `the HTTP routes and the API document disagree: ${problems.join('; ')}`);
  }
  await app.startAllMicroservices();
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  lifecycleLogger(logger).info({ port: config.GATEWAY_PORT, host: config.GATEWAY_HOST }, 'gateway listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`${APP}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
