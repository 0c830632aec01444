/** English strings of `<oth-waiting>`: they travel with the element, so a page pays for them only when it uses it. */
import type { OthWaitingMessages } from '../shared/locales/en.js';
import { duration, plural } from '../shared/locales/en-steps.js';

export const othWaitingStrings: OthWaitingMessages = {
  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `We emailed a link to ${destination}.` : `We texted a link to ${destination}.`,
  othInstructions: 'Open the link on any device to continue.',
  othStatus: {
    MESSAGE_SENT: 'Waiting for you to open the link…',
    VERIFIED: 'Link confirmed. Finishing…',
    TERMINATED: 'This link was cancelled.',
    FAILED_AUTHORIZATION: "We couldn't confirm it was you with this link.",
    VERIFICATION_ATTEMPT_FAILED: "That link didn't work.",
    INVALID: 'This link is no longer valid.',
    UNKNOWN: 'Checking the link…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Send a new link to try again.' : "We can't send any more links. Please start again.",
  othResend: 'Send a new link',
  othResendSending: 'Sending a new link…',
  othResendIn: (seconds) => `You can request a new link in ${duration(seconds)}.`,
  othResendSent: (channel, destination) =>
    `We ${channel === 'EMAIL' ? 'emailed' : 'texted'} a new link to ${destination}. Only the newest link works.`,
  othResendReady: 'You can request a new link now.',
  othNoResendsLeft: "You can't request any more links.",
  othLinksLeft: (count) => `${plural(count, 'new link', 'new links')} left.`,
  othSendBy: (channel) => (channel === 'EMAIL' ? 'Send it by email instead' : 'Send it by text message instead'),
  othExpiresIn: (seconds) => `The link expires in ${duration(seconds)}.`,
  othExpired: 'This link has expired.',
  othOffline: "You're offline. We'll check again when you're back online.",
  othBackOnline: "You're back online.",
};
