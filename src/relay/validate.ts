import type * as z from 'zod/mini';
import { describeIssues, firstIssuePath } from '../contract/issues.js';
import { RelayError } from './errors.js';

/**
 * Parses `input` with a contract schema or throws `invalid_body` naming the first bad field
 * (SECURITY 13). `name` prefixes paths when the input is one part of a larger call.
 */
export function parseOrThrow<Schema extends z.ZodMiniType>(schema: Schema, input: unknown, name?: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const path = firstIssuePath(parsed.error);
  const field = [name, path].filter(Boolean).join('.') || '(body)';
  const problems = describeIssues(parsed.error);
  throw new RelayError('invalid_body', name ? `${name} is invalid: ${problems}` : `The request is invalid: ${problems}`, { field });
}
