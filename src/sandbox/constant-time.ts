import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares secrets without leaking through timing where they first differ. Hashing first gives
 * equal-length inputs, so the length of the expected value does not leak either.
 */
export function constantTimeEqual(expected: string, given: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}
