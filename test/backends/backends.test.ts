/**
 * Shops in other languages finish Kount 360 challenges through the standalone relay: the PHP
 * (`php -S`), Python (standard library) and Java 17 (`java Shop.java`) examples, each behind nginx
 * with the relay's browser API under /verify/ and the CDN build under /cdn/, driven in Chromium:
 * - an OTP checkout: a wrong code shows the wrong-code state, the right one passes, the shop's
 *   confirmation says ALLOW once and refuses a second one (409 outcome_consumed);
 * - an Account Protection sign-in: a wrong password (a Failed Attempt for Kount), then the right
 *   one, and Login v2's SMS passcode, to ALLOW;
 * - the shops' and the relay's refusals of cross-site requests, through nginx;
 * - Kount's signed webhooks through nginx, and the decision pushed to the page on the relay's
 *   event stream through nginx (a one-time link confirmed elsewhere).
 * Needs `node test/ensure-backends.js` (php-cli, nginx, a JDK) and a built dist/cdn.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { chromiumArgs, chromiumPath } from '../chromium.js';
import { SHOPS, startStack, type ShopSite, type Stack } from './stack.js';

let stack: Stack;
let browser: Browser;

before(async () => {
  const launching = chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    stack = await startStack();
  } finally {
    browser = await launching;
  }
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A phone number of its own per journey, so inbox look-ups and the relay's per-destination limits never mix journeys. */
function uniquePhone(): string {
  return `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

/** The newest code the sandbox "sent" to `to`, waiting for it to arrive. */
async function latestCode(to: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${stack.sandboxUrl}/sandbox/inbox.json?to=${encodeURIComponent(to)}`);
    const { messages } = (await response.json()) as { messages: Array<{ code?: string }> };
    const code = messages[0]?.code;
    if (code) return code;
    if (Date.now() > deadline) assert.fail(`no code was sent to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The newest one-time link the sandbox "sent" to `to`. */
async function latestLink(to: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${stack.sandboxUrl}/sandbox/inbox.json?to=${encodeURIComponent(to)}`);
    const { messages } = (await response.json()) as { messages: Array<{ link?: string }> };
    const link = messages[0]?.link;
    if (link) return link;
    if (Date.now() > deadline) assert.fail(`no link was sent to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A fresh browser profile per journey (cookies are per host, not per port), with its console and page errors kept. */
async function openPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Chromium logs every non-2xx answer as an error; the wrong code's 422 and the 401 are expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  return { context, page, problems };
}

const otpInput = (page: Page) => page.locator('verification-flow otp-entry input[autocomplete="one-time-code"]');

/** The shop's confirm route called again from the page, with the page's cookies and header. */
async function confirmAgain(page: Page, journey: 'checkout' | 'sign-in'): Promise<{ status: number; body: { error?: { code?: string } } }> {
  return page.evaluate(async (path) => {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-k360-verify': '1' }, body: '{}' });
    return { status: response.status, body: (await response.json()) as { error?: { code?: string } } };
  }, `/api/${journey}/confirm`);
}

/** The relay's admin API, as a shop's backend calls it. */
async function admin(shop: ShopSite, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.adminUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

async function cookieHeader(context: BrowserContext, origin: string): Promise<string> {
  return (await context.cookies(origin)).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

for (const name of SHOPS) {
  describe(`${name} shop behind nginx`, () => {
    const shop = (): ShopSite => stack.shops[name];

    it('serves its pages through nginx and refuses cross-site posts, as the relay does', async () => {
      const { origin } = shop();
      const health = await fetch(`${origin}/api/health`);
      assert.deepEqual(await health.json(), { shop: name });
      const page = await fetch(`${origin}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self';/);
      assert.match(await page.text(), /<script type="module" src="\/cdn\/k360-verify.js"><\/script>/);

      const checkout = (headers: Record<string, string>): Promise<Response> =>
        fetch(`${origin}/api/checkout`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: 'otp@example.com', phone: uniquePhone() }) });
      const withoutHeader = await checkout({});
      assert.equal(withoutHeader.status, 403);
      assert.equal(((await withoutHeader.json()) as { error: { code: string } }).error.code, 'csrf_rejected');
      const otherOrigin = await checkout({ 'x-k360-verify': '1', origin: 'http://evil.example' });
      assert.equal(otherOrigin.status, 403);
      assert.equal(((await otherOrigin.json()) as { error: { code: string } }).error.code, 'origin_rejected');

      // The relay behind the same site: another origin is refused; this site's own origin passes the
      // origin check (the PHP site's is RELAY_PUBLIC_ORIGIN, the others come from X-Forwarded-Host)
      // and is refused only for want of a session.
      const answer = (headers: Record<string, string>): Promise<Response> =>
        fetch(`${origin}/verify/session/answer`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-k360-verify': '1', ...headers }, body: JSON.stringify({ method: 'OTP', otp: '123456' }) });
      const foreign = await answer({ origin: 'http://evil.example' });
      assert.equal(foreign.status, 403);
      assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, 'origin_rejected');
      // The relay trusts X-Forwarded-Host/-Proto only because nginx overwrites what the client sent.
      const forged = await answer({ origin: 'http://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
      assert.equal(forged.status, 403, 'a client-sent X-Forwarded-Host reached the relay');
      const own = await answer({ origin });
      assert.notEqual(own.status, 403, `the relay refused the site's own origin: ${await own.text()}`);
    });

    it('finishes an OTP checkout in Chromium: a wrong code, the right one, one confirmation', async () => {
      const { origin } = shop();
      const { context, page, problems } = await openPage();
      try {
        const phone = uniquePhone();
        await page.goto(`${origin}/`);
        await page.getByLabel('Email').fill('otp@example.com');
        await page.getByLabel('Mobile phone').fill(phone);
        await page.getByRole('button', { name: 'Pay' }).click();
        await otpInput(page).waitFor();
        const code = await latestCode(phone);

        await otpInput(page).fill(code === '000000' ? '111111' : '000000');
        await page.locator('otp-entry [role="alert"]', { hasText: "That code isn't right" }).waitFor();
        assert.equal(await page.locator('#status').getAttribute('data-decision'), null, 'a wrong code decides nothing');

        const confirmation = page.waitForResponse((response) => response.url() === `${origin}/api/checkout/confirm`);
        await otpInput(page).fill(code);
        const confirmed = await confirmation;
        assert.equal(confirmed.status(), 200);
        assert.deepEqual(await confirmed.json(), { state: 'decided', decision: 'ALLOW' });
        await page.locator('#status[data-decision="ALLOW"]', { hasText: 'Order confirmed.' }).waitFor();

        // The same cookies cannot confirm it twice: not from the page...
        const again = await confirmAgain(page, 'checkout');
        assert.equal(again.status, 409);
        assert.equal(again.body.error?.code, 'outcome_consumed');
        // ...while the relay still tells the shop's backend what was decided, without consuming it.
        const cookies = await context.cookies(origin);
        const inquiryId = cookies.find((cookie) => cookie.name === '__Host-shop-order')?.value;
        assert.ok(inquiryId, 'the shop keeps the inquiry in its cookie');
        assert.ok(cookies.some((cookie) => cookie.name.startsWith('__Host-') && cookie.name !== '__Host-shop-order'), "the relay's cookie was passed on");
        const outcome = await admin(shop(), '/admin/v1/outcomes', { cookie: await cookieHeader(context, origin), inquiryId });
        assert.equal(outcome.status, 200);
        assert.equal(outcome.body.state, 'decided');
        assert.equal(outcome.body.decision, 'ALLOW');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    it('finishes an Account Protection sign-in in Chromium: a wrong password, then the SMS passcode', async () => {
      const { origin } = shop();
      const { context, page, problems } = await openPage();
      try {
        const phone = uniquePhone();
        await page.goto(`${origin}/sign-in`);
        await page.getByLabel('Email').fill('login-sms@example.com');
        await page.getByLabel('Password', { exact: true }).fill('not-the-password');
        await page.getByLabel('Mobile phone on the account').fill(phone);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // Shown only once the relay took the Failed Attempt (the shop answers 502 otherwise).
        await page.locator('#form-error', { hasText: 'That e-mail and password do not match.' }).waitFor();

        await page.getByLabel('Password', { exact: true }).fill('northwind');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await otpInput(page).waitFor();
        const confirmation = page.waitForResponse((response) => response.url() === `${origin}/api/sign-in/confirm`);
        await otpInput(page).fill(await latestCode(phone));
        const confirmed = await confirmation;
        assert.deepEqual(await confirmed.json(), { state: 'decided', decision: 'ALLOW' });
        await page.locator('#status[data-decision="ALLOW"]', { hasText: "You're signed in." }).waitFor();

        const again = await confirmAgain(page, 'sign-in');
        assert.equal(again.status, 409);
        assert.equal(again.body.error?.code, 'outcome_consumed');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  });
}

describe('the relay behind nginx', () => {
  it("takes Kount's signed webhooks through nginx and pushes the decision to the page on its event stream", async () => {
    const { origin } = stack.shops.php;
    const { context, page, problems } = await openPage();
    try {
      const requests: string[] = [];
      page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
      const stream = page.waitForResponse((response) => response.url() === `${origin}/verify/session/events`);
      const phone = uniquePhone();
      await page.goto(`${origin}/`);
      await page.getByLabel('Email').fill('oth-sms@example.com');
      await page.getByLabel('Mobile phone').fill(phone);
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.locator('verification-flow oth-waiting').waitFor();
      const events = await stream;
      assert.equal(events.status(), 200);
      assert.match((await events.allHeaders())['content-type'] ?? '', /^text\/event-stream/);

      const link = await latestLink(phone);
      const viewReadsBefore = requests.filter((request) => request === `GET ${origin}/verify/session`).length;
      const confirmation = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
      assert.ok(confirmation.status < 400, `the sandbox's link page answered ${confirmation.status}`);
      await page.locator('#status[data-decision="ALLOW"]', { hasText: 'Order confirmed.' }).waitFor();
      // Pushed on the stream: the page did not poll the session to learn it.
      assert.equal(requests.filter((request) => request === `GET ${origin}/verify/session`).length, viewReadsBefore);

      // Every webhook the sandbox sent in this run (this link's, the sign-ins' MFA updates) was taken, first time.
      const { deliveries } = (await (await fetch(`${stack.sandboxUrl}/sandbox/webhooks.json`)).json()) as { deliveries: Array<{ kind: string; status: number | null; target: string }> };
      assert.ok(deliveries.some((delivery) => delivery.kind === 'WebhookEventRequest'));
      assert.deepEqual(deliveries.filter((delivery) => delivery.status !== 200), []);
      assert.ok(deliveries.every((delivery) => delivery.target.endsWith('/verify/webhooks/kount')));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
