/** Reads a browser's JSON body under a size cap (SECURITY 13) before anything else looks at it. */
import { RelayError } from './errors.js';
import { declaresMoreThan, readCappedBody } from './capped-body.js';
import { bodyConsumed, type RequestBody } from './request-context.js';

/** Ours: an OTP answer is a few dozen bytes; a KBA quiz a few hundred. */
export const BODY_LIMIT_BYTES = 16 * 1024;

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

/** `body`: what the host framework did to it (a JSON parser that ran first leaves its value, which is as good). */
export async function readJsonBody(request: Request, body: RequestBody = { kind: 'intact' }, limitBytes = BODY_LIMIT_BYTES): Promise<unknown> {
  if (!JSON_CONTENT_TYPE.test(request.headers.get('content-type') ?? '')) {
    throw new RelayError('unsupported_media_type', 'Send the request body as application/json.');
  }
  if (body.kind === 'consumed') throw bodyConsumed('The request body');
  if (body.kind === 'parsed') {
    // The same limit as on the wire, measured on the value the parser kept.
    if (Buffer.byteLength(JSON.stringify(body.value) ?? '', 'utf8') > limitBytes) throw tooLarge(limitBytes);
    return body.value;
  }
  const bytes = await readBodyBytes(request, limitBytes, body);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RelayError('bad_json', 'The request body is not valid UTF-8 text.');
  }
  if (text.trim() === '') throw new RelayError('bad_json', 'The request body is empty; send a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RelayError('bad_json', 'The request body is not valid JSON.');
  }
}

/** The raw body, read once, or `payload_too_large` as soon as it is known to exceed `limitBytes`. */
export async function readBodyBytes(request: Request, limitBytes: number, body: RequestBody = { kind: 'intact' }): Promise<Uint8Array> {
  if (body.kind !== 'intact' || body.read === undefined) return readCappedBody(request, limitBytes, () => tooLarge(limitBytes));
  if (declaresMoreThan(request.headers, limitBytes)) throw tooLarge(limitBytes);
  const bytes = await body.read(limitBytes);
  if (bytes === null) throw tooLarge(limitBytes);
  return bytes;
}

function tooLarge(limitBytes: number): RelayError {
  return new RelayError('payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
}
