/**
 * A resend, a change of channel or a DocV retry: one send through Identity Proofing's verify call,
 * counted before Kount is asked and never given back (SECURITY 15). Failed attempts and a lockout
 * carry over: a new code is not a new set of guesses.
 */
import type { OtpChannel } from '../../contract/browser.js';
import type { StrategyAction, VerificationResponse } from '../../contract/kount/index.js';
import type { Destination } from '../channels.js';
import type { ChannelChange } from '../limits.js';
import type { MethodDependencies, Operation, Settlement } from './challenge-method.js';

export interface Send {
  kind: 'resend' | 'retry';
  /** The channel the message goes out on (null: shown in the page, nothing to count). */
  sends: OtpChannel | null;
  /** A change of channel: the contact named in the verify call, and the channels for the per-channel interval. */
  change?: { destination: Destination; channels: ChannelChange };
}

export function sendOperation({ stepUp, limits }: MethodDependencies, action: StrategyAction, send: Send): Operation<VerificationResponse> {
  const destination = send.change?.destination ?? {};
  return {
    kind: send.kind,
    sends: send.sends,
    reserve: (session, now) => limits.reserveSend(session, action, now, send.change?.channels),
    call: (reserved) => stepUp.verify(reserved, action, { resend: true }, destination),
    settle: (session, response): Settlement => ({
      session: stepUp.apply(session, response, action.method).session,
      outcome: 'sent',
      log: { channelChanged: send.change !== undefined, resendCount: session.resendCount },
    }),
  };
}
