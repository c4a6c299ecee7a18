import { InsightWorkerEnv } from '@amc-reports/config';
import { bootstrapWorker, runMain } from '@amc-reports/runtime';
import { InsightWorkerModule } from './app.module';

runMain('insight-worker', () =>
  bootstrapWorker({ app: 'insight-worker', schema: InsightWorkerEnv, module: (config) => InsightWorkerModule.register(config) }),
);
