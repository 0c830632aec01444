/** Reads Kount's answer to a verify call: what happened to the step, and the session after it. */
import type { FinalDecision } from '../contract/browser.js';
import { normalizeDecision, type VerificationResponse } from '../contract/kount/index.js';
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
  const returnedActions = response.strategy?.actions ?? [];
  const actions = mergeActions(session.actions, returnedActions);
  const acted = findAction(returnedActions, method)?.data;
  const verificationStatus = acted?.verificationStatus?.toUpperCase();
  const errorCode = acted?.error?.code?.toUpperCase();

  const decision = finalDecision(response.decision, verificationStatus, openActionIndex(actions) >= 0, logger);
  const updated: Session = { ...session, actions, decision };
  if (decision !== null) return { outcome: 'decided', session: updated };
  if (errorCode === 'OTP_EXPIRED') return { outcome: 'code_expired', session: updated };
  if (verificationStatus === 'VERIFICATION_ATTEMPT_FAILED') return { outcome: 'wrong_code', session: updated };
  return { outcome: 'progressed', session: updated };
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
