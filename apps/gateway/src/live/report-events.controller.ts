import { Controller, Param, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import { filter, interval, map, merge, type Observable } from 'rxjs';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { AllowQueryToken } from '../auth/allow-query-token.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { notFound, parseId } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import { LiveEventsHub } from './live-events.hub';

const HEARTBEAT_MS = 15_000;

/**
 * GET /v1/reports/:id/events — Server-Sent Events for one report: dashboard.updated,
 * insights.generated, and the caller's own export.completed / export.failed, with heartbeats so
 * proxies keep the stream open. Visibility is checked once, under RLS, when the stream opens.
 */
@Controller('v1/reports')
@UseGuards(JwtAuthGuard)
export class ReportEventsController {
  constructor(private readonly scope: UserScope, private readonly hub: LiveEventsHub) {}

  @Sse(':id/events')
  @AllowQueryToken()
  async events(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<Observable<MessageEvent>> {
    const reportId = parseId(id, 'report');
    const visible = await this.scope.run(user, (tx) => tx.reportConfiguration.findUnique({ where: { id: reportId }, select: { id: true } }));
    if (!visible) throw notFound('report');
    const relevant = this.hub.stream().pipe(
      filter((event) => event.reportId === reportId && (event.userId === undefined || event.userId === user.id)),
      map((event): MessageEvent => ({ type: event.pattern, data: event.data })),
    );
    const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })));
    return merge(relevant, heartbeat);
  }
}
