/**
 * Defence in depth for logs (SECURITY 3, 17): the relay never passes secrets or personal data to
 * the logger on purpose, and this step drops them if a future change does so by accident.
 */
const REDACTED = '[redacted]';

/** Compared after lower-casing and removing `-` and `_`, so `access_token`, `accessToken` and `x-api-key` all match. */
const SENSITIVE_KEYS = new Set([
  'otp',
  'code',
  'passcode',
  'answer',
  'answers',
  'phone',
  'phonenumber',
  'email',
  'emailaddress',
  'contact',
  'token',
  'accesstoken',
  'refreshtoken',
  'authorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'clientid',
  'xclientid',
  'clientsecret',
  'secret',
  'sessionsecret',
  'password',
  'handle',
]);

/** Error codes are logged on purpose; only an `otp`-like `code` value is hidden, see `isSensitiveKey`. */
const SAFE_CODE_PATTERN = /^[a-z][a-z0-9_.]*$/i;

const EMAIL_PATTERN = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g;
const BEARER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** Text with neither an `@` nor one of those words cannot match either pattern (one test instead of two replaces per string). */
const MAY_NEED_SCRUBBING = /@|bearer|basic/i;

/** Field names are few and repeat on every line (the access line runs on every request); bounded, as nested keys could vary. */
const normalizedKeys = new Map<string, string>();
const MAX_NORMALIZED_KEYS = 1000;
const MAX_CACHED_KEY_LENGTH = 64;

function normalizeKey(key: string): string {
  let normalized = normalizedKeys.get(key);
  if (normalized === undefined) {
    normalized = key.toLowerCase().replace(/[-_]/g, '');
    if (normalizedKeys.size < MAX_NORMALIZED_KEYS && key.length <= MAX_CACHED_KEY_LENGTH) normalizedKeys.set(key, normalized);
  }
  return normalized;
}

function isSensitiveKey(key: string, value: unknown): boolean {
  const normalized = normalizeKey(key);
  if (!SENSITIVE_KEYS.has(normalized)) return false;
  // `code` names our stable error codes (`wrong_code`), which operators need; digits are not one.
  if (normalized === 'code' && typeof value === 'string' && SAFE_CODE_PATTERN.test(value) && !/\d{4,}/.test(value)) return false;
  return true;
}

function scrubText(text: string): string {
  if (!MAY_NEED_SCRUBBING.test(text)) return text;
  return text.replace(EMAIL_PATTERN, '[email]').replace(BEARER_PATTERN, '$1 [redacted]');
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return scrubText(value);
  if (value instanceof Error) return { name: value.name, message: scrubText(value.message) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      result[key] = isSensitiveKey(key, inner) ? REDACTED : redact(inner, depth + 1);
    }
    return result;
  }
  return value;
}

export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const result = redact(fields);
  return result !== null && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : {};
}
