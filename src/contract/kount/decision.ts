import * as z from 'zod/mini';

/**
 * Identity Proofing answers `Allow`/`Challenge`/`Decline`/`Review`; Account Protection answers
 * `ALLOW`/`BLOCK`/`CHALLENGE`. Both are compared case-insensitively and folded into one vocabulary.
 */
export const Decision = z.enum(['ALLOW', 'BLOCK', 'CHALLENGE', 'REVIEW']);
export type Decision = z.infer<typeof Decision>;

const synonyms: Record<string, Decision> = {
  ALLOW: 'ALLOW',
  APPROVE: 'ALLOW',
  APPROVED: 'ALLOW',
  BLOCK: 'BLOCK',
  DECLINE: 'BLOCK',
  DECLINED: 'BLOCK',
  DENY: 'BLOCK',
  CHALLENGE: 'CHALLENGE',
  REVIEW: 'REVIEW',
};

/** The folded decision, or `undefined` for a value Kount may add later (callers surface it). */
export function normalizeDecision(raw: string): Decision | undefined {
  return synonyms[raw.trim().toUpperCase()];
}
