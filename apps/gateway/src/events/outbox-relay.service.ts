import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { EnqueuedMarks } from './enqueued-marks';
import { REPORT_UPDATE_JOB, REPORT_UPDATE_JOB_OPTIONS, REPORT_UPDATE_QUEUE, reportUpdateJobId, type ReportUpdateJob } from '@amc-reports/contracts';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';

interface PendingEvent {
  id: string;
  amc_execution_id: string;
}

/**
 * Moves accepted events from the outbox (amc_execution_events.enqueued_at IS NULL) to the
 * report.update queue. Runs right after each acceptance and on a timer, so an event accepted
 * while Redis is down is queued once Redis is back, without the pipeline resending it. The timer
 * takes rows at least one tick (OUTBOX_RELAY_INTERVAL_MS) old: younger ones are the fast path's.
 * SKIP LOCKED lets several gateways relay side by side; the job id makes a second add a no-op.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;
  private marks: EnqueuedMarks | null = null;
  /** The last failure logged: a dependency outage is one line when it starts and one when it ends, not one per tick. */
  private failing: string | null = null;

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectQueue(REPORT_UPDATE_QUEUE) private readonly queue: Queue,
    @InjectGatewayConfig() private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.relayPending(), this.config.OUTBOX_RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.flushMarks();
  }

  /** Writes the marks still waiting for their batch (before the pool they use is closed). */
  async flushMarks(): Promise<void> {
    await this.marks?.flush();
  }

  private marksFor(pool: Pool): EnqueuedMarks {
    this.marks ??= new EnqueuedMarks(pool, (error, count) => this.logger.warn(`${count} queued event(s) not marked yet: ${error.message}`));
    return this.marks;
  }

  /**
   * The fast path right after acceptance: queue this event now. When Redis is away the add fails
   * fast (no offline queue) and the timer relays the row later; a double add is a no-op (job id).
   */
  async relayOne(eventRowId: string, amcExecutionId: string, pool: Pool): Promise<boolean> {
    try {
      const data: ReportUpdateJob = { eventRowId };
      await this.queue.add(REPORT_UPDATE_JOB, data, { ...REPORT_UPDATE_JOB_OPTIONS, jobId: reportUpdateJobId(amcExecutionId) });
    } catch (error) {
      this.logger.warn(`event ${eventRowId} left in the outbox: ${(error as Error).message}`);
      return false;
    }
    // The row and the job both exist now, so the 202 does not wait for the bookkeeping write.
    this.marksFor(pool).add(eventRowId);
    return true;
  }


  /** Relays what is pending; concurrent calls in one process share a single pass. */
  relayPending(): Promise<number> {
    this.running ??= this.relayBatch().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async relayBatch(): Promise<number> {
    // Rows younger than one tick are the fast path's (this gateway's or another's): their marks
    // are on the way. Taking them, the timer re-added their jobs (no-ops, a Redis round trip each)
    // and held their row locks through it, and the marks' UPDATE waited on those locks (the storm
    // bench: 24–39 ms a mark, Lock:transactionid, 40–50 % of Postgres' statement time).
    await this.flushMarks();
    const graceSeconds = this.config.OUTBOX_RELAY_INTERVAL_MS / 1000;
    try {
      return await this.prisma.$transaction(async (tx) => {
        const pending = await tx.$queryRaw<PendingEvent[]>`
          SELECT id, amc_execution_id FROM amc_execution_events
          WHERE enqueued_at IS NULL AND outcome = 'accepted' AND received_at < statement_timestamp() - make_interval(secs => ${graceSeconds})
          ORDER BY received_at LIMIT 100 FOR UPDATE SKIP LOCKED`;
        let relayed = 0;
        for (const event of pending) {
          try {
            const data: ReportUpdateJob = { eventRowId: event.id };
            await this.queue.add(REPORT_UPDATE_JOB, data, { ...REPORT_UPDATE_JOB_OPTIONS, jobId: reportUpdateJobId(event.amc_execution_id) });
          } catch (error) {
            const reason = (error as Error).message.slice(0, 500);
            await tx.$executeRaw`UPDATE amc_execution_events SET relay_attempts = relay_attempts + 1, last_relay_error = ${reason} WHERE id = ${event.id}::uuid`;
            this.logger.warn(`outbox relay paused: ${reason} (event ${event.id}, ${pending.length - relayed} pending)`);
            break;
          }
          await tx.$executeRaw`UPDATE amc_execution_events SET enqueued_at = now(), relay_attempts = relay_attempts + 1, last_relay_error = NULL WHERE id = ${event.id}::uuid`;
          relayed++;
        }
        return relayed;
      }, { timeout: 30_000 }).then((relayed) => {
        if (this.failing) this.logger.log('outbox relay works again');
        this.failing = null;
        return relayed;
      });
    } catch (error) {
      const reason = (error as Error).message.split('\n').filter(Boolean).at(-1) ?? 'unknown error';
      if (reason !== this.failing) this.logger.error(`outbox relay failed: ${reason}`);
      this.failing = reason;
      return 0;
    }
  }
}
