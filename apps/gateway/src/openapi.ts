import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { api } from '@amc-reports/contracts';
import { dashboardColumnsMarkdown } from '@amc-reports/dashboards';

/**
 * /docs (Swagger UI) and /docs/openapi.json: the document generated from the API operations table
 * (libs/contracts/src/api/operations.ts), i.e. from the zod schemas the controllers validate with.
 */
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => api.buildOpenApiDocument(api.API_OPERATIONS, { appendDescriptions: eventDescriptions() }) as unknown as OpenAPIObject, { jsonDocumentUrl: 'docs/openapi.json' });
}

/** The event's columns, per dashboard type: generated from the metric layer (libs/dashboards), as in the README. */
export function eventDescriptions(): Record<string, string> {
  return { receiveAmcExecutionCompleted: `### The AMC columns each dashboard type reads\n\n${dashboardColumnsMarkdown()}` };
}

/** Routes that are not part of the API document: the web page (and its shared page), the docs themselves, bull-board. */
const UNDOCUMENTED = [/^\/app(\/|$)/, /^\/share\/:token$/, /^\/docs(\/|$|-)/, /^\/admin\/queues(\/|$)/, /^\/favicon/, /^\*$/, /^\/$/];

/**
 * Collects the routes Fastify registers, so that start-up can hold them to the operations table:
 * a route without a documented operation, or an operation without a route, stops the gateway.
 */
export function collectRoutes(app: NestFastifyApplication): () => string[] {
  const routes: string[] = [];
  (app.getHttpAdapter().getInstance() as FastifyInstance).addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      if (UNDOCUMENTED.some((pattern) => pattern.test(route.url))) continue;
      routes.push(`${method.toLowerCase()} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  });
  return () => routes;
}

export function undocumentedRouteProblems(registered: string[]): string[] {
  const documented = new Set(api.API_OPERATIONS.map((operation) => `${operation.method} ${operation.path}`));
  const actual = new Set(registered);
  return [
    ...[...actual].filter((route) => !documented.has(route)).map((route) => `route ${route} has no operation in libs/contracts/src/api/operations.ts`),
    ...[...documented].filter((route) => !actual.has(route)).map((route) => `operation ${route} has no route in the gateway`),
  ];
}
