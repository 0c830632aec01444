/**
 * Limits across sessions, against SMS and e-mail pumping: sends to one destination (a phone number
 * or an e-mail address) per hour and per day, and challenges started per client IP per hour. The
 * per-session caps (`Limits`) do not stop an attacker who starts many sessions for one number;
 * these do, and they hold on every instance because the counters live in the store.
 *
 * Destinations are counted under a keyed hash, so the store never holds a contact in the clear
 * and the log line of a refusal shows it masked. A take for a send that did not happen (the
 * decision was not a challenge, the session's own limits refused the resend) is given back.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { OtpChannel } from '../contract/browser.js';
import type { RelayConfig } from './config.js';
import { RelayError } from './errors.js';
import type { Logger } from './logger.js';
import { addressFor, maskEmail, maskPhoneNumber } from './channels.js';
import type { Contact } from './sessions.js';
import type { Quota, SessionStore } from './store/index.js';

export type SendLimitSettings = Pick<RelayConfig, 'sessionSecret' | 'sendsPerDestinationPerHour' | 'sendsPerDestinationPerDay' | 'challengesPerClientIpPerHour'>;

const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 86_400;

/** What the customer's backend tells the relay before it asks Kount for a decision that may send a code. */
export interface ChallengeRequest {
  /** The shopper's IP address as the shop sees it (behind a proxy: the client's, not the proxy's). */
  clientIp?: string;
  /** Where Kount may send the code or link: every contact the shop will pass to Kount. */
  contact: Contact;
}

/**
 * The counts taken for a challenge about to start. Pass it to `startChallenge` / `startMfaChallenge`,
 * which keep the send that went out and give the rest back; or `release()` it when no challenge
 * started (the decision was ALLOW, BLOCK or REVIEW, or the call to Kount failed before it answered).
 */
export class ChallengeAdmission {
  readonly #limits: SendLimits;
  readonly #startKeys: readonly string[];
  #destinationKeys: Partial<Record<OtpChannel, readonly string[]>>;
  #settled = false;

  constructor(limits: SendLimits, startKeys: readonly string[], destinationKeys: Partial<Record<OtpChannel, readonly string[]>>) {
    this.#limits = limits;
    this.#startKeys = startKeys;
    this.#destinationKeys = destinationKeys;
  }

  /** The counters this admission holds, for sealing it into a token the admin API hands out. */
  get keys(): { start: readonly string[]; destinations: Partial<Record<OtpChannel, readonly string[]>> } {
    return { start: this.#startKeys, destinations: this.#destinationKeys };
  }

  /** No challenge started: every count taken is given back. Once; later calls do nothing. */
  async release(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    await this.#limits.giveBack([...this.#startKeys, ...Object.values(this.#destinationKeys).flat()]);
  }

  /** A challenge started and sent on `channel` (null: nothing was sent, e.g. questions): the other destinations are given back. */
  async keep(channel: OtpChannel | null): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    const unused = (Object.keys(this.#destinationKeys) as OtpChannel[]).filter((name) => name !== channel);
    await this.#limits.giveBack(unused.flatMap((name) => this.#destinationKeys[name] ?? []));
  }
}

export class SendLimits {
  readonly #settings: SendLimitSettings;
  readonly #store: SessionStore;
  readonly #logger: Logger;
  readonly #hashKey: Buffer;

  constructor(settings: SendLimitSettings, store: SessionStore, logger: Logger) {
    this.#settings = settings;
    this.#store = store;
    this.#logger = logger;
    const [secret] = settings.sessionSecret;
    this.#hashKey = Buffer.from(hkdfSync('sha256', secret ?? '', 'k360-verify/send-limits', 'destination-key/v1', 32));
  }

  /**
   * Before the decision that may send: one challenge for the client IP, one send for each contact
   * Kount may use. Refused as a whole (`429 send_limited`, nothing counted) when any limit is used up.
   */
  async admit(request: ChallengeRequest): Promise<ChallengeAdmission> {
    const startQuotas = request.clientIp?.trim() ? [this.#startQuota(request.clientIp.trim())] : [];
    const destinations = (['SMS', 'EMAIL'] as const).flatMap((channel) => {
      const address = addressFor(channel, request.contact);
      return address === undefined ? [] : [{ channel, address, quotas: this.#destinationQuotas(channel, address) }];
    });
    await this.#take([...startQuotas, ...destinations.flatMap((destination) => destination.quotas)], (key) => {
      const destination = destinations.find((candidate) => candidate.quotas.some((quota) => quota.key === key));
      return destination === undefined ? { limit: 'challenges_per_client_ip' } : describe(destination.channel, destination.address, key);
    });
    return new ChallengeAdmission(
      this,
      startQuotas.map((quota) => quota.key),
      Object.fromEntries(destinations.map(({ channel, quotas }) => [channel, quotas.map((quota) => quota.key)])),
    );
  }

  /**
   * A send the session's own limits already allowed (a resend, a DocV retry, a change of channel):
   * counted for its destination, or refused with `429 send_limited`. Without a contact the relay
   * holds for that channel there is nothing to count by, and only the session's limits apply.
   */
  async takeSend(channel: OtpChannel, contact: Contact): Promise<void> {
    const address = addressFor(channel, contact);
    if (address === undefined) return;
    await this.#take(this.#destinationQuotas(channel, address), (key) => describe(channel, address, key));
  }

  /** The first send of a challenge started without an admission: counted, never refused (it went out with the decision). */
  async countSent(channel: OtpChannel | null, contact: Contact): Promise<void> {
    const address = channel === null ? undefined : addressFor(channel, contact);
    if (channel === null || address === undefined) return;
    await this.#store.takeQuota(this.#destinationQuotas(channel, address));
  }

  async giveBack(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.#store.returnQuota(keys);
  }

  async #take(quotas: readonly Quota[], describeKey: (key: string) => { limit: string; channel?: OtpChannel; destination?: string }): Promise<void> {
    if (quotas.length === 0) return;
    const answer = await this.#store.takeQuota(quotas);
    if (answer.taken) return;
    const refused = describeKey(answer.key);
    this.#logger.warn('relay.send_limited', { ...refused, retryAfterSeconds: answer.retryAfterSeconds });
    throw new RelayError('send_limited', refusalMessage(refused.channel, answer.retryAfterSeconds), { retryAfterSeconds: answer.retryAfterSeconds });
  }

  #destinationQuotas(channel: OtpChannel, address: string): Quota[] {
    const id = createHmac('sha256', this.#hashKey).update(`${channel}\0${address}`).digest('base64url');
    return [
      { key: `send:${id}:hour`, limit: this.#settings.sendsPerDestinationPerHour, windowSeconds: HOUR_SECONDS },
      { key: `send:${id}:day`, limit: this.#settings.sendsPerDestinationPerDay, windowSeconds: DAY_SECONDS },
    ];
  }

  #startQuota(clientIp: string): Quota {
    const id = createHmac('sha256', this.#hashKey).update(`ip\0${clientIp.toLowerCase()}`).digest('base64url');
    return { key: `start:${id}:hour`, limit: this.#settings.challengesPerClientIpPerHour, windowSeconds: HOUR_SECONDS };
  }
}

function describe(channel: OtpChannel, address: string, key: string): { limit: string; channel: OtpChannel; destination: string } {
  return {
    limit: key.endsWith(':day') ? 'sends_per_destination_per_day' : 'sends_per_destination_per_hour',
    channel,
    destination: channel === 'SMS' ? maskPhoneNumber(address) : maskEmail(address),
  };
}

function refusalMessage(channel: OtpChannel | undefined, retryAfterSeconds: number): string {
  const wait = retryAfterSeconds >= 5_400 ? `${Math.round(retryAfterSeconds / 3_600)} hours` : retryAfterSeconds >= 90 ? `${Math.round(retryAfterSeconds / 60)} minutes` : `${retryAfterSeconds} seconds`;
  if (channel === undefined) return `Too many verifications were started from this network. Try again in ${wait}.`;
  return `Too many verification messages were sent to this ${channel === 'SMS' ? 'phone number' : 'e-mail address'}. Try again in ${wait}.`;
}
