/**
 * The README's quick start runs as shown: the recipe region below (quick-start) is the whole shop
 * backend the README prints (`readme-recipes.test.ts` keeps the two equal), configured from the
 * environment as a shop's would be, here pointed at the bundled sandbox. The tests then do what the
 * page does: a checkout that Kount challenges, the passcode from the sandbox inbox answered through
 * the relay's browser API, the confirmation (once), and a checkout without the page's header.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox } from 'k360-verify/sandbox';

// The shop's environment, before the quick start reads it: the sandbox's key, client id, token URL and webhook key.
const sandbox = await startSandbox({ port: 0 });
Object.assign(process.env, {
  KOUNT_API_URL: sandbox.url,
  KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
  KOUNT_API_KEY: SANDBOX_API_KEY,
  KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
  KOUNT_WEBHOOK_PUBLIC_KEY: sandbox.sandbox.webhookPublicKey,
  RELAY_SESSION_SECRET: randomBytes(32).toString('hex'),
  // The relay's info lines (a session started, an outcome confirmed) would fill the test output; a warning still shows.
  RELAY_LOG_LEVEL: 'warn',
});

// #region recipe quick-start
import { createServer } from 'node:http';
import { OutcomeError, RelayError, createRelay, relayOptionsFromEnv, toNodeListener } from 'k360-verify/relay';

const relay = createRelay(relayOptionsFromEnv()); // KOUNT_* and RELAY_* variables: docs/relay/configuration.md
const relayListener = toNodeListener(relay); // the element's API and Kount's webhooks, under /verify
const server = createServer(async (req, res) => {
  try {
    if (req.url?.startsWith('/verify/')) return await relayListener(req, res);
    const order = orderOf(req); // yours: the order in the shopper's session, with its inquiryId at Kount
    if (req.method === 'POST' && req.url === '/api/checkout') {
      relay.assertMayChangeState(asFetchRequest(req)); // 403 unless the page's fetch sent x-k360-verify: 1
      const { contact, deviceSessionId } = await readCheckoutForm(req); // contact: { email, phoneNumber }
      const admission = await relay.admitChallenge({ contact, clientIp: relay.clientAddress(req) });
      const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: order.inquiryId, channel: 'WEB', deviceSessionId, applicant: contact });
      const decision = assessment.decision.toUpperCase();
      if (decision === 'CHALLENGE') res.setHeader('set-cookie', (await relay.startChallenge({ assessment, contact, admission })).setCookie);
      else await admission.release(); // nothing was sent
      return res.end(JSON.stringify({ decision })); // CHALLENGE: the page shows <verification-flow relay="/verify">
    }
    if (req.method === 'POST' && req.url === '/checkout/confirm') {
      const { decision } = await relay.confirm(relay.handleFromCookie(req.headers.cookie ?? null) ?? '', { inquiryId: order.inquiryId });
      return res.end(JSON.stringify({ decision })); // ALLOW: take the payment (no cookie, so '': 401)
    }
    res.writeHead(404).end();
  } catch (error) { // RelayError: 403 csrf_rejected, 429 send_limited…; OutcomeError: 409 outcome_consumed (a second confirm)…
    const known = error instanceof RelayError || error instanceof OutcomeError;
    res.writeHead(known ? error.status : 500).end(JSON.stringify({ error: known ? error.code : 'internal_error' }));
  }
});
// #endregion recipe quick-start

// What the shop has already, outside the quick start: its own session with the order, its body parsing, and the
// fetch `Request` the relay's Origin check reads (as in test/consumers/node-http/server.ts).

interface Order {
  readonly inquiryId: string;
}
const ordersByCart = new Map<string, Order>();

/** The order in the shopper's own session (here a `cart` cookie), with the id Kount knows it by. */
function orderOf(request: IncomingMessage): Order {
  const cart = /(?:^|;\s*)cart=([\w-]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
  let order = ordersByCart.get(cart);
  if (order === undefined) ordersByCart.set(cart, (order = { inquiryId: randomUUID() }));
  return order;
}

interface CheckoutForm {
  contact: { email: string; phoneNumber?: string };
  deviceSessionId: string; // the id the page gave Kount's device data collector
}

/** The checkout form's JSON body. */
async function readCheckoutForm(request: IncomingMessage): Promise<CheckoutForm> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return JSON.parse(body) as CheckoutForm;
}

/** The method, the URL (on the `Host` asked for) and the headers, as the fetch `Request` the relay's check takes. */
function asFetchRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, values] of Object.entries(request.headersDistinct)) for (const value of values ?? []) headers.append(name, value);
  return new Request(new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`), { method: request.method ?? 'GET', headers });
}

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const shopUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** A POST as the shop's page sends it: JSON, with the relay's header and the shop's own Origin unless told otherwise. */
function post(path: string, body: unknown, headers: Record<string, string | undefined> = {}): Promise<Response> {
  const sent = Object.entries({ 'content-type': 'application/json', 'x-k360-verify': '1', origin: shopUrl, ...headers });
  return fetch(`${shopUrl}${path}`, {
    method: 'POST',
    headers: sent.filter((entry): entry is [string, string] => entry[1] !== undefined),
    body: JSON.stringify(body),
  });
}

const checkoutForm = (email: string, phoneNumber?: string): CheckoutForm => ({
  contact: { email, ...(phoneNumber === undefined ? {} : { phoneNumber }) },
  deviceSessionId: randomUUID().replaceAll('-', ''),
});

describe('README quick start', () => {
  after(async () => {
    await relay.close();
    await sandbox.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('checks out with a passcode, answered in the page, and confirms ALLOW once', async () => {
    const phoneNumber = '+15550104567';
    const checkout = await post('/api/checkout', checkoutForm('otp@example.com', phoneNumber), { cookie: 'cart=cart-1' });
    assert.equal(checkout.status, 200);
    assert.deepEqual(await checkout.json(), { decision: 'CHALLENGE' });
    const relayCookie = checkout.headers.get('set-cookie')?.split(';')[0] ?? '';
    assert.match(relayCookie, /^__Host-[^=]+=./);

    const code = sandbox.sandbox.messages.latest(phoneNumber)?.code;
    assert.ok(code, 'the sandbox inbox holds the code');
    const answer = await post('/verify/session/answer', { method: 'OTP', otp: code }, { cookie: relayCookie });
    assert.equal(answer.status, 200, await answer.clone().text());

    const confirm = () => post('/checkout/confirm', {}, { cookie: `cart=cart-1; ${relayCookie}` });
    const confirmed = await confirm();
    assert.equal(confirmed.status, 200);
    assert.deepEqual(await confirmed.json(), { decision: 'ALLOW' });
    // docs/relay/confirm-and-outcome.md: the decision is confirmed once; a second confirmation is a 409 outcome_consumed.
    const again = await confirm();
    assert.equal(again.status, 409);
    assert.deepEqual(await again.json(), { error: 'outcome_consumed' });
  });

  it('refuses a checkout without the page header with 403, before anything is sent', async () => {
    const phoneNumber = '+15550107788';
    const refused = await post('/api/checkout', checkoutForm('otp@example.com', phoneNumber), { cookie: 'cart=cart-2', 'x-k360-verify': undefined });
    assert.equal(refused.status, 403);
    assert.deepEqual(await refused.json(), { error: 'csrf_rejected' });
    assert.equal(refused.headers.get('set-cookie'), null);
    assert.equal(sandbox.sandbox.messages.latest(phoneNumber), undefined, 'no code was sent');
  });

  it('answers the decision, and sets no cookie, when Kount does not challenge', async () => {
    const checkout = await post('/api/checkout', checkoutForm('allow@example.com'), { cookie: 'cart=cart-3' });
    assert.equal(checkout.status, 200);
    assert.deepEqual(await checkout.json(), { decision: 'ALLOW' });
    assert.equal(checkout.headers.get('set-cookie'), null);
  });

  it('refuses a confirmation from a browser without the verification cookie', async () => {
    const confirmed = await post('/checkout/confirm', {}, { cookie: 'cart=cart-1' });
    assert.equal(confirmed.status, 401);
    assert.deepEqual(await confirmed.json(), { error: 'session_invalid' });
  });
});
