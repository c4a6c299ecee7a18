import { Module } from '@nestjs/common';
import { InsightFeedbackController } from './insight-feedback.controller';
import { InsightFeedbackService } from './insight-feedback.service';
import { InsightsController } from './insights.controller';

/** GET /v1/reports/:id/insights and /v1/insights/:id/feedback; JwtAuthGuard and UserScope come from the global GatewayCommonModule. */
@Module({ controllers: [InsightsController, InsightFeedbackController], providers: [InsightFeedbackService], exports: [InsightFeedbackService] })
export class InsightsModule {}
