/**
 * Which failures of a report.update job can never succeed on a retry, and what the execution
 * should say about them. Pure (no BullMQ, no Nest), so the processor decides what to throw and a
 * separate rule set (e.g. "Postgres or Redis unreachable: delay without spending an attempt") can
 * be asked first: anything this module does not recognise is `transient`, the default.
 */
import { UnusableResultError } from '@amc-reports/result-profile';
import { ResultUnavailableError } from './result-source/result-errors';

export type FailureClass =
  | { kind: 'permanent'; code: string; reason: string }
  | { kind: 'transient' };

/** Unique and exclusion violations come from two jobs racing on one key; a retry sees the winner's row. */
const CONCURRENCY_SQLSTATES = new Set(['23505', '23P01']);

/** Readable reasons for the data exceptions a hostile or broken result produces. */
const SQLSTATE_REASONS: Record<string, string> = {
  '22001': 'a value is longer than the database column allows',
  '22003': 'a number is out of the range the database can store',
  '22007': 'a date or time has an invalid format',
  '22008': 'a date or time is out of the range the database can store (years 0001-9999)',
  '22021': 'a text holds a character the database cannot store (a NUL or invalid UTF-8)',
  '22P02': 'a value has the wrong form for its column',
  '22P05': 'a text holds a character the database cannot store in JSON (a NUL or a lone surrogate)',
  '23502': 'a required value is missing',
  '23514': 'a value breaks a database check constraint',
};

/** Node refuses these file:// URLs before any file is touched. */
const REFUSED_URL_CODES = new Set(['ERR_INVALID_FILE_URL_HOST', 'ERR_INVALID_FILE_URL_PATH', 'ERR_INVALID_URL', 'ERR_INVALID_URL_SCHEME']);

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof UnusableResultError) return { kind: 'permanent', code: 'UNUSABLE_RESULT', reason: error.message };
  if (error instanceof ResultUnavailableError) return { kind: 'permanent', code: error.code, reason: error.message };
  if (isZodError(error)) {
    // The stored event no longer passes today's contract (accepted before a rule was added).
    const fields = error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`);
    return { kind: 'permanent', code: 'INVALID_EVENT', reason: `the event cannot be processed: ${fields.join('; ')}` };
  }
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined && (sqlState.startsWith('22') || sqlState.startsWith('23')) && !CONCURRENCY_SQLSTATES.has(sqlState)) {
    // A foreign key violation is a row deleted meanwhile (a workflow removed mid-job): not the data's fault.
    if (sqlState !== '23503') {
      const reason = SQLSTATE_REASONS[sqlState] ?? (sqlState.startsWith('22') ? 'a value cannot be stored by the database' : 'a value breaks a database constraint');
      return { kind: 'permanent', code: 'INVALID_DATA', reason: `the event or its result cannot be stored: ${reason} (SQLSTATE ${sqlState})` };
    }
  }
  if (isNamed(error, 'PrismaClientValidationError')) {
    return { kind: 'permanent', code: 'INVALID_DATA', reason: 'the event or its result cannot be stored: a value has the wrong type or is invalid (such as a date out of range)' };
  }
  if (error instanceof RangeError && /invalid time value|invalid date/i.test(error.message)) {
    return { kind: 'permanent', code: 'INVALID_DATA', reason: 'a date in the event or in the workflow history is invalid' };
  }
  const nodeCode = (error as { code?: unknown } | null)?.code;
  if (typeof nodeCode === 'string' && REFUSED_URL_CODES.has(nodeCode)) {
    return { kind: 'permanent', code: 'RESULT_REFUSED', reason: 'the result URL does not name a file the report service can read' };
  }
  return { kind: 'transient' };
}

/**
 * The SQLSTATE of a Postgres error, however it arrives: node-postgres' DatabaseError (`code`),
 * or Prisma's driver-adapter errors (`meta.driverAdapterError.cause.originalCode`), also as a cause.
 */
export function sqlStateOf(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 4) return undefined;
  const candidate = error as { code?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
  for (const code of [candidate.originalCode, candidate.code]) {
    // Five characters with a digit: "22P05", not Prisma's "P2039" nor Node's "EPERM".
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code) && !/^P\d{4}$/.test(code)) return code;
  }
  return sqlStateOf(candidate.meta?.driverAdapterError, depth + 1) ?? sqlStateOf(candidate.cause, depth + 1);
}

/** By shape, not by class: the contracts' zod instance is not necessarily this module's. */
function isZodError(error: unknown): error is { issues: { path: PropertyKey[]; message: string }[] } {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues);
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && (error.name === name || error.constructor?.name === name);
}

/** An absolute path (or file:// URL) of this machine in a message, not preceded by a word, ':' or '/'. */
const SERVER_PATH = /(?:(?<!\w)file:\/\/|(?<![\w:/.-]))\/(?:[^\s/'"`,;()]+\/)+[^\s/'"`,;()]*/g;

/**
 * One line a person can read on the dashboard: no stack, no code frame, no server path (paths go
 * to the logs). Prisma's multi-line "Invalid `prisma.x()` invocation in /path…" keeps its last line.
 */
export function readableMessage(error: unknown, maxLength = 300): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const prisma = error instanceof Error && error.name.startsWith('PrismaClient');
  const line = (prisma ? lines[lines.length - 1] : lines[0]) ?? (error instanceof Error ? error.name : 'unknown error');
  const withoutPaths = line.replace(SERVER_PATH, '[path]');
  return withoutPaths.length > maxLength ? `${withoutPaths.slice(0, maxLength - 1)}…` : withoutPaths;
}
