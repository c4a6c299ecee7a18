import { BadRequestException, NotFoundException } from '@nestjs/common';
import { z } from 'zod';

export interface FieldIssue {
  field: string;
  message: string;
}

export function validationError(issues: FieldIssue[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400, error: 'validation_failed',
    message: issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '), issues,
  });
}

/** Parses a body or query with zod; a 400 names every bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw validationError(parsed.error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  })));
}

export const Uuid = z.string().uuid();

/** An id that is not a UUID cannot name a row: 404 like any other unknown id, never a 500. */
export function parseId(value: string, what: string): string {
  if (!Uuid.safeParse(value).success) throw notFound(what);
  return value.toLowerCase();
}

/** Another user's row and a missing row look the same: 404, never a 403 that confirms it exists. */
export function notFound(what: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'not_found', message: `${what} not found` });
}

export const Pagination = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type Pagination = z.infer<typeof Pagination>;

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  nextOffset: number | null;
}

/** Fetch limit + 1 rows; the extra one only says whether there is a next page. */
export function toPage<T>(rows: T[], pagination: Pagination): Page<T> {
  const hasMore = rows.length > pagination.limit;
  return {
    items: rows.slice(0, pagination.limit), limit: pagination.limit, offset: pagination.offset,
    nextOffset: hasMore ? pagination.offset + pagination.limit : null,
  };
}
