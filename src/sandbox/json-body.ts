import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { fieldPath, jsonError } from './json-errors.js';

/** Generous for any real assessment, small enough that a runaway client cannot fill memory. */
const MAX_BODY_BYTES = 64 * 1024;

export type ParsedBody<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: Response };

/** Reads a JSON body and validates it, answering 400/413/415 with the offending field named. */
export async function readJsonBody<Schema extends z.ZodMiniType>(c: Context, schema: Schema): Promise<ParsedBody<z.output<Schema>>> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType.trim())) {
    return { ok: false, response: jsonError(c, 415, { error: 'unsupported_media_type', message: 'Content-Type must be application/json' }) };
  }
  const text = await c.req.text();
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    return { ok: false, response: jsonError(c, 413, { error: 'payload_too_large', message: `the body exceeds ${MAX_BODY_BYTES} bytes` }) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: jsonError(c, 400, { error: 'invalid_request', message: 'the body is not valid JSON' }) };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  // An unknown key is reported on its parent object; naming the key itself is more useful.
  const path = issue?.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : (issue?.path ?? []);
  const field = path.length === 0 ? '(body)' : fieldPath(path);
  return {
    ok: false,
    response: jsonError(c, 400, { error: 'invalid_request', message: `${field}: ${issue?.message ?? 'invalid'}`, field }),
  };
}
