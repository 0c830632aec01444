/**
 * Sealing at rest (SECURITY 42): AES-256-GCM with a key derived from each session secret (HKDF),
 * a fresh 96-bit IV per value, and additional data that binds a value to its place (a session id,
 * an event of that session), so a sealed value moved elsewhere does not open.
 *
 * A sealed value names the secret that sealed it (`s2.<key id>.<IV, ciphertext, tag>`) by the key
 * id handles carry too (`keyIdOf`: one id per secret in every log line, on every instance). So an
 * instance that does not hold that secret (rotated on another instance first) can say so
 * (`SealedWithUnknownKey`, a 503: the browser retries, Kount re-sends) instead of taking the
 * session for one that does not exist.
 */
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomFillSync, type KeyObject } from 'node:crypto';
import { RelayError } from '../errors.js';
import { KEY_ID_PATTERN, keyIdOf } from '../key-id.js';

const FORMAT = 's2';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** `keyIdOf`'s 8 characters: two configured secrets sharing one is a 1 in 2^48 chance, and then only one of them is tried. */
const KEY_ID_LENGTH = 8;
const HEAD_LENGTH = FORMAT.length + 1 + KEY_ID_LENGTH + 1;
/** Random IVs drawn 256 at a time: one `randomFillSync` costs about what one `randomBytes(12)` does. */
const IV_POOL_BYTES = IV_BYTES * 256;

/**
 * A value sealed with a key this instance does not hold: the store has it, this instance cannot
 * open it (a rotation under way, or a secret dropped too early). Answered 503 `store_unavailable`.
 */
export class SealedWithUnknownKey extends RelayError {
  readonly keyId: string;

  constructor(keyId: string) {
    super('store_unavailable', 'The verification service is busy right now. Please try again in a moment.', { retryAfterSeconds: 1 });
    this.keyId = keyId;
  }
}

interface SealingKey {
  id: string;
  /** A key object: a cipher made from one skips importing raw bytes each time (about half its cost). */
  key: KeyObject;
}

/** Seals with the key of the first secret; opens with the key of any of them (the one the value names). */
export class Sealer {
  readonly #sealing: SealingKey;
  readonly #opening: ReadonlyMap<string, KeyObject>;
  readonly #ivPool = Buffer.alloc(IV_POOL_BYTES);
  #ivTaken = IV_POOL_BYTES;

  constructor(secrets: string | readonly string[]) {
    const list = typeof secrets === 'string' ? [secrets] : secrets;
    const keys = list.map(deriveKey);
    const first = keys[0];
    if (first === undefined) throw new Error('sealing needs at least one secret');
    this.#sealing = first;
    this.#opening = new Map(keys.map(({ id, key }) => [id, key]));
  }

  /** The ids of the keys this instance holds, the sealing one first (for a log line an operator compares across instances). */
  get keyIds(): string[] {
    return [...this.#opening.keys()];
  }

  seal(plain: string, associatedData: string): string {
    const iv = this.#nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.#sealing.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    // GCM's final() adds no bytes: the text is the IV, the ciphertext and the tag.
    const ciphertext = cipher.update(plain, 'utf8');
    cipher.final();
    const sealed = Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
    return `${FORMAT}.${this.#sealing.id}.${sealed.toString('base64url')}`;
  }

  /**
   * The plain text, or null when `sealed` is not a value sealed for `associatedData` (corrupt,
   * tampered, moved, or of another format). Throws `SealedWithUnknownKey` when it names a key this
   * instance does not hold.
   */
  open(sealed: string, associatedData: string): string | null {
    if (!sealed.startsWith(FORMAT) || sealed[FORMAT.length] !== '.' || sealed[HEAD_LENGTH - 1] !== '.') return null;
    const keyId = sealed.slice(FORMAT.length + 1, HEAD_LENGTH - 1);
    const key = this.#opening.get(keyId);
    if (key === undefined) {
      if (!KEY_ID_PATTERN.test(keyId)) return null;
      throw new SealedWithUnknownKey(keyId);
    }
    // Base64url decoding skips what is not base64url: a value changed that way fails the tag check.
    const bytes = Buffer.from(sealed.slice(HEAD_LENGTH), 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES));
      decipher.final();
      return plain.toString('utf8');
    } catch {
      return null;
    }
  }

  /** A fresh random IV (a view of the pool, used before the pool is drawn again). */
  #nextIv(): Buffer {
    if (this.#ivTaken === IV_POOL_BYTES) {
      randomFillSync(this.#ivPool);
      this.#ivTaken = 0;
    }
    const iv = this.#ivPool.subarray(this.#ivTaken, this.#ivTaken + IV_BYTES);
    this.#ivTaken += IV_BYTES;
    return iv;
  }
}

function deriveKey(secret: string): SealingKey {
  return { id: keyIdOf(secret), key: createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'k360-verify/store', 'seal/v2', 32))) };
}
