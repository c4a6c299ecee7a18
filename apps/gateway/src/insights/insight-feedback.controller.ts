import { Body, Controller, Delete, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { parseId, parseRequest } from '../common/request-validation';
import { InsightFeedbackService } from './insight-feedback.service';

/**
 * POST / DELETE /v1/insights/:id/feedback: a reader marks an insight useful or dismisses it, or
 * takes that back. 201 the first time, 200 when the verdict changes; another organization's
 * insight is a 404 like any unknown id.
 */
@Controller('v1/insights')
@UseGuards(JwtAuthGuard)
export class InsightFeedbackController {
  constructor(private readonly scope: UserScope, private readonly feedback: InsightFeedbackService) {}

  @Post(':id/feedback')
  async give(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const insightId = parseId(id, 'insight');
    const { verdict } = parseRequest(api.InsightFeedbackBody, body);
    const { created, view } = await this.scope.run(user, (tx) => this.feedback.give(tx, user.id, insightId, verdict));
    reply.status(created ? 201 : 200);
    return view;
  }

  @Delete(':id/feedback')
  @HttpCode(204)
  async withdraw(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const insightId = parseId(id, 'insight');
    await this.scope.run(user, (tx) => this.feedback.withdraw(tx, user.id, insightId));
  }
}
