import type { Pool } from 'pg';

const FLUSH_AFTER_MS = 20;
const FLUSH_AT = 200;

/**
 * Batches the outbox's "this row is on the queue" marks into one UPDATE per few milliseconds.
 * The marks are bookkeeping: the row and the job already exist when one is recorded, and a mark
 * lost to a crash only makes the relay add the job again, which its id turns into a no-op.
 */
export class EnqueuedMarks {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly pool: Pool, private readonly onError: (error: Error, count: number) => void) {}

  add(eventRowId: string): void {
    this.pending.push(eventRowId);
    if (this.pending.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes what is pending; resolves when every mark recorded so far is written (or reported). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = this.pending;
    this.pending = [];
    if (ids.length > 0) {
      this.flushing = this.flushing.then(() => this.pool.query({
        name: 'mark-amc-events-enqueued',
        text: 'UPDATE amc_execution_events SET enqueued_at = now(), relay_attempts = relay_attempts + 1 WHERE id = ANY($1::uuid[]) AND enqueued_at IS NULL',
        values: [ids],
      }).then(() => undefined, (error: Error) => this.onError(error, ids.length)));
    }
    return this.flushing;
  }
}
