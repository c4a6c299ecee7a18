import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { api } from '@amc-reports/contracts';
import type { GatewayConfig } from '../app-config';
import { validationError } from './request-validation';

/** The one route that takes large bodies: AMC events with inline result rows. */
export const WEBHOOK_PATH = '/v1/events/amc/execution-completed';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * JSON bodies: strict UTF-8 (a byte that is not UTF-8 is a 400, never a silent U+FFFD), then
 * JSON, then a walk that refuses NUL characters, lone surrogates and prototype keys with a 400
 * naming the field. The webhook's signature is still checked on the raw bytes (rawBody).
 * Async on purpose: Nest's adapter takes a parser's result only from a promise (or its `done`).
 */
export async function parseJsonBody(_request: FastifyRequest, body: Buffer): Promise<unknown> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw validationError([{ field: '(body)', message: 'is not valid UTF-8' }]);
  }
  if (text.trim() === '') throw validationError([{ field: '(body)', message: 'is empty; send a JSON document' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw validationError([{ field: '(body)', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  const unstorable = api.mayHoldUnstorableText(text) ? api.findUnstorableText(parsed) : null;
  if (unstorable) throw validationError([unstorable]);
  return parsed;
}

/**
 * Installs what every request goes through before a controller sees it:
 * - JSON is the only body type (form bodies answer 415 like any other type);
 * - body limits per route: the webhook EVENT_BODY_LIMIT_BYTES (10 MB), everything else
 *   USER_BODY_LIMIT_BYTES (256 KB), a logo upload what a 512 KB image takes as base64; Fastify
 *   answers 413 from the declared Content-Length;
 * - query strings are held to the same text rules as bodies.
 * Call before the app initialises (routes and parsers are registered at init).
 */
export function installRequestHygiene(app: NestFastifyApplication, config: GatewayConfig): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onRoute', (route) => {
    // A logo upload carries up to 512 KB of image as base64; its schema bounds the decoded size.
    route.bodyLimit = route.url === WEBHOOK_PATH ? config.EVENT_BODY_LIMIT_BYTES
      : route.url.endsWith('/branding/logo') ? Math.max(config.USER_BODY_LIMIT_BYTES, api.LOGO_BODY_LIMIT_BYTES) : config.USER_BODY_LIMIT_BYTES;
  });
  app.useBodyParser('application/json', { bodyLimit: config.EVENT_BODY_LIMIT_BYTES }, parseJsonBody);
  // Form and plain-text bodies, which Fastify and Nest would parse by default, answer 415 like every other non-JSON type.
  app.useBodyParser(['application/x-www-form-urlencoded', 'text/plain'], { bodyLimit: config.USER_BODY_LIMIT_BYTES }, async () => {
    throw new UnsupportedMediaTypeException({ statusCode: 415, error: 'unsupported_media_type', message: 'send the body as application/json' });
  });
  fastify.addHook('preValidation', async (request, reply) => {
    const unstorable = api.findUnstorableText(request.query ?? {}, []);
    if (!unstorable) return;
    const error = validationError([{ ...unstorable, field: unstorable.field === '(body)' ? '(query)' : unstorable.field }]);
    await reply.code(400).send(error.getResponse());
  });
}
