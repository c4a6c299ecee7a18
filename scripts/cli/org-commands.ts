import { apiClient } from '@amc-reports/testing/src/signed-event';
import { CliError, devSecret, EXIT, gatewayUrl } from './dev-defaults';

type Options = Record<string, string | boolean | string[] | undefined>;

function need(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || !value) throw new CliError(EXIT.usage, `--${name} is required`);
  return value;
}

const optional = (options: Options, name: string): string | undefined => (typeof options[name] === 'string' ? (options[name] as string) : undefined);

/**
 * `org <create|list|show|member|remove-member|instance|remove-instance>`: the operator's admin API
 * (/admin/v1, Bearer ADMIN_TOKEN) from the command line. Prints the gateway's JSON answer.
 */
export async function orgCommand(options: Options, positionals: string[]): Promise<void> {
  const [action] = positionals;
  const admin = apiClient(gatewayUrl(), devSecret('ADMIN_TOKEN'));
  const org = (): string => encodeURIComponent(need(options, 'org'));
  const calls: Record<string, () => ReturnType<typeof admin.get>> = {
    create: () => admin.post('/admin/v1/organizations', { name: need(options, 'name') }),
    list: () => admin.get('/admin/v1/organizations?limit=100'),
    show: () => admin.get(`/admin/v1/organizations/${org()}`),
    member: () => admin.put(`/admin/v1/organizations/${org()}/members/${encodeURIComponent(need(options, 'user'))}`, { role: need(options, 'role') }),
    'remove-member': () => admin.delete(`/admin/v1/organizations/${org()}/members/${encodeURIComponent(need(options, 'user'))}`),
    instance: () => admin.put(`/admin/v1/organizations/${org()}/amc-instances/${encodeURIComponent(need(options, 'instance'))}`, {
      ...(optional(options, 'name') ? { name: optional(options, 'name') } : {}),
      ...(optional(options, 'advertiser') ? { advertiserId: optional(options, 'advertiser') } : {}),
      ...(optional(options, 'marketplace') ? { marketplace: optional(options, 'marketplace') } : {}),
    }),
    'remove-instance': () => admin.delete(`/admin/v1/organizations/${org()}/amc-instances/${encodeURIComponent(need(options, 'instance'))}`),
  };
  const call = action ? calls[action] : undefined;
  if (!call) throw new CliError(EXIT.usage, `usage: amc-reports org <${Object.keys(calls).join('|')}> [options]`);
  let response;
  try {
    response = await call();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(EXIT.unreachable, `the gateway at ${gatewayUrl()} is unreachable: ${(error as Error).message}`);
  }
  if (response.body !== null) process.stdout.write(`${JSON.stringify(response.body, null, 2)}\n`);
  if (response.status >= 400) {
    throw new CliError(response.status >= 500 ? EXIT.failed : EXIT.rejected, `the admin API answered ${response.status}: ${String(response.body?.message ?? '')}`);
  }
}
