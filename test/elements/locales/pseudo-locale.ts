/**
 * A pseudo-locale built from the English catalogue: every letter accented and every string about
 * 40 % longer, in brackets. Rendered in it, text that is still plain English was hard-coded, and
 * text cut off or overflowing its box will be cut off in German or Polish too.
 */
import { stepStrings } from '../../../src/elements/shared/locales/en-steps.js';
import { messagesFor, type MessageOverrides, type Messages } from '../../../src/elements/shared/localize.js';
import { docvStatusStrings } from '../../../src/elements/docv-status/docv-status.strings.js';
import { kbaQuizStrings } from '../../../src/elements/kba-quiz/kba-quiz.strings.js';
import { othWaitingStrings } from '../../../src/elements/oth-waiting/oth-waiting.strings.js';
import { otpEntryStrings } from '../../../src/elements/otp-entry/otp-entry.strings.js';

/** Android's tag for accented English: a valid language tag (axe checks `lang`) no page uses. */
export const PSEUDO_LOCALE = 'en-XA';

const ACCENTED: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter, index) => [letter, [...'àƀçđéƒĝĥíĵķĺɱñöþǫŕšţüṽŵẋýžÀƁÇĐÉƑĜĤÍĴĶĹṀÑÖÞǪŔŠŢÜṼŴẊÝŽ'][index]!]),
);

/** Accents the letters outside isolates (contacts stay as they are) and pads the text by 40 %. */
export function pseudo(text: string): string {
  let isolated = 0;
  let out = '';
  for (const char of text) {
    if (char === '\u2066') isolated++;
    if (char === '\u2069') isolated--;
    out += isolated > 0 ? char : (ACCENTED[char] ?? char);
  }
  // In words of five, so the padding wraps as real text would.
  const padding = '~'.repeat(Math.ceil(text.length * 0.4)).replace(/(.{5})(?=.)/g, '$1 ');
  return `[${out}${padding ? ` ${padding}` : ''}]`;
}

type AnyFunction = (...args: never[]) => unknown;

function pseudoValue(value: unknown): unknown {
  if (typeof value === 'string') return pseudo(value);
  if (typeof value === 'function') {
    return (...args: unknown[]) => {
      const result = (value as (...args: unknown[]) => unknown)(...args);
      return typeof result === 'string' ? pseudo(result) : result;
    };
  }
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, pseudoValue(entry)]));
  return value;
}

/** Every key of the suite, pseudo-localized. */
export function pseudoMessages(): MessageOverrides {
  const english = messagesFor('en', undefined, { ...stepStrings, ...otpEntryStrings, ...kbaQuizStrings, ...othWaitingStrings, ...docvStatusStrings });
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(english as Messages)) result[key] = pseudoValue(value as AnyFunction | string);
  return result as MessageOverrides;
}
