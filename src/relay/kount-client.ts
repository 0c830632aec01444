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
import { TOKEN_BACKOFF, fullJitterDelayMs, parseRetryAfterMs, realSleep, type BackoffPolicy } from './backoff.js';
import { RelayError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { TokenCache, type IssuedToken } from './token-cache.js';
import { parseOrThrow } from './validate.js';

/** The part of `fetch` the client uses; `globalThis.fetch` fits, and so does an in-process fake. */
export type KountFetch = (url: string, init: RequestInit) => Promise<Response>;

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
  fetch?: KountFetch;
  now?: () => number;
  random?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
  logger?: Logger;
  tokenBackoff?: BackoffPolicy;
}

type Operation = keyof KountPaths;

export class KountClient {
  readonly #apiUrl: string;
  readonly #tokenUrl: string;
  readonly #apiKey: string;
  readonly #clientId: string;
  readonly #timeoutMs: number;
  readonly #paths: KountPaths;
  readonly #fetch: KountFetch;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #sleep: (milliseconds: number) => Promise<void>;
  readonly #logger: Logger;
  readonly #tokenBackoff: BackoffPolicy;
  readonly #tokens: TokenCache;

  constructor(options: KountClientOptions) {
    this.#apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.#tokenUrl = options.tokenUrl;
    this.#apiKey = options.apiKey;
    this.#clientId = options.clientId;
    this.#timeoutMs = options.timeoutMs;
    this.#paths = { ...options.paths };
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? realSleep;
    this.#logger = options.logger ?? silentLogger;
    this.#tokenBackoff = options.tokenBackoff ?? TOKEN_BACKOFF;
    this.#tokens = new TokenCache(() => this.#requestToken(), this.#now);
  }

  /** Identity Proofing assessment. Sent once: a retry could start a second case at Kount. */
  assess(request: AssessmentRequest): Promise<AssessmentResponse> {
    return this.#call('assess', parseOrThrow(AssessmentRequest, request, 'assessment request'), AssessmentResponse);
  }

  /** Step-up verification (answer, resend). Sent once: a retry costs the shopper an attempt or an SMS (SECURITY 5). */
  verify(request: VerifyRequest): Promise<VerificationResponse> {
    return this.#call('verify', parseOrThrow(VerifyRequest, request, 'verify request'), VerificationResponse);
  }

  /** Keeps secrets out of `console.log(client)` and `JSON.stringify`. */
  toJSON(): Record<string, string> {
    return { apiUrl: this.#apiUrl };
  }

  async #call<Schema extends z.ZodMiniType>(operation: Operation, body: unknown, responseSchema: Schema): Promise<z.output<Schema>> {
    const url = this.#apiUrl + this.#paths[operation];
    let token = await this.#tokens.get();
    let response = await this.#send(operation, url, body, token);
    if (response.status === 401) {
      // SECURITY 3: the token may have been revoked early; one fresh token, one more try.
      await discardBody(response);
      this.#tokens.invalidate(token);
      this.#logger.warn('kount.reauthenticate', { operation });
      token = await this.#tokens.get();
      response = await this.#send(operation, url, body, token);
      if (response.status === 401) {
        await discardBody(response);
        this.#tokens.invalidate(token);
        throw new RelayError('upstream_auth_failed', 'Kount refused the relay’s credentials.');
      }
    }
    if (!response.ok) {
      await discardBody(response);
      throw new RelayError('upstream_error', `Kount answered the ${operation} call with status ${response.status}.`);
    }
    const payload = await this.#readJson(response, operation);
    const parsed = responseSchema.safeParse(payload);
    if (!parsed.success) {
      this.#logger.error('kount.invalid_response', { operation, problem: describeIssues(parsed.error) });
      throw new RelayError('upstream_invalid_response', `Kount’s ${operation} answer did not match the expected shape.`);
    }
    return parsed.data;
  }

  async #send(operation: Operation, url: string, body: unknown, token: string): Promise<Response> {
    const correlationId = randomUUID();
    const startedAt = this.#now();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await this.#fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'x-client-id': this.#clientId,
          'x-correlation-id': correlationId,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: timeout,
        redirect: 'error',
      });
      this.#logger.info('kount.call', { operation, status: response.status, correlationId, durationMs: this.#now() - startedAt });
      return response;
    } catch (cause) {
      throw this.#transportError(operation, cause, timeout, correlationId);
    }
  }

  async #readJson(response: Response, operation: string): Promise<unknown> {
    try {
      return await response.json();
    } catch (cause) {
      if (cause instanceof DOMException && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
        throw new RelayError('upstream_timeout', `Kount did not finish the ${operation} answer in time.`, { cause });
      }
      throw new RelayError('upstream_invalid_response', `Kount’s ${operation} answer was not JSON.`);
    }
  }

  #transportError(operation: string, cause: unknown, timeout: AbortSignal, correlationId: string): RelayError {
    if (timeout.aborted) {
      this.#logger.warn('kount.timeout', { operation, correlationId, timeoutMs: this.#timeoutMs });
      return new RelayError('upstream_timeout', `Kount did not answer the ${operation} call in time.`);
    }
    this.#logger.warn('kount.unreachable', { operation, correlationId, error: errorName(cause) });
    return new RelayError('upstream_unavailable', 'Kount could not be reached.');
  }

  /** SECURITY 4: the token request is idempotent, so network errors, 5xx and 429 are retried. */
  async #requestToken(): Promise<IssuedToken> {
    for (let retry = 0; ; retry += 1) {
      const requestedAt = this.#now();
      const timeout = AbortSignal.timeout(this.#timeoutMs);
      let response: Response;
      try {
        response = await this.#fetch(this.#tokenUrl, {
          method: 'POST',
          headers: {
            authorization: `Basic ${this.#apiKey}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'k1_integration_api' }).toString(),
          signal: timeout,
          redirect: 'error',
        });
      } catch (cause) {
        // A hung token endpoint is not retried: four timeouts in a row would hold the shopper far too long.
        if (timeout.aborted || retry >= this.#tokenBackoff.maxRetries) throw this.#transportError('token', cause, timeout, '');
        await this.#waitBeforeTokenRetry(retry, undefined, errorName(cause));
        continue;
      }
      this.#logger.info('kount.token', { status: response.status, attempt: retry + 1 });
      if (response.ok) return { ...(await this.#readToken(response)), requestedAt };

      await discardBody(response);
      const retryable = response.status >= 500 || response.status === 429;
      if (!retryable) {
        throw new RelayError('upstream_auth_failed', `Kount’s token endpoint refused the relay’s credentials (status ${response.status}).`);
      }
      const retryAfterMs =
        response.status === 429 || response.status === 503 ? parseRetryAfterMs(response.headers.get('retry-after'), this.#now()) : undefined;
      if (retry >= this.#tokenBackoff.maxRetries || (retryAfterMs !== undefined && retryAfterMs > this.#tokenBackoff.maxRetryAfterMs)) {
        throw new RelayError('upstream_unavailable', 'Kount’s token endpoint is not available right now.', {
          ...(retryAfterMs === undefined ? {} : { retryAfterSeconds: retryAfterMs / 1000 }),
        });
      }
      await this.#waitBeforeTokenRetry(retry, retryAfterMs, `status ${response.status}`);
    }
  }

  async #waitBeforeTokenRetry(retry: number, retryAfterMs: number | undefined, reason: string): Promise<void> {
    const delayMs = retryAfterMs ?? fullJitterDelayMs(retry, this.#tokenBackoff, this.#random);
    this.#logger.warn('kount.token.retry', { retry: retry + 1, delayMs, reason });
    await this.#sleep(delayMs);
  }

  async #readToken(response: Response): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const parsed = TokenResponse.safeParse(await this.#readJson(response, 'token'));
    if (!parsed.success) {
      // The issues name fields only; the payload itself may hold a token and is never logged.
      this.#logger.error('kount.token.invalid_response', { problem: describeIssues(parsed.error) });
      throw new RelayError('upstream_invalid_response', 'Kount’s token answer did not match the expected shape.');
    }
    return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
  }
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to clean up.
  }
}

function errorName(cause: unknown): string {
  return cause instanceof Error ? cause.name : typeof cause;
}
