export * from './env-schemas';
export { loadConfig, ConfigError } from './load-config';
