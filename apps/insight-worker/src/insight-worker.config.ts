import { Inject } from '@nestjs/common';

export const INSIGHT_WORKER_CONFIG = Symbol('INSIGHT_WORKER_CONFIG');
export const InjectInsightWorkerConfig = (): ParameterDecorator => Inject(INSIGHT_WORKER_CONFIG);
