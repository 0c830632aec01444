/**
 * A verification session as the relay keeps it. Kount's actions and the shopper's contact stay
 * here, on the server; the browser sees only the view built from them (`view.ts`).
 */
import * as z from 'zod/mini';
import { FinalDecision } from '../contract/browser.js';
import { ErrorCode } from '../contract/relay-api.js';
import { StrategyAction, isChallengeAction, isOpenAction, knownMethod } from '../contract/kount/index.js';

const Count = z.number().check(z.int(), z.minimum(0));
const EpochMs = z.number();

export const Contact = z.object({
  phoneNumber: z.optional(z.string()),
  email: z.optional(z.string()),
});
export type Contact = z.infer<typeof Contact>;

/**
 * An Account Protection MFA (Login v2 `mfa`, NAO v2 `verification`) finished in the page. Sessions
 * without it are Identity Proofing step-ups. It holds what the MFA calls and the Challenge Outcome
 * report need; none of it reaches the browser.
 */
export const MfaState = z.object({
  /** `mfa.ID` / `verification.ID`: resend, the passcode check and `MFA.StatusUpdate.mfaId` name it. */
  id: z.string(),
  method: z.literal(['OTP', 'OTH']),
  channel: z.literal(['SMS', 'EMAIL']),
  eventType: z.literal(['LOGIN', 'NEW_ACCOUNT_OPENING']),
  /** The decision's `x-correlation-id`, sent back as Challenge Outcome's `decisionCorrelationId`. */
  decisionCorrelationId: z.string(),
  inquiryId: z.string(),
  deviceSessionId: z.optional(z.string()),
  sentAt: EpochMs,
});
export type MfaState = z.output<typeof MfaState>;

/**
 * An answer on its way to Kount (SECURITY 14): counted before Kount is asked, so concurrent answers
 * on any number of instances cannot get past the limit. `until` lets one whose instance died go.
 */
export const AnswerInFlight = z.object({
  id: z.string(),
  until: EpochMs,
  /** SECURITY 45: the answer's keyed digest (never the answer), so an identical one waits for this one instead of asking Kount again. */
  digest: z.optional(z.string()),
});
export type AnswerInFlight = z.output<typeof AnswerInFlight>;

/**
 * How an answer in flight ended, kept briefly for the identical answers that waited for it (on any
 * instance): they answer the same, without asking Kount. No refusal: the session's view is the answer.
 */
export const SettledAnswer = z.object({
  id: z.string(),
  until: EpochMs,
  refusal: z.optional(z.object({ code: ErrorCode, message: z.string(), retryAfterSeconds: z.optional(z.number()) })),
});
export type SettledAnswer = z.output<typeof SettledAnswer>;

/** Also the shape a shared store reads back, so it is a schema rather than a bare interface. */
export const Session = z.object({
  id: z.string(),
  inquiryId: z.string(),
  authenticationId: z.string(),
  strategyName: z.optional(z.string()),
  actions: z.array(StrategyAction),
  contact: Contact,
  failedOtpAttempts: Count,
  answersInFlight: z.optional(z.array(AnswerInFlight)),
  answersSettled: z.optional(z.array(SettledAnswer)),
  resendCount: Count,
  /** When Kount last sent a code: the assessment's send, then each resend. */
  lastSendAt: EpochMs,
  /**
   * When the last message went to each channel, once the shopper changed channel: the resend
   * interval is per channel, so a change of channel is not held up by the other channel's send.
   */
  lastSendAtByChannel: z.optional(z.object({ SMS: z.optional(EpochMs), EMAIL: z.optional(EpochMs) })),
  lockedUntil: z.nullable(EpochMs),
  decision: z.nullable(FinalDecision),
  revision: Count,
  createdAt: EpochMs,
  expiresAt: EpochMs,
  /** The browser reaches the relay from another origin and sends the handle as a bearer header. */
  crossOrigin: z.boolean(),
  /** Set for an Account Protection MFA (see `MfaState`). */
  mfa: z.optional(MfaState),
  /**
   * A webhook said something changed but Kount could not be asked what (its refresh failed): from
   * this time on, the next read asks again, so the session does not wait for Kount's re-delivery.
   */
  refreshDueAt: z.optional(EpochMs),
  /** When the customer's backend confirmed the decision (`relay.confirm`): it is confirmed once. */
  confirmedAt: z.optional(EpochMs),
  /** The shop's key for that confirmation: the same key confirms again with the same answer. */
  confirmationKey: z.optional(z.string()),
  /**
   * SECURITY 37: the keyed hash of the client network that started the session (its admission's,
   * never the address), so its resends and changes of channel count against that network's
   * allowance for the destination. Absent: the "unknown" network's.
   */
  sendNetwork: z.optional(z.string()),
  /**
   * The trace the challenge started in (W3C ids, when OpenTelemetry traced the start): a webhook's
   * span links to it, so a journey that Kount ends hours later is found from its first request.
   */
  trace: z.optional(z.object({ traceId: z.string(), spanId: z.string(), flags: z.number() })),
});
export type Session = z.output<typeof Session>;

export function openActionIndex(actions: readonly StrategyAction[]): number {
  // The step Kount asks for before one in a status this version does not know (which may mean "finished").
  const challenge = actions.findIndex(isChallengeAction);
  return challenge >= 0 ? challenge : actions.findIndex(isOpenAction);
}

export function openAction(session: Session): StrategyAction | undefined {
  return session.actions[openActionIndex(session.actions)];
}

export function sameMethod(left: string, right: string): boolean {
  const known = knownMethod(left);
  return known !== undefined ? known === knownMethod(right) : left.trim().toUpperCase() === right.trim().toUpperCase();
}

/**
 * Kount may answer with the whole strategy or only the action that was acted on. Each returned
 * action replaces the stored one with the same method (the open one first); new ones are appended.
 */
export function mergeActions(current: readonly StrategyAction[], incoming: readonly StrategyAction[]): StrategyAction[] {
  const merged = [...current];
  const replaced = new Set<number>();
  for (const action of incoming) {
    const candidates = merged
      .map((existing, index) => ({ existing, index }))
      .filter(({ existing, index }) => !replaced.has(index) && sameMethod(existing.method, action.method));
    const target = candidates.find(({ existing }) => isOpenAction(existing)) ?? candidates[0];
    if (target) {
      merged[target.index] = action;
      replaced.add(target.index);
    } else {
      merged.push(action);
      replaced.add(merged.length - 1);
    }
  }
  return merged;
}

export function findAction(actions: readonly StrategyAction[], method: string): StrategyAction | undefined {
  return actions.find((action) => sameMethod(action.method, method));
}
