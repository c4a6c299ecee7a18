export { createLogger, lifecycleLogger, PinoNestLogger } from './logger';
export { exitWithProblem, loadAppConfigOrExit, pingPostgres, checkDependenciesOrExit } from './startup';
export { queueModules, type QueueModuleOptions } from './queue-modules';
export { assertQueueProcessors } from './processor-check';
export { bootstrapWorker, runMain, type WorkerBootstrap } from './bootstrap-worker';
export { parseJobPayload, isFinalFailure } from './job-payload';
export { EventsPublisher, redisTransportOptions } from './events-publisher';
