/** Reads Kount's answer to a verify call: what happened to the step, and the session after it. */
import type { FinalDecision } from '../contract/browser.js';
import { isOpenAction, normalizeDecision, type StrategyAction, type VerificationResponse } from '../contract/kount/index.js';
import type { Logger } from './logger.js';
import { findAction, mergeActions, openActionIndex, type Session } from './sessions.js';

export type VerificationOutcome = 'decided' | 'wrong_code' | 'code_expired' | 'progressed';

export interface AppliedVerification {
  outcome: VerificationOutcome;
  /** The session with Kount's new actions and decision; the caller adds its own counters. */
  session: Session;
}

/** `method` is the action the relay acted on, so its status tells how the answer went. */
export function applyVerification(session: Session, response: VerificationResponse, method: string, logger: Logger): AppliedVerification {
  const returnedActions = withTopLevelResult(session, response, method);
  const actions = mergeActions(session.actions, returnedActions);
  const acted = findAction(returnedActions, method)?.data;
  const verificationStatus = acted?.verificationStatus?.toUpperCase();
  const errorCode = acted?.error?.code;

  const decision = finalDecision(response.decision, verificationStatus, openActionIndex(actions) >= 0, logger);
  const updated: Session = { ...session, actions, decision };
  if (decision !== null) return { outcome: 'decided', session: updated };
  return { outcome: undecidedOutcome(verificationStatus, errorCode), session: updated };
}

/** A step Kount has not decided: an expired code, a wrong one, or news (step-up and Account Protection MFA alike). */
export function undecidedOutcome(verificationStatus: string | undefined, errorCode: string | undefined): Exclude<VerificationOutcome, 'decided'> {
  if (errorCode?.toUpperCase() === 'OTP_EXPIRED') return 'code_expired';
  if (verificationStatus?.toUpperCase() === 'VERIFICATION_ATTEMPT_FAILED') return 'wrong_code';
  return 'progressed';
}

/**
 * The returned actions, with a result reported at the top level of the answer moved into the acted
 * action's `data`, where the rest of the relay reads it. A value in the action itself wins.
 */
function withTopLevelResult(session: Session, response: VerificationResponse, method: string): StrategyAction[] {
  const returned = response.strategy?.actions ?? [];
  const { verificationStatus, remainingVerificationAttempts } = response;
  const topLevel = {
    ...(verificationStatus === undefined ? {} : { verificationStatus }),
    ...(remainingVerificationAttempts === undefined ? {} : { remainingVerificationAttempts }),
  };
  if (Object.keys(topLevel).length === 0) return returned;
  const acted = findAction(returned, method);
  if (acted) return returned.map((action) => (action === acted ? { ...action, data: { ...topLevel, ...action.data } } : action));
  // Not returned: the result is about the action the relay answered, as it is stored.
  const stored = findAction(session.actions.filter(isOpenAction), method) ?? findAction(session.actions, method);
  return stored ? [...returned, { ...stored, data: { ...stored.data, ...topLevel } }] : returned;
}

function finalDecision(raw: string, verificationStatus: string | undefined, hasOpenAction: boolean, logger: Logger): FinalDecision | null {
  // Kount ends the session as TERMINATED when attempts or resends run out: the shopper failed.
  if (verificationStatus === 'TERMINATED') return 'BLOCK';
  const decision = normalizeDecision(raw);
  switch (decision) {
    case 'ALLOW':
    case 'BLOCK':
    case 'REVIEW':
      return decision;
    case 'CHALLENGE':
      if (hasOpenAction) return null;
      logger.warn('kount.challenge_without_open_action', { decision: raw.slice(0, 40) });
      return 'REVIEW';
    case undefined:
      logger.warn('kount.unknown_decision', { decision: raw.slice(0, 40) });
      return 'REVIEW';
  }
}
