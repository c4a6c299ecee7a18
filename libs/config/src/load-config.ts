import type { z } from 'zod';
import { clusterPrefixProblems, resolveRedisEnv } from './redis-env';

export class ConfigError extends Error {
  constructor(readonly appName: string, readonly problems: string[]) {
    super(`${appName}: invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once at start-up. The message names every wrong variable and
 * never echoes a value (secrets must not reach logs).
 */
export function loadConfig<S extends z.ZodType>(appName: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings count as unset: `FOO=` in a .env file should take the default.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')) as Record<string, string>;
  const { env: cleaned, problems: redisProblems } = resolveRedisEnv(given);
  if (redisProblems.length > 0) throw new ConfigError(appName, redisProblems);
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) {
    const prefixProblems = clusterPrefixProblems(parsed.data as { REDIS_URL?: unknown; QUEUE_PREFIX?: unknown });
    if (prefixProblems.length > 0) throw new ConfigError(appName, prefixProblems);
    return parsed.data;
  }
  // One problem per variable: the first is the one to fix (a malformed URL is also not postgres://).
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const name = issue.path.join('.') || '(environment)';
    if (problems.has(name)) continue;
    const missing = issue.code === 'invalid_type' && cleaned[name] === undefined;
    problems.set(name, missing ? `${name} is required but not set` : `${name} ${issue.message}`);
  }
  throw new ConfigError(appName, [...problems.values()]);
}
