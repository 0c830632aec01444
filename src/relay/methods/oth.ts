/**
 * One-time link: nothing to answer in the page (the shopper opens the link, Kount's webhook says
 * so); a resend, or a change of channel to a contact the relay holds.
 */
import { OthStatus, type OthActionView } from '../../contract/browser.js';
import type { StrategyAction } from '../../contract/kount/index.js';
import { destinationFor, maskedDestination, otherChannels, otpChannel } from '../channels.js';
import type { Limits } from '../limits.js';
import type { Session } from '../sessions.js';
import { secondsUntilIso } from '../time.js';
import type { ChallengeMethod, MethodDependencies } from './challenge-method.js';
import { sendOperation } from './send.js';

export function othMethod(dependencies: MethodDependencies): ChallengeMethod {
  const { limits } = dependencies;
  return {
    name: 'OTH',
    view: (action, session, now) => buildOthView(action, session, now, limits),
    firstSend: (action, session) => otpChannel(action.data?.channelType, session),
    resend: (action, request, session) => {
      const current = otpChannel(action.data?.channelType, session);
      if (request.channel === undefined || request.channel === current) return sendOperation(dependencies, action, { kind: 'resend', sends: current });
      // A change of channel names the new destination in the verify call: the contact the relay holds, never one the browser sends.
      const to = request.channel;
      return sendOperation(dependencies, action, { kind: 'resend', sends: to, change: { destination: destinationFor(to, session), channels: { from: current, to } } });
    },
  };
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
