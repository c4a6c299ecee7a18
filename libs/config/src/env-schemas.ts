import { z } from 'zod';
import { parseRedisLocation } from '@amc-reports/queue';

const postgresUrl = z
  .string()
  .url('must be a URL like postgresql://user:password@host:5432/database')
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must start with postgresql://');
/** One server (redis://, rediss://) or a cluster (redis+cluster://host:port,host:port; see REDIS_CLUSTER_NODES). */
const redisUrl = z.string().superRefine((value, ctx) => {
  try {
    parseRedisLocation(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message.startsWith('must') ? (error as Error).message : `must be a URL like redis://host:6379 (${(error as Error).message})` });
  }
});
const port = z.coerce.number().int().min(1).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const csvList = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean));

/**
 * How long after the last request to regenerate one report's insights (an older window arrived
 * late) one pass runs (a debounce; a pass waits at most 12 times this); read by the report service (which asks) and the insight worker (which asks
 * again when a pass lost a race).
 */
/**
 * Parsed result profiles a worker keeps between jobs (history reads hit them): about 200 kB of
 * heap each for a 200-campaign result, so the default is ~200 MB at most; 0 turns caching off.
 */
const profileCacheEntries = z.coerce.number().int().min(0).max(100_000).default(1024);

const regenerateDelay = z.coerce.number().int().min(0).max(600_000).default(5_000);

/** Variables every process reads. */
export const BaseEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  /** host:port,host:port of a Redis Cluster: the config loader turns it into REDIS_URL=redis+cluster://… (TLS: write rediss+cluster:// in REDIS_URL instead). */
  REDIS_CLUSTER_NODES: z.string().optional(),
  /** BullMQ key prefix; tests give each file its own. On Redis Cluster it must carry a {hash tag} (default there: {amc}). */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}.-]+$/, 'letters, digits, _ . - { } only').default('amc'),
  /** Local directory for archived raw results and exports (ExportStorage "local"). */
  STORAGE_DIR: z.string().min(1).default('./var/storage'),
  DB_POOL_SIZE: positiveInt.default(10),
  /**
   * SIGTERM to exit: a worker's active jobs get half of it to finish, then are released to the
   * queue; whatever is still running at the end, the process exits anyway.
   */
  SHUTDOWN_GRACE_MS: positiveInt.default(20_000),
  /**
   * BullMQ job lock of report.update and insight.generate: a job whose worker died is taken over
   * once its lock expires, checked every JOB_STALLED_INTERVAL_MS (export.render has its own).
   */
  JOB_LOCK_DURATION_MS: positiveInt.default(30_000),
  JOB_STALLED_INTERVAL_MS: positiveInt.default(30_000),
  /** How often a worker process writes its heartbeat to Redis (/health reads it). */
  HEARTBEAT_INTERVAL_MS: positiveInt.default(5_000),
});

/**
 * Delivery (issue 16), read by the gateway (validating subscriptions, share-link URLs) and the
 * export worker's delivery module (sending).
 */
const DeliveryShared = {
  /** Where people reach the gateway: the base of links in deliveries and of share links. */
  PUBLIC_URL: z.string().url().default('http://localhost:3000').transform((value) => value.replace(/\/+$/, '')),
  /** Hosts (`host` or `host:port`) and CIDR ranges outbound deliveries may reach although not public. */
  OUTBOUND_ALLOWLIST: csvList,
  /** Hosts a Slack subscription's incoming-webhook URL may point at. */
  SLACK_WEBHOOK_HOSTS: z.string().default('hooks.slack.com').transform((value) => value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean)),
};

export const GatewayEnv = BaseEnv.extend({
  ...DeliveryShared,
  /** The shortest interval a subscription's cron schedule may have. */
  DELIVERY_MIN_INTERVAL_SECONDS: positiveInt.default(300),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: port.default(3000),
  AMC_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** Extra accepted secrets during rotation, comma separated. */
  AMC_WEBHOOK_SECRETS_PREVIOUS: csvList,
  AMC_SIGNATURE_TOLERANCE_SECONDS: positiveInt.default(300),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  /** The longest lifetime (exp − iat) a user token may have. */
  JWT_MAX_LIFETIME_SECONDS: positiveInt.default(24 * 3600),
  /** The AMC webhook's body limit (inline results); every other route takes USER_BODY_LIMIT_BYTES. */
  EVENT_BODY_LIMIT_BYTES: positiveInt.default(10 * 1024 * 1024),
  USER_BODY_LIMIT_BYTES: positiveInt.default(256 * 1024),
  EXPORTS_IN_FLIGHT_PER_USER: positiveInt.default(5),
  EXPORTS_IN_FLIGHT_PER_ORGANIZATION: positiveInt.default(20),
  /** Export requests per rolling hour (Redis-backed, shared by every gateway). */
  EXPORTS_PER_HOUR_PER_USER: positiveInt.default(60),
  EXPORTS_PER_HOUR_PER_ORGANIZATION: positiveInt.default(300),
  /** Bytes of completed, unexpired exports an organization may keep. */
  EXPORT_STORAGE_QUOTA_BYTES_PER_ORGANIZATION: positiveInt.default(5 * 1024 ** 3),
  OUTBOX_RELAY_INTERVAL_MS: positiveInt.default(1_000),
  ADMIN_TOKEN: z.string().min(16).optional(),
  /**
   * /health: the worker apps that must have a live process (heartbeat younger than
   * HEALTH_WORKER_STALE_MS); `none` for a gateway without workers (an empty value takes the default).
   */
  HEALTH_REQUIRED_WORKERS: z.string().default('report-service,insight-worker,export-worker')
    .transform((value) => (value.trim() === 'none' ? [] : value.split(',').map((item) => item.trim()).filter(Boolean))),
  HEALTH_WORKER_STALE_MS: positiveInt.default(20_000),
  /** /health goes non-ok when a queue's oldest waiting job is older than this. */
  HEALTH_QUEUE_LAG_MS: positiveInt.default(300_000),
  /** Where downloads are streamed from: the same export storage the export worker writes to. */
  EXPORT_STORAGE: z.enum(['local', 's3']).default('local'),
  EXPORT_DIR: z.string().min(1).default('./var/exports'),
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
}).superRefine((env, ctx) => {
  if (!env.JWT_SECRET && !env.JWT_JWKS_URL) {
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET (HS256) or JWT_JWKS_URL' });
  }
  if (env.EXPORT_STORAGE === 's3' && !env.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when EXPORT_STORAGE=s3' });
  }
});

export const ReportServiceEnv = BaseEnv.extend({
  /** Hosts (exact, lower case) the service may download AMC results from over https. */
  RESULT_URL_ALLOWLIST: csvList,
  /** Directory that file:// result URLs must stay inside. */
  RESULTS_DIR: z.string().min(1).default('./var/results'),
  RESULT_DOWNLOAD_TIMEOUT_MS: positiveInt.default(30_000),
  RESULT_DOWNLOAD_MAX_BYTES: positiveInt.default(2 * 1024 * 1024 * 1024),
  /** Test-only escape hatch: allow http:// for allow-listed hosts (a local fake AMC host). */
  RESULT_URL_ALLOW_HTTP: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** report.update jobs one process runs at once (each mostly waits on Postgres round trips). */
  REPORT_CONCURRENCY: positiveInt.default(2),
  /**
   * Under a backlog a job leaves its dashboard rebuild to a later event of the workflow that has not
   * begun (rebuild-deferral.ts), unless the dashboard is older than this; 0: every job rebuilds.
   */
  REPORT_REBUILD_MAX_LAG_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  INSIGHT_REGENERATE_DELAY_MS: regenerateDelay,
  PROFILE_CACHE_ENTRIES: profileCacheEntries,
});

export const InsightWorkerEnv = BaseEnv.extend({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: positiveInt.default(30_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  INSIGHT_CONCURRENCY: positiveInt.default(2),
  INSIGHT_REGENERATE_DELAY_MS: regenerateDelay,
  PROFILE_CACHE_ENTRIES: profileCacheEntries,
});

export const ExportWorkerEnv = BaseEnv.extend({
  ...DeliveryShared,
  /** smtp(s)://user:password@host:port; unset: every e-mail is written to MAIL_DIR as an .eml file. */
  SMTP_URL: z.string().url().refine((value) => /^smtps?:\/\//.test(value), 'must start with smtp:// or smtps://').optional(),
  MAIL_DIR: z.string().min(1).default('./var/mail'),
  MAIL_FROM: z.string().min(3).default('AMC Reports <reports@localhost>'),
  /** Attachments of one e-mail above this size (together) are replaced by expiring download links. */
  DELIVERY_ATTACHMENT_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** How long a download link in a delivery works (never past the export's own expiry). */
  DELIVERY_LINK_TTL_DAYS: positiveInt.default(7),
  DELIVERY_CONCURRENCY: positiveInt.default(8),
  /** First retry delay of a transient failure (doubling each attempt) unless the receiver sent Retry-After. */
  DELIVERY_RETRY_BASE_MS: positiveInt.default(5_000),
  DELIVERY_RETRY_MAX_MS: positiveInt.default(15 * 60_000),
  DELIVERY_HTTP_TIMEOUT_MS: positiveInt.default(15_000),
  /** How long an after-execution delivery waits for the execution's insights and exports. */
  DELIVERY_READY_TIMEOUT_MS: positiveInt.default(30 * 60_000),
  EXPORT_STORAGE: z.enum(['local', 's3']).default('local'),
  EXPORT_DIR: z.string().min(1).default('./var/exports'),
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  EXPORT_CONCURRENCY: positiveInt.default(2),
  /** Renders one organization may hold at once (default: EXPORT_CONCURRENCY − 1, at least 1). */
  EXPORT_RENDERS_PER_ORGANIZATION: positiveInt.optional(),
  EXPORT_PROCESSING_TIMEOUT_MS: positiveInt.default(10 * 60_000),
  EXPORT_MAX_ATTEMPTS: positiveInt.default(3),
  /** Where files are rendered before they are verified and stored (default: the OS temp directory). */
  EXPORT_TEMP_DIR: z.string().min(1).optional(),
  /** BullMQ job lock: a render whose worker stops renewing it for this long is taken over. */
  EXPORT_LOCK_DURATION_MS: positiveInt.default(30_000),
  /** How often a worker looks for jobs whose lock expired (a dead worker's renders). */
  EXPORT_STALLED_INTERVAL_MS: positiveInt.default(30_000),
  /** Archived raw AMC results (STORAGE_DIR/raw) older than this are deleted by exports.cleanup. */
  RAW_RESULT_RETENTION_DAYS: positiveInt.default(30),
  /** pipeline.redrive: how often the sweeper runs, how long an unfinished item waits between two looks, how often one item is re-driven at most. */
  REDRIVE_INTERVAL_MS: positiveInt.default(30_000),
  REDRIVE_AFTER_MS: positiveInt.default(120_000),
  REDRIVE_MAX_PER_ITEM: positiveInt.default(5),
  REDRIVE_BATCH_SIZE: positiveInt.default(500),
}).superRefine((env, ctx) => {
  if (env.EXPORT_STORAGE === 's3' && !env.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when EXPORT_STORAGE=s3' });
  }
});

export type BaseEnv = z.infer<typeof BaseEnv>;
export type GatewayEnv = z.infer<typeof GatewayEnv>;
export type ReportServiceEnv = z.infer<typeof ReportServiceEnv>;
export type InsightWorkerEnv = z.infer<typeof InsightWorkerEnv>;
export type ExportWorkerEnv = z.infer<typeof ExportWorkerEnv>;
