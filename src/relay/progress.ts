/**
 * How far a step has got, so that news arriving late (a webhook Kount re-sent, a refresh answered
 * after an answer) never moves a session backwards (SECURITY 23). Progress is compared as
 * `[finished, sendAttempts, verificationAttempts, status rank]`: a finished step beats any open
 * one; a new send (resend, DocV retry) starts a new round whose statuses beat the old round's;
 * within a round the status rank decides. A counter missing on either side is skipped.
 */
import { DocumentVerificationStatus, VerificationStatus, knownMethod, type ActionData, type StrategyAction } from '../contract/kount/index.js';
import { isOpenAction } from '../contract/kount/index.js';
import { sameMethod } from './sessions.js';
import { stepUpSessionIdOf } from './session-index.js';

/** Every status of the contract's enum has its rank: one the enum gains fails to compile here. */
const VERIFICATION_RANK = {
  UNKNOWN: 0,
  MESSAGE_SENT: 1,
  VERIFICATION_ATTEMPT_FAILED: 2,
  INVALID: 3,
  VERIFIED: 4,
  TERMINATED: 4,
  FAILED_AUTHORIZATION: 4,
} as const satisfies Record<VerificationStatus, number>;

const DOCV_RANK = {
  MESSAGE_SENT: 1,
  FLOW_BEGUN: 2,
  CAPTURED: 3,
  PROCESSING: 4,
  VERIFIED: 5,
  FAILED: 5,
  NEEDS_RETRY: 5,
} as const satisfies Record<DocumentVerificationStatus, number>;

/** The statuses that end a step: the highest rank. */
const FINISHED_VERIFICATION: ReadonlySet<string> = new Set(
  Object.entries(VERIFICATION_RANK)
    .filter(([, rank]) => rank === VERIFICATION_RANK.VERIFIED)
    .map(([status]) => status),
);

type Progress = [finished: number, sendAttempts: number | undefined, verificationAttempts: number | undefined, rank: number | undefined];

function statusRank(method: string, data: ActionData): number | undefined {
  if (knownMethod(method) === 'DOCV') {
    const status = data.documentVerificationStatus?.toUpperCase();
    const known = DocumentVerificationStatus.safeParse(status);
    return known.success ? DOCV_RANK[known.data] : undefined;
  }
  const known = VerificationStatus.safeParse(data.verificationStatus?.toUpperCase());
  return known.success ? VERIFICATION_RANK[known.data] : undefined;
}

function isFinished(action: StrategyAction): boolean {
  if (action.status !== undefined && !isOpenAction(action)) return true;
  const data = action.data ?? {};
  if (knownMethod(action.method) === 'DOCV') return data.documentVerificationStatus?.toUpperCase() === 'VERIFIED';
  return FINISHED_VERIFICATION.has(data.verificationStatus?.toUpperCase() ?? '');
}

function progressOf(action: StrategyAction): Progress {
  const data = action.data ?? {};
  return [isFinished(action) ? 1 : 0, data.sendAttempts, data.verificationAttempts, statusRank(action.method, data)];
}

/** Negative when `left` is behind `right`, 0 when neither is known to be ahead, positive when ahead. */
export function compareProgress(left: StrategyAction, right: StrategyAction): number {
  const a = progressOf(left);
  const b = progressOf(right);
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index];
    const y = b[index];
    if (x === undefined || y === undefined || x === y) continue;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The stored action with the update's fields, unless that would move it backwards. */
export function patchAction(action: StrategyAction, patch: Partial<ActionData>): StrategyAction {
  const candidate: StrategyAction = { ...action, data: { ...action.data, ...patch } };
  return compareProgress(candidate, action) >= 0 ? candidate : action;
}

/**
 * Drops from a refresh answer the actions the session already knows to be further along, so the
 * usual merge cannot put an older picture over a newer one.
 */
export function withoutStaleActions(current: readonly StrategyAction[], incoming: readonly StrategyAction[]): StrategyAction[] {
  return incoming.filter((action) => {
    const sessionId = stepUpSessionIdOf(action);
    const counterpart =
      (sessionId === undefined ? undefined : current.find((existing) => stepUpSessionIdOf(existing) === sessionId)) ??
      current.find((existing) => sameMethod(existing.method, action.method) && isOpenAction(existing)) ??
      current.find((existing) => sameMethod(existing.method, action.method));
    return counterpart === undefined || compareProgress(action, counterpart) >= 0;
  });
}
