/**
 * The server-to-server API, against the real sandbox: what a PHP or Java backend does, over HTTP.
 * Every answer is checked against the OpenAPI document the relay serves (status, and body against
 * that status's schema), and the suite ends by checking that every documented operation was
 * answered with its success status at least once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { SESSION_COOKIE } from '../../src/contract/browser.js';
import { createAdminApi } from '../../src/relay/index.js';
import { startSandboxRelay, type SandboxRelay } from './sandbox-relay.js';

const OLD_KEY = 'old-admin-key-0123456789-0123456789-abc';
const NEW_KEY = 'new-admin-key-0123456789-0123456789-xyz';

interface Operation {
  operationId: string;
  responses: Record<string, { content?: { 'application/json': { schema: object } } }>;
}

let harness: SandboxRelay;
let admin: { fetch(request: Request): Response | Promise<Response> };
let document: { paths: Record<string, Record<string, Operation>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();
const answered = new Set<string>();
let checkedResponses = 0;

/** The document's operation for a path, or undefined. */
function operationFor(method: string, path: string): Operation | undefined {
  return document.paths[path]?.[method.toLowerCase()];
}

/** Calls the admin API and checks the answer against the OpenAPI document. */
async function call(method: string, path: string, init: { body?: unknown; raw?: string; key?: string | null; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? NEW_KEY}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] ??= 'application/json';
  const response = await admin.fetch(
    new Request(`http://127.0.0.1${path}`, { method, headers, ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) }),
  );
  const text = await response.text();
  const body = text === '' ? undefined : JSON.parse(text);
  const operation = operationFor(method, path);
  if (operation !== undefined) {
    const documented = operation.responses[String(response.status)];
    assert.ok(documented, `${method} ${path} answered ${response.status}, which the OpenAPI document does not list: ${text}`);
    const schema = documented.content?.['application/json'].schema;
    if (schema === undefined) assert.equal(text, '', `${method} ${path} ${response.status} has no documented body`);
    else {
      const key = `${method} ${path} ${response.status}`;
      let validate = validators.get(key);
      if (validate === undefined) validators.set(key, (validate = ajv.compile(schema)));
      assert.ok(validate(body), `${key} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${text}`);
    }
    if (response.status < 300) answered.add(operation.operationId);
    checkedResponses += 1;
  }
  return { status: response.status, body, headers: response.headers };
}

function assessment(email: string, phoneNumber?: string, inquiryId = randomUUID()) {
  return { strategy: 'CheckoutStepUp', inquiryId, channel: 'WEB', deviceSessionId: randomUUID().replaceAll('-', ''), applicant: { email, ...(phoneNumber ? { phoneNumber } : {}) } };
}

function login(email: string, phoneNumber?: string) {
  return {
    inquiryId: randomUUID().replaceAll('-', ''),
    channel: 'WEB',
    deviceSessionId: randomUUID().replaceAll('-', ''),
    loginUrl: 'https://shop.example.com/login',
    account: { id: `acct-${email}`, username: email },
    person: { emailAddress: email, ...(phoneNumber ? { phoneNumber } : {}) },
    strategy: { mfaTemplateName: 'LoginMfa' },
  };
}

const newPhone = (): string => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const cookieOf = (setCookie: string): string => setCookie.split(';')[0] ?? '';

before(async () => {
  harness = await startSandboxRelay();
  admin = createAdminApi(harness.relay, { apiKeys: [NEW_KEY, OLD_KEY] });
  const response = await admin.fetch(new Request('http://127.0.0.1/admin/v1/openapi.json'));
  assert.equal(response.status, 200);
  document = (await response.json()) as typeof document;
});
after(() => harness.close());

describe('admin API: who may call it', () => {
  it('refuses a call without a key, with a wrong key, and with a key that was removed; both keys of a rotation work', async () => {
    const body = { contact: { email: 'allow@example.com' } };
    assert.equal((await call('POST', '/admin/v1/admissions', { body, key: null })).status, 401);
    const wrong = await call('POST', '/admin/v1/admissions', { body, key: 'not-a-key-0123456789-0123456789-0123' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'unauthorized');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer /);
    assert.equal((await call('POST', '/admin/v1/admissions', { body, key: OLD_KEY })).status, 201);
    assert.equal((await call('POST', '/admin/v1/admissions', { body, key: NEW_KEY })).status, 201);
    // The old key is dropped from the list: it stops working at once.
    const rotated = createAdminApi(harness.relay, { apiKeys: [NEW_KEY] });
    const refused = await rotated.fetch(new Request('http://127.0.0.1/admin/v1/admissions', { method: 'POST', headers: { authorization: `Bearer ${OLD_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    assert.equal(refused.status, 401);
    const accepted = await rotated.fetch(new Request('http://127.0.0.1/admin/v1/admissions', { method: 'POST', headers: { authorization: `Bearer ${NEW_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    assert.equal(accepted.status, 201);
  });

  it('refuses anything a browser sends (an Origin header) and answers no CORS preflight', async () => {
    const fromPage = await call('POST', '/admin/v1/admissions', { body: { contact: { email: 'allow@example.com' } }, headers: { origin: 'https://shop.example.com' } });
    assert.equal(fromPage.status, 403);
    assert.equal(fromPage.body.error.code, 'origin_rejected');
    const preflight = await admin.fetch(new Request('http://127.0.0.1/admin/v1/assessments', { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' } }));
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.notEqual(preflight.status, 204);
  });

  it('never logs key material', () => {
    const logged = JSON.stringify(harness.logger.entries);
    assert.equal(logged.includes(OLD_KEY), false);
    assert.equal(logged.includes(NEW_KEY), false);
  });
});

describe('admin API: bad input reaches nothing', () => {
  it('names the field, refuses bad JSON, wrong media types and large bodies, and Kount is never asked', async () => {
    const before = harness.sandbox.sandbox.stats().assess;
    const missing = await call('POST', '/admin/v1/assessments', { body: { contact: {}, assessment: { strategy: 'CheckoutStepUp', deviceSessionId: 'd' } } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'invalid_body');
    assert.equal(missing.body.error.field, 'assessment.inquiryId');
    const unknown = await call('POST', '/admin/v1/assessments', { body: { contact: {}, assessment: assessment('otp@example.com'), surprise: true } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'invalid_body');
    assert.equal((await call('POST', '/admin/v1/assessments', { raw: '{"contact":' })).body.error.code, 'bad_json');
    assert.equal((await call('POST', '/admin/v1/assessments', { raw: 'contact=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 415);
    const large = await call('POST', '/admin/v1/assessments', { raw: JSON.stringify({ contact: {}, assessment: assessment('otp@example.com'), pad: 'x'.repeat(70_000) }) });
    assert.equal(large.status, 413);
    assert.equal(harness.sandbox.sandbox.stats().assess, before, 'no assessment reached Kount');
    const nowhere = await call('GET', '/admin/v1/nothing-here');
    assert.equal(nowhere.status, 404);
  });
});

describe('admin API: a checkout in one call, confirmed once', () => {
  it('starts an OTP challenge, binds the browser by its cookie, and confirms the decision once for that inquiry', async () => {
    const phone = newPhone();
    const inquiryId = randomUUID();
    const started = await call('POST', '/admin/v1/assessments', { body: { clientIp: '203.0.113.7', contact: { phoneNumber: phone, email: 'otp@example.com' }, assessment: assessment('otp@example.com', phone, inquiryId) } });
    assert.equal(started.status, 200);
    assert.equal(started.body.decision, 'CHALLENGE');
    assert.equal(started.body.inquiryId, inquiryId);
    const { handle, setCookie, view } = started.body.challenge;
    assert.match(setCookie, new RegExp(`^${SESSION_COOKIE}=${handle.replace(/[.]/g, '\\.')}; Path=/; Secure; HttpOnly; SameSite=Strict`));
    assert.equal(view.action.method, 'OTP');
    const cookie = `theme=dark; ${cookieOf(setCookie)}`;

    const pending = await call('POST', '/admin/v1/outcomes', { body: { cookie, inquiryId } });
    assert.deepEqual({ state: pending.body.state, decision: pending.body.decision }, { state: 'pending', decision: null });
    assert.equal((await call('POST', '/admin/v1/confirmations', { body: { cookie, inquiryId } })).body.error.code, 'outcome_pending');

    const code = harness.sandbox.sandbox.messages.latest(phone)?.code;
    assert.ok(code);
    assert.equal((await harness.browser('/session/answer', handle, { body: { method: 'OTP', otp: code === '000000' ? '111111' : '000000' } })).status, 422);
    assert.equal((await harness.browser('/session/answer', handle, { body: { method: 'OTP', otp: code } })).status, 200);

    assert.equal((await call('POST', '/admin/v1/confirmations', { body: { cookie, inquiryId: randomUUID() } })).body.error.code, 'inquiry_mismatch');
    const confirmed = await call('POST', '/admin/v1/confirmations', { body: { cookie, inquiryId, confirmationKey: 'order-1042-capture' } });
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.decision, 'ALLOW');
    const retried = await call('POST', '/admin/v1/confirmations', { body: { cookie, inquiryId, confirmationKey: 'order-1042-capture' } });
    assert.equal(retried.status, 200, 'the same confirmation again: its answer again');
    assert.equal(retried.body.decision, 'ALLOW');
    const again = await call('POST', '/admin/v1/confirmations', { body: { handle, inquiryId } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'outcome_consumed');
    const otherKey = await call('POST', '/admin/v1/confirmations', { body: { handle, inquiryId, confirmationKey: 'order-1042-capture-2' } });
    assert.equal(otherKey.body.error.code, 'outcome_consumed');
    const receipt = await call('POST', '/admin/v1/outcomes', { body: { handle, inquiryId } });
    assert.equal(receipt.body.decision, 'ALLOW');
  });

  it('answers a decision that is not a challenge with no session, and says when the browser sent no verification cookie', async () => {
    const allowed = await call('POST', '/admin/v1/assessments', { body: { contact: { email: 'allow@example.com' }, assessment: assessment('allow@example.com') } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body.decision, 'ALLOW');
    assert.equal(allowed.body.challenge, null);
    const missing = await call('POST', '/admin/v1/confirmations', { body: { cookie: 'theme=dark', inquiryId: 'x' } });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'session_missing');
    const forged = await call('POST', '/admin/v1/outcomes', { body: { handle: 'forged.handle', inquiryId: 'x' } });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'session_invalid');
  });

  it('in cross-origin mode sets no cookie and answers the handle for the page', async () => {
    const phone = newPhone();
    const started = await call('POST', '/admin/v1/assessments', { body: { contact: { phoneNumber: phone }, crossOrigin: true, assessment: assessment('otp@example.com', phone) } });
    assert.equal(started.body.challenge.setCookie, '');
    assert.ok(started.body.challenge.handle.length > 20);
  });
});

describe('admin API: Account Protection in one call', () => {
  it('starts a Login v2 MFA by SMS, and leaves a CHALLENGE without MFA to the shop', async () => {
    const phone = newPhone();
    const mfa = await call('POST', '/admin/v1/logins', { body: { clientIp: '198.51.100.4', contact: { phoneNumber: phone }, login: login('login-sms@example.com', phone) } });
    assert.equal(mfa.status, 200);
    assert.equal(mfa.body.decision, 'CHALLENGE');
    assert.equal(mfa.body.challenge.view.action.method, 'OTP');
    assert.ok(mfa.body.decisionCorrelationId);
    const ownChallenge = await call('POST', '/admin/v1/logins', { body: { contact: { email: 'login-challenge@example.com' }, login: login('login-challenge@example.com') } });
    assert.equal(ownChallenge.body.decision, 'CHALLENGE');
    assert.equal(ownChallenge.body.challenge, null);
  });

  it('opens an account (NAO v2) in one call', async () => {
    const opened = await call('POST', '/admin/v1/new-account-openings', {
      body: {
        contact: { email: 'signup-allow@example.com' },
        newAccountOpening: {
          inquiryId: randomUUID().replaceAll('-', ''),
          channel: 'WEB',
          deviceSessionId: 'd1',
          naoUrl: 'https://shop.example.com/open-account',
          account: { id: 'acct-new', username: 'signup-allow@example.com', creationDate: new Date().toISOString() },
          person: { name: { first: 'Olivia' }, emailAddress: 'signup-allow@example.com' },
          strategy: { verificationTemplateName: 'SignUp' },
        },
      },
    });
    assert.equal(opened.status, 200);
    assert.equal(opened.body.decision, 'ALLOW');
    assert.equal(opened.body.challenge, null);
  });

  it('reports a failed attempt', async () => {
    const reported = await call('POST', '/admin/v1/failed-attempts', {
      body: { inquiryId: randomUUID().replaceAll('-', ''), channel: 'WEB', deviceSessionId: 'd2', loginUrl: 'https://shop.example.com/login', account: { id: 'acct-1', username: 'login-allow@example.com' } },
    });
    assert.equal(reported.status, 204);
  });
});

describe('admin API: the lower-level steps', () => {
  it('admits, refuses past the limit with Retry-After, and gives a count back once however often the release is sent', async () => {
    const phone = newPhone();
    const contact = { phoneNumber: phone };
    const tokens: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const admitted = await call('POST', '/admin/v1/admissions', { body: { contact } });
      assert.equal(admitted.status, 201);
      tokens.push(admitted.body.admission);
    }
    const refused = await call('POST', '/admin/v1/admissions', { body: { contact } });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'send_limited');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    for (let index = 0; index < 3; index += 1) assert.equal((await call('POST', '/admin/v1/admissions/release', { body: { admission: tokens[0] } })).status, 204);
    assert.equal((await call('POST', '/admin/v1/admissions', { body: { contact } })).status, 201, 'one count given back');
    assert.equal((await call('POST', '/admin/v1/admissions', { body: { contact } })).status, 429, 'only one: the repeated releases gave nothing more');
    const tampered = await call('POST', '/admin/v1/admissions/release', { body: { admission: `${tokens[1]}x` } });
    assert.equal(tampered.status, 400);
    assert.equal(tampered.body.error.field, 'admission');
  });

  it('starts a challenge from an assessment the shop got itself, keeping its admission', async () => {
    const phone = newPhone();
    const admitted = await call('POST', '/admin/v1/admissions', { body: { contact: { phoneNumber: phone } } });
    const kountAnswer = await harness.relay.kount.assess(assessment('otp@example.com', phone));
    const started = await call('POST', '/admin/v1/challenges', { body: { assessment: kountAnswer, contact: { phoneNumber: phone }, admission: admitted.body.admission } });
    assert.equal(started.status, 201);
    assert.equal(started.body.view.action.method, 'OTP');
    // Kept by the start: a release afterwards gives nothing back.
    assert.equal((await call('POST', '/admin/v1/admissions/release', { body: { admission: admitted.body.admission } })).status, 204);
  });

  it('starts an MFA from a Login v2 answer the shop got itself', async () => {
    const phone = newPhone();
    const request = login('login-sms@example.com', phone);
    const decision = await harness.relay.accountProtection.login(request);
    const started = await call('POST', '/admin/v1/mfa-challenges', {
      body: { product: 'login', response: decision.response, inquiryId: request.inquiryId, deviceSessionId: request.deviceSessionId, decisionCorrelationId: decision.decisionCorrelationId, contact: { phoneNumber: phone } },
    });
    assert.equal(started.status, 201);
    assert.equal(started.body.view.action.method, 'OTP');
  });
});

describe('admin API: health and its own description', () => {
  it('answers alive and ready', async () => {
    assert.deepEqual((await call('GET', '/health/alive', { key: null })).body, { status: 'alive' });
    // Opt-in (`RELAY_METRICS=prometheus`): 404 here as documented; test/relay/service-metrics.test.ts answers it with 200.
    assert.equal((await call('GET', '/metrics', { key: null })).status, 404);
    const ready = await call('GET', '/health/ready', { key: null });
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
  });

  it('has a Node twin of the same name for every operation', async () => {
    const { ADMIN_OPERATIONS } = await import('../../src/relay/admin/operations.js');
    for (const operation of ADMIN_OPERATIONS) {
      if (operation.nodeTwin === undefined) assert.equal(typeof (harness.relay as unknown as Record<string, unknown>)[operation.operationId], 'function', operation.operationId);
    }
    const admission = await harness.relay.admitChallenge({ contact: { email: 'allow@example.com' } });
    assert.equal(typeof admission.release, 'function');
    await admission.release();
  });

  it('is an OpenAPI 3.1 document, and every operation in it was answered with success above, every answer matching it', () => {
    assert.equal((document as unknown as { openapi: string }).openapi, '3.1.0');
    const documented = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId));
    const unanswered = documented.filter((id) => !answered.has(id) && id !== 'openApiDocument' && id !== 'prometheusMetrics');
    assert.deepEqual(unanswered, []);
    assert.ok(checkedResponses > 40, `${checkedResponses} answers checked`);
  });
});
