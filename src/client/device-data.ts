/**
 * Kount's Device Data Collector in the shopper's browser. Login v2, New Account Opening v2 and
 * assessments carry a `deviceSessionId`; Kount links the device data to the decision only when
 * the page ran the collector with that same id. This starts a collection with a fresh id and hands
 * the id back at once, for the page to send with its form.
 *
 * The collector is Kount's `@kount/kount-web-client-sdk`, loaded only when this is called. It is
 * an optional peer dependency: Kount's licence does not let others redistribute it, so this
 * package never bundles it. With a bundler, install it; on a CDN page, map its name in the
 * page's import map to where the shop serves it.
 *
 * Collection never blocks the shopper: a collector that cannot load, is blocked (an ad blocker, a
 * page policy, no network) or never finishes still leaves an id to send; `done` says what happened.
 */

/** `kountSDK(config, sessionID)`, the collector's default export; it returns null when it refuses to start. */
export type KountCollector = (config: KountCollectorConfig, sessionId: string) => unknown;

/** The collector's `config`, as its source reads it (kount-web-client-sdk 2.0.0). */
export interface KountCollectorConfig {
  clientID: string;
  environment?: 'TEST' | 'PROD';
  hostname?: string;
  isSinglePageApp: boolean;
  callbacks: { 'collect-begin'?: (detail: unknown) => void; 'collect-end'?: (detail: unknown) => void };
}

export interface CollectDeviceDataOptions {
  /** Your Kount client (merchant) id. */
  clientId: string;
  /** `TEST` (Kount's sandbox collector, tst.kaptcha.com) or `PROD` (ssl.kaptcha.com). */
  environment: 'TEST' | 'PROD';
  /** A collector host Kount gave you instead of the environment's (letters, digits and dots). */
  hostname?: string;
  /** The page stays loaded across route changes (Kount's `isSinglePageApp`). Default false. */
  singlePageApp?: boolean;
  /** How long `done` waits for the collector to finish. Default 10 s. */
  timeoutMs?: number;
  /** Loads the collector; the default imports `@kount/kount-web-client-sdk`. */
  load?: () => Promise<{ default: KountCollector }>;
}

/** `collected`: the collector finished; `timed_out`: it did not within `timeoutMs`; `unavailable`: it could not load or refused to start. */
export type DeviceDataOutcome = 'collected' | 'timed_out' | 'unavailable';

export interface DeviceDataCollection {
  /** Send this to your backend; it is the `deviceSessionId` of your Kount call. */
  readonly sessionId: string;
  /** Resolves (never rejects) once the collection has finished, timed out or failed. */
  readonly done: Promise<DeviceDataOutcome>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const HOSTNAME = /^[A-Za-z0-9.]+$/;

/** 32 hexadecimal characters from the platform's secure random source: the form Kount's session ids take. */
export function newDeviceSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Starts Kount's device data collection with a fresh session id. Throws a `TypeError` for options
 * that could never work (a developer's mistake to see at once); anything else ends in `done`.
 */
export function collectDeviceData(options: CollectDeviceDataOptions): DeviceDataCollection {
  if (typeof options.clientId !== 'string' || options.clientId.trim() === '') throw new TypeError('collectDeviceData: clientId is required.');
  if (options.environment !== 'TEST' && options.environment !== 'PROD') throw new TypeError('collectDeviceData: environment must be "TEST" or "PROD".');
  if (options.hostname !== undefined && !HOSTNAME.test(options.hostname)) throw new TypeError('collectDeviceData: hostname may hold letters, digits and dots only.');
  const sessionId = newDeviceSessionId();
  return { sessionId, done: run(sessionId, options) };
}

async function run(sessionId: string, options: CollectDeviceDataOptions): Promise<DeviceDataOutcome> {
  let collector: KountCollector;
  try {
    const module = await (options.load ?? loadKountCollector)();
    if (typeof module.default !== 'function') return 'unavailable';
    collector = module.default;
  } catch {
    return 'unavailable';
  }
  return new Promise<DeviceDataOutcome>((resolve) => {
    const timer = setTimeout(() => resolve('timed_out'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const finish = (outcome: DeviceDataOutcome): void => {
      clearTimeout(timer);
      resolve(outcome);
    };
    const config: KountCollectorConfig = {
      clientID: options.clientId,
      ...(options.hostname === undefined ? { environment: options.environment } : { hostname: options.hostname }),
      isSinglePageApp: options.singlePageApp ?? false,
      callbacks: { 'collect-end': () => finish('collected') },
    };
    try {
      if (collector(config, sessionId) === null) finish('unavailable');
    } catch {
      finish('unavailable');
    }
  });
}

function loadKountCollector(): Promise<{ default: KountCollector }> {
  // A bundler resolves the installed package; the CDN file keeps the bare name for the page's import map.
  return import('@kount/kount-web-client-sdk');
}
