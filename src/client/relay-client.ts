import { CSRF_HEADER, ErrorBody as ErrorBodySchema, RelayPath, SessionView as SessionViewSchema, type ErrorBody, type OtpChannel, type SessionView } from '../contract/browser.js';
// Types only: the request schemas are the relay's to check and stay out of the browser bundle.
import type { AnswerRequest, ResendRequest } from '../contract/relay-api.js';
import { RelayError } from './relay-error.js';

export interface RelayClientOptions {
  /** Where the relay is mounted: a path on this origin (`/verify`) or an absolute URL on another one. */
  relay: string;
  /** The session handle, needed only when the relay is on another origin (sent as a bearer header). */
  session?: string;
  /** Per-request time limit in milliseconds. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The browser side of the relay API. Every call validates the answer against the contract and turns
 * any failure into a `RelayError` with a stable code. Nothing here retries: an answer or a resend
 * sent twice could cost the shopper an attempt or the customer an SMS.
 */
export class RelayClient {
  readonly relay: string;
  readonly #session: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: RelayClientOptions) {
    this.relay = options.relay.replace(/\/+$/, '');
    this.#session = options.session || undefined;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  view(signal?: AbortSignal): Promise<SessionView> {
    return this.#request('GET', RelayPath.view, undefined, signal);
  }

  answer(answer: AnswerRequest, signal?: AbortSignal): Promise<SessionView> {
    return this.#request('POST', RelayPath.answer, answer, signal);
  }

  /**
   * Asks for a new code or link. With `channel`, sends it that way instead (one of the action's
   * `otherChannels`); the relay answers 409 `channel_unavailable` when it holds no such contact.
   */
  resend(signal?: AbortSignal, channel?: OtpChannel): Promise<SessionView> {
    const body: ResendRequest = channel ? { channel } : {};
    return this.#request('POST', RelayPath.resend, body, signal);
  }

  /** URL of the live-update stream. */
  get eventsUrl(): string {
    return this.relay + RelayPath.events;
  }

  /**
   * Opens the live-update stream (`text/event-stream`) and returns the raw response for
   * `watchSession` to read: fetch rather than EventSource, which cannot send the bearer header.
   * The time limit covers getting the headers only; the body is meant to stay open.
   * @param lastEventId - sent as `Last-Event-ID`, so the relay replays only what came after it.
   */
  async events(options: { lastEventId?: string; signal: AbortSignal }): Promise<Response> {
    const { lastEventId, signal: callerSignal } = options;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#session) headers.authorization = `Bearer ${this.#session}`;
    if (lastEventId) headers['last-event-id'] = lastEventId;

    const headersDeadline = new AbortController();
    const timer = setTimeout(
      () => headersDeadline.abort(new DOMException('The relay did not answer in time.', 'TimeoutError')),
      this.#timeoutMs,
    );
    try {
      return await this.#fetch(this.relay + RelayPath.events, {
        method: 'GET',
        headers,
        credentials: this.#session ? 'omit' : 'same-origin',
        cache: 'no-store',
        signal: AbortSignal.any([callerSignal, headersDeadline.signal]),
      });
    } catch (cause) {
      throw abortOrNetworkError(cause, callerSignal, headersDeadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async #request(method: 'GET' | 'POST', path: string, body: unknown, callerSignal?: AbortSignal): Promise<SessionView> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      headers[CSRF_HEADER] = '1';
    }
    if (this.#session) headers.authorization = `Bearer ${this.#session}`;

    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.#fetch(this.relay + path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        // A bearer handle replaces the cookie; never send cookies to another origin with it.
        credentials: this.#session ? 'omit' : 'same-origin',
        cache: 'no-store',
        signal,
      });
    } catch (cause) {
      throw abortOrNetworkError(cause, callerSignal, timeout);
    }

    const payload = await readJson(response, callerSignal, timeout);
    if (!response.ok) throw errorFromResponse(response, payload);
    const view = readView(payload);
    if (!view) throw new RelayError('invalid_response', 'The relay sent an answer this page cannot read.', { status: response.status });
    return view;
  }
}

function abortOrNetworkError(cause: unknown, callerSignal: AbortSignal | undefined, timeout: AbortSignal): RelayError {
  if (callerSignal?.aborted) return new RelayError('aborted', 'The request was cancelled.', { cause });
  if (timeout.aborted) return new RelayError('timeout', 'The relay did not answer in time.', { cause });
  return new RelayError('network_error', 'The relay could not be reached.', { cause });
}

async function readJson(response: Response, callerSignal: AbortSignal | undefined, timeout: AbortSignal): Promise<unknown> {
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (cause) {
    if (callerSignal?.aborted || timeout.aborted) throw abortOrNetworkError(cause, callerSignal, timeout);
    return undefined;
  }
}

function errorFromResponse(response: Response, payload: unknown): RelayError {
  const parsed = readErrorBody(payload);
  const retryAfterHeader = Number(response.headers.get('retry-after'));
  if (!parsed) {
    // A proxy or gateway answered, not the relay: keep the status, name it by class.
    const code = response.status === 504 ? 'upstream_timeout' : response.status >= 500 ? 'upstream_unavailable' : 'invalid_response';
    return new RelayError(code, `The relay answered ${response.status}.`, { status: response.status });
  }
  const { code, message, field, retryAfterSeconds, limit } = parsed.error;
  const retryAfter = retryAfterSeconds ?? (Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : undefined);
  return new RelayError(code, message, {
    status: response.status,
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
    ...(field === undefined ? {} : { field }),
    limit,
  });
}

/*
 * How the browser reads what the relay sends: a session view (an answer, a stream event, the view
 * a shop's server put in the page) and an error body. Anything that does not pass is `undefined`,
 * which the callers turn into `invalid_response`.
 *
 * Two depths, as Lit keeps its own checks out of production builds:
 * - development (the default, and `UNIT_BUILD=development`): the contract's zod schemas
 *   (`contract/browser.ts`), every field of every method;
 * - production (the CDN build, and any build that defines `globalThis.__K360_VERIFY_DEV__` as
 *   `false`): the shape the elements branch on (state, decision, step, method, revision, the
 *   error's code and message). The relay built these views from counters it validated itself,
 *   and every value is rendered as text; a field of the wrong type shows wrongly, it cannot run.
 *   This keeps zod/mini and the schemas (5.8 KB gzip) out of the entry every checkout page pays.
 */
declare global {
  /** Set to `false` by a production build (vite.config.ts `define`): the relay's answers get the light check. */
  var __K360_VERIFY_DEV__: boolean | undefined;
}

const DEV_CHECKS = globalThis.__K360_VERIFY_DEV__ !== false;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number';
const methods = ['OTP', 'KBA', 'OTH', 'DOCV', 'UNSUPPORTED', 'UNAVAILABLE'];
const decisions = ['ALLOW', 'BLOCK', 'REVIEW'];

/** The production check of a view: the fields the page branches on. */
function isViewShape(view: unknown): boolean {
  if (!isObject(view) || !isNumber(view.revision)) return false;
  if (view.state === 'decided') return decisions.includes(view.decision as string);
  const { step, action } = view;
  return (
    view.state === 'challenge' &&
    isObject(step) &&
    isNumber(step.index) &&
    isNumber(step.total) &&
    isObject(action) &&
    methods.includes(action.method as string) &&
    (action.method !== 'KBA' || Array.isArray(action.questions))
  );
}

/** `payload` as a session view, or `undefined` when it is not one. */
export function readView(payload: unknown): SessionView | undefined {
  if (DEV_CHECKS) {
    const result = SessionViewSchema.safeParse(payload);
    return result.success ? result.data : undefined;
  }
  return isViewShape(payload) ? (payload as SessionView) : undefined;
}

/** `payload` as the relay's error body, or `undefined` (a proxy or gateway answered, not the relay). */
export function readErrorBody(payload: unknown): ErrorBody | undefined {
  if (DEV_CHECKS) {
    const result = ErrorBodySchema.safeParse(payload);
    return result.success ? result.data : undefined;
  }
  const error = isObject(payload) ? payload.error : undefined;
  return isObject(error) && typeof error.code === 'string' && typeof error.message === 'string' ? (payload as ErrorBody) : undefined;
}
