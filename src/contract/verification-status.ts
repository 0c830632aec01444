/**
 * Kount's step-up verification statuses (`verificationStatus`, Account Protection's `mfaStatus`),
 * in one place: the Kount contract reads them, the browser contract shows a one-time link's, and the
 * relay ranks them. Its own module, so the browser bundle takes it without the Kount contract; a
 * `z.literal` set, as the browser contract writes closed sets.
 */
import * as z from 'zod/mini';

export const VerificationStatus = z.literal([
  'UNKNOWN',
  'INVALID',
  'VERIFIED',
  'TERMINATED',
  'MESSAGE_SENT',
  'FAILED_AUTHORIZATION',
  'VERIFICATION_ATTEMPT_FAILED',
]);
export type VerificationStatus = z.infer<typeof VerificationStatus>;
