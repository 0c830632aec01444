/**
 * The shopper's two channels, SMS and e-mail: which one Kount used, where a message goes and how
 * the page shows it. The contacts stay on the server; the browser sees them masked.
 */
import type { OtpChannel } from '../contract/browser.js';
import { RelayError } from './errors.js';
import { maskEmail, maskPhoneNumber } from './mask.js';
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

/** The address counted for a channel, in one spelling: digits (and a leading +) of a number, a lower-case e-mail. */
export function addressFor(channel: OtpChannel, contact: Contact): string | undefined {
  if (channel === 'SMS') {
    const digits = contact.phoneNumber?.replace(/[^\d+]/g, '');
    return digits ? digits : undefined;
  }
  const email = contact.email?.trim().toLowerCase();
  return email ? email : undefined;
}
