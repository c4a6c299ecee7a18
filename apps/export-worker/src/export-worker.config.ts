import { Inject } from '@nestjs/common';

export const EXPORT_WORKER_CONFIG = Symbol('EXPORT_WORKER_CONFIG');
export const InjectExportWorkerConfig = (): ParameterDecorator => Inject(EXPORT_WORKER_CONFIG);
