import { Module } from '@nestjs/common';

/** GET /v1/reports/:id/insights (issue 4). */
@Module({})
export class InsightsModule {}
