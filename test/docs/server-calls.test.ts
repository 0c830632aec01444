/**
 * The docs' server-side pages run as shown (docs/sandbox.md, docs/relay/server-calls.md): the
 * bundled sandbox started on its own with `startSandbox()`, a relay given the sandbox's key, client
 * id, token URL and webhook key, then a checkout (`admitChallenge`, `kount.assess`,
 * `startChallenge`, the page's answer, `confirm` once), the one-call start, a sign-in (Login v2 with
 * its MFA, a Failed Attempt) and the shop's own route guarded by `assertMayChangeState`. Each
 * `#region recipe` below is copied into the pages; `readme-recipes.test.ts` keeps them equal.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { OutcomeError, RelayError, toNodeListener, type NodeListener, type Relay } from 'k360-verify/relay';

// The shop's server listens first: the sandbox needs the relay's webhook address when it starts.
let listener: NodeListener | undefined;
const server = createServer((request, response) => void listener?.(request, response));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.env.SHOP_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// #region recipe sandbox-alone
import { randomBytes } from 'node:crypto';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox } from 'k360-verify/sandbox';
import { createRelay } from 'k360-verify/relay';

const shopUrl = process.env.SHOP_URL ?? 'http://localhost:3000'; // where the relay answers, under /verify
// On 127.0.0.1 (`host` to change it), a free port (`port: 4010` to pin one), webhooks signed and posted to the relay.
const sandbox = await startSandbox({ port: 0, webhookUrl: `${shopUrl}/verify/webhooks/kount` });
const relay = createRelay({
  apiUrl: sandbox.url, // KOUNT_API_URL
  tokenUrl: sandbox.url + SANDBOX_PATHS.token, // KOUNT_TOKEN_URL: `${url}/as/token`
  apiKey: SANDBOX_API_KEY, // KOUNT_API_KEY: Base64 of 900900:sandbox-secret
  clientId: SANDBOX_CLIENT_ID, // KOUNT_CLIENT_ID: 900900
  webhookPublicKey: sandbox.sandbox.webhookPublicKey, // KOUNT_WEBHOOK_PUBLIC_KEY: PEM, made per sandbox
  sessionSecret: randomBytes(32).toString('hex'), // RELAY_SESSION_SECRET
});
// Every code and link it "sent": `${sandbox.url}/sandbox/inbox`, or sandbox.sandbox.messages.latest(phoneOrEmail)
// #endregion recipe sandbox-alone
listener = toNodeListener(relay);

// #region recipe server-checkout
/** POST /api/checkout: ask Kount, and on CHALLENGE bind this browser to the verification. */
async function checkout(relay: Relay, shopper: { email: string; phoneNumber?: string }, clientIp: string | undefined) {
  const contact = { email: shopper.email, ...(shopper.phoneNumber ? { phoneNumber: shopper.phoneNumber } : {}) };
  // Kount sends the first code with its answer: the limits across sessions first (RelayError 429 send_limited).
  const admission = await relay.admitChallenge({ contact, ...(clientIp ? { clientIp } : {}) });
  const inquiryId = randomUUID(); // the order's id at Kount; keep it with the order
  const assessment = await relay.kount.assess({
    strategy: 'CheckoutStepUp', // the Identity Proofing strategy your Kount account runs
    inquiryId,
    channel: 'WEB',
    deviceSessionId: randomUUID().replaceAll('-', ''), // the id the page gave Kount's device data collector
    applicant: contact, // where Kount may send a code or link
    // also accepted: creationDateTime, userIp, account { id }, coApplicant, product, customFields, memberId
  });
  if (assessment.decision.toUpperCase() !== 'CHALLENGE') {
    await admission.release(); // nothing was sent: give the counts back
    return { outcome: assessment.decision.toUpperCase(), inquiryId, setCookie: '' };
  }
  // handle: the session's signed handle; setCookie: the same as a __Host- cookie; view: the first step
  const { setCookie, view } = await relay.startChallenge({ assessment, contact, admission });
  return { outcome: 'CHALLENGE', inquiryId, setCookie, view }; // send setCookie, then the page with <verification-flow>
}
// #endregion recipe server-checkout

/** What the browser does in the element: answer the passcode through the relay's browser API. */
async function answerInPage(cookie: string, otp: string): Promise<Response> {
  return fetch(`${shopUrl}/verify/session/answer`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-k360-verify': '1', origin: shopUrl },
    body: JSON.stringify({ method: 'OTP', otp }),
  });
}

const cookieOf = (setCookie: string) => setCookie.split(';')[0] ?? '';

describe('docs: the sandbox on its own and the server-side calls', () => {
  after(async () => {
    await relay.close();
    await sandbox.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('checks out with a passcode from the sandbox inbox and confirms once', async () => {
    const phoneNumber = '+15550104567';
    const started = await checkout(relay, { email: 'otp@example.com', phoneNumber }, '203.0.113.7');
    assert.equal(started.outcome, 'CHALLENGE');
    assert.equal(started.view?.state === 'challenge' && started.view.action.method, 'OTP');
    const code = sandbox.sandbox.messages.latest(phoneNumber)?.code;
    assert.ok(code, 'the sandbox inbox holds the code');
    assert.equal((await answerInPage(cookieOf(started.setCookie), code)).status, 200);

    const request = new Request(`${shopUrl}/checkout/confirm`, { method: 'POST', headers: { cookie: cookieOf(started.setCookie) } });
    const order = { inquiryId: started.inquiryId };
    // #region recipe server-confirm
    // POST /checkout/confirm, for the order in the shopper's own session: the decision that counts, once.
    const handle = relay.handleFromCookie(request.headers.get('cookie'));
    if (handle === null) throw new Error('no verification in this browser: start again');
    const { decision } = await relay.confirm(handle, { inquiryId: order.inquiryId });
    // ALLOW: take the payment. A second confirm throws OutcomeError outcome_consumed (answer 409);
    // relay.outcome(handle, { inquiryId }) reads it without consuming it (a receipt page).
    // #endregion recipe server-confirm
    assert.equal(decision, 'ALLOW');
    await assert.rejects(relay.confirm(handle, order), (error) => error instanceof OutcomeError && error.code === 'outcome_consumed');
    assert.equal((await relay.outcome(handle, order)).state, 'decided');
  });

  it('gives the counts back when Kount does not challenge', async () => {
    const started = await checkout(relay, { email: 'allow@example.com' }, '203.0.113.8');
    assert.equal(started.outcome, 'ALLOW');
    assert.equal(started.setCookie, '');
  });

  it('starts a checkout in one call', async () => {
    // #region recipe server-one-call
    const answer = await relay.startAssessment({
      clientIp: '203.0.113.9', // relay.clientAddress(req)
      contact: { email: 'otp-email@example.com' },
      assessment: { strategy: 'CheckoutStepUp', inquiryId: randomUUID(), channel: 'WEB', deviceSessionId: 'a1b2c3d4', applicant: { email: 'otp-email@example.com' } },
    });
    // answer.decision is Kount's; on CHALLENGE answer.challenge holds { handle, setCookie, view }
    // #endregion recipe server-one-call
    assert.equal(answer.decision, 'CHALLENGE');
    assert.ok(answer.challenge?.setCookie.startsWith('__Host-'));
  });

  it('signs in with Login v2 and its MFA, and reports a wrong password', async () => {
    const email = 'login-sms@example.com';
    const phoneNumber = '+15550104567';
    // #region recipe server-login
    const inquiryId = randomUUID().replaceAll('-', ''); // Account Protection ids carry no hyphens
    const admission = await relay.admitChallenge({ contact: { email, phoneNumber }, clientIp: '203.0.113.10' });
    const login = await relay.accountProtection.login({
      inquiryId,
      deviceSessionId: 'a1b2c3d4',
      account: { id: 'user-1042', username: 'shopper42' },
      person: { emailAddress: email, phoneNumber },
      strategy: { mfaTemplateName: 'SandboxLogin' }, // the MFA template of your Kount account
    });
    let setCookie = ''; // send it with the page holding <verification-flow>; the relay reports Challenge Outcome itself
    if (login.decision === 'CHALLENGE' && login.challenge?.kind?.method) {
      ({ setCookie } = await relay.startMfaChallenge({ decision: login, contact: { email, phoneNumber }, admission }));
    } else await admission.release();
    // a wrong password before it: Kount's Failed Attempt (204 over the admin API)
    await relay.reportFailedAttempt({ inquiryId: randomUUID().replaceAll('-', ''), account: { id: 'user-1042', username: 'shopper42' } });
    // #endregion recipe server-login
    assert.equal(login.decision, 'CHALLENGE');
    assert.ok(setCookie.startsWith('__Host-'), 'the MFA started');
  });

  it("refuses the shop's own state change without the page's x-k360-verify header", () => {
    const page = (headers: Record<string, string>) => new Request(`${shopUrl}/api/checkout`, { method: 'POST', headers });
    // #region recipe assert-may-change-state
    // In the shop's POST /api/checkout, before anything is sent: the page's fetch must carry
    // `x-k360-verify: 1` (a form on another site cannot), and an Origin, when there is one, of the shop's own.
    relay.assertMayChangeState(page({ 'x-k360-verify': '1', origin: shopUrl })); // passes
    assert.throws(() => relay.assertMayChangeState(page({ origin: shopUrl })), RelayError); // 403 csrf_rejected
    // #endregion recipe assert-may-change-state
    assert.throws(
      () => relay.assertMayChangeState(page({ 'x-k360-verify': '1', origin: 'https://evil.example' })),
      (error) => error instanceof RelayError && error.status === 403,
    );
  });
});
