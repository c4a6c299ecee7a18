export { findFreePort, waitForPort } from './free-port';
export { registerChild, stopAllChildren, setShutdownLog, isShuttingDown, onShutdown, type StopTier } from './child-processes';
export { Supervisor, type SupervisorOptions, type SupervisorEvent } from './supervisor';
export { startPostgres, type RunningPostgres } from './postgres-server';
export { startRedis, ensureRedisServerInstalled, type RunningRedis } from './redis-server';
export { startRedisCluster, type RunningRedisCluster, type RedisClusterOptions } from './redis-cluster';
export { runDbmate, withSslModeDisabled, MIGRATIONS_DIR, REPO_ROOT, type DbmateCommand } from './migrate';
export { startInfrastructure, migrateDatabase, ensureDatabase, type Infrastructure, type InfrastructureOptions } from './infrastructure';
export { startApp, startAllApps, waitForAppReady, appStopGraceMs, APP_NAMES, WORKER_NODE_FLAGS, READY_PATTERNS, type AppName, type RunningApp, type StartAppOptions } from './apps';
