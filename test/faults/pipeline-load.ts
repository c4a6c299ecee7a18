import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { buildSignatureHeader } from '@amc-reports/contracts';
import { mintUserToken } from '@amc-reports/auth';
import { provisionOrganization, TEST_ADMIN_TOKEN, TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from '@amc-reports/testing';

/**
 * A steady load of what the system serves, sent the way its clients do: the AMC pipeline's signed
 * execution-completed events (re-sent after a 503, honouring Retry-After, and now and then re-sent
 * anyway, at-least-once) and users' export requests. Every answer is recorded, so a test can say
 * how many were accepted, refused with 503, answered duplicate, or met a closed connection.
 */

export type Answer =
  | { kind: 'http'; status: number; body: Record<string, unknown>; retryAfter: number | null }
  | { kind: 'connection'; code: string };

/** One HTTP request with a deadline; a refused or dropped connection is an answer too (and a bad one). */
export function send(url: string, method: string, headers: Record<string, string>, body?: string, timeoutMs = 15_000): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let parsed: Record<string, unknown> = {};
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          parsed = { text };
        }
        const retryAfter = res.headers['retry-after'];
        resolve({ kind: 'http', status: res.statusCode ?? 0, body: parsed, retryAfter: retryAfter ? Number(retryAfter) : null });
      });
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'connection', code: error.code ?? error.message }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'connection', code: error.code ?? error.message }));
    req.end(body);
  });
}

export interface Target {
  workflowId: string;
  reportId: string;
  instanceId: string;
}

/**
 * A user owning an organization (provisioned through the admin API) with `count` workflows,
 * reporting on (performance dashboards), created through the API.
 */
export async function createTargets(gatewayUrl: string, count: number, label: string): Promise<{ userId: string; token: string; targets: Target[] }> {
  const userId = randomUUID();
  const token = await mintUserToken({ userId, secret: TEST_JWT_SECRET });
  const instanceId = `amcfault${label}`;
  await provisionOrganization(gatewayUrl, TEST_ADMIN_TOKEN, { instanceIds: [instanceId], members: [{ userId, role: 'owner' }] });
  const targets: Target[] = [];
  for (let index = 0; index < count; index++) {
    const answer = await send(`${gatewayUrl}/v1/workflows`, 'POST', { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({
      name: `${label} workflow ${index}`, sqlQuery: 'SELECT 1', amcInstanceId: instanceId, amcWorkflowId: `${label}_wf_${index}`, reportEnabled: true,
    }));
    if (answer.kind !== 'http' || answer.status !== 201) throw new Error(`workflow not created: ${JSON.stringify(answer)}`);
    targets.push({ workflowId: String(answer.body.id), reportId: String(answer.body.reportConfigId), instanceId });
  }
  return { userId, token, targets };
}

const WEEK_MS = 7 * 86_400_000;

/** A SUCCEEDED execution with inline rows; its week of the workflow's history is `week`. */
export function executionEvent(target: Target, week: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const start = new Date(Date.UTC(2020, 0, 6) + week * WEEK_MS);
  const grow = 1 + week / 50;
  return {
    eventId: randomUUID(), instanceId: target.instanceId, workflowId: target.workflowId, executionId: `exec-${randomUUID()}`, status: 'SUCCEEDED',
    timeWindow: { start: start.toISOString(), end: new Date(start.getTime() + WEEK_MS - 1_000).toISOString() },
    result: {
      format: 'rows', columns: ['campaign', 'impressions', 'clicks', 'purchases', 'sales'],
      rows: [['Brand', Math.round(10_000 * grow), Math.round(300 * grow), 12 + (week % 5), 480.5 + week], ['Generic', Math.round(25_000 * grow), 410, 9, 350.25]],
    },
    ...extra,
  };
}

export interface EventRecord {
  event: Record<string, unknown>;
  answers: Answer[];
  accepted: boolean;
}

export interface LoadCounts {
  sent: number;
  accepted: number;
  duplicates: number;
  unavailable503: number;
  unavailableWithoutRetryAfter: number;
  connectionErrors: number;
  otherStatuses: Record<string, number>;
}

/** The AMC pipeline: signed events at a steady rate, each retried until accepted. */
export class EventLoad {
  readonly records: EventRecord[] = [];
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private week = 0;
  private stopped = false;

  constructor(private readonly gatewayUrl: string, private readonly targets: Target[]) {}

  /** Starts sending one event every `everyMs`; every `resendEvery`-th accepted event is sent once more (a duplicate). */
  start(everyMs: number, resendEvery = 10): void {
    this.timer = setInterval(() => {
      const target = this.targets[this.week % this.targets.length];
      const record = this.post(executionEvent(target, this.week++));
      void record.then((done) => {
        if (done.accepted && this.records.filter((r) => r.accepted).length % resendEvery === 0) void this.post(done.event);
      });
    }, everyMs);
  }

  /** `count` events at once (a backlog), as fast as the gateway takes them. */
  async burst(count: number, parallel = 8): Promise<void> {
    const events = Array.from({ length: count }, () => executionEvent(this.targets[this.week % this.targets.length], this.week++));
    const workers = Array.from({ length: parallel }, async () => {
      for (let event = events.shift(); event; event = events.shift()) await this.post(event, false);
    });
    await Promise.all(workers);
  }

  /** Stops new events; resolves when every event sent so far was accepted (or `timeoutMs` passed). */
  async stop(timeoutMs: number): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) await Promise.race([...this.pending, new Promise((r) => setTimeout(r, 500))]);
    this.stopped = true;
  }

  /** Sends one event, and again after a 503 (after Retry-After) or a dropped connection, until it is accepted. */
  post(event: Record<string, unknown>, retry = true): Promise<EventRecord> {
    const record: EventRecord = { event, answers: [], accepted: false };
    this.records.push(record);
    const raw = JSON.stringify(event);
    const run = (async () => {
      for (;;) {
        const t = Math.floor(Date.now() / 1000);
        const answer = await send(`${this.gatewayUrl}/v1/events/amc/execution-completed`, 'POST',
          { 'content-type': 'application/json', 'x-amc-signature': buildSignatureHeader(TEST_WEBHOOK_SECRET, raw, t) }, raw);
        record.answers.push(answer);
        if (answer.kind === 'http' && answer.status === 202) {
          record.accepted = true;
          return;
        }
        if (!retry && answer.kind === 'http' && answer.status < 500) return;
        if (this.stopped) return;
        const waitS = answer.kind === 'http' && answer.retryAfter ? answer.retryAfter : 1;
        await new Promise((resolve) => setTimeout(resolve, waitS * 1000));
      }
    })();
    const tracked = run.then(() => undefined);
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
    return run.then(() => record);
  }

  /** The eventIds answered `accepted` (first acceptance of each), and the answers' tallies. */
  counts(): LoadCounts {
    const counts: LoadCounts = { sent: 0, accepted: 0, duplicates: 0, unavailable503: 0, unavailableWithoutRetryAfter: 0, connectionErrors: 0, otherStatuses: {} };
    for (const record of this.records) {
      for (const answer of record.answers) {
        counts.sent++;
        if (answer.kind === 'connection') counts.connectionErrors++;
        else if (answer.status === 202 && answer.body.status === 'accepted') counts.accepted++;
        else if (answer.status === 202 && answer.body.status === 'duplicate') counts.duplicates++;
        else if (answer.status === 503) {
          counts.unavailable503++;
          if (!answer.retryAfter) counts.unavailableWithoutRetryAfter++;
        } else counts.otherStatuses[String(answer.status)] = (counts.otherStatuses[String(answer.status)] ?? 0) + 1;
      }
    }
    return counts;
  }

  /** AMC execution ids the gateway accepted (each exactly once, duplicates aside). */
  acceptedExecutionIds(): string[] {
    return [...new Set(this.records.filter((record) => record.accepted).map((record) => String(record.event.executionId)))];
  }
}

/** Users asking for exports at a steady rate (dashboard PDF, CSV and Excel, round robin), retrying 503s. */
export class ExportLoad {
  readonly accepted: string[] = [];
  readonly refusals: Answer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private count = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly gatewayUrl: string, private readonly token: string, private readonly targets: Target[]) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      const n = this.count++;
      const format = ['pdf', 'csv', 'excel'][n % 3];
      const task = this.request(this.targets[n % this.targets.length].reportId, { format, scope: 'dashboard' });
      this.pending.add(task);
      void task.finally(() => this.pending.delete(task));
    }, everyMs);
  }

  async stop(timeoutMs: number): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) await Promise.race([...this.pending, new Promise((r) => setTimeout(r, 500))]);
  }

  /** One export request, asked again after a 503 until the gateway takes it (a 404 before the first dashboard exists is given up). */
  async request(reportId: string, body: Record<string, unknown>, attempts = 40): Promise<void> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const answer = await send(`${this.gatewayUrl}/v1/reports/${reportId}/exports`, 'POST',
        { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }, JSON.stringify(body));
      if (answer.kind === 'http' && answer.status === 202) {
        this.accepted.push(String(answer.body.id));
        return;
      }
      this.refusals.push(answer);
      if (answer.kind === 'http' && answer.status < 500 && answer.status !== 429) return;
      await new Promise((resolve) => setTimeout(resolve, (answer.kind === 'http' && answer.retryAfter ? answer.retryAfter : 1) * 1000));
    }
  }
}

/** Resolves with the first `dashboard.updated` the SSE stream delivers after `since`, etc.: a minimal EventSource. */
export async function openEventStream(url: string, token: string): Promise<{ frames: Array<{ event: string; id?: string; data: Record<string, unknown>; at: number }>; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
  const frames: Array<{ event: string; id?: string; data: Record<string, unknown>; at: number }> = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let split = buffer.indexOf('\n\n'); split >= 0; split = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (!data) continue;
          frames.push({ event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message', id: /^id: (.*)$/m.exec(block)?.[1], data: JSON.parse(data) as Record<string, unknown>, at: Date.now() });
        }
      }
    } catch {
      // closed
    }
  })();
  return { frames, close: () => controller.abort() };
}
