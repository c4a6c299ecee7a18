import { Injectable, Logger } from '@nestjs/common';
import type { AmcExecutionCompletedEvent } from '@amc-reports/contracts';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { OutboxRelay } from './outbox-relay.service';

export interface IngestionResult {
  eventId: string;
  status: 'accepted' | 'duplicate';
  /** Present for a newly accepted event whose workflow we do not know (recorded, nothing built). */
  outcome?: 'accepted' | 'unknown_workflow';
}

@Injectable()
export class AmcEventIngestionService {
  private readonly logger = new Logger(AmcEventIngestionService.name);

  constructor(@InjectPrisma() private readonly prisma: PrismaClient, private readonly relay: OutboxRelay) {}

  /** Our workflow id wins when it belongs to the instance; else AMC's workflow id on that instance. */
  private async resolveWorkflowId(event: AmcExecutionCompletedEvent): Promise<string | null> {
    if (event.workflowId) {
      const ours = await this.prisma.workflow.findFirst({ where: { id: event.workflowId, amcInstanceId: event.instanceId }, select: { id: true } });
      if (ours) return ours.id;
    }
    if (event.amcWorkflowId) {
      const mapped = await this.prisma.workflow.findFirst({
        where: { amcInstanceId: event.instanceId, amcWorkflowId: event.amcWorkflowId }, select: { id: true },
      });
      if (mapped) return mapped.id;
    }
    return null;
  }

  /**
   * Records the event (inbox) and its outbox entry in one statement: the same event id or the
   * same AMC execution again hits a unique key and is reported as a duplicate, with no new job.
   */
  async accept(event: AmcExecutionCompletedEvent): Promise<IngestionResult> {
    const workflowId = await this.resolveWorkflowId(event);
    const outcome = workflowId ? 'accepted' : 'unknown_workflow';
    const inserted = await this.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO amc_execution_events (event_id, amc_instance_id, amc_execution_id, status, workflow_id, outcome, payload, enqueued_at)
      VALUES (${event.eventId}, ${event.instanceId}, ${event.executionId}, ${event.status}, ${workflowId}::uuid, ${outcome},
              ${JSON.stringify(event)}::jsonb, ${workflowId ? null : new Date()})
      ON CONFLICT DO NOTHING RETURNING id`;
    const context = { eventId: event.eventId, executionId: event.executionId, workflowId, status: event.status };
    if (inserted.length === 0) {
      this.logger.log({ msg: 'AMC event duplicate', ...context });
      return { eventId: event.eventId, status: 'duplicate' };
    }
    this.logger.log({ msg: `AMC event accepted (${outcome})`, ...context });
    if (workflowId) await this.relay.relayOne(inserted[0].id, event.executionId);
    return { eventId: event.eventId, status: 'accepted', outcome };
  }
}
