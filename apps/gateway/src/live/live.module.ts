import { Module } from '@nestjs/common';
import { LiveEventsHub } from './live-events.hub';
import { LiveEventsListener } from './live-events.listener';
import { ReportEventsController } from './report-events.controller';

@Module({
  controllers: [ReportEventsController, LiveEventsListener],
  providers: [LiveEventsHub],
})
export class LiveModule {}
