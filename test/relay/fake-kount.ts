/**
 * An in-process Kount 360 for the relay's tests: a `fetch` function with call counters, issued-token
 * bookkeeping (it notices an expired token) and injectable faults. Not the sandbox: small, strict
 * about headers, and scriptable per call.
 */
import type { FakeClock } from './fake-clock.js';
import { FakeCase, Refusal, type StepMethod, type StepOptions } from './fake-steps.js';

export const FAKE_API_URL = 'https://kount.test';
export const FAKE_TOKEN_URL = 'https://login.test/as/token';
export const FAKE_API_KEY = 'API-KEY-c2VjcmV0LXRlc3Qta2V5';
export const FAKE_CLIENT_ID = 'CLIENT-ID-900142';
export const CORRECT_OTP = '482913';
export const ASSESS_PATH = '/business/identity-proofing/v1/assess';
export const VERIFY_PATH = '/business/identity-proofing/v1/verify';

export type Endpoint = 'token' | 'assess' | 'verify';

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Accepts the request and never answers (until the caller aborts). */
  | { kind: 'hang' }
  | { kind: 'network' }
  /** 200 with this body instead of the real answer. */
  | { kind: 'body'; body: string };

export interface RecordedRequest {
  endpoint: Endpoint | 'unknown';
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface VerificationState {
  remainingVerificationAttempts: number;
  remainingSendAttempts: number;
  sendAttempts: number;
  verificationAttempts: number;
  status: string;
}

export interface FakeKountBehaviour {
  tokenLifetimeSeconds: number;
  channelType: 'SMS_OTP' | 'EMAIL_OTP';
  remainingVerificationAttempts: number;
  remainingSendAttempts: number;
  /** Every OTP answer gets `error.code: OTP_EXPIRED`. */
  codeExpired: boolean;
  /** Decision of the assessment. */
  assessmentDecision: string;
  /** Decision after a correct code. */
  decisionAfterVerified: string;
  /**
   * Where a verify answer reports the passcode's status and the attempts left: in the acted action's
   * `data` (the reference's response), or at the top level of the answer, as Kount's webhook model does.
   */
  statusPlacement: 'action' | 'top';
  /** Methods of the assessment's actions, the first one open. */
  methods: string[];
  /**
   * A multi-step case with stateful KBA / one-time link / DocV / OTP steps (`fake-steps.ts`) instead
   * of the OTP-only script above; `methods` is then ignored.
   */
  steps: StepMethod[] | undefined;
  stepOptions: StepOptions;
}

/** What a test may set; step options are merged with their defaults one by one. */
export type FakeKountSettings = Partial<Omit<FakeKountBehaviour, 'stepOptions'>> & { stepOptions?: Partial<StepOptions> };

export class FakeKount {
  readonly calls: Record<Endpoint | 'unknown', number> = { token: 0, assess: 0, verify: 0, unknown: 0 };
  readonly requests: RecordedRequest[] = [];
  /** Every access token handed out, in order. */
  readonly issuedTokens: string[] = [];
  /** API calls that arrived with a token past its `expires_in`: must stay 0. */
  expiredTokenUses = 0;
  readonly behaviour: FakeKountBehaviour;
  readonly #clock: FakeClock;
  readonly #faults: Record<Endpoint, Fault[]> = { token: [], assess: [], verify: [] };
  readonly #tokenExpiry = new Map<string, number>();
  readonly #revoked = new Set<string>();
  readonly #verifications = new Map<string, VerificationState>();
  readonly #cases = new Map<string, FakeCase>();
  #sequence = 0;

  constructor(clock: FakeClock, behaviour: FakeKountSettings = {}) {
    this.#clock = clock;
    this.behaviour = {
      tokenLifetimeSeconds: 1200,
      channelType: 'SMS_OTP',
      remainingVerificationAttempts: 10,
      remainingSendAttempts: 5,
      codeExpired: false,
      assessmentDecision: 'Challenge',
      decisionAfterVerified: 'Allow',
      statusPlacement: 'action',
      methods: ['OTP'],
      steps: undefined,
      ...behaviour,
      stepOptions: { othChannel: 'EMAIL', docvDelivery: 'SYNC', captureUrl: 'https://capture.kount.test/c/abc123', verdict: 'Allow', ...behaviour.stepOptions },
    };
  }

  /** The next calls to `endpoint` meet these faults, one per call, in order. */
  inject(endpoint: Endpoint, ...faults: Fault[]): void {
    this.#faults[endpoint].push(...faults);
  }

  /** Kount forgets every token it issued (key rotation, early revocation). */
  revokeIssuedTokens(): void {
    for (const token of this.issuedTokens) this.#revoked.add(token);
  }

  /** The multi-step case behind `authenticationId` (with `steps`), for tests to drive and inspect. */
  caseOf(authenticationId: string): FakeCase {
    const found = this.#cases.get(authenticationId);
    if (!found) throw new Error(`no fake case ${authenticationId}`);
    return found;
  }

  /** Parsed bodies of the verify calls so far. */
  verifyBodies(): Array<Record<string, unknown>> {
    return this.requestsTo('verify').map((request) => JSON.parse(request.body) as Record<string, unknown>);
  }

  requestsTo(endpoint: Endpoint): RecordedRequest[] {
    return this.requests.filter((request) => request.endpoint === endpoint);
  }

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const request = new Request(url, init);
    const body = await request.text();
    const endpoint = this.#endpointOf(request);
    this.calls[endpoint] += 1;
    this.requests.push({
      endpoint,
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body,
    });
    if (endpoint === 'unknown') return json({ message: 'no such operation' }, 404);

    const fault = this.#faults[endpoint].shift();
    if (fault) return this.#fail(fault, init.signal ?? undefined);

    if (endpoint === 'token') return this.#token(request, body);
    const refusal = this.#checkApiHeaders(request);
    if (refusal) return refusal;
    const payload = JSON.parse(body) as Record<string, unknown>;
    return endpoint === 'assess' ? this.#assess(payload) : this.#verify(payload);
  };

  #endpointOf(request: Request): Endpoint | 'unknown' {
    if (request.method !== 'POST') return 'unknown';
    if (request.url === FAKE_TOKEN_URL) return 'token';
    if (request.url === FAKE_API_URL + ASSESS_PATH) return 'assess';
    if (request.url === FAKE_API_URL + VERIFY_PATH) return 'verify';
    return 'unknown';
  }

  #fail(fault: Fault, signal: AbortSignal | undefined): Promise<Response> {
    switch (fault.kind) {
      case 'status':
        return Promise.resolve(new Response(fault.body ?? '{"message":"injected"}', { status: fault.status, headers: fault.headers ?? {} }));
      case 'body':
        return Promise.resolve(new Response(fault.body, { status: 200, headers: { 'content-type': 'application/json' } }));
      case 'network':
        return Promise.reject(new TypeError('fetch failed'));
      case 'hang':
        return new Promise((_resolve, reject) => {
          const abort = () => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
          if (signal?.aborted) abort();
          signal?.addEventListener('abort', abort, { once: true });
        });
    }
  }

  #token(request: Request, body: string): Response {
    const form = new URLSearchParams(body);
    const wellFormed =
      request.headers.get('authorization') === `Basic ${FAKE_API_KEY}` &&
      request.headers.get('content-type') === 'application/x-www-form-urlencoded' &&
      form.get('grant_type') === 'client_credentials' &&
      form.get('scope') === 'k1_integration_api';
    if (!wellFormed) return json({ error: 'invalid_client' }, 401);
    this.#sequence += 1;
    const token = `eyJ.TOKEN-${this.#sequence}-${Math.random().toString(36).slice(2)}.sig`;
    this.issuedTokens.push(token);
    this.#tokenExpiry.set(token, this.#clock.now() + this.behaviour.tokenLifetimeSeconds * 1000);
    return json({ access_token: token, token_type: 'Bearer', expires_in: this.behaviour.tokenLifetimeSeconds, scope: 'k1_integration_api' });
  }

  #checkApiHeaders(request: Request): Response | null {
    const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
    const expiry = this.#tokenExpiry.get(token);
    if (expiry === undefined || this.#revoked.has(token)) return json({ message: 'invalid token' }, 401);
    if (this.#clock.now() >= expiry) {
      this.expiredTokenUses += 1;
      return json({ message: 'token expired' }, 401);
    }
    if (request.headers.get('x-client-id') !== FAKE_CLIENT_ID) return json({ message: 'unknown client' }, 403);
    if (!/^[0-9a-f-]{36}$/.test(request.headers.get('x-correlation-id') ?? '')) return json({ message: 'no correlation id' }, 400);
    if (request.headers.get('content-type') !== 'application/json') return json({ message: 'json only' }, 415);
    return null;
  }

  #assess(payload: Record<string, unknown>): Response {
    this.#sequence += 1;
    const authenticationId = `auth-${this.#sequence}`;
    if (this.behaviour.steps !== undefined) {
      const fakeCase = new FakeCase(authenticationId, String(payload.inquiryId), this.behaviour.steps, this.#clock, this.behaviour.stepOptions);
      this.#cases.set(authenticationId, fakeCase);
      return json(fakeCase.toResponse());
    }
    const state: VerificationState = {
      remainingVerificationAttempts: this.behaviour.remainingVerificationAttempts,
      remainingSendAttempts: this.behaviour.remainingSendAttempts,
      sendAttempts: 1,
      verificationAttempts: 0,
      status: 'MESSAGE_SENT',
    };
    this.#verifications.set(authenticationId, state);
    return json({
      inquiryId: String(payload.inquiryId),
      authenticationId,
      decision: this.behaviour.assessmentDecision,
      strategy: {
        strategyName: String(payload.strategy),
        status: 'challenge',
        actions: this.behaviour.methods.map((method, index) =>
          index === 0 ? this.#otpAction(method, state) : { method, status: 'pending', data: {} },
        ),
      },
    });
  }

  #otpAction(method: string, state: VerificationState, error?: { code: string; message: string }): Record<string, unknown> {
    const open = state.status !== 'VERIFIED' && state.status !== 'TERMINATED';
    return {
      method,
      status: open ? 'challenge' : state.status === 'VERIFIED' ? 'completed' : 'failed',
      data: {
        mfaType: 'OTP',
        channelType: this.behaviour.channelType,
        verificationStatus: state.status,
        // Counters travel as strings, like the real API's int64s.
        sendAttempts: String(state.sendAttempts),
        verificationAttempts: String(state.verificationAttempts),
        remainingSendAttempts: String(state.remainingSendAttempts),
        remainingVerificationAttempts: String(state.remainingVerificationAttempts),
        ...(error ? { error } : {}),
      },
    };
  }

  #verify(payload: Record<string, unknown>): Response {
    const authenticationId = String(payload.authenticationId);
    const fakeCase = this.#cases.get(authenticationId);
    if (fakeCase) {
      try {
        fakeCase.submit(payload as Parameters<FakeCase['submit']>[0]);
      } catch (error) {
        if (error instanceof Refusal) return json({ message: error.message }, 400);
        throw error;
      }
      return json(fakeCase.toResponse());
    }
    const state = this.#verifications.get(authenticationId);
    if (!state) return json({ message: 'unknown authentication' }, 404);
    const strategy = payload.strategy as { actions: Array<{ method: string; data: { otp?: string; resend?: boolean } }> };
    const action = strategy.actions[0];
    let error: { code: string; message: string } | undefined;
    if (action?.data.resend) {
      state.sendAttempts += 1;
      state.remainingSendAttempts -= 1;
      state.status = state.remainingSendAttempts < 0 ? 'TERMINATED' : 'MESSAGE_SENT';
    } else if (this.behaviour.codeExpired) {
      error = { code: 'OTP_EXPIRED', message: 'The passcode has expired.' };
    } else {
      state.verificationAttempts += 1;
      if (action?.data.otp === CORRECT_OTP) {
        state.status = 'VERIFIED';
      } else {
        state.remainingVerificationAttempts -= 1;
        state.status = state.remainingVerificationAttempts <= 0 ? 'TERMINATED' : 'VERIFICATION_ATTEMPT_FAILED';
      }
    }
    const decision =
      state.status === 'VERIFIED' ? this.behaviour.decisionAfterVerified : state.status === 'TERMINATED' ? 'Decline' : 'Challenge';
    const acted = this.#otpAction(action?.method ?? 'OTP', state, error);
    if (this.behaviour.statusPlacement === 'top') {
      const { verificationStatus, remainingVerificationAttempts, ...data } = acted['data'] as Record<string, unknown>;
      return json({ inquiryId: String(payload.inquiryId), authenticationId, decision, verificationStatus, remainingVerificationAttempts, strategy: { actions: [{ ...acted, data }] } });
    }
    return json({
      inquiryId: String(payload.inquiryId),
      authenticationId,
      decision,
      strategy: { actions: [acted] },
    });
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
