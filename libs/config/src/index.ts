export * from './env-schemas';
export { loadConfig, ConfigError } from './load-config';
export { CLUSTER_QUEUE_PREFIX } from './redis-env';
