/**
 * A session as a shared store holds it: JSON whose `contact` (the phone number and e-mail address
 * kept for resends) is sealed with AES-256-GCM, so a dump of the store shows neither. The key is
 * derived from the session secret with HKDF; the session id is the additional data, so a sealed
 * contact cannot be moved into another session. What comes back is checked against the schema:
 * anything unreadable reads as "no session", never as a half-session.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { Contact, Session } from '../sessions.js';

const SEALED_PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const StoredSession = z.extend(Session, { contact: z.string() });

/** Seals with the key of the first secret; opens with the key of any (a rotation keeps stored sessions readable). */
export class SessionCodec {
  readonly #keys: readonly Buffer[];

  constructor(sessionSecrets: string | readonly string[]) {
    const list = typeof sessionSecrets === 'string' ? [sessionSecrets] : sessionSecrets;
    if (list.length === 0) throw new Error('a SessionCodec needs at least one secret');
    this.#keys = list.map((secret) => Buffer.from(hkdfSync('sha256', secret, 'k360-verify/store', 'contact-encryption/v1', 32)));
  }

  encode(session: Session): string {
    return JSON.stringify({ ...session, contact: this.#seal(session.id, session.contact) });
  }

  /** The session in `text`, or null when it is not one this relay wrote for `id`. */
  decode(id: string, text: string): Session | null {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return null;
    }
    const stored = StoredSession.safeParse(raw);
    if (!stored.success || stored.data.id !== id) return null;
    const contact = this.#open(id, stored.data.contact);
    return contact === null ? null : { ...stored.data, contact };
  }

  #seal(sessionId: string, contact: Contact): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys[0] as Buffer, iv);
    cipher.setAAD(Buffer.from(sessionId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
  }

  #open(sessionId: string, sealed: string): Contact | null {
    if (!sealed.startsWith(SEALED_PREFIX)) return null;
    const bytes = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) return null;
    for (const key of this.#keys) {
      const contact = openWith(key, sessionId, bytes);
      if (contact !== null) return contact;
    }
    return null;
  }
}

function openWith(key: Buffer, sessionId: string, bytes: Buffer): Contact | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(sessionId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    const contact = Contact.safeParse(JSON.parse(plain.toString('utf8')));
    return contact.success ? contact.data : null;
  } catch {
    return null;
  }
}
