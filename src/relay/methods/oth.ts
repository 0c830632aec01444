/**
 * One-time link: nothing to answer in the page (the shopper opens the link, Kount's webhook says
 * so); a resend, or a change of channel to a contact the relay holds.
 */
import { OthStatus, type OtpChannel, type OthActionView } from '../../contract/browser.js';
import type { StrategyAction } from '../../contract/kount/index.js';
import { RelayError } from '../errors.js';
import type { ChannelChange, Limits } from '../limits.js';
import type { Session } from '../sessions.js';
import { secondsUntilIso } from '../time.js';
import type { ChallengeMethod } from './challenge-method.js';
import { maskedDestination, otpChannel } from './otp.js';
import type { Destination, StepUp } from './step-up.js';

export function othMethod(stepUp: StepUp): ChallengeMethod {
  const limits = stepUp.limits;
  return {
    name: 'OTH',
    view: (action, session, now) => buildOthView(action, session, now, limits),
    resend: (action, request, session) => {
      const current = otpChannel(action.data?.channelType, session);
      const change = request.channel === undefined || request.channel === current ? undefined : { from: current, to: request.channel };
      return stepUp.send(action, 'resend', destinationFor(change, session), change);
    },
  };
}

/**
 * A change of channel is a resend naming the new destination at the top level of the verify call;
 * the destination is the contact the relay holds, never one the browser sends.
 */
function destinationFor(change: ChannelChange | undefined, session: Session): Destination {
  if (!change) return {};
  const channel = change.to;
  const contact = channel === 'SMS' ? session.contact.phoneNumber?.trim() : session.contact.email?.trim();
  if (!contact) throw new RelayError('channel_unavailable', 'There is no contact on file for that channel.');
  return channel === 'SMS' ? { phoneNumber: contact } : { email: contact };
}

export function buildOthView(action: StrategyAction, session: Session, now: number, limits: Limits): OthActionView {
  const data = action.data ?? {};
  const channel = otpChannel(data.channelType, session);
  const status = OthStatus.safeParse(data.verificationStatus?.toUpperCase());
  const others = otherChannels(channel, session);
  return {
    method: 'OTH',
    channel,
    destination: maskedDestination(channel, session),
    status: status.success ? status.data : 'UNKNOWN',
    remainingResends: limits.remainingResends(data, session),
    resendAvailableInSeconds: limits.resendAvailableInSeconds(session, now),
    expiresInSeconds: secondsUntilIso(data.expiresAt, now),
    otherChannels: others,
    // At most one other channel: the wait before moving there (its own last send's interval).
    channelChangeAvailableInSeconds: Math.max(0, ...others.map((other) => limits.channelAvailableInSeconds(session, other, now))),
  };
}

/** The channels a one-time link can move to: the relay must hold that contact. */
export function otherChannels(current: OtpChannel, session: Session): OtpChannel[] {
  const held: OtpChannel[] = [];
  if (session.contact.phoneNumber?.trim()) held.push('SMS');
  if (session.contact.email?.trim()) held.push('EMAIL');
  return held.filter((channel) => channel !== current);
}
