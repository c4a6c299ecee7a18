import { Inject } from '@nestjs/common';

export const EXPORT_WORKER_CONFIG = Symbol('EXPORT_WORKER_CONFIG');
export const InjectExportWorkerConfig = (): ParameterDecorator => Inject(EXPORT_WORKER_CONFIG);

/** Where finished exports live (local directory or S3-compatible): `<export id>.<ext>`. */
export const EXPORT_STORAGE = Symbol('EXPORT_STORAGE');
export const InjectExportStorage = (): ParameterDecorator => Inject(EXPORT_STORAGE);

/** Archived raw AMC results (`raw/<execution id>.csv`), written by the report service under STORAGE_DIR. */
export const RAW_RESULT_STORAGE = Symbol('RAW_RESULT_STORAGE');
export const InjectRawResultStorage = (): ParameterDecorator => Inject(RAW_RESULT_STORAGE);

/** export.completed / export.failed on the Redis transport. */
export const EXPORT_EVENTS = Symbol('EXPORT_EVENTS');
export const InjectExportEvents = (): ParameterDecorator => Inject(EXPORT_EVENTS);
