/**
 * Kount only documents `challenge` for an open action. For finished actions the sandbox assumes
 * `passed` and `failed`; the contract treats anything but `challenge` as finished, so the relay
 * does not depend on these words.
 */
export type ActionStatus = 'challenge' | 'passed' | 'failed';
export type StepOutcome = 'open' | 'passed' | 'failed';

export const ACTION_STATUS_BY_OUTCOME: Readonly<Record<StepOutcome, ActionStatus>> = { open: 'challenge', passed: 'passed', failed: 'failed' };
