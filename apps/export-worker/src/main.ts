import { ExportWorkerEnv } from '@amc-reports/config';
import { bootstrapWorker, runMain } from '@amc-reports/runtime';
import { ExportWorkerModule } from './app.module';

runMain('export-worker', () =>
  bootstrapWorker({ app: 'export-worker', schema: ExportWorkerEnv, module: (config) => ExportWorkerModule.register(config) }),
);
