/**
 * A shopper's browser, as far as the multi-instance tests need one: the demo shop's API and the
 * relay's, through the cluster's balancer (or one instance directly), with the session cookie kept
 * as a browser keeps it and the CSRF header and Origin the elements send.
 */
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { CSRF_HEADER, SESSION_COOKIE, SessionView } from '../../src/contract/browser.js';

export interface Answer {
  status: number;
  body: unknown;
  /** Which instance the balancer chose (its `x-served-by`), or null past the balancer. */
  servedBy: number | null;
}

export class Shopper {
  readonly origin: string;
  #cookie = '';
  /** The shop's own cookies (its order), sent back like a browser does. */
  readonly #shopCookies = new Map<string, string>();

  /** `origin`: the shop's public address (the balancer), which the pages would be served from. */
  constructor(origin: string) {
    this.origin = origin;
  }

  /** A shopper whose page already holds the session cookie for `handle`. */
  static withHandle(origin: string, handle: string): Shopper {
    const shopper = new Shopper(origin);
    shopper.#cookie = handle;
    return shopper;
  }

  get handle(): string {
    return this.#cookie;
  }

  /** Puts an earlier session cookie back, as a shopper can in their browser's storage. */
  restoreHandle(handle: string): void {
    this.#cookie = handle;
  }

  /** Starts a checkout; the shop asks Kount and, on a challenge, sets the session cookie. */
  async checkout(email: string, phone?: string): Promise<Answer> {
    const answer = await this.#send(`${this.origin}/api/checkout`, { name: 'Olivia Shopper', email, ...(phone ? { phone } : {}) });
    if (answer.status !== 200) throw new Error(`checkout answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  async view(base = this.origin): Promise<SessionView> {
    const answer = await this.request('GET', '/session', undefined, base);
    if (answer.status !== 200) throw new Error(`GET /session answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return SessionView.parse(answer.body);
  }

  answer(body: unknown, base = this.origin): Promise<Answer> {
    return this.request('POST', '/session/answer', body, base);
  }

  resend(body: unknown = {}, base = this.origin): Promise<Answer> {
    return this.request('POST', '/session/resend', body, base);
  }

  /**
   * The shop's confirm route: what the relay says, not what the page said. `idempotencyKey`: the
   * same confirmation sent again (a retry after a lost answer) gets the same answer.
   */
  async confirm(idempotencyKey?: string): Promise<Answer> {
    return this.#send(`${this.origin}/api/checkout/confirm`, {}, 'POST', idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey });
  }

  async request(method: 'GET' | 'POST', path: string, body: unknown, base = this.origin): Promise<Answer> {
    return this.#send(`${base}/verify${path}`, body, method);
  }

  /** Opens the live-update stream on `base` (an instance, or the balancer). */
  events(base = this.origin, lastEventId?: number): Promise<EventStream> {
    const headers = { accept: 'text/event-stream', cookie: this.#cookieHeader(), ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }) };
    return new Promise((resolve, reject) => {
      const request = get(`${base}/verify/session/events`, { headers }, (response) => resolve(new EventStream(response, request)));
      request.once('error', reject);
    });
  }

  async #send(url: string, body: unknown, method: 'GET' | 'POST' = 'POST', extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', cookie: this.#cookieHeader(), ...extra };
    if (method === 'POST') Object.assign(headers, { 'content-type': 'application/json', origin: this.origin, [CSRF_HEADER]: '1', 'sec-fetch-site': 'same-origin' });
    const response = await fetch(url, { method, headers, ...(method === 'POST' ? { body: JSON.stringify(body) } : {}) });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      if (name === SESSION_COOKIE) this.#cookie = value;
      else if (separator > 0) this.#shopCookies.set(name, value);
    }
    const text = await response.text();
    const servedBy = response.headers.get('x-served-by');
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), servedBy: servedBy === null ? null : Number(servedBy) };
  }

  #cookieHeader(): string {
    const pairs = [...(this.#cookie === '' ? [] : [`${SESSION_COOKIE}=${this.#cookie}`]), ...[...this.#shopCookies].map(([name, value]) => `${name}=${value}`)];
    return pairs.join('; ');
  }
}

export interface StreamEvent {
  id: number;
  view: SessionView;
  /** `performance.timeOrigin + performance.now()` when it arrived. */
  receivedAt: number;
}

/** Server-sent events read as they arrive. */
export class EventStream {
  readonly status: number;
  readonly events: StreamEvent[] = [];
  readonly #request: ClientRequest;
  readonly #ended: Promise<void>;
  #waiters: Array<() => void> = [];
  #buffer = '';

  constructor(response: IncomingMessage, request: ClientRequest) {
    this.status = response.statusCode ?? 0;
    this.#request = request;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.#take(chunk));
    this.#ended = new Promise((resolve) => {
      response.once('end', resolve);
      response.once('close', resolve);
    });
  }

  /** Resolves once the server has ended the stream. */
  get ended(): Promise<void> {
    return this.#ended;
  }

  /** Resolves with the first event (already received or to come) that `matches`. */
  async waitFor(matches: (event: StreamEvent) => boolean, timeoutMs = 5000): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((event) => event.view))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.#request.destroy();
    await this.#ended;
  }

  #take(chunk: string): void {
    this.#buffer += chunk;
    for (let end = this.#buffer.indexOf('\n\n'); end >= 0; end = this.#buffer.indexOf('\n\n')) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      if (fields['event'] !== 'view' || fields['data'] === undefined) continue;
      this.events.push({ id: Number(fields['id']), view: SessionView.parse(JSON.parse(fields['data'])), receivedAt: performance.timeOrigin + performance.now() });
    }
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
