import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AmcExecutionCompletedEvent } from '@amc-reports/contracts';
import { createPgPool } from '@amc-reports/db';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { OutboxRelay } from './outbox-relay.service';

export interface IngestionResult {
  eventId: string;
  status: 'accepted' | 'duplicate';
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
  SELECT $1, $2, $3, $4, t.id, CASE WHEN t.id IS NULL THEN 'unknown_workflow' ELSE 'accepted' END, $7::jsonb,
         CASE WHEN t.id IS NULL THEN now() END
  FROM (SELECT (SELECT id FROM target) AS id) t
  ON CONFLICT DO NOTHING
  RETURNING id, workflow_id, outcome`;

@Injectable()
export class AmcEventIngestionService implements OnApplicationShutdown {
  private readonly logger = new Logger(AmcEventIngestionService.name);
  private readonly pool: Pool;

  constructor(private readonly relay: OutboxRelay, @InjectGatewayConfig() config: GatewayConfig) {
    this.pool = createPgPool({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'gateway' });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.flushMarks();
    await this.pool.end();
  }

  /** `rawPayload` is the verified request body: the inbox keeps exactly what the pipeline sent. */
  async accept(event: AmcExecutionCompletedEvent, rawPayload: string): Promise<IngestionResult> {
    // A named (prepared) statement: Postgres parses and plans it once per connection.
    const { rows } = await this.pool.query<{ id: string; workflow_id: string | null; outcome: 'accepted' | 'unknown_workflow' }>({ name: 'accept-amc-event', text: ACCEPT_EVENT_SQL, values: [
      event.eventId, event.instanceId, event.executionId, event.status, event.workflowId ?? null, event.amcWorkflowId ?? null, rawPayload,
    ] });
    const context = { eventId: event.eventId, executionId: event.executionId, status: event.status };
    const inserted = rows[0];
    if (!inserted) {
      this.logger.log({ msg: 'AMC event duplicate', ...context });
      return { eventId: event.eventId, status: 'duplicate' };
    }
    this.logger.log({ msg: `AMC event accepted (${inserted.outcome})`, workflowId: inserted.workflow_id, ...context });
    if (inserted.workflow_id) await this.relay.relayOne(inserted.id, event.executionId, this.pool);
    return { eventId: event.eventId, status: 'accepted', outcome: inserted.outcome };
  }
}
