import assert from 'node:assert/strict';
import { VerificationResponse } from '../../src/contract/kount/index.js';
import { createSandbox, SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export const BASE_URL = 'http://sandbox.test';
export const TOKEN_FORM = 'grant_type=client_credentials&scope=k1_integration_api';

/** A clock the test moves by hand. */
export class FakeClock {
  #ms = Date.UTC(2026, 0, 15, 12, 0, 0);
  readonly now = (): number => this.#ms;
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export interface Harness {
  readonly sandbox: Sandbox;
  readonly clock: FakeClock;
}

export function harness(options: SandboxOptions = {}): Harness {
  const clock = new FakeClock();
  return { clock, sandbox: createSandbox({ now: clock.now, ...options }) };
}

export interface TokenRequestParts {
  readonly authorization?: string | null;
  readonly body?: string;
  readonly contentType?: string;
  readonly path?: string;
}

export function tokenRequest(parts: TokenRequestParts = {}): Request {
  const headers = new Headers({ 'content-type': parts.contentType ?? 'application/x-www-form-urlencoded' });
  const authorization = parts.authorization === undefined ? `Basic ${SANDBOX_API_KEY}` : parts.authorization;
  if (authorization !== null) headers.set('authorization', authorization);
  return new Request(`${BASE_URL}${parts.path ?? SANDBOX_PATHS.token}`, { method: 'POST', headers, body: parts.body ?? TOKEN_FORM });
}

export async function getToken(sandbox: Sandbox): Promise<string> {
  const response = await sandbox.fetch(tokenRequest());
  assert.equal(response.status, 200);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export interface ApiRequestParts {
  readonly token: string;
  readonly clientId?: string | null;
  readonly correlationId?: string | null;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export function apiRequest(path: string, body: unknown, parts: ApiRequestParts): Request {
  const headers = new Headers({ authorization: `Bearer ${parts.token}`, 'content-type': parts.contentType ?? 'application/json' });
  const clientId = parts.clientId === undefined ? SANDBOX_CLIENT_ID : parts.clientId;
  if (clientId !== null) headers.set('x-client-id', clientId);
  const correlationId = parts.correlationId === undefined ? 'corr-1' : parts.correlationId;
  if (correlationId !== null) headers.set('x-correlation-id', correlationId);
  return new Request(`${BASE_URL}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(parts.signal ? { signal: parts.signal } : {}),
  });
}

let inquiryCounter = 0;

export interface Applicant {
  readonly email?: string;
  readonly phoneNumber?: string;
  readonly name?: { first?: string; last?: string };
}

export function assessmentBody(applicant?: Applicant): Record<string, unknown> {
  inquiryCounter += 1;
  return {
    strategy: 'StrategyWithStepUp',
    inquiryId: `inquiry-${inquiryCounter}`,
    channel: 'DEFAULT',
    deviceSessionId: `device-${inquiryCounter}`,
    ...(applicant ? { applicant } : {}),
  };
}

/** The raw JSON (counters as sent) next to the contract-validated view of the same response. */
export interface CaseAnswer {
  readonly raw: RawResponse;
  readonly parsed: VerificationResponse;
}

export interface RawActionData {
  readonly [field: string]: unknown;
  readonly verificationStatus?: string;
  readonly error?: { code?: string; message?: string };
}

export interface RawResponse {
  readonly inquiryId: string;
  readonly authenticationId: string;
  readonly deviceSessionId?: string;
  readonly decision: string;
  readonly strategy: {
    readonly strategyName?: string;
    readonly description?: string;
    readonly status?: string;
    readonly actions: readonly { readonly method: string; readonly status?: string; readonly data?: RawActionData }[];
  };
}

export async function readCase(response: Response): Promise<CaseAnswer> {
  assert.equal(response.status, 200, `expected 200, got ${response.status}: ${await response.clone().text()}`);
  const raw = (await response.json()) as RawResponse;
  return { raw, parsed: VerificationResponse.parse(raw) };
}

export async function assess(sandbox: Sandbox, token: string, applicant?: Applicant): Promise<CaseAnswer> {
  return readCase(await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(applicant), { token })));
}

export interface VerifyData {
  readonly otp?: string;
  readonly resend?: boolean;
}

export function verifyBody(opened: RawResponse, data: VerifyData, method = 'OTP'): Record<string, unknown> {
  return {
    inquiryId: opened.inquiryId,
    authenticationId: opened.authenticationId,
    strategy: { strategyName: opened.strategy.strategyName, actions: [{ method, data }] },
  };
}

export async function verify(sandbox: Sandbox, token: string, opened: RawResponse, data: VerifyData): Promise<CaseAnswer> {
  return readCase(await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, verifyBody(opened, data), { token })));
}

export function onlyAction(answer: CaseAnswer): { readonly method: string; readonly status?: string; readonly data: RawActionData } {
  const actions = answer.raw.strategy.actions;
  assert.equal(actions.length, 1, 'expected exactly one action');
  const action = actions[0];
  assert.ok(action?.data, 'the action has data');
  return { ...action, data: action.data };
}

/** A six-digit code guaranteed to differ from `code`. */
export function wrongCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

export interface ActionRequestOptions {
  readonly phoneNumber?: string;
  readonly email?: string;
  readonly nextAction?: boolean;
}

/** A verify call for any method with any `data`; answers the raw response so tests can check errors too. */
export function actionRequest(opened: RawResponse, method: string, data: Record<string, unknown>, token: string, options: ActionRequestOptions = {}): Request {
  const { phoneNumber, email, nextAction } = options;
  return apiRequest(
    SANDBOX_PATHS.verify,
    {
      inquiryId: opened.inquiryId,
      authenticationId: opened.authenticationId,
      strategy: { strategyName: opened.strategy.strategyName, actions: [{ method, data }], ...(nextAction === undefined ? {} : { nextAction }) },
      ...(phoneNumber === undefined ? {} : { phoneNumber }),
      ...(email === undefined ? {} : { email }),
    },
    { token },
  );
}

export async function act(
  sandbox: Sandbox,
  token: string,
  opened: RawResponse,
  method: string,
  data: Record<string, unknown>,
  options?: ActionRequestOptions,
): Promise<CaseAnswer> {
  return readCase(await sandbox.fetch(actionRequest(opened, method, data, token, options)));
}

/** The relay's read after a webhook: `nextAction: true` and empty data. */
export async function refresh(sandbox: Sandbox, token: string, opened: RawResponse, method: string): Promise<CaseAnswer> {
  return act(sandbox, token, opened, method, {}, { nextAction: true });
}

export function lastAction(answer: CaseAnswer): { readonly method: string; readonly status?: string; readonly data: RawActionData } {
  const action = answer.raw.strategy.actions.at(-1);
  assert.ok(action?.data, 'the last action has data');
  return { ...action, data: action.data };
}

export async function get(sandbox: Sandbox, pathOrUrl: string, headers: Record<string, string> = {}): Promise<Response> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${BASE_URL}${pathOrUrl}`;
  return sandbox.fetch(new Request(url, { headers }));
}

/** Posts a plain HTML form, as the link pages' buttons do. */
export async function postForm(sandbox: Sandbox, pathOrUrl: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${BASE_URL}${pathOrUrl}`;
  return sandbox.fetch(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

/** The path of a link, so a test can open it through `sandbox.fetch` whatever host it names. */
export function pathOf(link: string): string {
  return new URL(link).pathname;
}

export interface KbaKeyJson {
  readonly authenticationId: string;
  readonly questionnaireId: number;
  readonly status: string;
  readonly expiresAt: string;
  readonly remainingVerificationAttempts: number;
  readonly questions: readonly { readonly questionId: number; readonly answers: readonly number[] }[];
  readonly answerKey: readonly {
    readonly questionId: number;
    readonly questionText: string;
    readonly choiceType: string;
    readonly correctChoices: readonly { readonly choiceId: number; readonly choiceText: string }[];
  }[];
}

export async function kbaKey(sandbox: Sandbox, authenticationId: string): Promise<KbaKeyJson> {
  const response = await get(sandbox, `/sandbox/kba.json?authenticationId=${encodeURIComponent(authenticationId)}`);
  assert.equal(response.status, 200);
  return (await response.json()) as KbaKeyJson;
}
