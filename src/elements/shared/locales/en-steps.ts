/**
 * English the step elements share and `<verification-flow>` never shows: durations, attempts
 * left, and the errors only a step meets (`StepErrorCode`). Each step element hands these to its
 * LocalizeController with its own strings, so they load with the first step rather than with the
 * entry every page pays for. Other languages' catalogues are complete.
 */
import { en, type CoreMessages, type StepErrorCode } from './en.js';

const rules = new Intl.PluralRules('en');
/** English has two plural categories, `one` and `other` (Intl.PluralRules): "1 second", "2 seconds". */
export const plural = (count: number, one: string, other: string) => `${count}\u00a0${rules.select(count) === 'one' ? one : other}`;

/** A wait as people say it: "45 seconds", "2 minutes", "4 minutes 30 seconds". */
export function duration(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  if (total < 60) return plural(total, 'second', 'seconds');
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  const minutesText = plural(minutes, 'minute', 'minutes');
  return rest === 0 ? minutesText : `${minutesText} ${plural(rest, 'second', 'seconds')}`;
}


const stepErrors = {
  bad_json: 'Something went wrong sending your answer. Please try again.',
  invalid_body: "We couldn't read your answer. Check it and try again.",
  action_mismatch: 'This step has changed. Reload the page to continue.',
  payload_too_large: 'Your answer is too long. Check it and try again.',
  unsupported_media_type: 'Something went wrong sending your answer. Please try again.',
  wrong_code: "That code isn't right.",
  code_expired: 'That code has expired. Request a new code.',
  too_many_attempts: 'Too many wrong codes.',
  resend_too_soon: 'Please wait a moment before requesting another code.',
  resend_limit_reached: "You can't request any more codes.",
  /** Too many sends to a phone number or e-mail address (`limit: 'destination'`, and an older relay's refusal). */
  send_limited: 'Too many messages were sent to these details. Try again later.',
  /** `send_limited` with `limit: 'network'`: too many verifications started from the shopper's network. */
  send_limited_network: 'Too many verifications were started from this network. Try again later.',
  wrong_answers: 'Some of your answers are not right.',
  quiz_expired: 'Time ran out for these questions.',
  retry_not_allowed: "You can't try this step again.",
  channel_unavailable: "We can't send it that way. Choose another way.",
} satisfies Record<StepErrorCode, string>;

export const stepStrings: Pick<CoreMessages, 'errorMessage' | 'duration' | 'attemptsLeft'> = {
  errorMessage: (code) => (Object.hasOwn(stepErrors, code) ? stepErrors[code as StepErrorCode] : en.errorMessage(code)),
  duration,
  attemptsLeft: (count) => `${plural(count, 'attempt', 'attempts')} left.`,
};
