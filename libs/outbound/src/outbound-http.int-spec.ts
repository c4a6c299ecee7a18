import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundHttp, retryAfterMs } from './outbound-http';
import { OutboundRefusedError, parseOutboundAllowlist } from './ssrf-guard';

/** A loopback receiver that records what reaches it. */
async function receiver(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { hits, port, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('OutboundHttp', () => {
  it('posts to an allow-listed host and never follows a redirect (the target is never reached)', async () => {
    const target = await receiver((_req, res) => res.end('internal'));
    const redirecting = await receiver((_req, res) => res.writeHead(302, { location: `${target.url}/admin` }).end());
    const client = new OutboundHttp({ policy: parseOutboundAllowlist([`127.0.0.1:${redirecting.port}`]), timeoutMs: 5_000 });
    try {
      const answer = await client.postJson(`${redirecting.url}/hook`, '{"a":1}');
      expect(answer.status).toBe(302);
      expect(redirecting.hits).toEqual(['POST /hook']);
      expect(target.hits).toEqual([]);
    } finally {
      await client.close();
      await target.close();
      await redirecting.close();
    }
  });

  it('refuses a name that resolves to loopback before connecting', async () => {
    const target = await receiver((_req, res) => res.end('ok'));
    // The test's own name table stands in for DNS: hooks.example.test → 127.0.0.1.
    const client = new OutboundHttp({
      policy: parseOutboundAllowlist([]), timeoutMs: 5_000, resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    try {
      const attempt = client.postJson(`https://hooks.example.test:${target.port}/hook`, '{}');
      await expect(attempt).rejects.toBeInstanceOf(OutboundRefusedError);
      await expect(attempt).rejects.toThrow('hooks.example.test resolves to 127.0.0.1, a loopback address');
      expect(target.hits).toEqual([]);
    } finally {
      await client.close();
      await target.close();
    }
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('7')).toBe(7_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});
