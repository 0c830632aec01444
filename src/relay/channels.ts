/**
 * The shopper's two channels, SMS and e-mail: which one Kount used, where a message goes and how
 * the page shows it. The contacts stay on the server; the browser sees them masked.
 */
import type { OtpChannel } from '../contract/browser.js';
import { RelayError } from './errors.js';
import { normalizeEmail, toE164 } from './phone-number.js';
import type { Contact, Session } from './sessions.js';

/** Where a send goes when it changes channel: the contact the relay holds, never one the browser sent. */
export type Destination = { phoneNumber?: string; email?: string };

/** Kount names the channel in `channelType` (`SMS_OTP`, `EMAIL_NONCE_OTH`, ...). */
export function otpChannel(channelType: string | undefined, session: Pick<Session, 'contact'>): OtpChannel {
  switch (channelType?.toUpperCase()) {
    case 'EMAIL_OTP':
    case 'EMAIL_NONCE_OTH':
      return 'EMAIL';
    case 'SMS_OTP':
    case 'SMS_NONCE_OTH':
      return 'SMS';
    default:
      // Kount did not say; the contact we hold tells which one it can have used.
      return session.contact.phoneNumber === undefined && session.contact.email !== undefined ? 'EMAIL' : 'SMS';
  }
}

export function maskedDestination(channel: OtpChannel, session: Pick<Session, 'contact'>): string {
  const { phoneNumber, email } = session.contact;
  if (channel === 'EMAIL') return email ? maskEmail(email) : '';
  return phoneNumber ? maskPhoneNumber(phoneNumber) : '';
}

/** The channels a one-time link can move to: the relay must hold that contact. */
export function otherChannels(current: OtpChannel, session: Pick<Session, 'contact'>): OtpChannel[] {
  const held: OtpChannel[] = [];
  if (session.contact.phoneNumber?.trim()) held.push('SMS');
  if (session.contact.email?.trim()) held.push('EMAIL');
  return held.filter((channel) => channel !== current);
}

/** The contact the relay holds for `channel`, as the verify call names a new destination. */
export function destinationFor(channel: OtpChannel, session: Pick<Session, 'contact'>): Destination {
  const contact = channel === 'SMS' ? session.contact.phoneNumber?.trim() : session.contact.email?.trim();
  if (!contact) throw new RelayError('channel_unavailable', 'There is no contact on file for that channel.');
  return channel === 'SMS' ? { phoneNumber: contact } : { email: contact };
}

/**
 * The address counted for a channel, in the one spelling it is sent in (SECURITY 40): an E.164
 * number (`defaultCountryCallingCode` for one written without `+` or `00`), a trimmed, lower-case
 * e-mail address.
 */
export function addressFor(channel: OtpChannel, contact: Contact, defaultCountryCallingCode: string): string | undefined {
  if (channel === 'SMS') return contact.phoneNumber === undefined ? undefined : toE164(contact.phoneNumber, defaultCountryCallingCode);
  return contact.email === undefined ? undefined : normalizeEmail(contact.email);
}

/**
 * The contact as the relay keeps and sends it: each address in the spelling it is counted in, so a
 * session's sends (a change of channel names the held contact) go where its allowance was counted.
 * Fields that are not strings are left for the start's own check to refuse.
 */
export function normalizedContact<Given extends Contact>(contact: Given, defaultCountryCallingCode: string): Given {
  if (typeof contact !== 'object' || contact === null) return contact;
  const { phoneNumber, email } = contact;
  return {
    ...contact,
    ...(typeof phoneNumber === 'string' ? { phoneNumber: toE164(phoneNumber, defaultCountryCallingCode) ?? phoneNumber } : {}),
    ...(typeof email === 'string' ? { email: normalizeEmail(email) ?? email } : {}),
  };
}

// Masked contact details: enough for the shopper to recognise, too little to harvest.

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
