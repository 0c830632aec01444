import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE_URL, assess, getToken, harness } from './helpers.js';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

interface InboxJson {
  readonly messages: readonly {
    readonly id: string;
    readonly channel: string;
    readonly to: string;
    readonly body: string;
    readonly code: string;
    readonly sentAt: string;
    readonly authenticationId: string;
  }[];
}

async function inboxJson(sandbox: { fetch(request: Request): Promise<Response> }, query = ''): Promise<InboxJson> {
  const response = await sandbox.fetch(new Request(`${BASE_URL}/sandbox/inbox.json${query}`));
  assert.equal(response.status, 200);
  return (await response.json()) as InboxJson;
}

describe('sandbox inbox', () => {
  it('lists KBA questionnaires with their answer keys as JSON, newest first', async () => {
    const { sandbox, clock } = harness();
    const token = await getToken(sandbox);
    const first = await assess(sandbox, token, { email: 'kba@example.com' });
    clock.advance(1000);
    const second = await assess(sandbox, token, { email: 'kba@example.com' });

    const response = await sandbox.fetch(new Request(`${BASE_URL}/sandbox/inbox.json`));
    const { quizzes } = (await response.json()) as { quizzes: { authenticationId: string; answerKey: { questionText: string; correctChoices: unknown[] }[] }[] };
    assert.deepEqual(
      quizzes.map((quiz) => quiz.authenticationId),
      [second.raw.authenticationId, first.raw.authenticationId],
    );
    for (const quiz of quizzes) {
      assert.ok(quiz.answerKey.length >= 3 && quiz.answerKey.length <= 5);
      assert.ok(quiz.answerKey.every((question) => question.questionText.length > 0 && question.correctChoices.length > 0));
    }
  });

  it('lists sent messages as JSON, newest first, filtered by destination', async () => {
    const { sandbox, clock } = harness();
    const token = await getToken(sandbox);
    const sms = await assess(sandbox, token, { email: 'otp@example.com', phoneNumber: '+1 555 010 4567' });
    clock.advance(1000);
    const email = await assess(sandbox, token, { email: 'otp-email@example.com' });

    const all = await inboxJson(sandbox);
    assert.equal(all.messages.length, 2);
    const [newest, oldest] = all.messages;
    assert.equal(newest?.channel, 'EMAIL');
    assert.equal(newest?.to, 'otp-email@example.com');
    assert.equal(newest?.authenticationId, email.raw.authenticationId);
    assert.equal(oldest?.channel, 'SMS');
    assert.equal(oldest?.authenticationId, sms.raw.authenticationId);
    assert.deepEqual(Object.keys(newest ?? {}).sort(), ['authenticationId', 'body', 'channel', 'code', 'id', 'sentAt', 'to']);
    assert.ok(Date.parse(newest?.sentAt ?? '') > Date.parse(oldest?.sentAt ?? ''));

    // `+` in a query string reads as a space; the filter compares phone digits only.
    for (const query of ['?to=+15550104567', '?to=%2B15550104567', '?to=1-555-010-4567']) {
      const bySms = await inboxJson(sandbox, query);
      assert.deepEqual(bySms.messages.map((message) => message.channel), ['SMS'], query);
    }
    const byEmail = await inboxJson(sandbox, '?to=OTP-Email%40example.com');
    assert.deepEqual(byEmail.messages.map((message) => message.channel), ['EMAIL']);
    assert.equal((await inboxJson(sandbox, '?to=nobody%40example.com')).messages.length, 0);
  });

  it('renders an HTML page with codes, destinations and personas, escaping hostile text', async () => {
    const { sandbox } = harness();
    await assess(sandbox, await getToken(sandbox), { email: 'otp@example.com', name: { first: HOSTILE_NAME } });
    const code = sandbox.messages.latest()?.code ?? '';
    const response = await sandbox.fetch(new Request(`${BASE_URL}/sandbox/inbox`));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const page = await response.text();
    assert.ok(page.includes(code), 'shows the code');
    assert.ok(page.includes('+15550104567'), 'shows the full destination');
    assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the hostile name appears escaped');
    assert.ok(!page.includes(HOSTILE_NAME), 'the hostile name never appears as markup');
    for (const persona of ['allow@example.com', 'block@example.com', 'otp@example.com', 'otp-email@example.com']) {
      assert.ok(page.includes(persona), `explains ${persona}`);
    }
    assert.ok(!/<script\b/i.test(page), 'no script');
    assert.ok(!/<style\b|\sstyle=/i.test(page), 'no inline style');
    assert.match(page, /<link rel="stylesheet" href="inbox.css">/);
  });

  it('sends strict headers on the page, its stylesheet and its JSON', async () => {
    const { sandbox } = harness();
    for (const path of ['/sandbox/inbox', '/sandbox/inbox.css', '/sandbox/inbox.json']) {
      const response = await sandbox.fetch(new Request(`${BASE_URL}${path}`));
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(response.headers.get('cache-control'), 'no-store', path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(
        response.headers.get('content-security-policy'),
        "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        path,
      );
    }
    const css = await sandbox.fetch(new Request(`${BASE_URL}/sandbox/inbox.css`));
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  it('shows an empty state before anything was sent', async () => {
    const { sandbox } = harness();
    const page = await (await sandbox.fetch(new Request(`${BASE_URL}/sandbox/inbox`))).text();
    assert.match(page, /Messages \(0\)/);
    assert.deepEqual((await inboxJson(sandbox)).messages, []);
  });
});
