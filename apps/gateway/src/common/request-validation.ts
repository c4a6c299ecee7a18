import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import type { z } from 'zod';
import { api } from '@amc-reports/contracts';

export type FieldIssue = api.FieldIssue;
export const { Pagination, toPage, Uuid } = api;
export type Pagination = api.Pagination;
export type Page<T> = api.Page<T>;

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

/** An id that is not a UUID cannot name a row: 404 like any other unknown id, never a 500. */
export function parseId(value: string, what: string): string {
  if (!Uuid.safeParse(value).success) throw notFound(what);
  return value.toLowerCase();
}

/** Another organization's row and a missing row look the same: 404, never a 403 that confirms it exists. */
export function notFound(what: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'not_found', message: `${what} not found` });
}

/** Visible, but the caller's role does not allow the change (a viewer editing a report). */
export function forbidden(error: string, message: string): ForbiddenException {
  return new ForbiddenException({ statusCode: 403, error, message });
}
