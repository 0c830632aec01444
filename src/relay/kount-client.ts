/**
 * Typed calls to Kount 360. Holds the API key and the access token; nothing it returns or throws
 * carries either (SECURITY 3, 9). Only the configured operations exist: callers choose neither
 * host, path nor method (SECURITY 7).
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import { describeIssues } from '../contract/issues.js';
import {
  AssessmentRequest,
  AssessmentResponse,
  TokenResponse,
  VerificationResponse,
  VerifyRequest,
} from '../contract/kount/index.js';
import { READ_BACKOFF, TOKEN_BACKOFF, fullJitterDelayMs, parseRetryAfterMs, realSleep, type BackoffPolicy } from './backoff.js';
import { RelayError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { TokenCache, type IssuedToken } from './token-cache.js';
import { parseOrThrow } from './validate.js';
import { brokenUpstreamBound, MAX_UPSTREAM_DEPTH, MAX_UPSTREAM_STRING_LENGTH } from './upstream-bounds.js';
import { fetchPost, nodePost, type KountFetch, type Post, type PostAnswer } from './kount-http.js';
import type { Telemetry } from './telemetry.js';

export type { KountFetch } from './kount-http.js';

export interface KountPaths {
  assess: string;
  verify: string;
}

export interface KountClientOptions {
  apiUrl: string;
  tokenUrl: string;
  apiKey: string;
  clientId: string;
  timeoutMs: number;
  paths: KountPaths;
  /** How requests are sent; without it, `node:http`/`node:https` with keep-alive connections (kount-http.ts). */
  fetch?: KountFetch;
  now?: () => number;
  random?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
  logger?: Logger;
  tokenBackoff?: BackoffPolicy;
  /** Retries of reads (`refresh`). */
  readBackoff?: BackoffPolicy;
  /** Spans and durations of the calls, and token refreshes, when OpenTelemetry is installed. */
  telemetry?: Telemetry;
}

/** What a Kount call's log lines say about it. */
interface CallLabel {
  operation: string;
  /** The `x-correlation-id` sent (none for the token request). */
  correlationId?: string;
  /** The request body's `inquiryId` (assess, verify, Account Protection decisions and events). */
  inquiryId?: string;
}

interface UpstreamAnswer {
  status: number;
  ok: boolean;
  /** The parsed JSON of a 2xx answer; `undefined` otherwise. */
  payload: unknown;
  headers: Headers;
}

/** A validated answer with its headers (Account Protection keeps the decision's `x-correlation-id`). */
export interface KountJsonAnswer<Body> {
  body: Body;
  headers: Headers;
  /** The `x-correlation-id` the relay sent with the request that got this answer. */
  requestCorrelationId: string;
}

export class KountClient {
  readonly #apiUrl: string;
  readonly #tokenUrl: string;
  readonly #apiKey: string;
  readonly #clientId: string;
  readonly #timeoutMs: number;
  readonly #paths: KountPaths;
  readonly #post: Post;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #sleep: (milliseconds: number) => Promise<void>;
  readonly #logger: Logger;
  readonly #tokenBackoff: BackoffPolicy;
  readonly #readBackoff: BackoffPolicy;
  readonly #tokens: TokenCache;
  readonly #telemetry: Telemetry | undefined;

  constructor(options: KountClientOptions) {
    this.#apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.#tokenUrl = options.tokenUrl;
    this.#apiKey = options.apiKey;
    this.#clientId = options.clientId;
    this.#timeoutMs = options.timeoutMs;
    this.#paths = { ...options.paths };
    this.#post = options.fetch ? fetchPost(options.fetch) : nodePost();
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? realSleep;
    this.#logger = options.logger ?? silentLogger;
    this.#tokenBackoff = options.tokenBackoff ?? TOKEN_BACKOFF;
    this.#readBackoff = options.readBackoff ?? READ_BACKOFF;
    this.#tokens = new TokenCache(() => this.#requestToken(), this.#now);
    this.#telemetry = options.telemetry;
  }

  /** Identity Proofing assessment. Sent once: a retry could start a second case at Kount. */
  async assess(request: AssessmentRequest): Promise<AssessmentResponse> {
    return (await this.#call('assess', this.#paths.assess, parseOrThrow(AssessmentRequest, request, 'assessment request'), AssessmentResponse)).body;
  }

  /** Step-up verification (answer, resend). Sent once: a retry costs the shopper an attempt or an SMS (SECURITY 5). */
  async verify(request: VerifyRequest): Promise<VerificationResponse> {
    return (await this.#call('verify', this.#paths.verify, parseOrThrow(VerifyRequest, request, 'verify request'), VerificationResponse)).body;
  }

  /**
   * Asks for the case's current state without changing it: the verify call with
   * `strategy.nextAction: true` and empty action data (issue 3 design §1). A read, so network
   * errors, time-outs, 5xx and 429 are retried with capped, fully jittered backoff, `Retry-After`
   * honoured (SECURITY 4). Anything that would act (an answer, a resend) is refused here.
   */
  async refresh(request: VerifyRequest, options: { maxRetries?: number } = {}): Promise<VerificationResponse> {
    const body = parseOrThrow(VerifyRequest, request, 'refresh request');
    const acts = body.strategy.actions.some((action) => Object.values(action.data).some((value) => value !== undefined));
    if (body.strategy.nextAction !== true || acts) throw new TypeError('A refresh has strategy.nextAction: true and empty action data.');
    const policy = this.#readBackoff;
    const maxRetries = Math.min(options.maxRetries ?? policy.maxRetries, policy.maxRetries);
    for (let retry = 0; ; retry += 1) {
      const attempt = await this.#tryRefresh(body);
      if ('response' in attempt) return attempt.response;
      const { error, retryable, retryAfterMs } = attempt;
      if (!retryable || retry >= maxRetries || (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs)) throw error;
      const delayMs = retryAfterMs ?? fullJitterDelayMs(retry, policy, this.#random);
      this.#logger.warn('kount.refresh.retry', { retry: retry + 1, delayMs, reason: error.code });
      await this.#sleep(delayMs);
    }
  }

  async #tryRefresh(
    body: VerifyRequest,
  ): Promise<{ response: VerificationResponse } | { error: RelayError; retryable: boolean; retryAfterMs: number | undefined }> {
    let answer: UpstreamAnswer & { correlationId: string };
    try {
      answer = await this.#send('refresh', this.#paths.verify, body);
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      const retryable = error.code === 'upstream_unavailable' || error.code === 'upstream_timeout';
      return { error, retryable, retryAfterMs: undefined };
    }
    // A 2xx that does not parse is not retried: the same bytes would come back.
    if (answer.ok) return { response: this.#parse('refresh', answer, VerificationResponse).body };
    const honoursRetryAfter = answer.status === 429 || answer.status === 503;
    return {
      error: new RelayError('upstream_error', `Kount answered the refresh call with status ${answer.status}.`),
      retryable: answer.status >= 500 || answer.status === 429,
      retryAfterMs: honoursRetryAfter ? parseRetryAfterMs(answer.headers.get('retry-after'), this.#now()) : undefined,
    };
  }

  /** Keeps secrets out of `console.log(client)` and `JSON.stringify`. */
  toJSON(): Record<string, string> {
    return { apiUrl: this.#apiUrl };
  }

  async #call<Schema extends z.ZodMiniType>(
    operation: string,
    path: string,
    body: unknown,
    responseSchema: Schema,
  ): Promise<KountJsonAnswer<z.output<Schema>>> {
    const answer = await this.#send(operation, path, body);
    if (!answer.ok) throw new RelayError('upstream_error', `Kount answered the ${operation} call with status ${answer.status}.`);
    return this.#parse(operation, answer, responseSchema);
  }

  /** One call with one re-authentication on 401 (SECURITY 3); any other answer is returned as it is. */
  async #send(operation: string, path: string, body: unknown): Promise<UpstreamAnswer & { correlationId: string }> {
    const url = this.#apiUrl + path;
    const inquiryId = inquiryIdOf(body);
    let token = await this.#tokens.get();
    let answer = await this.#exchange(operation, inquiryId, url, body, token);
    if (answer.status === 401) {
      // SECURITY 3: the token may have been revoked early; one fresh token, one more try.
      this.#tokens.invalidate(token);
      this.#logger.warn('kount.reauthenticate', { operation, ...(inquiryId === undefined ? {} : { inquiryId }) });
      token = await this.#tokens.get();
      answer = await this.#exchange(operation, inquiryId, url, body, token);
      if (answer.status === 401) {
        this.#tokens.invalidate(token);
        throw new RelayError('upstream_auth_failed', 'Kount refused the relay’s credentials.');
      }
    }
    return answer;
  }

  #parse<Schema extends z.ZodMiniType>(
    operation: string,
    answer: UpstreamAnswer & { correlationId: string },
    responseSchema: Schema,
  ): KountJsonAnswer<z.output<Schema>> {
    const parsed = responseSchema.safeParse(answer.payload);
    if (!parsed.success) {
      this.#logger.error('kount.invalid_response', { operation, problem: describeIssues(parsed.error) });
      throw new RelayError('upstream_invalid_response', `Kount’s ${operation} answer did not match the expected shape.`);
    }
    return { body: parsed.data, headers: answer.headers, requestCorrelationId: answer.correlationId };
  }

  /** One request and its whole body under one time limit (SECURITY 6). Error bodies are dropped unread. */
  async #exchange(operation: string, inquiryId: string | undefined, url: string, body: unknown, token: string): Promise<UpstreamAnswer & { correlationId: string }> {
    const correlationId = randomUUID();
    // The browser request's `requestId` is added by the logger; `correlationId` is what Kount can look up.
    const label: CallLabel = inquiryId === undefined ? { operation, correlationId } : { operation, correlationId, inquiryId };
    const startedAt = this.#now();
    return this.#withTimeout(label, async (signal) => {
      const send = () =>
        this.#post(
          url,
          {
            authorization: `Bearer ${token}`,
            'x-client-id': this.#clientId,
            'x-correlation-id': correlationId,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          JSON.stringify(body),
          signal,
        );
      const response = this.#telemetry === undefined ? await send() : await this.#telemetry.callKount(operation, url, send, (answered) => answered.status);
      this.#logger.info('kount.call', { ...label, status: response.status, durationMs: this.#now() - startedAt });
      return { ...(await readAnswer(response, operation)), correlationId };
    });
  }

  async #withTimeout<T>(label: CallLabel, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    // A referenced timer (unlike AbortSignal.timeout's), so a lone hung call still ends on time.
    const timer = setTimeout(() => controller.abort(new DOMException('Kount did not answer in time', 'TimeoutError')), this.#timeoutMs);
    try {
      return await task(controller.signal);
    } catch (cause) {
      if (cause instanceof RelayError) throw cause;
      if (controller.signal.aborted) {
        this.#logger.warn('kount.timeout', { ...label, timeoutMs: this.#timeoutMs });
        throw new RelayError('upstream_timeout', `Kount did not answer the ${label.operation} call in time.`);
      }
      this.#logger.warn('kount.unreachable', { ...label, error: errorName(cause) });
      throw new RelayError('upstream_unavailable', 'Kount could not be reached.');
    } finally {
      clearTimeout(timer);
    }
  }

  /** SECURITY 4: the token request is idempotent, so network errors, 5xx and 429 are retried. */
  async #requestToken(): Promise<IssuedToken> {
    for (let retry = 0; ; retry += 1) {
      const requestedAt = this.#now();
      let answer: UpstreamAnswer & { retryAfter: string | null };
      try {
        answer = await this.#withTimeout({ operation: 'token' }, async (signal) => {
          const response = await this.#post(
            this.#tokenUrl,
            {
              authorization: `Basic ${this.#apiKey}`,
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'application/json',
            },
            new URLSearchParams({ grant_type: 'client_credentials', scope: 'k1_integration_api' }).toString(),
            signal,
          );
          return { ...(await readAnswer(response, 'token')), retryAfter: response.headers.get('retry-after') };
        });
      } catch (error) {
        // A hung token endpoint is not retried: four timeouts in a row would hold the shopper far too long.
        const retryable = error instanceof RelayError && error.code === 'upstream_unavailable';
        if (!retryable || retry >= this.#tokenBackoff.maxRetries) throw error;
        await this.#waitBeforeTokenRetry(retry, undefined, 'network error');
        continue;
      }
      this.#logger.info('kount.token', { status: answer.status, attempt: retry + 1 });
      this.#telemetry?.tokenRefresh(answer.ok ? 'ok' : 'error');
      if (answer.ok) return { ...this.#readToken(answer.payload), requestedAt };

      const retryable = answer.status >= 500 || answer.status === 429;
      if (!retryable) {
        throw new RelayError('upstream_auth_failed', `Kount’s token endpoint refused the relay’s credentials (status ${answer.status}).`);
      }
      const retryAfterMs = answer.status === 429 || answer.status === 503 ? parseRetryAfterMs(answer.retryAfter, this.#now()) : undefined;
      if (retry >= this.#tokenBackoff.maxRetries || (retryAfterMs !== undefined && retryAfterMs > this.#tokenBackoff.maxRetryAfterMs)) {
        throw new RelayError('upstream_unavailable', 'Kount’s token endpoint is not available right now.', {
          ...(retryAfterMs === undefined ? {} : { retryAfterSeconds: retryAfterMs / 1000 }),
        });
      }
      await this.#waitBeforeTokenRetry(retry, retryAfterMs, `status ${answer.status}`);
    }
  }

  async #waitBeforeTokenRetry(retry: number, retryAfterMs: number | undefined, reason: string): Promise<void> {
    const delayMs = retryAfterMs ?? fullJitterDelayMs(retry, this.#tokenBackoff, this.#random);
    this.#logger.warn('kount.token.retry', { retry: retry + 1, delayMs, reason });
    await this.#sleep(delayMs);
  }

  #readToken(payload: unknown): { accessToken: string; expiresInSeconds: number } {
    const parsed = TokenResponse.safeParse(payload);
    if (!parsed.success) {
      // The issues name fields only; the payload itself may hold a token and is never logged.
      this.#logger.error('kount.token.invalid_response', { problem: describeIssues(parsed.error) });
      throw new RelayError('upstream_invalid_response', 'Kount’s token answer did not match the expected shape.');
    }
    return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
  }

  /**
   * A JSON POST to another Kount 360 operation on the configured API host (Account Protection), with
   * the same token cache, headers, time limit and error mapping as `assess`/`verify`. `path` comes
   * from the relay's configuration, never from a request. Sent once, with one re-authentication on
   * 401 and no other retry: every caller so far changes state at Kount (a decision, an event, an SMS).
   */
  async callJson<Schema extends z.ZodMiniType>(
    operation: string,
    path: string,
    body: unknown,
    responseSchema: Schema,
  ): Promise<KountJsonAnswer<z.output<Schema>>> {
    if (!path.startsWith('/') || path.startsWith('//')) throw new TypeError(`The ${operation} path must start with a single "/".`);
    return this.#call(operation, path, body, responseSchema);
  }
}

/** Kount's largest answers (a KBA questionnaire) are a few KiB: anything past this is refused, not stored. */
export const MAX_UPSTREAM_BODY_BYTES = 256 * 1024;

async function readAnswer(response: PostAnswer, operation: string): Promise<UpstreamAnswer> {
  if (response.status < 200 || response.status > 299) {
    await response.discard();
    return { status: response.status, ok: false, payload: undefined, headers: response.headers };
  }
  const text = await response.text(MAX_UPSTREAM_BODY_BYTES, () => new RelayError('upstream_invalid_response', `Kount’s ${operation} answer was larger than ${MAX_UPSTREAM_BODY_BYTES / 1024} KiB.`));
  let payload: unknown;
  try {
    payload = JSON.parse(text) as unknown;
  } catch {
    throw new RelayError('upstream_invalid_response', `Kount’s ${operation} answer was not JSON.`);
  }
  const broken = brokenUpstreamBound(payload);
  if (broken !== undefined) {
    const what = broken === 'string' ? `a field longer than ${MAX_UPSTREAM_STRING_LENGTH} characters` : `fields nested deeper than ${MAX_UPSTREAM_DEPTH} levels`;
    throw new RelayError('upstream_invalid_response', `Kount’s ${operation} answer held ${what}.`);
  }
  return { status: response.status, ok: true, payload, headers: response.headers };
}

/** Every request body that belongs to an inquiry names it at the top level; MFA resends and passcode checks name only the MFA. */
function inquiryIdOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'inquiryId' in body && typeof body.inquiryId === 'string' ? body.inquiryId : undefined;
}

function errorName(cause: unknown): string {
  return cause instanceof Error ? cause.name : typeof cause;
}
