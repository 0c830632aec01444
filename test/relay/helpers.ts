/** A relay wired to the fake Kount and a fake clock, plus browser-shaped requests against it. */
import assert from 'node:assert/strict';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { createRelay, RelayError, type Relay, type RelayOptions } from '../../src/relay/index.js';
import type { LogFields, Logger } from '../../src/relay/logger.js';
import { createFakeClock, createFakeSleep, type FakeClock } from './fake-clock.js';
import { FAKE_API_KEY, FAKE_API_URL, FAKE_CLIENT_ID, FAKE_TOKEN_URL, FakeKount, type FakeKountSettings } from './fake-kount.js';

export const RELAY_ORIGIN = 'https://shop.test';
export const PARTNER_ORIGIN = 'https://partner.test';
export const SESSION_SECRET = 'test-session-secret-that-is-long-enough-0123456789';
export const PHONE_NUMBER = '+14155554567';
export const EMAIL = 'olivia.shopper@example.com';

export interface CapturedLog {
  level: 'info' | 'warn' | 'error';
  event: string;
  fields: LogFields;
}

export function createCapturingLogger(): Logger & { entries: CapturedLog[] } {
  const entries: CapturedLog[] = [];
  const capture = (level: CapturedLog['level']) => (event: string, fields: LogFields = {}) => {
    entries.push({ level, event, fields });
  };
  return { entries, info: capture('info'), warn: capture('warn'), error: capture('error') };
}

export interface TestRelay {
  relay: Relay;
  kount: FakeKount;
  clock: FakeClock;
  logger: Logger & { entries: CapturedLog[] };
  sleeps: number[];
}

export function createTestRelay(
  overrides: Partial<RelayOptions> = {},
  behaviour: FakeKountSettings = {},
): TestRelay {
  const clock = createFakeClock();
  const kount = new FakeKount(clock, behaviour);
  const logger = createCapturingLogger();
  const { sleep, delays } = createFakeSleep(clock);
  const relay = createRelay({
    apiUrl: FAKE_API_URL,
    tokenUrl: FAKE_TOKEN_URL,
    apiKey: FAKE_API_KEY,
    clientId: FAKE_CLIENT_ID,
    sessionSecret: SESSION_SECRET,
    allowedOrigins: [PARTNER_ORIGIN],
    timeoutMs: 200,
    fetch: kount.fetch,
    now: clock.now,
    random: () => 0.5,
    sleep,
    logger,
    ...overrides,
  });
  return { relay, kount, clock, logger, sleeps: delays };
}

export async function startOtpChallenge(
  relay: Relay,
  contact: { phoneNumber?: string; email?: string } = { phoneNumber: PHONE_NUMBER, email: EMAIL },
  crossOrigin = false,
) {
  const assessment = await relay.kount.assess({
    strategy: 'CheckoutStepUp',
    inquiryId: crypto.randomUUID(),
    deviceSessionId: 'device-session-1',
    applicant: { ...contact },
  });
  return relay.startChallenge({ assessment, contact, crossOrigin });
}

export interface BrowserRequestOptions {
  method?: string;
  /** A value to send as JSON, or a raw string body. */
  body?: unknown;
  rawBody?: string | Uint8Array<ArrayBuffer>;
  handle?: string;
  /** Send the handle as `Authorization: Bearer` instead of the cookie. */
  bearer?: boolean;
  /** Extra headers; `null` removes one the helper would send. */
  headers?: Record<string, string | null>;
  /** Leave out the headers a well-behaved same-origin element sends. */
  bare?: boolean;
}

/** A request the way `<verification-flow>` on the relay's own origin sends it. */
export function browserRequest(path: string, options: BrowserRequestOptions = {}): Request {
  const method = options.method ?? (options.body !== undefined || options.rawBody !== undefined ? 'POST' : 'GET');
  const headers = new Headers();
  if (!options.bare) {
    headers.set('accept', 'application/json');
    if (method === 'POST') {
      headers.set('content-type', 'application/json');
      headers.set(CSRF_HEADER, '1');
      headers.set('origin', RELAY_ORIGIN);
      headers.set('sec-fetch-site', 'same-origin');
    }
  }
  if (options.handle !== undefined) {
    if (options.bearer) headers.set('authorization', `Bearer ${options.handle}`);
    else headers.set('cookie', `theme=dark; ${SESSION_COOKIE}=${options.handle}`);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Request(`${RELAY_ORIGIN}/verify${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
}

export async function send(relay: Relay, path: string, options: BrowserRequestOptions = {}) {
  const response = await relay.fetch(browserRequest(path, options));
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { response, status: response.status, headers: response.headers, body, text };
}

export function errorCodeOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'error' in body) {
    const error = (body as { error: { code?: unknown } }).error;
    return typeof error.code === 'string' ? error.code : undefined;
  }
  return undefined;
}

/** The session id inside a handle (tests read the stored session with it). */
export function sessionIdOf(handle: string): string {
  const [payload = ''] = handle.split('.');
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sid: string }).sid;
}

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  /** Comment lines (`: heartbeat`), without the colon and space. */
  comments: string[];
}

/** Reads a `text/event-stream` body message by message (blocks separated by a blank line). */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  done = false;

  constructor(response: Response) {
    if (!response.body) throw new Error('no body');
    this.#reader = response.body.getReader();
  }

  /** The next message, or null when the stream ends; rejects after `timeoutMs` without one. */
  async next(timeoutMs = 2000): Promise<SseMessage | null> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return parseBlock(block);
      }
      if (this.done) return null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = globalThis.setTimeout(() => reject(new Error(`no event-stream message within ${timeoutMs} ms`)), timeoutMs);
      });
      // A read that timed out is kept for the next call: dropping it would lose its chunk.
      this.#pendingRead ??= this.#reader.read();
      try {
        const { done, value } = await Promise.race([this.#pendingRead, timeout]);
        this.#pendingRead = undefined;
        if (done) this.done = true;
        else this.#buffer += this.#decoder.decode(value, { stream: true });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** The next message that carries an event (skipping `retry:` and heartbeats). */
  async nextEvent(timeoutMs = 2000): Promise<SseMessage | null> {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (message === null || message.data !== undefined) return message;
    }
  }

  /** True when nothing at all arrives within `ms` (a pending read stays pending for the next call). */
  async quietFor(ms: number): Promise<boolean> {
    try {
      const message = await this.next(ms);
      if (message !== null) this.#buffer = `${serialize(message)}\n\n${this.#buffer}`;
      return false;
    } catch {
      return true;
    }
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }
}

function parseBlock(block: string): SseMessage {
  const message: SseMessage = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      message.comments.push(line.slice(1).trimStart());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id' || field === 'event' || field === 'retry') message[field] = value;
    if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
  }
  return message;
}

function serialize(message: SseMessage): string {
  const lines = message.comments.map((comment) => `: ${comment}`);
  for (const field of ['retry', 'id', 'event', 'data'] as const) if (message[field] !== undefined) lines.push(`${field}: ${message[field]}`);
  return lines.join('\n');
}

/** The RelayError `work` is refused with; fails the test when it is accepted or fails otherwise. */
export async function refusal(work: Promise<unknown>): Promise<RelayError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  assert.fail('expected a RelayError');
}
