import { Controller, Headers, Param, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import { concat, defer, filter, from, interval, map, merge, of, takeUntil, type Observable } from 'rxjs';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { AllowQueryToken } from '../auth/allow-query-token.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { notFound, parseId } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import { LiveEventsHub, type ResyncNotice, type SequencedEvent } from './live-events.hub';

const HEARTBEAT_MS = 15_000;
/** EventSource waits this long before reconnecting after a drop (the SSE `retry` field). */
const RECONNECT_MS = 2_000;

/**
 * GET /v1/reports/:id/events — Server-Sent Events for one report: dashboard.updated,
 * insights.generated, and the caller's own export.completed / export.failed, with heartbeats so
 * proxies keep the stream open. Visibility is checked once, under RLS, when the stream opens.
 * Every message carries `retry` and an id: a reconnecting client sends Last-Event-ID and gets what
 * it missed, or a `resync` event telling it to reload when that cannot be known.
 */
@Controller('v1/reports')
@UseGuards(JwtAuthGuard)
export class ReportEventsController {
  constructor(private readonly scope: UserScope, private readonly hub: LiveEventsHub) {}

  @Sse(':id/events')
  @AllowQueryToken()
  async events(
    @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Headers('last-event-id') lastEventId: string | undefined,
  ): Promise<Observable<MessageEvent>> {
    const reportId = parseId(id, 'report');
    const visible = await this.scope.run(user, (tx) => tx.reportConfiguration.findUnique({ where: { id: reportId }, select: { id: true } }));
    if (!visible) throw notFound('report');
    const relevant = (event: SequencedEvent | ResyncNotice): boolean =>
      'resync' in event || (event.reportId === reportId && (event.userId === undefined || event.userId === user.id));
    const toMessage = (event: SequencedEvent | ResyncNotice): MessageEvent => ('resync' in event
      ? { type: 'resync', data: { reason: event.resync }, id: this.position(), retry: RECONNECT_MS }
      : { type: event.pattern, data: event.data, id: `${this.hub.boot}.${event.seq}`, retry: RECONNECT_MS });
    // Read when the stream is subscribed, in the same turn as the live subscription: nothing falls between.
    const catchUp = defer((): Observable<SequencedEvent | ResyncNotice> => {
      const missed = this.hub.missedSince(lastEventId);
      return missed === null ? of({ resync: 'the events since your last one are not known here: reload' }) : from(missed);
    });
    const live = this.hub.stream();
    // A heartbeat's id says "everything up to here was considered", so a reconnect resumes after it.
    const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({
      type: 'heartbeat', data: { at: new Date().toISOString() }, id: this.position(), retry: RECONNECT_MS,
    })));
    return merge(concat(catchUp, live).pipe(filter(relevant), map(toMessage)), heartbeat).pipe(takeUntil(this.hub.closing));
  }

  private position(): string {
    return `${this.hub.boot}.${this.hub.latestSeq}`;
  }
}
