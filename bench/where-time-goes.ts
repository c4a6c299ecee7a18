/**
 * Where a benchmark's time went: CPU seconds per process (from /proc, so the apps need no
 * instrumentation) and Postgres' statements by total execution time (pg_stat_statements, which
 * the launcher preloads with `statStatements: true`). Linux only, as the machine is.
 */
import fs from 'node:fs';
import type { Pool } from 'pg';

const TICKS_PER_SECOND = 100;

function statFields(pid: number | string): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields are counted after it.
    return [stat.slice(0, stat.indexOf(' ')), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ...stat.slice(stat.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return null;
  }
}

/** user + system CPU seconds of one live process (children not included). */
export function processCpuSeconds(pid: number | undefined): number {
  const fields = pid === undefined ? null : statFields(pid);
  return fields ? (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND : 0;
}

/** The whole machine's CPU seconds so far: busy (every process, the kernel's interrupts) and in all (idle included). */
export function machineCpuSeconds(): { busy: number; all: number } {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, all: (busy + idle + iowait) / TICKS_PER_SECOND };
}

/** The part of a process's CPU spent in the kernel (system calls: sockets, files). */
export function processKernelSeconds(pid: number | undefined): number {
  const fields = pid === undefined ? null : statFields(pid);
  return fields ? Number(fields[14]) / TICKS_PER_SECOND : 0;
}

/** Every postgres process's CPU, plus what exited backends left on their parent's account. */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields || fields[1] !== 'postgres') continue;
    total += (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
    const parent = statFields(fields[3]);
    if (parent?.[1] !== 'postgres') total += (Number(fields[15]) + Number(fields[16])) / TICKS_PER_SECOND;
  }
  return total;
}

export interface StatementCost {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  share: number;
}

/** The top statements by total execution time; null when pg_stat_statements is not loaded. */
export async function topStatements(pool: Pool, limit: number): Promise<StatementCost[] | null> {
  try {
    const { rows } = await pool.query<{ query: string; calls: string; total: number; mean: number; share: number }>(`
      SELECT query, calls, total_exec_time AS total, mean_exec_time AS mean,
             total_exec_time / NULLIF(sum(total_exec_time) OVER (), 0) AS share
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT $1`, [limit]);
    return rows.map((row) => ({ query: row.query, calls: Number(row.calls), totalMs: row.total, meanMs: row.mean, share: row.share ?? 0 }));
  } catch {
    return null;
  }
}

/** One line per statement: share, calls, mean, and the statement squeezed to one line. */
export function formatStatements(statements: StatementCost[], width = 110): string[] {
  return statements.map((statement) => {
    const text = statement.query.replace(/\s+/g, ' ').trim();
    return `${(statement.share * 100).toFixed(1).padStart(5)} % ${String(statement.calls).padStart(7)} calls ${statement.meanMs.toFixed(2).padStart(7)} ms  ${text.length > width ? `${text.slice(0, width - 1)}…` : text}`;
  });
}
