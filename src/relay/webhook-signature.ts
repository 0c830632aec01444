/**
 * Kount webhook signatures (SECURITY 20, 21): `X-Event-Signature` is a Base64 RSASSA-PSS signature
 * (SHA-256, MGF1-SHA-256, 32-byte salt) over the `X-Event-Timestamp` header string (UTF-8)
 * immediately followed by the raw body bytes, checked with the account's public key.
 */
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Kount's samples reject a timestamp further than this from the receiver's clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** A key this small is not what Kount issues (RSA-4096); the sandbox uses 2048. */
const MIN_KEY_BITS = 2048;

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;

/** ISO-8601 with a zone, to the second or finer: `2022-05-24T23:18:00Z`. Anything looser is refused. */
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Canonical Base64 only: a lenient decoder would let several header values carry one signature. */
const BASE64_SHAPE = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_SIGNATURE_LENGTH = 2048;

/**
 * The public key from `KOUNT_WEBHOOK_PUBLIC_KEY`: PEM (`-----BEGIN PUBLIC KEY-----`), or the Base64
 * of a DER SubjectPublicKeyInfo as Kount's portal shows it. An environment variable often carries a
 * PEM with literal `\n`; those are read as line breaks. Throws a message that never repeats the value.
 */
export function parseWebhookPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      key = createPublicKey({ key: trimmed.replaceAll('\\n', '\n'), format: 'pem' });
    } else {
      const compact = trimmed.replace(/\s+/g, '');
      if (!BASE64_SHAPE.test(compact)) throw new Error('not Base64');
      key = createPublicKey({ key: Buffer.from(compact, 'base64'), format: 'der', type: 'spki' });
    }
  } catch {
    throw new Error('must be an RSA public key: PEM, or the Base64 of a DER SubjectPublicKeyInfo');
  }
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'rsa-pss') throw new Error('must be an RSA public key (Kount signs with RSA-PSS)');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_KEY_BITS) throw new Error(`must be an RSA key of at least ${MIN_KEY_BITS} bits`);
  return key;
}

/**
 * `KOUNT_WEBHOOK_PUBLIC_KEY` with several keys while Kount rotates its signing key: PEM blocks one
 * after another (with real or literal `\n` line breaks), or Base64 DER keys separated by commas.
 */
export function splitWebhookPublicKeys(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    return [...trimmed.replaceAll('\\n', '\n').matchAll(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g)].map((match) => match[0]);
  }
  return trimmed.split(',').map((key) => key.trim()).filter(Boolean);
}

export type SignatureRejection =
  | 'missing_timestamp'
  | 'missing_signature'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'malformed_signature'
  | 'bad_signature';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRejection; skewSeconds?: number };

export interface SignedDelivery {
  timestamp: string | null;
  signature: string | null;
  rawBody: Uint8Array;
}

/** Each key's verify options, built once per key (the key stays the one imported at start-up). */
const verifyOptions = new WeakMap<KeyObject, { key: KeyObject } & typeof PSS>();

function verifyOptionsOf(key: KeyObject): { key: KeyObject } & typeof PSS {
  let options = verifyOptions.get(key);
  if (options === undefined) {
    options = Object.freeze({ key, ...PSS });
    verifyOptions.set(key, options);
  }
  return options;
}

/**
 * Nothing here compares a secret byte by byte: the signature is checked by `crypto.verify`, and the
 * timestamp and encoding checks look at public values, so their timing tells an attacker nothing.
 */
export function checkWebhookSignature(delivery: SignedDelivery, keys: readonly KeyObject[], nowMs: number): SignatureCheck {
  const { timestamp, signature, rawBody } = delivery;
  if (timestamp === null || timestamp === '') return { ok: false, reason: 'missing_timestamp' };
  if (signature === null || signature === '') return { ok: false, reason: 'missing_signature' };
  if (!TIMESTAMP_SHAPE.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };
  const sentAt = Date.parse(timestamp);
  if (Number.isNaN(sentAt)) return { ok: false, reason: 'malformed_timestamp' };
  const skewMs = nowMs - sentAt;
  if (Math.abs(skewMs) > WEBHOOK_TOLERANCE_SECONDS * 1000) {
    return { ok: false, reason: 'stale_timestamp', skewSeconds: Math.round(skewMs / 1000) };
  }
  if (signature.length > MAX_SIGNATURE_LENGTH || !BASE64_SHAPE.test(signature)) return { ok: false, reason: 'malformed_signature' };
  const signatureBytes = Buffer.from(signature, 'base64');
  if (signatureBytes.toString('base64') !== signature) return { ok: false, reason: 'malformed_signature' };

  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]);
  // Any of the configured keys: the old and the new one while Kount rotates.
  const valid = keys.some((key) => {
    try {
      return verify('sha256', signed, verifyOptionsOf(key), signatureBytes);
    } catch {
      return false;
    }
  });
  return valid ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
