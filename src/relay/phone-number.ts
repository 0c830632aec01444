/**
 * One spelling per phone number (SECURITY 40): E.164, `+` and digits, before a number is counted
 * against the send limits and before it is sent to Kount, so `+1 555 123 4567`, `15551234567`,
 * `(555) 123-4567` and `001 555 123 4567` are one destination with one allowance.
 */

/** `RELAY_DEFAULT_COUNTRY_CALLING_CODE`'s default: the North American numbering plan. */
export const DEFAULT_COUNTRY_CALLING_CODE = '1';

/** The North American plan dials abroad with `011` rather than `00`. */
const NORTH_AMERICAN_INTERNATIONAL_PREFIX = '011';

/**
 * Nationally written numbers are at most 10 digits in most numbering plans (the North American
 * plan's always are), so 11 or more digits starting with the default country calling code already
 * carry it.
 */
const LONGEST_NATIONAL_DIGITS = 10;

/**
 * The number in E.164, or undefined when nothing of a number is left. Separators (spaces, dots,
 * dashes, brackets, slashes) are dropped; a leading `00` (with the default code 1, also `011`) is
 * the international prefix (`+`);
 * otherwise a number without `+` is national: a trunk `0` is dropped and `defaultCountryCallingCode`
 * put in front, unless it already starts with that code and is longer than a national number.
 * Whether the result is a number that exists is Kount's to say; here it only gets one spelling.
 */
export function toE164(phoneNumber: string, defaultCountryCallingCode: string): string | undefined {
  const written = phoneNumber.trim();
  const digits = written.replace(/\D/g, '');
  if (digits === '') return undefined;
  if (written.startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (defaultCountryCallingCode === '1' && digits.startsWith(NORTH_AMERICAN_INTERNATIONAL_PREFIX)) return `+${digits.slice(NORTH_AMERICAN_INTERNATIONAL_PREFIX.length)}`;
  if (digits.startsWith(defaultCountryCallingCode) && digits.length > LONGEST_NATIONAL_DIGITS) return `+${digits}`;
  const national = digits.startsWith('0') ? digits.slice(1) : digits;
  return `+${defaultCountryCallingCode}${national}`;
}

/** One spelling per e-mail address: trimmed and lower-cased; undefined when empty. */
export function normalizeEmail(email: string): string | undefined {
  const normalized = email.trim().toLowerCase();
  return normalized === '' ? undefined : normalized;
}
