import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocVerificationStatusUpdateEvent, DocVOnboardingEventRequest, DocVResultsEventRequest } from '../../src/contract/kount/index.js';
import { DEFAULT_SMS_DESTINATION, type DocvPageStep, type Sandbox } from '../../src/sandbox/index.js';
import { act, actionRequest, assess, type CaseAnswer, get, getToken, harness, jsonOf, onlyAction, pathOf, postForm, refresh } from './helpers.js';

const PUBLIC_URL = 'https://sandbox.example.test';

async function openDocvCase(sandbox: Sandbox, email = 'docv@example.com'): Promise<{ token: string; opened: CaseAnswer; link: string }> {
  const token = await getToken(sandbox);
  const opened = await assess(sandbox, token, { email, name: { first: 'Ada', last: 'Lovelace' } });
  const captureUrl = onlyAction(opened).data['captureUrl'];
  const link = typeof captureUrl === 'string' ? captureUrl : sandbox.messages.latest()?.link;
  assert.ok(link, 'a capture link');
  return { token, opened, link };
}

async function step(sandbox: Sandbox, link: string, name: DocvPageStep): Promise<void> {
  const response = await postForm(sandbox, pathOf(link), { step: name });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), pathOf(link));
}

async function capture(sandbox: Sandbox, link: string, result: 'verified' | 'failed' | 'needs-retry'): Promise<void> {
  for (const name of ['begin', 'capture', 'process', result] as const) await step(sandbox, link, name);
}

function events(sandbox: Sandbox): { kind: string; body: Record<string, unknown> }[] {
  return sandbox.webhooks.events().map((event) => ({ kind: event.kind, body: JSON.parse(event.body) as Record<string, unknown> }));
}

function statuses(sandbox: Sandbox): unknown[] {
  return events(sandbox)
    .filter((event) => event.kind === 'DOCVerification.StatusUpdate')
    .map((event) => event.body['documentVerificationStatus']);
}

describe('sandbox document verification (DOCV)', () => {
  it('docv@example.com (SYNC) answers a captureUrl built from publicUrl and sends no message', async () => {
    const { sandbox } = harness({ publicUrl: PUBLIC_URL });
    const { opened, link } = await openDocvCase(sandbox);
    assert.equal(opened.raw.decision, 'Challenge');
    const action = onlyAction(opened);
    assert.equal(action.method, 'DOCV');
    assert.equal(action.status, 'challenge');
    assert.match(link, /^https:\/\/sandbox\.example\.test\/sandbox\/docv\/[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(action.data, {
      sessionId: action.data['sessionId'],
      documentVerificationStatus: 'MESSAGE_SENT',
      deliveryMode: 'SYNC',
      captureUrl: link,
      sendAttempts: '1',
      remainingSendAttempts: '3',
      verificationAttempts: '0',
      remainingRetries: '1',
      retryAllowed: false,
    });
    const parsed = opened.parsed.strategy?.actions[0]?.data;
    assert.equal(parsed?.remainingRetries, 1);
    assert.equal(parsed?.retryAllowed, false);
    assert.equal(parsed?.deliveryMode, 'SYNC');
    assert.equal(sandbox.messages.list().length, 0);
    assert.deepEqual(statuses(sandbox), ['MESSAGE_SENT']);
  });

  it('docv-sms@example.com texts the capture link and keeps it out of the response', async () => {
    const { sandbox } = harness();
    const { opened, link } = await openDocvCase(sandbox, 'docv-sms@example.com');
    const action = onlyAction(opened);
    assert.equal(action.data['deliveryMode'], 'SMS');
    assert.equal(action.data['captureUrl'], undefined);
    const message = sandbox.messages.latest();
    assert.equal(message?.channel, 'SMS');
    assert.equal(message?.to, DEFAULT_SMS_DESTINATION);
    assert.equal(message?.link, link);
    assert.ok(message?.body.includes(link));
  });

  it('the fake phone walks begin → capture → processing → verified, with a webhook at each step', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openDocvCase(sandbox);
    const expectStatus = async (status: string): Promise<void> => {
      const answer = await refresh(sandbox, token, opened.raw, 'DOCV');
      assert.equal(onlyAction(answer).data['documentVerificationStatus'], status);
    };
    let page = await (await get(sandbox, pathOf(link))).text();
    assert.match(page, /name="step" value="begin"/);
    await step(sandbox, link, 'begin');
    await expectStatus('FLOW_BEGUN');
    page = await (await get(sandbox, pathOf(link))).text();
    assert.match(page, /name="step" value="capture"/);
    await step(sandbox, link, 'capture');
    await expectStatus('CAPTURED');
    await step(sandbox, link, 'process');
    await expectStatus('PROCESSING');
    page = await (await get(sandbox, pathOf(link))).text();
    for (const result of ['verified', 'failed', 'needs-retry']) assert.match(page, new RegExp(`name="step" value="${result}"`));
    await step(sandbox, link, 'verified');

    const done = await refresh(sandbox, token, opened.raw, 'DOCV');
    assert.equal(done.raw.decision, 'Allow');
    const action = onlyAction(done);
    assert.equal(action.status, 'passed');
    assert.equal(action.data['documentVerificationStatus'], 'VERIFIED');
    assert.equal(action.data['verificationAttempts'], '1');
    assert.equal(action.data['captureUrl'], undefined, 'a used link is no longer offered');
    assert.match(await (await get(sandbox, pathOf(link))).text(), /Result: <strong class="status">VERIFIED<\/strong>/);

    const sessionId = action.data['sessionId'];
    assert.deepEqual(
      events(sandbox).map((event) => [event.kind, event.body['documentVerificationStatus'] ?? event.body['status'] ?? '']),
      [
        ['DOCVerification.StatusUpdate', 'MESSAGE_SENT'],
        ['DOCVerification.StatusUpdate', 'FLOW_BEGUN'],
        ['DocVOnboardingEventRequest', 'FLOW_BEGUN'],
        ['DOCVerification.StatusUpdate', 'CAPTURED'],
        ['DOCVerification.StatusUpdate', 'PROCESSING'],
        ['DOCVerification.StatusUpdate', 'VERIFIED'],
        ['DocVResultsEventRequest', ''],
      ],
    );
    const all = events(sandbox);
    const update = all.find((event) => event.body['documentVerificationStatus'] === 'VERIFIED')?.body;
    assert.deepEqual(update, {
      id: update?.['id'],
      eventType: 'DOCVerification.StatusUpdate',
      apiVersion: 'v1',
      clientId: '900900',
      documentVerificationStatus: 'VERIFIED',
      authenticationId: opened.raw.authenticationId,
      sessionId,
      sendAttempts: '1',
      verificationAttempts: '1',
    });
    assert.ok(DocVerificationStatusUpdateEvent.safeParse(update).success);
    const ids = all.filter((event) => event.kind === 'DOCVerification.StatusUpdate').map((event) => event.body['id']);
    assert.equal(new Set(ids).size, ids.length, 'every update has its own envelope id');
    const onboarding = all.find((event) => event.kind === 'DocVOnboardingEventRequest')?.body;
    assert.deepEqual(onboarding, { sessionId, status: 'FLOW_BEGUN' });
    assert.ok(DocVOnboardingEventRequest.safeParse(onboarding).success);
    const results = all.find((event) => event.kind === 'DocVResultsEventRequest')?.body;
    assert.ok(DocVResultsEventRequest.safeParse(results).success);
    assert.equal(results?.['sessionId'], sessionId);
    assert.deepEqual(Object.keys(results ?? {}).sort(), ['image', 'ocr', 'score', 'sessionId']);
    assert.equal((results?.['ocr'] as Record<string, unknown>)['lastName'], 'Lovelace');
  });

  it('steps out of order change nothing; unknown steps are refused', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openDocvCase(sandbox);
    await step(sandbox, link, 'capture');
    await step(sandbox, link, 'verified');
    assert.deepEqual(await refresh(sandbox, token, opened.raw, 'DOCV').then((answer) => answer.raw), opened.raw);
    assert.equal((await postForm(sandbox, pathOf(link), { step: 'teleport' })).status, 400);
    assert.equal((await postForm(sandbox, pathOf(link), {})).status, 400);
    assert.deepEqual(statuses(sandbox), ['MESSAGE_SENT']);
  });

  for (const result of ['failed', 'needs-retry'] as const) {
    const status = result === 'failed' ? 'FAILED' : 'NEEDS_RETRY';
    it(`${status} allows one retry with a new link; a second ${status} declines and no second retry is possible`, async () => {
      const { sandbox } = harness();
      const { token, opened, link } = await openDocvCase(sandbox);
      await capture(sandbox, link, result);
      const first = await refresh(sandbox, token, opened.raw, 'DOCV');
      assert.equal(first.raw.decision, 'Challenge');
      let action = onlyAction(first);
      assert.equal(action.status, 'challenge');
      assert.equal(action.data['documentVerificationStatus'], status);
      assert.equal(action.data['retryAllowed'], true);
      assert.equal(action.data['remainingRetries'], '1');
      assert.equal(action.data['captureUrl'], undefined);

      const retried = await act(sandbox, token, opened.raw, 'DOCV', { resend: true });
      action = onlyAction(retried);
      assert.equal(action.data['documentVerificationStatus'], 'MESSAGE_SENT');
      assert.equal(action.data['remainingRetries'], '0');
      assert.equal(action.data['retryAllowed'], false);
      assert.equal(action.data['sendAttempts'], '2');
      assert.equal(action.data['sessionId'], onlyAction(opened).data['sessionId']);
      const newLink = action.data['captureUrl'];
      assert.ok(typeof newLink === 'string' && newLink !== link);
      assert.match(await (await get(sandbox, pathOf(link))).text(), /A newer capture link was sent/);
      await step(sandbox, link, 'begin');
      assert.equal(onlyAction(await refresh(sandbox, token, opened.raw, 'DOCV')).data['documentVerificationStatus'], 'MESSAGE_SENT', 'the old link is dead');

      await capture(sandbox, newLink, result);
      const second = await refresh(sandbox, token, opened.raw, 'DOCV');
      assert.equal(second.raw.decision, 'Decline');
      action = onlyAction(second);
      assert.equal(action.status, 'failed');
      assert.equal(action.data['retryAllowed'], false);
      assert.equal(action.data['verificationAttempts'], '2');

      const noSecondRetry = await act(sandbox, token, opened.raw, 'DOCV', { resend: true });
      assert.deepEqual(noSecondRetry.raw, second.raw);
      assert.equal(statuses(sandbox).filter((entry) => entry === status).length, 2);
    });
  }

  it('a retry, then VERIFIED, allows', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openDocvCase(sandbox);
    await capture(sandbox, link, 'needs-retry');
    const retried = await act(sandbox, token, opened.raw, 'DOCV', { resend: true });
    await capture(sandbox, String(onlyAction(retried).data['captureUrl']), 'verified');
    assert.equal((await refresh(sandbox, token, opened.raw, 'DOCV')).raw.decision, 'Allow');
  });

  it('a retry while the capture is in progress is refused with RETRY_NOT_ALLOWED and changes nothing', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openDocvCase(sandbox);
    await step(sandbox, link, 'begin');
    const answer = await act(sandbox, token, opened.raw, 'DOCV', { resend: true });
    const action = onlyAction(answer);
    assert.equal(action.status, 'challenge');
    assert.equal(action.data.error?.code, 'RETRY_NOT_ALLOWED');
    assert.equal(action.data['documentVerificationStatus'], 'FLOW_BEGUN');
    assert.equal(action.data['sendAttempts'], '1');
    assert.equal(action.data['captureUrl'], link);
  });

  it('before the flow begins, a resend texts the link again, to a new number when given', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openDocvCase(sandbox, 'docv-sms@example.com');
    const resent = await act(sandbox, token, opened.raw, 'DOCV', { resend: true }, { phoneNumber: '+15551112222' });
    const action = onlyAction(resent);
    assert.equal(action.data['sendAttempts'], '2');
    assert.equal(action.data['remainingRetries'], '1', 'a resend is not a retry');
    const message = sandbox.messages.latest();
    assert.equal(message?.to, '+15551112222');
    assert.notEqual(message?.link, link);
  });

  it('a resend with a phone number moves a QR-code link to SMS', async () => {
    const { sandbox } = harness();
    const { token, opened } = await openDocvCase(sandbox);
    const resent = await act(sandbox, token, opened.raw, 'DOCV', { resend: true }, { phoneNumber: '+15551112222' });
    assert.equal(onlyAction(resent).data['deliveryMode'], 'SMS');
    assert.equal(onlyAction(resent).data['captureUrl'], undefined);
    assert.equal(sandbox.messages.latest()?.to, '+15551112222');
  });

  it('a verify call without resend is refused (400); a refresh changes nothing, in any status', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openDocvCase(sandbox);
    const response = await sandbox.fetch(actionRequest(opened.raw, 'DOCV', {}, token));
    assert.equal(response.status, 400);
    assert.equal((await jsonOf(response))['field'], 'strategy.actions[0].data.resend');
    await capture(sandbox, link, 'failed');
    const before = await refresh(sandbox, token, opened.raw, 'DOCV');
    const eventCount = sandbox.webhooks.events().length;
    for (let index = 0; index < 3; index += 1) assert.deepEqual((await refresh(sandbox, token, opened.raw, 'DOCV')).raw, before.raw);
    assert.equal(sandbox.webhooks.events().length, eventCount);
  });
});
