/**
 * A real HTTP server on 127.0.0.1 standing in for Slack's incoming webhooks or a customer's
 * webhook endpoint: it records every request with its raw body and answers from a script
 * (e.g. 429 with Retry-After, then 200), and lets a test wait for the n-th request.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  json(): unknown;
  receivedAt: number;
}

export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface LocalHttpReceiver {
  readonly url: string;
  readonly port: number;
  /** host:port, for OUTBOUND_ALLOWLIST and SLACK_WEBHOOK_HOSTS. */
  readonly host: string;
  readonly requests: ReceivedRequest[];
  /** Answers for the next requests to `path`, in order; afterwards the default. */
  script(path: string, ...answers: ReceiverAnswer[]): void;
  waitForRequests(count: number, options?: { path?: string; timeoutMs?: number }): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startLocalHttpReceiver(defaultAnswer: ReceiverAnswer = { status: 200, body: 'ok' }): Promise<LocalHttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const scripts = new Map<string, ReceiverAnswer[]>();
  const waiters = new Set<() => void>();
  const answer = (res: ServerResponse, reply: ReceiverAnswer) => res.writeHead(reply.status, reply.headers ?? { 'content-type': 'text/plain' }).end(reply.body ?? '');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const rawBody = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody, json: () => JSON.parse(rawBody.toString('utf8')), receivedAt: Date.now() });
      answer(res, scripts.get(path)?.shift() ?? defaultAnswer);
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    host: `127.0.0.1:${port}`,
    requests,
    script(path, ...answers) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    waitForRequests(count, options = {}) {
      const matching = () => requests.filter((request) => !options.path || request.path === options.path);
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = matching();
          if (found.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${count} request(s)${options.path ? ` to ${options.path}` : ''}; got ${matching().length}`));
        }, options.timeoutMs ?? 30_000);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
