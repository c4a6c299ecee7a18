import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { EventPattern } from '@amc-reports/contracts';

export interface LiveEvent {
  pattern: EventPattern;
  reportId: string;
  /** Set on export events: only their requester sees them (exports are private to the requester). */
  userId?: string;
  data: Record<string, unknown>;
}

/** Fan-out of the events this gateway receives from the Redis transport to its SSE clients. */
@Injectable()
export class LiveEventsHub {
  private readonly events = new Subject<LiveEvent>();

  publish(event: LiveEvent): void {
    this.events.next(event);
  }

  stream(): Observable<LiveEvent> {
    return this.events.asObservable();
  }
}
