import { ReportServiceEnv } from '@amc-reports/config';
import { bootstrapWorker, runMain } from '@amc-reports/runtime';
import { ReportServiceModule } from './app.module';

runMain('report-service', () =>
  bootstrapWorker({ app: 'report-service', schema: ReportServiceEnv, module: (config) => ReportServiceModule.register(config) }),
);
