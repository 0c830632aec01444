import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LINK_PAGE_CONTENT_SECURITY_POLICY, type Sandbox } from '../../src/sandbox/index.js';
import { assess, get, getToken, harness, onlyAction, pathOf, postForm } from './helpers.js';

const PUBLIC_URL = 'https://sandbox.example.test';
const HOSTILE = '<img src=x onerror=alert(1)>';

async function openLinks(sandbox: Sandbox): Promise<{ oth: string; docv: string }> {
  const token = await getToken(sandbox);
  await assess(sandbox, token, { email: 'oth@example.com' });
  const oth = sandbox.messages.latest()?.link;
  const docvCase = await assess(sandbox, token, { email: 'docv@example.com' });
  const docv = onlyAction(docvCase).data['captureUrl'];
  assert.ok(oth && typeof docv === 'string');
  return { oth, docv };
}

function assertStrictHeaders(response: Response, label: string): void {
  assert.equal(response.headers.get('content-security-policy'), LINK_PAGE_CONTENT_SECURITY_POLICY, label);
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer', label);
  assert.equal(response.headers.get('cache-control'), 'no-store', label);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', label);
}

describe('sandbox link pages', () => {
  it('use a CSP with no script, forms only to itself and no framing', () => {
    assert.equal(LINK_PAGE_CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  });

  it('send strict headers on every answer: pages, redirects, unknown links, bad forms', async () => {
    const { sandbox } = harness();
    const { oth, docv } = await openLinks(sandbox);
    const responses: [string, Response][] = [
      ['GET oth', await get(sandbox, pathOf(oth))],
      ['GET docv', await get(sandbox, pathOf(docv))],
      ['GET unknown oth', await get(sandbox, '/sandbox/oth/unknown-token')],
      ['GET unknown docv', await get(sandbox, '/sandbox/docv/unknown-token')],
      ['POST bad oth', await postForm(sandbox, pathOf(oth), { choice: 'maybe' })],
      ['POST docv', await postForm(sandbox, pathOf(docv), { step: 'begin' })],
      ['POST oth', await postForm(sandbox, pathOf(oth), { choice: 'confirm' })],
    ];
    for (const [label, response] of responses) assertStrictHeaders(response, label);
    assert.deepEqual(
      responses.map(([, response]) => response.status),
      [200, 200, 404, 404, 400, 303, 303],
    );
    assert.match(responses[0]?.[1].headers.get('content-type') ?? '', /^text\/html/);
  });

  it('are plain HTML: no script, no inline style, a same-origin stylesheet, forms posting to a path', async () => {
    const { sandbox } = harness();
    const { oth, docv } = await openLinks(sandbox);
    for (const link of [oth, docv]) {
      const page = await (await get(sandbox, pathOf(link))).text();
      assert.ok(!/<script\b/i.test(page), 'no script');
      assert.ok(!/<style\b|\sstyle=|\son[a-z]+=/i.test(page), 'no inline style or handlers');
      assert.match(page, /<link rel="stylesheet" href="\/sandbox\/inbox.css">/);
      assert.match(page, /<form method="post" action="\/sandbox\/(oth|docv)\/[A-Za-z0-9_-]{32}"/);
      assert.match(page, /<html lang="en">/);
    }
  });

  it('build links from publicUrl, never from the Host header', async () => {
    const { sandbox } = harness({ publicUrl: PUBLIC_URL });
    const token = await getToken(sandbox);
    const request = new Request('http://evil.example/business/identity-proofing/v1/assess', {
      method: 'POST',
      headers: {
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        authorization: `Bearer ${token}`,
        'x-client-id': '900900',
        'x-correlation-id': 'c',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ strategy: 'S', inquiryId: 'i', deviceSessionId: 'd', applicant: { email: 'docv@example.com' } }),
    });
    const body = (await (await sandbox.fetch(request)).json()) as { strategy: { actions: { data: { captureUrl: string } }[] } };
    assert.ok(body.strategy.actions[0]?.data.captureUrl.startsWith(`${PUBLIC_URL}/sandbox/docv/`));
    await assess(sandbox, token, { email: 'oth-sms@example.com' });
    assert.ok(sandbox.messages.latest()?.link?.startsWith(`${PUBLIC_URL}/sandbox/oth/`));
    const page = await (await get(sandbox, `http://evil.example${pathOf(body.strategy.actions[0]?.data.captureUrl ?? '')}`, { host: 'evil.example' })).text();
    assert.ok(!page.includes('evil.example'));
    const redirect = await postForm(sandbox, `http://evil.example${pathOf(body.strategy.actions[0]?.data.captureUrl ?? '')}`, { step: 'begin' }, { host: 'evil.example' });
    assert.ok(!(redirect.headers.get('location') ?? '').includes('evil'));
  });

  it('refuse cross-site form posts and change nothing', async () => {
    const { sandbox } = harness();
    const { oth, docv } = await openLinks(sandbox);
    assert.equal((await postForm(sandbox, pathOf(oth), { choice: 'confirm' }, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await postForm(sandbox, pathOf(docv), { step: 'begin' }, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.deepEqual(
      sandbox.webhooks.events().map((event) => event.kind),
      ['DOCVerification.StatusUpdate'],
    );
    assert.match(await (await get(sandbox, pathOf(oth))).text(), /Is this you\?/);
  });

  it('read only url-encoded forms', async () => {
    const { sandbox } = harness();
    const { oth } = await openLinks(sandbox);
    const json = await sandbox.fetch(
      new Request(`http://sandbox.test${pathOf(oth)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"choice":"confirm"}' }),
    );
    assert.equal(json.status, 400);
    assert.match(await (await get(sandbox, pathOf(oth))).text(), /Is this you\?/);
  });
});

describe('sandbox inbox with links and quizzes', () => {
  it('shows OTH and DocV links as links, and KBA answers, escaping every text', async () => {
    const { sandbox } = harness({ publicUrl: PUBLIC_URL });
    const token = await getToken(sandbox);
    await assess(sandbox, token, { email: 'oth@example.com', name: { first: HOSTILE } });
    const othLink = sandbox.messages.latest()?.link ?? '';
    const docvCase = await assess(sandbox, token, { email: 'docv@example.com', name: { first: HOSTILE } });
    const docvLink = String(onlyAction(docvCase).data['captureUrl']);
    await assess(sandbox, token, { email: 'docv-sms@example.com', name: { first: HOSTILE } });
    const kbaCase = await assess(sandbox, token, { email: 'kba@example.com', name: { first: HOSTILE } });

    const response = await get(sandbox, '/sandbox/inbox');
    const page = await response.text();
    assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    assert.ok(page.includes(`<a href="${othLink}">Open link</a>`), 'the OTH link is clickable in its message');
    assert.ok(page.includes(`<a href="${othLink}">${othLink}</a>`), 'and listed among the links');
    assert.ok(page.includes(`<a href="${docvLink}">`), 'the SYNC DocV link (shown as a QR code at checkout) is listed too');
    assert.ok(!page.includes(HOSTILE));
    assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(page.includes(kbaCase.raw.authenticationId));
    // The bank holds markup on purpose: it must appear as text.
    const key = (await (await get(sandbox, `/sandbox/kba.json?authenticationId=${kbaCase.raw.authenticationId}`)).json()) as {
      answerKey: { questionText: string; correctChoices: { choiceText: string }[] }[];
    };
    for (const question of key.answerKey) {
      const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      assert.ok(page.includes(escape(question.questionText)), question.questionText);
      for (const choice of question.correctChoices) assert.ok(page.includes(escape(choice.choiceText)), choice.choiceText);
    }
    assert.ok(!/<Ltd>|<Choose one>/.test(page), 'markup from question texts never appears raw');
    for (const persona of ['kba@example.com', 'oth@example.com', 'oth-sms@example.com', 'docv@example.com', 'docv-sms@example.com', 'otp-kba@example.com']) {
      assert.ok(page.includes(persona), `explains ${persona}`);
    }
    assert.ok(!/<script\b/i.test(page));
  });

  it('inbox.json lists links with their state', async () => {
    const { sandbox } = harness();
    const { oth } = await openLinks(sandbox);
    await postForm(sandbox, pathOf(oth), { choice: 'confirm' });
    const body = (await (await get(sandbox, '/sandbox/inbox.json')).json()) as { links: { kind: string; state: string; url: string }[] };
    assert.deepEqual(
      body.links.map((link) => [link.kind, link.state]),
      [
        ['DOCV', 'live'],
        ['OTH', 'verified'],
      ],
    );
    assert.equal(body.links[1]?.url, oth);
  });
});
