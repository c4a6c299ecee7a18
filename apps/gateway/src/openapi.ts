import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { AmcExecutionCompletedEvent } from '@amc-reports/contracts';

/**
 * Request bodies are zod schemas, not decorated classes: their JSON Schema is attached to the
 * routes Nest discovered, so /docs documents exactly what the gateway validates.
 */
const BODIES: Record<string, z.ZodType> = {
  'post /v1/events/amc/execution-completed': AmcExecutionCompletedEvent,
};

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('amc-reports')
    .setDescription('AMC execution events in; dashboards, insights and expiring exports out. User routes take a Bearer JWT (sub = user id).')
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-AMC-Signature', description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">' }, 'amc-signature')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const [route, schema] of Object.entries(BODIES)) {
    const [method, path] = route.split(' ');
    const operation = (document.paths[path] as Record<string, Record<string, unknown>> | undefined)?.[method];
    if (operation) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } };
    }
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item as Record<string, { security?: unknown[] }>)) {
      if (path.startsWith('/v1/') && !path.startsWith('/v1/events/')) operation.security = [{ bearer: [] }];
      if (path.startsWith('/v1/events/')) operation.security = [{ 'amc-signature': [] }];
    }
  }
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}
