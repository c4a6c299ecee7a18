import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { INSIGHT_GENERATE_QUEUE, REPORT_UPDATE_QUEUE, type AmcExecutionCompletedEvent } from '@amc-reports/contracts';
import { createPgPool, InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { redriveOnResend } from '@amc-reports/redrive';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { outageResponse } from '../common/retry-later';
import { OutboxRelay } from './outbox-relay.service';

export interface IngestionResult {
  eventId: string;
  /** redriven: a re-send of an execution whose processing had failed; the failed part runs again. */
  status: 'accepted' | 'duplicate' | 'redriven';
  /** Present for a newly accepted event whose workflow we do not know (recorded, nothing built). */
  outcome?: 'accepted' | 'unknown_workflow';
}

/**
 * Records the event (inbox) and its outbox entry in one statement that also maps the workflow:
 * our id when it belongs to the instance, else AMC's workflow id on that instance. The same event
 * id or the same AMC execution again hits a unique key: reported as a duplicate, no new job.
 * Plain pg here (not Prisma): this is the hottest path and one round trip per event (measured
 * in bench/events.bench.ts).
 */
const ACCEPT_EVENT_SQL = `
  WITH target AS (
    SELECT id FROM workflows
    WHERE amc_instance_id = $2 AND (id = $5::uuid OR amc_workflow_id = $6)
    ORDER BY (id = $5::uuid) DESC NULLS LAST LIMIT 1
  )
  INSERT INTO amc_execution_events (event_id, amc_instance_id, amc_execution_id, status, workflow_id, outcome, payload, enqueued_at)
  SELECT $1, $2, $3, $4, t.id, CASE WHEN t.id IS NULL THEN 'unknown_workflow' ELSE 'accepted' END, $7::json,
         CASE WHEN t.id IS NULL THEN now() END
  FROM (SELECT (SELECT id FROM target) AS id) t
  ON CONFLICT DO NOTHING
  RETURNING id, workflow_id, outcome`;

@Injectable()
export class AmcEventIngestionService implements OnApplicationShutdown {
  private readonly logger = new Logger(AmcEventIngestionService.name);
  private readonly pool: Pool;
  private readonly redriveQueues: Map<string, Queue>;

  constructor(
    private readonly relay: OutboxRelay,
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectQueue(REPORT_UPDATE_QUEUE) reportQueue: Queue,
    @InjectQueue(INSIGHT_GENERATE_QUEUE) insightQueue: Queue,
    @InjectGatewayConfig() config: GatewayConfig,
  ) {
    this.pool = createPgPool({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'gateway' });
    this.redriveQueues = new Map([[REPORT_UPDATE_QUEUE, reportQueue], [INSIGHT_GENERATE_QUEUE, insightQueue]]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.flushMarks();
    await this.pool.end();
  }

  /**
   * `rawPayload` is the verified request body: the inbox keeps exactly what the pipeline sent.
   * Postgres unreachable: 503 with Retry-After, nothing recorded, the pipeline sends it again.
   */
  async accept(event: AmcExecutionCompletedEvent, rawPayload: string): Promise<IngestionResult> {
    const inserted = await this.insert(event, rawPayload);
    const context = { eventId: event.eventId, executionId: event.executionId, status: event.status };
    if (!inserted) return this.resent(event, context);
    this.logger.log({ msg: `AMC event accepted (${inserted.outcome})`, workflowId: inserted.workflow_id, ...context });
    if (inserted.workflow_id) await this.relay.relayOne(inserted.id, event.executionId, this.pool);
    return { eventId: event.eventId, status: 'accepted', outcome: inserted.outcome };
  }

  private async insert(event: AmcExecutionCompletedEvent, rawPayload: string) {
    try {
      // A named (prepared) statement: Postgres parses and plans it once per connection.
      const { rows } = await this.pool.query<{ id: string; workflow_id: string | null; outcome: 'accepted' | 'unknown_workflow' }>({ name: 'accept-amc-event', text: ACCEPT_EVENT_SQL, values: [
        event.eventId, event.instanceId, event.executionId, event.status, event.workflowId ?? null, event.amcWorkflowId ?? null, rawPayload,
      ] });
      return rows[0];
    } catch (error) {
      const unavailable = outageResponse(error, { socketErrorsFrom: 'postgres' });
      if (!unavailable) throw error;
      this.logger.warn({ msg: `AMC event refused for now: ${(error as Error).message}`, eventId: event.eventId, executionId: event.executionId });
      throw unavailable;
    }
  }

  /**
   * The same event or execution again. If its processing failed, the re-send re-drives it (the
   * pipeline's way to ask again); if it completed or is under way, it is a duplicate as before.
   */
  private async resent(event: AmcExecutionCompletedEvent, context: Record<string, unknown>): Promise<IngestionResult> {
    const verdict = await redriveOnResend(this.prisma, this.redriveQueues, event.instanceId, event.executionId).catch((error: unknown) => {
      throw outageResponse(error, { socketErrorsFrom: 'postgres' }) ?? error;
    });
    this.logger.log({ msg: verdict === 'redriven' ? 'AMC event re-sent for a failed execution: re-driven' : 'AMC event duplicate', ...context });
    return { eventId: event.eventId, status: verdict };
  }
}
