import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayEnv } from '@amc-reports/config';
import { checkDependenciesOrExit, createLogger, lifecycleLogger, loadAppConfigOrExit, PinoNestLogger } from '@amc-reports/runtime';
import { GatewayModule } from './app.module';
import { serveOpenApi } from './openapi';

const APP = 'gateway';

async function main(): Promise<void> {
  const config = loadAppConfigOrExit(APP, GatewayEnv);
  const logger = createLogger(APP, config.LOG_LEVEL);
  await checkDependenciesOrExit(APP, config, logger);

  // The body limit covers the largest legal request (an event with inline rows); Fastify
  // answers 413 past it and 415 for content types it has no parser for.
  const adapter = new FastifyAdapter({ bodyLimit: config.EVENT_BODY_LIMIT_BYTES, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register(config), adapter, {
    rawBody: true,
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  serveOpenApi(app);
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  lifecycleLogger(logger).info({ port: config.GATEWAY_PORT, host: config.GATEWAY_HOST }, 'gateway listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`${APP}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
