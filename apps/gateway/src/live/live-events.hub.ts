import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Subject, type Observable } from 'rxjs';
import type { EventPattern } from '@amc-reports/contracts';

export interface LiveEvent {
  pattern: EventPattern;
  reportId: string;
  /** Set on export events: only their requester sees them (exports are private to the requester). */
  userId?: string;
  data: Record<string, unknown>;
}

/** A relayed event with its place in this gateway's sequence (the SSE `id`). */
export interface SequencedEvent extends LiveEvent {
  seq: number;
}

/** Something a stream's client should know that is not one event: events may have been missed. */
export interface ResyncNotice {
  resync: string;
}

/** Events kept for clients that reconnect with Last-Event-ID (a few minutes of a busy gateway). */
const REPLAY_BUFFER = 2_000;

/**
 * Fan-out of the events this gateway receives from the Redis transport to its SSE clients. Each
 * event gets a sequence number (SSE ids are `<boot>.<seq>`), and the last REPLAY_BUFFER are kept,
 * so a client that reconnects with Last-Event-ID gets what it missed from this gateway; a client
 * whose id this gateway cannot serve (another gateway's, too old) is told to resync (reload). So is
 * everyone when the Redis subscription comes back after a loss: events published meanwhile are gone.
 */
@Injectable()
export class LiveEventsHub implements OnModuleDestroy {
  readonly boot = randomBytes(4).toString('hex');
  private readonly events = new Subject<SequencedEvent | ResyncNotice>();
  private readonly closed = new Subject<void>();
  private readonly recent: SequencedEvent[] = [];
  private seq = 0;

  publish(event: LiveEvent): void {
    const sequenced = { ...event, seq: ++this.seq };
    this.recent.push(sequenced);
    if (this.recent.length > REPLAY_BUFFER) this.recent.shift();
    this.events.next(sequenced);
  }

  /** Every stream is told its view may be stale (the Redis subscription was lost and is back). */
  resync(reason: string): void {
    this.events.next({ resync: reason });
  }

  stream(): Observable<SequencedEvent | ResyncNotice> {
    return this.events.asObservable();
  }

  /** The newest sequence number: a stream has been given every matching event up to it. */
  get latestSeq(): number {
    return this.seq;
  }

  /**
   * The buffered events after a client's Last-Event-ID, or null when this gateway cannot say what
   * it missed (an id of another gateway or boot, or older than the buffer).
   */
  missedSince(lastEventId: string | undefined): SequencedEvent[] | null {
    if (!lastEventId) return [];
    const [boot, seqText] = lastEventId.split('.');
    const seq = Number(seqText);
    if (boot !== this.boot || !Number.isInteger(seq) || seq > this.seq) return null;
    const oldest = this.recent[0]?.seq ?? this.seq + 1;
    if (seq < oldest - 1) return null;
    return this.recent.filter((event) => event.seq > seq);
  }

  /** Closing: streams end so the HTTP server can stop (the clients reconnect to another gateway). */
  get closing(): Observable<void> {
    return this.closed.asObservable();
  }

  onModuleDestroy(): void {
    this.closed.next();
    this.closed.complete();
  }
}
