import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ExportFinishedEvent } from '@amc-reports/contracts';
import { apiClient, postSignedEvent, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';

export type Api = ReturnType<typeof apiClient>;

/**
 * Every export.completed / export.failed the stack announces, so a test can wait for the one it
 * asked for without racing the worker (subscribed before the request, kept for the whole file).
 */
export class ExportEventLog {
  private readonly events: ExportFinishedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly subscriber: Redis) {}

  static async open(redisUrl: string): Promise<ExportEventLog> {
    const subscriber = new Redis(redisUrl);
    const log = new ExportEventLog(subscriber);
    subscriber.on('message', (_channel: string, message: string) => {
      const parsed = JSON.parse(message) as { data?: ExportFinishedEvent } & ExportFinishedEvent;
      log.events.push(parsed.data ?? parsed);
      for (const wake of log.waiters) wake();
    });
    await subscriber.subscribe('export.completed', 'export.failed');
    return log;
  }

  /** The finish event of one export; a failed export rejects with its reason. */
  async finished(exportId: string, timeoutMs = 60_000): Promise<ExportFinishedEvent> {
    const event = await this.waitFor((candidate) => candidate.exportId === exportId, timeoutMs, `export ${exportId} to finish`);
    if (event.status !== 'completed') throw new Error(`export ${exportId} failed: ${event.error}`);
    return event;
  }

  waitFor(matches: (event: ExportFinishedEvent) => boolean, timeoutMs: number, what: string): Promise<ExportFinishedEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(matches);
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.subscriber.disconnect();
  }
}

/** A workflow with reporting on and its report, named as given, through the user API. */
export async function createReport(api: Api, options: { dashboardType: string; amcWorkflowId: string; name: string; instanceId: string; exportSettings?: object }) {
  const workflow = await api.post('/v1/workflows', {
    name: `${options.name} workflow`, sqlQuery: 'SELECT 1', amcInstanceId: options.instanceId, amcWorkflowId: options.amcWorkflowId,
  });
  if (workflow.status !== 201) throw new Error(`workflow not created: ${JSON.stringify(workflow.body)}`);
  const report = await api.post('/v1/reports', {
    workflowId: workflow.body.id, name: options.name, dashboardType: options.dashboardType, exportSettings: options.exportSettings ?? {},
  });
  if (report.status !== 201) throw new Error(`report not created: ${JSON.stringify(report.body)}`);
  return { workflowId: workflow.body.id as string, reportId: report.body.id as string };
}

/** Posts a signed AMC event and resolves once the report service announced the report's update. */
export async function deliverExecution(stack: AppStack, reportId: string, body: Record<string, unknown>) {
  const waiter = await waitForBusEvent<{ reportId: string; executionId: string }>(stack.redisUrl, 'dashboard.updated', (event) => event.reportId === reportId, 60_000);
  await waiter.subscribed;
  const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, { eventId: randomUUID(), executionId: randomUUID(), ...body });
  if (response.status !== 202) throw new Error(`event refused: ${response.status} ${JSON.stringify(response.body)}`);
  return waiter.event;
}

export interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function download(gatewayUrl: string, token: string, exportId: string): Promise<Download> {
  const response = await fetch(`${gatewayUrl}/v1/exports/${exportId}/download`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
