/** English strings of `<docv-status>`: they travel with the element, so a page pays for them only when it uses it. */
import type { DocvStatusMessages } from '../shared/locales/en.js';
import { duration, plural } from '../shared/locales/en-steps.js';

export const docvStatusStrings: DocvStatusMessages = {
  docvSmsSent: (destination) =>
    destination
      ? `We texted a link to ${destination}. Open it on your phone to photograph your ID.`
      : 'We texted a link to your phone. Open it to photograph your ID.',
  docvScanQr: "Scan this code with your phone's camera, then follow the steps to photograph your ID.",
  docvQrLabel: 'QR code that opens the ID check on your phone',
  docvContinueHere: 'Continue on this device',
  docvOpensInNewTab: '(opens in a new tab)',
  docvLinkUnavailable: "The link isn't available. Please try again later.",
  docvStepsLabel: 'Progress',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Link sent' : 'Link ready'),
  docvStepBegun: 'Started on your phone',
  docvStepCaptured: 'ID photographed',
  docvStepProcessing: 'Checking your ID',
  docvStepDone: 'done',
  docvStatus: {
    SENT: 'Waiting for you to open the link on your phone.',
    BEGUN: "You've opened the link. Follow the steps on your phone.",
    CAPTURED: 'We have the photos of your ID.',
    PROCESSING: 'Checking your ID. This can take a minute.',
    VERIFIED: "We've checked your ID.",
    FAILED: "We couldn't verify your ID.",
    NEEDS_RETRY: "We couldn't read your ID. Try again with a clear, well-lit photo.",
  },
  docvRetrying: 'Starting again…',
  docvRetriesLeft: (count) => `${plural(count, 'try', 'tries')} left.`,
  docvOffline: "You're offline. This will update when you're back online.",
  docvRetryIn: (seconds) => `You can try again in ${duration(seconds)}.`,
  docvRetryReady: 'You can try again now.',
  docvStepFailed: 'not passed',
  docvResend: 'Text me a new link',
  docvResending: 'Sending…',
  docvResendIn: (seconds) => `You can ask for a new link in ${duration(seconds)}.`,
  docvResendReady: 'You can ask for a new link now.',
  docvResent: (destination) =>
    destination ? `We texted a new link to ${destination}. Only the newest link works.` : 'We texted you a new link. Only the newest link works.',
};
