import { randomUUID } from 'node:crypto';
import type { Clock } from './defaults.js';

export type MessageChannel = 'SMS' | 'EMAIL';

/**
 * A text message or e-mail the sandbox "sent". It holds the code or link in clear: the inbox is a
 * test tool. A message carries a passcode (`code`, OTP) or a one-time link (`link`, OTH and DocV).
 */
export interface SentMessage {
  readonly id: string;
  readonly channel: MessageChannel;
  readonly to: string;
  readonly body: string;
  readonly code?: string;
  readonly link?: string;
  readonly sentAt: string;
  readonly authenticationId: string;
}

export type OutgoingMessage = Omit<SentMessage, 'id' | 'sentAt'>;

/** Read access for tests and tools; sending happens only through the verification cases. */
export interface SentMessages {
  /** Newest first; `to` matches phone numbers by their digits and e-mails case-insensitively. */
  list(to?: string): readonly SentMessage[];
  latest(to?: string): SentMessage | undefined;
}

/** Enough history for any test run or demo session, without growing forever in a long-lived demo. */
const MAX_KEPT_MESSAGES = 500;

export function normalizeDestination(destination: string): string {
  const trimmed = destination.trim().toLowerCase();
  // `+` in a query string arrives as a space, and people type phone numbers with separators.
  return trimmed.includes('@') ? trimmed : trimmed.replace(/\D/g, '');
}

export class Outbox implements SentMessages {
  readonly #now: Clock;
  #messages: SentMessage[] = [];

  constructor(now: Clock) {
    this.#now = now;
  }

  send(message: OutgoingMessage): SentMessage {
    const sent: SentMessage = { ...message, id: randomUUID(), sentAt: new Date(this.#now()).toISOString() };
    this.#messages.unshift(sent);
    this.#messages.length = Math.min(this.#messages.length, MAX_KEPT_MESSAGES);
    return sent;
  }

  list(to?: string): readonly SentMessage[] {
    if (to === undefined || to.trim() === '') return [...this.#messages];
    const wanted = normalizeDestination(to);
    return this.#messages.filter((message) => normalizeDestination(message.to) === wanted);
  }

  latest(to?: string): SentMessage | undefined {
    return this.list(to)[0];
  }

  clear(): void {
    this.#messages = [];
  }
}
