/**
 * How the Kount client sends its POSTs. With a `fetch` of the host's (tests, an in-process fake, a
 * proxy-aware fetch) it is that fetch, as before. Without one, on Node, it is `node:http`/`node:https`
 * with keep-alive agents: the relay's Kount calls are small JSON POSTs to one host, and a request
 * through undici's `fetch` (a `Request`, a `Response`, web streams for both bodies) cost more than
 * the relay's own work on an answer. The contract is the same either way: one time limit over the
 * request and its whole body (the caller's signal), redirects refused, bodies read only up to a cap.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readCappedBody } from './capped-body.js';

/** The part of `fetch` the client uses; `globalThis.fetch` fits, and so does an in-process fake. */
export type KountFetch = (url: string, init: RequestInit) => Promise<Response>;

/** One POST's answer; its body is read (up to a cap) or discarded, once. */
export interface PostAnswer {
  status: number;
  headers: Headers;
  /** The body as UTF-8 text; `tooLarge()` is thrown (and the rest left unread) once it passes `limitBytes`. */
  text(limitBytes: number, tooLarge: () => Error): Promise<string>;
  /** Drops the body unread. */
  discard(): Promise<void>;
}

/** A POST of `body` with `headers` to `url`; rejects (with the signal's reason, or a network error) when it cannot be sent. */
export type Post = (url: string, headers: Record<string, string>, body: string, signal: AbortSignal) => Promise<PostAnswer>;

/** The same POST through a fetch function. */
export function fetchPost(fetch: KountFetch): Post {
  return async (url, headers, body, signal) => {
    const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'error' });
    return {
      status: response.status,
      headers: response.headers,
      text: async (limitBytes, tooLarge) => Buffer.from(await readCappedBody(response, limitBytes, tooLarge)).toString('utf8'),
      discard: async () => {
        try {
          await response.body?.cancel();
        } catch {
          // Nothing to clean up.
        }
      },
    };
  };
}

/** Statuses `fetch` with `redirect: 'error'` turns into a network error. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * An idle connection is closed after this long (undici's default), before a server's usual 5 s,
 * so a call rarely lands on a connection the server is closing.
 */
const IDLE_CONNECTION_MS = 4000;

/** POSTs over `node:http`/`node:https`, one keep-alive agent each per client. */
export function nodePost(): Post {
  const http = new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' });
  const https = new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' });
  return (url, headers, body, signal) =>
    new Promise<PostAnswer>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') throw new TypeError(`Unsupported protocol ${target.protocol}`);
      if (signal.aborted) throw abortReason(signal);
      const payload = Buffer.from(body, 'utf8');
      const request = (secure ? httpsRequest : httpRequest)(target, {
        method: 'POST',
        agent: secure ? https : http,
        headers: { ...headers, 'content-length': String(payload.byteLength) },
      });
      let settled = false;
      // Until the body is read or dropped, the time limit ends the whole exchange.
      const onAbort = (): void => {
        request.destroy(abortReason(signal));
      };
      const done = (): void => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort, { once: true });
      // `on`, not `once`: a destroyed request may report a second error, which must not go unheard.
      request.on('error', (error) => {
        done();
        if (!settled) reject(error);
      });
      request.once('response', (response) => {
        settled = true;
        response.on('error', ignore);
        const status = response.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status)) {
          done();
          response.destroy();
          reject(new TypeError('unexpected redirect'));
          return;
        }
        resolve(new NodeAnswer(response, status, done, signal));
      });
      request.end(payload);
    });
}

class NodeAnswer implements PostAnswer {
  readonly status: number;
  readonly #response: IncomingMessage;
  readonly #done: () => void;
  readonly #signal: AbortSignal;
  #headers: Headers | undefined;

  constructor(response: IncomingMessage, status: number, done: () => void, signal: AbortSignal) {
    this.#response = response;
    this.status = status;
    this.#done = done;
    this.#signal = signal;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      const raw = this.#response.rawHeaders;
      for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index] ?? '', raw[index + 1] ?? '');
      this.#headers = headers;
    }
    return this.#headers;
  }

  text(limitBytes: number, tooLarge: () => Error): Promise<string> {
    const response = this.#response;
    return new Promise<string>((resolve, reject) => {
      const declared = response.headers['content-length'];
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limitBytes) {
        this.#done();
        response.destroy();
        reject(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      const finish = (error: Error | null, text?: string): void => {
        response.off('data', onData);
        response.off('end', onEnd);
        response.off('error', onError);
        response.off('aborted', onAborted);
        this.#done();
        if (error) reject(error);
        else resolve(text ?? '');
      };
      const onData = (chunk: Buffer): void => {
        total += chunk.length;
        if (total > limitBytes) {
          // Settled first: destroying the response reports it aborted.
          finish(tooLarge());
          response.destroy();
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = (): void => finish(null, (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)).toString('utf8'));
      const onError = (error: Error): void => finish(this.#signal.aborted ? abortReason(this.#signal) : error);
      const onAborted = (): void => finish(this.#signal.aborted ? abortReason(this.#signal) : new Error('The connection closed before the answer ended.'));
      response.on('data', onData);
      response.once('end', onEnd);
      response.once('error', onError);
      response.once('aborted', onAborted);
    });
  }

  async discard(): Promise<void> {
    this.#done();
    this.#response.destroy();
  }
}

function ignore(): void {}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('The request was aborted.');
}
