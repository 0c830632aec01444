import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares secrets without leaking through timing where they first differ. Hashing first gives
 * equal-length inputs, so the length of the expected value does not leak either.
 */
export function constantTimeEqual(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The key a secret is looked up by: its SHA-256, so a map lookup compares digests, and how far a
 * guess matches the real token does not show in the time it takes.
 */
export function secretKey(secret: string): string {
  return digest(secret).toString('base64url');
}

/** `constantTimeEqual` for a value that may be missing (a link not sent yet). */
export function sameSecret(expected: string | undefined, given: string): boolean {
  return expected !== undefined && constantTimeEqual(expected, given);
}
