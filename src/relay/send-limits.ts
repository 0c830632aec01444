/**
 * Limits across sessions, against SMS and e-mail pumping, that an attacker cannot turn against a
 * victim (SECURITY 31, 37). Sends to one destination (a phone number or an e-mail address) are
 * counted per requesting network (the client's IPv4 address or IPv6 /64; starts without a client
 * address share one "unknown" network), per hour and per day: an attacker who uses up their
 * allowance for a victim's number has used up only their own network's, and the victim's own start
 * from elsewhere still sends its code. Over all networks, a larger hard cap per destination and day
 * bounds pumping from many networks; it is logged from 80 % of it, and at each refusal. Challenges
 * started per client network per hour are counted too. The counters live in the store, so they
 * hold on every instance.
 *
 * Destinations and networks are counted under keyed hashes, in one spelling each (E.164 numbers,
 * lower-case e-mail addresses, canonical networks), so the store never holds a contact or an
 * address in the clear and no spelling gets a second allowance; a log line shows the destination
 * masked. A take for a send that did not happen (the decision was not a challenge, the session's
 * own limits refused the resend) is given back.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { OtpChannel } from '../contract/browser.js';
import type { RelayConfig } from './config.js';
import { RelayError } from './errors.js';
import type { Logger } from './logger.js';
import { addressFor, maskEmail, maskPhoneNumber } from './channels.js';
import { clientNetwork } from './client-address.js';
import { DEFAULT_COUNTRY_CALLING_CODE } from './phone-number.js';
import type { Contact } from './sessions.js';
import type { Quota, SessionStore } from './store/index.js';

export type SendLimitSettings = Pick<RelayConfig, 'sessionSecret' | 'sendsPerDestinationPerHour' | 'sendsPerDestinationPerDay' | 'challengesPerClientIpPerHour'> &
  Partial<Pick<RelayConfig, 'sendsPerDestinationHardCapPerDay' | 'defaultCountryCallingCode'>>;

/** The hard cap when none is configured: a few networks' day allowances. */
const HARD_CAP_PER_DAY_ALLOWANCES = 3;

const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 86_400;

/** From this share of the hard cap on, each send to the destination is logged: pumping, or a victim's number being locked, shows before it is refused. */
const HARD_CAP_WARNING_SHARE = 0.8;

/** Where sends are counted when the shop passed no client address (and a session started without an admission resends). */
const UNKNOWN_NETWORK = 'unknown';

/** What the customer's backend tells the relay before it asks Kount for a decision that may send a code. */
export interface ChallengeRequest {
  /**
   * The shopper's IP address (behind a proxy: the client's, not the proxy's; `relay.clientAddress`
   * derives it). Counted by network: an IPv4 address, or the IPv6 /64 it is in.
   */
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
  readonly #network: string;
  #settled = false;

  constructor(limits: SendLimits, startKeys: readonly string[], destinationKeys: Partial<Record<OtpChannel, readonly string[]>>, network: string = UNKNOWN_NETWORK) {
    this.#limits = limits;
    this.#startKeys = startKeys;
    this.#destinationKeys = destinationKeys;
    this.#network = network;
  }

  /** The counters this admission holds, for sealing it into a token the admin API hands out. */
  get keys(): { start: readonly string[]; destinations: Partial<Record<OtpChannel, readonly string[]>> } {
    return { start: this.#startKeys, destinations: this.#destinationKeys };
  }

  /**
   * The requesting network as a keyed hash (never the address): the session keeps it, so its
   * resends and changes of channel count against the network that started it (`SendLimits.takeSend`).
   */
  get network(): string {
    return this.#network;
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

/** One destination's counters for one send: per network, the hard cap over all networks, and the counter that says the cap is near. */
interface DestinationQuotas {
  channel: OtpChannel;
  address: string;
  quotas: Quota[];
  /** Taken while the destination is below the warning share of its hard cap; refused from there on. */
  watch: Quota;
}

type Refusal = { limit: string; channel?: OtpChannel; destination?: string };

export class SendLimits {
  readonly #settings: Required<SendLimitSettings>;
  readonly #store: SessionStore;
  readonly #logger: Logger;
  readonly #hashKey: Buffer;

  constructor(settings: SendLimitSettings, store: SessionStore, logger: Logger) {
    this.#settings = {
      ...settings,
      sendsPerDestinationHardCapPerDay: settings.sendsPerDestinationHardCapPerDay ?? HARD_CAP_PER_DAY_ALLOWANCES * settings.sendsPerDestinationPerDay,
      defaultCountryCallingCode: settings.defaultCountryCallingCode ?? DEFAULT_COUNTRY_CALLING_CODE,
    };
    this.#store = store;
    this.#logger = logger;
    const [secret] = settings.sessionSecret;
    this.#hashKey = Buffer.from(hkdfSync('sha256', secret ?? '', 'k360-verify/send-limits', 'destination-key/v1', 32));
  }

  /**
   * Before the decision that may send: one challenge for the client network, one send for each
   * contact Kount may use, from that network and over all networks. Refused as a whole (`429
   * send_limited`, nothing counted) when any limit is used up.
   */
  async admit(request: ChallengeRequest): Promise<ChallengeAdmission> {
    const clientIp = request.clientIp?.trim();
    const network = clientIp ? this.networkOf(clientIp) : UNKNOWN_NETWORK;
    const startQuotas = clientIp ? [this.#startQuota(clientIp)] : [];
    const destinations = (['SMS', 'EMAIL'] as const).flatMap((channel) => {
      const address = addressFor(channel, request.contact, this.#settings.defaultCountryCallingCode);
      return address === undefined ? [] : [this.#destinationQuotas(channel, address, network)];
    });
    const taken = await this.#take(startQuotas, destinations);
    return new ChallengeAdmission(
      this,
      startQuotas.map((quota) => quota.key),
      Object.fromEntries(destinations.map(({ channel, quotas, watch }) => [channel, [...quotas, watch].map((quota) => quota.key).filter((key) => taken.has(key))])),
      network,
    );
  }

  /**
   * A send the session's own limits already allowed (a resend, a DocV retry, a change of channel):
   * counted for its destination against the network that started the session (`network`, the
   * admission's; without one, the unknown network) and the hard cap, or refused with `429
   * send_limited`. Without a contact the relay holds for that channel there is nothing to count
   * by, and only the session's limits apply.
   */
  async takeSend(channel: OtpChannel, contact: Contact, network: string = UNKNOWN_NETWORK): Promise<void> {
    const address = addressFor(channel, contact, this.#settings.defaultCountryCallingCode);
    if (address === undefined) return;
    await this.#take([], [this.#destinationQuotas(channel, address, network)]);
  }

  /** The first send of a challenge started without an admission: counted, never refused (it went out with the decision). */
  async countSent(channel: OtpChannel | null, contact: Contact, network: string = UNKNOWN_NETWORK): Promise<void> {
    const address = channel === null ? undefined : addressFor(channel, contact, this.#settings.defaultCountryCallingCode);
    if (channel === null || address === undefined) return;
    await this.#store.takeQuota(this.#destinationQuotas(channel, address, network).quotas);
  }

  async giveBack(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.#store.returnQuota(keys);
  }

  /** The keyed hash a client address is counted under: its network (IPv4 address, IPv6 /64) in one spelling. */
  networkOf(clientIp: string): string {
    return this.#hash(`net\0${clientNetworkText(clientIp)}`).slice(0, 22);
  }

  /**
   * Takes every quota, or none and throws `send_limited`. A destination's watch counter that is
   * full only means its hard cap is near: that is logged, and the take goes on without it.
   */
  async #take(startQuotas: readonly Quota[], destinations: readonly DestinationQuotas[]): Promise<ReadonlySet<string>> {
    let watched = destinations;
    for (;;) {
      const quotas = [...startQuotas, ...destinations.flatMap((destination) => destination.quotas), ...watched.map((destination) => destination.watch)];
      if (quotas.length === 0) return new Set();
      const answer = await this.#store.takeQuota(quotas);
      if (answer.taken) return new Set(quotas.map((quota) => quota.key));
      const nearCap = watched.find((destination) => destination.watch.key === answer.key);
      if (nearCap !== undefined) {
        this.#logger.warn('relay.send_cap_near', { channel: nearCap.channel, destination: masked(nearCap.channel, nearCap.address), hardCapPerDay: this.#settings.sendsPerDestinationHardCapPerDay });
        watched = watched.filter((destination) => destination !== nearCap);
        continue;
      }
      const destination = destinations.find((candidate) => candidate.quotas.some((quota) => quota.key === answer.key));
      const refused: Refusal = destination === undefined ? { limit: 'challenges_per_client_ip' } : describe(destination.channel, destination.address, answer.key);
      this.#logger.warn('relay.send_limited', { ...refused, retryAfterSeconds: answer.retryAfterSeconds });
      throw new RelayError('send_limited', refusalMessage(refused, answer.retryAfterSeconds), {
        retryAfterSeconds: answer.retryAfterSeconds,
        // Machine-readable for the shop and the page: new details help with a destination's limit, not with the network's.
        limit: refused.channel === undefined ? 'network' : 'destination',
      });
    }
  }

  #destinationQuotas(channel: OtpChannel, address: string, network: string): DestinationQuotas {
    const id = this.#hash(`${channel}\0${address}`);
    const hardCap = this.#settings.sendsPerDestinationHardCapPerDay;
    return {
      channel,
      address,
      quotas: [
        { key: `send:${id}:${network}:hour`, limit: this.#settings.sendsPerDestinationPerHour, windowSeconds: HOUR_SECONDS },
        { key: `send:${id}:${network}:day`, limit: this.#settings.sendsPerDestinationPerDay, windowSeconds: DAY_SECONDS },
        { key: `send:${id}:all:day`, limit: hardCap, windowSeconds: DAY_SECONDS },
      ],
      // Same group as the hard cap (the part before the last colon), so a Redis Cluster takes both in one slot.
      watch: { key: `send:${id}:all:near`, limit: Math.ceil(hardCap * HARD_CAP_WARNING_SHARE) - 1, windowSeconds: DAY_SECONDS },
    };
  }

  #startQuota(clientIp: string): Quota {
    return { key: `start:${this.#hash(`ip\0${clientNetworkText(clientIp)}`)}:hour`, limit: this.#settings.challengesPerClientIpPerHour, windowSeconds: HOUR_SECONDS };
  }

  #hash(text: string): string {
    return createHmac('sha256', this.#hashKey).update(text).digest('base64url');
  }
}

/** A client address's network in one spelling; text that is not an address is counted as itself, lower-cased. */
function clientNetworkText(clientIp: string): string {
  return clientNetwork(clientIp) ?? clientIp.trim().toLowerCase();
}

function masked(channel: OtpChannel, address: string): string {
  return channel === 'SMS' ? maskPhoneNumber(address) : maskEmail(address);
}

function describe(channel: OtpChannel, address: string, key: string): Required<Refusal> {
  const limit = key.endsWith(':all:day') ? 'sends_per_destination_hard_cap_per_day' : key.endsWith(':day') ? 'sends_per_destination_per_day' : 'sends_per_destination_per_hour';
  return { limit, channel, destination: masked(channel, address) };
}

function refusalMessage(refused: Refusal, retryAfterSeconds: number): string {
  const wait = retryAfterSeconds >= 5_400 ? `${Math.round(retryAfterSeconds / 3_600)} hours` : retryAfterSeconds >= 90 ? `${Math.round(retryAfterSeconds / 60)} minutes` : `${retryAfterSeconds} seconds`;
  if (refused.channel === undefined) return `Too many verifications were started from this network. Try again in ${wait}.`;
  // The hard cap counts every network's sends: "from this network" would send the shop looking in the wrong place.
  const where = refused.limit === 'sends_per_destination_hard_cap_per_day' ? 'today' : 'from this network';
  return `Too many verification messages were sent to this ${refused.channel === 'SMS' ? 'phone number' : 'e-mail address'} ${where}. Try again in ${wait}.`;
}
