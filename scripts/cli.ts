/**
 * npm run cli -- <command>   (also ./bin/amc-reports <command>)
 *   token --user <uuid> [--email e] [--expires 12h]       mint a user JWT for local use
 *   send-event --file <event.json>                           sign with AMC_WEBHOOK_SECRET and post
 *   export --report <id> --format pdf --out f.pdf [--user <uuid> | --token T] [--scope dashboard]
 *   status                                                   queue depths, failed jobs, last executions
 *   jobs list [--queue q] [--limit n]                        failed jobs with their reason (transient or the job's own)
 *   jobs redrive (--id <job id>… | --transient | --all) [--queue q]   run failed jobs again
 *   org create --name N | list | show --org <id>             the admin API (ADMIN_TOKEN): organizations,
 *   org member --org <id> --user <uuid> --role owner|editor|viewer   members and their roles,
 *   org remove-member --org <id> --user <uuid>
 *   org instance --org <id> --instance <amc id> [--name N] [--advertiser A] [--marketplace US]
 *   org remove-instance --org <id> --instance <amc id>          and the AMC instances each owns
 * Exit codes: 0 ok, 2 usage, 3 rejected by the gateway (4xx), 4 unreachable, 5 failed.
 * Talks to `npm start`'s stack by default (AMC_GATEWAY_URL, DATABASE_URL, REDIS_URL override).
 */
import { parseArgs } from 'node:util';
import { CliError, EXIT } from './cli/exit-codes';

type Command = (options: Record<string, string | boolean | string[] | undefined>, positionals: string[]) => Promise<void>;

// Each command's module is loaded when it runs: bullmq, pg and Prisma take most of a second to
// load, which a usage error or an org command should not wait for.
const COMMANDS: Record<string, () => Promise<Command>> = {
  token: async () => (await import('./cli/commands')).tokenCommand,
  'send-event': async () => (await import('./cli/commands')).sendEventCommand,
  export: async () => (await import('./cli/commands')).exportCommand,
  status: async () => (await import('./cli/commands')).statusCommand,
  org: async () => (await import('./cli/org-commands')).orgCommand,
  'jobs list': async () => (await import('./cli/jobs-commands')).jobsListCommand,
  'jobs redrive': async () => (await import('./cli/jobs-commands')).jobsRedriveCommand,
};

async function main(): Promise<number> {
  const [first, ...afterFirst] = process.argv.slice(2);
  // Two-word commands (jobs list, jobs redrive) take their second word before the options.
  const twoWords = first && afterFirst[0] && Object.hasOwn(COMMANDS, `${first} ${afterFirst[0]}`) ? `${first} ${afterFirst[0]}` : undefined;
  const command = twoWords ?? first;
  const rest = twoWords ? afterFirst.slice(1) : afterFirst;
  const load = command && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    process.stderr.write(`usage: amc-reports <${Object.keys(COMMANDS).join('|')}> [options]\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parseArgs({
    args: rest, strict: true, allowPositionals: true,
    options: {
      user: { type: 'string' }, email: { type: 'string' }, expires: { type: 'string' }, file: { type: 'string' },
      report: { type: 'string' }, format: { type: 'string' }, scope: { type: 'string' }, out: { type: 'string' },
      token: { type: 'string' }, timeout: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' },
      instance: { type: 'string' }, advertiser: { type: 'string' }, marketplace: { type: 'string' },
      queue: { type: 'string' }, limit: { type: 'string' }, id: { type: 'string', multiple: true }, transient: { type: 'boolean' }, all: { type: 'boolean' },
    },
  });
  const run = await load();
  await run(values, positionals);
  return EXIT.ok;
}

main().then((code) => process.exit(code), (error: unknown) => {
  const exitCode = error instanceof CliError ? error.exitCode : (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? EXIT.usage : EXIT.failed;
  process.stderr.write(`amc-reports: ${(error as Error).message}\n`);
  process.exit(exitCode);
});
