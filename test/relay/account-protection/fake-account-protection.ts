/**
 * Account Protection endpoints in front of `FakeKount` (which keeps issuing and checking tokens):
 * records every call, answers each path with a scripted body, and gives each decision its own
 * `x-correlation-id` (not the request's), so tests can tell which one the client kept.
 */
import { FAKE_API_URL, FAKE_CLIENT_ID, type FakeKount, type Fault, type RecordedRequest } from '../fake-kount.js';

export const AP_PATHS = {
  login: '/login/v2',
  newAccountOpening: '/newaccountopening/v2',
  challengeOutcome: '/events/challenge-outcome',
  failedAttempt: '/events/failed-attempt',
  resend: '/login/v2/resend',
  verifyPasscode: '/login/v2/verify',
} as const;
export type ApEndpoint = keyof typeof AP_PATHS;

export interface ScriptedAnswer {
  status?: number;
  body: unknown;
  /** `null` leaves the header out. Default: `decision-<n>` on decisions, the request's id on the rest. */
  correlationId?: string | null;
}

export class FakeAccountProtection {
  readonly requests: Array<RecordedRequest & { ap: ApEndpoint | 'token' | 'unknown' }> = [];
  readonly answers: Record<ApEndpoint, ScriptedAnswer> = {
    login: { body: { decision: 'CHALLENGE', deviceSessionId: 'device1', mfa: { ID: 'mfa-1', type: 'SMS_OTP' } } },
    newAccountOpening: { body: { decision: 'ALLOW', deviceSessionId: 'device1' } },
    challengeOutcome: { body: {} },
    failedAttempt: { body: {} },
    resend: { body: { mfaId: 'mfa-1', mfaStatus: 'MESSAGE_SENT', sendAttempts: '2' } },
    verifyPasscode: { body: { mfaId: 'mfa-1', mfaStatus: 'VERIFIED', verificationAttempts: '1' } },
  };
  readonly #kount: FakeKount;
  readonly #faults: Fault[] = [];
  #decisions = 0;

  constructor(kount: FakeKount) {
    this.#kount = kount;
  }

  /** The next Account Protection calls meet these faults, one per call. */
  inject(...faults: Fault[]): void {
    this.#faults.push(...faults);
  }

  to(endpoint: ApEndpoint): Array<RecordedRequest & { ap: ApEndpoint | 'token' | 'unknown' }> {
    return this.requests.filter((request) => request.ap === endpoint);
  }

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const endpoint = (Object.keys(AP_PATHS) as ApEndpoint[]).find((name) => url === FAKE_API_URL + AP_PATHS[name]);
    if (endpoint === undefined) {
      const response = await this.#kount.fetch(url, init);
      this.requests.push({ ...(this.#kount.requests.at(-1) as RecordedRequest), ap: url.startsWith(FAKE_API_URL) ? 'unknown' : 'token' });
      return response;
    }
    const request = new Request(url, init);
    const body = await request.text();
    this.requests.push({ endpoint: 'unknown', ap: endpoint, method: request.method, url, headers: Object.fromEntries(request.headers), body });
    const fault = this.#faults.shift();
    if (fault?.kind === 'status') return new Response(fault.body ?? '{}', { status: fault.status, headers: fault.headers ?? {} });
    if (fault?.kind === 'network') throw new TypeError('fetch failed');
    const refusal = this.#checkHeaders(request);
    if (refusal) return refusal;
    const scripted = this.answers[endpoint];
    const isDecision = endpoint === 'login' || endpoint === 'newAccountOpening';
    const requestId = request.headers.get('x-correlation-id') ?? '';
    const correlationId = scripted.correlationId === undefined ? (isDecision ? `decision-${++this.#decisions}` : requestId) : scripted.correlationId;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (correlationId !== null) headers['x-correlation-id'] = correlationId;
    return new Response(JSON.stringify(scripted.body), { status: scripted.status ?? 200, headers });
  };

  /** Same rules as FakeKount: a token it issued and has not revoked, the client id, JSON. */
  #checkHeaders(request: Request): Response | null {
    const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
    if (!this.#kount.issuedTokens.includes(token) || this.#revoked.has(token)) return new Response('{"message":"invalid token"}', { status: 401 });
    if (request.headers.get('x-client-id') !== FAKE_CLIENT_ID) return new Response('{}', { status: 403 });
    if (request.headers.get('content-type') !== 'application/json') return new Response('{}', { status: 415 });
    return null;
  }

  readonly #revoked = new Set<string>();

  /** Kount forgets the tokens issued so far. */
  revokeIssuedTokens(): void {
    for (const token of this.#kount.issuedTokens) this.#revoked.add(token);
  }
}
