import { ExportWorkerEnv, GatewayEnv, ReportServiceEnv } from './env-schemas';
import { ConfigError, loadConfig } from './load-config';

const base = { DATABASE_URL: 'postgresql://u:p@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };
const gateway = { ...base, AMC_WEBHOOK_SECRET: 'x'.repeat(16), JWT_SECRET: 'y'.repeat(32) };

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('fills documented defaults', () => {
    const config = loadConfig('gateway', GatewayEnv, gateway);
    expect(config).toMatchObject({ GATEWAY_PORT: 3000, QUEUE_PREFIX: 'amc', EVENT_BODY_LIMIT_BYTES: 10 * 1024 * 1024, LOG_LEVEL: 'info' });
  });

  it.each([
    ['a missing variable', { ...gateway, AMC_WEBHOOK_SECRET: undefined }, ['AMC_WEBHOOK_SECRET is required but not set']],
    ['an empty variable (counts as unset)', { ...gateway, AMC_WEBHOOK_SECRET: '' }, ['AMC_WEBHOOK_SECRET is required but not set']],
    ['a short secret', { ...gateway, AMC_WEBHOOK_SECRET: 'short' }, ['AMC_WEBHOOK_SECRET must be at least 16 characters']],
    ['a malformed DATABASE_URL', { ...gateway, DATABASE_URL: 'postgres//x' }, [expect.stringMatching(/^DATABASE_URL must be a URL/)]],
    ['a non-postgres DATABASE_URL', { ...gateway, DATABASE_URL: 'mysql://x/y' }, ['DATABASE_URL must start with postgresql://']],
    ['a port out of range', { ...gateway, GATEWAY_PORT: '70000' }, [expect.stringMatching(/^GATEWAY_PORT /)]],
    ['no JWT key at all', { ...gateway, JWT_SECRET: undefined }, ['JWT_SECRET set JWT_SECRET (HS256) or JWT_JWKS_URL']],
  ])('names the variable for %s', (_label, env, expected) => {
    expect(problems(() => loadConfig('gateway', GatewayEnv, env as NodeJS.ProcessEnv))).toEqual(expected);
  });

  it('never echoes a secret value in its message', () => {
    const secret = 'super-secret-value';
    const error = (() => {
      try {
        loadConfig('gateway', GatewayEnv, { ...gateway, JWT_SECRET: secret, GATEWAY_PORT: 'abc' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/JWT_SECRET/);
    expect(error?.message).not.toContain(secret);
  });

  it('parses lists and booleans', () => {
    const config = loadConfig('report-service', ReportServiceEnv, { ...base, RESULT_URL_ALLOWLIST: 'A.example.com, b.example.com ,', RESULT_URL_ALLOW_HTTP: 'true' });
    expect(config.RESULT_URL_ALLOWLIST).toEqual(['a.example.com', 'b.example.com']);
    expect(config.RESULT_URL_ALLOW_HTTP).toBe(true);
  });

  it.each([
    ['unset: every worker app', undefined, ['report-service', 'insight-worker', 'export-worker']],
    ['empty (counts as unset)', '', ['report-service', 'insight-worker', 'export-worker']],
    ['a list', ' report-service ,export-worker,', ['report-service', 'export-worker']],
    ['none: a gateway without workers', 'none', []],
  ])('reads HEALTH_REQUIRED_WORKERS %s', (_label, value, expected) => {
    expect(loadConfig('gateway', GatewayEnv, { ...gateway, HEALTH_REQUIRED_WORKERS: value }).HEALTH_REQUIRED_WORKERS).toEqual(expected);
  });

  it('requires a bucket for S3 export storage', () => {
    expect(problems(() => loadConfig('export-worker', ExportWorkerEnv, { ...base, EXPORT_STORAGE: 's3' }))).toEqual(['S3_BUCKET required when EXPORT_STORAGE=s3']);
  });

  it('takes a cluster from REDIS_CLUSTER_NODES as REDIS_URL, with a hash-tagged queue prefix by default', () => {
    const { REDIS_URL: _unset, ...withoutUrl } = gateway;
    const config = loadConfig('gateway', GatewayEnv, { ...withoutUrl, REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001' });
    expect(config).toMatchObject({ REDIS_URL: 'redis+cluster://10.0.0.1:7000,10.0.0.2:7001', QUEUE_PREFIX: '{amc}' });
    expect(loadConfig('gateway', GatewayEnv, { ...gateway, REDIS_URL: 'redis+cluster://a:7000', QUEUE_PREFIX: 'prod-{amc}' }).QUEUE_PREFIX).toBe('prod-{amc}');
  });

  it.each([
    ['both REDIS_URL and REDIS_CLUSTER_NODES', { ...gateway, REDIS_CLUSTER_NODES: 'a:7000' }, [expect.stringMatching(/^REDIS_CLUSTER_NODES and REDIS_URL are both set/)]],
    ['a bad node list', { ...gateway, REDIS_URL: undefined, REDIS_CLUSTER_NODES: 'a:7000,b' }, ['REDIS_CLUSTER_NODES "b" is not host:port (expected host:port,host:port)']],
    ['a cluster URL with a database', { ...gateway, REDIS_URL: 'redis+cluster://a:7000/2' }, [expect.stringMatching(/^REDIS_URL must look like redis\+cluster:\/\/host:port/)]],
    ['a cluster without a hash-tagged prefix', { ...gateway, REDIS_URL: 'redis+cluster://a:7000', QUEUE_PREFIX: 'amc' }, [expect.stringMatching(/^QUEUE_PREFIX must contain a \{hash tag\} on Redis Cluster/)]],
    ['a non-Redis URL', { ...gateway, REDIS_URL: 'http://a:6379' }, [expect.stringMatching(/^REDIS_URL must start with redis:\/\//)]],
  ])('names the variable for %s', (_label, env, expected) => {
    expect(problems(() => loadConfig('gateway', GatewayEnv, env as NodeJS.ProcessEnv))).toEqual(expected);
  });
});
