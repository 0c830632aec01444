import * as z from 'zod/mini';

/**
 * Kount sends its counters (`sendAttempts`, `remainingVerificationAttempts`, ...) as JSON strings
 * holding int64 values; tolerate plain numbers too and turn both into numbers.
 */
export const KountCounter = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^\d+$/))]),
  z.transform((value) => Number(value)),
);
