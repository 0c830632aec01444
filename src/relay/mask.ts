/** Masked contact details for the view: enough for the shopper to recognise, too little to harvest. */

/** E.164 country codes are prefix-free: these are the one- and two-digit ones, every other is three. */
const ONE_DIGIT_COUNTRY_CODES = new Set(['1', '7']);
const TWO_DIGIT_COUNTRY_CODES = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);

function countryCodeOf(digits: string): string {
  if (ONE_DIGIT_COUNTRY_CODES.has(digits.slice(0, 1))) return digits.slice(0, 1);
  if (TWO_DIGIT_COUNTRY_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/**
 * `+1 *** *** 4567`: the country code and the last four digits. The masked groups have a fixed
 * width so the number's length is not revealed; short numbers show fewer digits.
 */
export function maskPhoneNumber(phoneNumber: string): string {
  const international = phoneNumber.trim().startsWith('+');
  const digits = phoneNumber.replace(/\D/g, '');
  const countryCode = international ? countryCodeOf(digits) : '';
  const national = digits.slice(countryCode.length);
  const visible = national.length >= 7 ? 4 : national.length >= 5 ? 2 : 0;
  const tail = visible > 0 ? national.slice(-visible) : '****';
  return `${countryCode ? `+${countryCode} ` : ''}*** *** ${tail}`;
}

/** `o***@example.com`: the first character of the local part and the whole domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return '***';
  return `${email.slice(0, 1)}***@${email.slice(at + 1)}`;
}
