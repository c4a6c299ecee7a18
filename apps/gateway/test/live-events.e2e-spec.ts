import { randomUUID } from 'node:crypto';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';

let stack: AppStack;

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service']);
}, 120_000);
afterAll(async () => stack?.stop());

interface SseFrame {
  event: string;
  id?: string;
  retry?: number;
  data: Record<string, unknown>;
}

/** Opens an SSE stream with fetch and yields parsed frames as they arrive. */
async function openStream(url: string, token: string, lastEventId?: string): Promise<{ status: number; frames: SseFrame[]; next(predicate: (f: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>; close(): void }> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
  const response = await fetch(url, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters: { predicate: (f: SseFrame) => boolean; resolve: (f: SseFrame) => void }[] = [];
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let split: number;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, split);
            buffer = buffer.slice(split + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (!data) continue;
            const retry = /^retry: (\d+)$/m.exec(block)?.[1];
            const frame = { event, id: /^id: (.*)$/m.exec(block)?.[1], retry: retry ? Number(retry) : undefined, data: JSON.parse(data) as Record<string, unknown> };
            frames.push(frame);
            for (const waiter of waiters.filter((w) => w.predicate(frame))) waiter.resolve(frame);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: response.status,
    frames,
    next: (predicate, timeoutMs = 20_000) => new Promise((resolve, reject) => {
      const found = frames.find(predicate);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error('no matching SSE frame')), timeoutMs);
      waiters.push({ predicate, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    }),
    close: () => controller.abort(),
  };
}

/** Each user in an organization of their own, owning its own AMC instance. */
async function reportFor(userId: string, amcWorkflowId: string) {
  const instanceId = `inst-${amcWorkflowId}`;
  await stack.provisionOrganization({ instanceIds: [instanceId], members: [{ userId, role: 'owner' }] });
  const api = apiClient(stack.gatewayUrl, await stack.tokenFor(userId));
  const workflow = await api.post('/v1/workflows', { name: amcWorkflowId, sqlQuery: 'SELECT 1', amcInstanceId: instanceId, amcWorkflowId, reportEnabled: true });
  expect(workflow.status).toBe(201);
  return { workflowId: workflow.body.id as string, reportId: workflow.body.reportConfigId as string, instanceId };
}

const eventFor = (report: { workflowId: string; instanceId: string }) => ({
  eventId: randomUUID(), instanceId: report.instanceId, workflowId: report.workflowId, executionId: randomUUID(), status: 'SUCCEEDED',
  timeWindow: { start: '2026-10-01T00:00:00Z', end: '2026-10-07T23:59:59Z' },
  result: { format: 'rows', columns: ['campaign', 'impressions', 'clicks'], rows: [['A', 1000, 30], ['B', 2000, 50]] },
});

it('streams report X\'s dashboard.updated to its owner and nothing of another user\'s report Y', async () => {
  const alice = randomUUID();
  const bob = randomUUID();
  const x = await reportFor(alice, 'live_x');
  const y = await reportFor(bob, 'live_y');
  const aliceToken = await stack.tokenFor(alice);

  const forbidden = await openStream(`${stack.gatewayUrl}/v1/reports/${y.reportId}/events`, aliceToken);
  expect(forbidden.status).toBe(404);
  forbidden.close();
  const unauthenticated = await fetch(`${stack.gatewayUrl}/v1/reports/${x.reportId}/events`);
  expect(unauthenticated.status).toBe(401);

  const stream = await openStream(`${stack.gatewayUrl}/v1/reports/${x.reportId}/events`, aliceToken);
  try {
    expect(stream.status).toBe(200);
    // Y's update is published first: if filtering were wrong it would reach Alice before X's.
    const yUpdated = await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'dashboard.updated', (e) => e.reportId === y.reportId);
    await yUpdated.subscribed;
    await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, eventFor(y));
    await yUpdated.event;
    await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, eventFor(x));
    const frame = await stream.next((f) => f.event === 'dashboard.updated');
    expect(frame.data).toMatchObject({ reportId: x.reportId, workflowId: x.workflowId, status: 'SUCCEEDED' });
    expect(stream.frames.filter((f) => f.data.reportId === y.reportId)).toEqual([]);
  } finally {
    stream.close();
  }
}, 60_000);

it('gives every event an id and a reconnect hint, replays what a reconnecting client missed, and tells one it cannot serve to resync', async () => {
  const owner = randomUUID();
  const report = await reportFor(owner, 'live_resume');
  const token = await stack.tokenFor(owner);
  const url = `${stack.gatewayUrl}/v1/reports/${report.reportId}/events`;
  // Stays open throughout: when it has an event, the gateway has it too.
  const observer = await openStream(url, token);
  const first = await openStream(url, token);
  try {
    const before = eventFor(report);
    await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, before);
    const seen = await first.next((f) => f.event === 'dashboard.updated' && f.data.executionId !== undefined);
    expect(seen.id).toMatch(/^[0-9a-f]{8}\.\d+$/);
    expect(seen.retry).toBe(2000);
    first.close();

    // Published while the client is away.
    const missed = eventFor(report);
    await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, missed);
    const seqOf = (frame: SseFrame): number => Number(frame.id?.split('.')[1] ?? -1);
    const missedFrame = await observer.next((f) => f.event === 'dashboard.updated' && seqOf(f) > seqOf(seen));
    const resumed = await openStream(url, token, seen.id);
    try {
      const replayed = await resumed.next((f) => f.event === 'dashboard.updated');
      expect([replayed.id, replayed.data.executionId]).toEqual([missedFrame.id, missedFrame.data.executionId]);
      expect(resumed.frames.filter((f) => f.id === seen.id)).toEqual([]);
    } finally {
      resumed.close();
    }

    const stranger = await openStream(url, token, 'feedbeef.3');
    try {
      expect((await stranger.next((f) => f.event === 'resync')).data.reason).toMatch(/reload/);
    } finally {
      stranger.close();
    }
  } finally {
    first.close();
    observer.close();
  }
}, 60_000);
