import { Module } from '@nestjs/common';
import { InsightsController } from './insights.controller';

/** GET /v1/reports/:id/insights; JwtAuthGuard and UserScope come from the global GatewayCommonModule. */
@Module({ controllers: [InsightsController] })
export class InsightsModule {}
