import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebhookEventRequest } from '../../src/contract/kount/index.js';
import { DEFAULT_SMS_DESTINATION, OTH_POLICY, type Sandbox } from '../../src/sandbox/index.js';
import { act, actionRequest, assess, type CaseAnswer, get, getToken, harness, jsonOf, onlyAction, pathOf, postForm, refresh } from './helpers.js';

const PUBLIC_URL = 'https://sandbox.example.test';

async function openOthCase(sandbox: Sandbox, email = 'oth@example.com', phoneNumber?: string): Promise<{ token: string; opened: CaseAnswer; link: string }> {
  const token = await getToken(sandbox);
  const opened = await assess(sandbox, token, { email, ...(phoneNumber ? { phoneNumber } : {}), name: { first: 'Ada' } });
  const link = sandbox.messages.latest()?.link;
  assert.ok(link, 'a link was sent');
  return { token, opened, link };
}

function othEvents(sandbox: Sandbox): Record<string, unknown>[] {
  return sandbox.webhooks
    .events()
    .filter((event) => event.kind === 'WebhookEventRequest')
    .map((event) => JSON.parse(event.body) as Record<string, unknown>);
}

async function pageText(sandbox: Sandbox, link: string): Promise<string> {
  const response = await get(sandbox, pathOf(link));
  assert.equal(response.status, 200);
  return response.text();
}

describe('sandbox one-time links (OTH)', () => {
  it('oth@example.com e-mails a link built from publicUrl; the action carries the session', async () => {
    const { sandbox, clock } = harness({ publicUrl: `${PUBLIC_URL}/` });
    const { opened, link } = await openOthCase(sandbox);
    assert.equal(opened.raw.decision, 'Challenge');
    assert.match(link, /^https:\/\/sandbox\.example\.test\/sandbox\/oth\/[A-Za-z0-9_-]{32}$/);
    const message = sandbox.messages.latest();
    assert.equal(message?.channel, 'EMAIL');
    assert.equal(message?.to, 'oth@example.com');
    assert.equal(message?.code, undefined);
    assert.ok(message?.body.includes(link));
    assert.ok(message?.body.startsWith('Hi Ada'));
    const action = onlyAction(opened);
    assert.equal(action.method, 'OTH');
    assert.equal(action.status, 'challenge');
    const sentAt = new Date(clock.now()).toISOString();
    assert.deepEqual(action.data, {
      sessionId: action.data['sessionId'],
      mfaType: 'NONCE_OTH',
      channelType: 'EMAIL_NONCE_OTH',
      verificationStatus: 'MESSAGE_SENT',
      resendStatus: 'SENT',
      sendAttempts: '1',
      remainingSendAttempts: '3',
      verificationAttempts: '0',
      sentTimeStamp: sentAt,
      expiresAt: new Date(clock.now() + OTH_POLICY.lifetimeMs).toISOString(),
    });
    assert.match(String(action.data['sessionId']), /^[0-9a-f-]{36}$/);
    assert.equal(opened.parsed.strategy?.actions[0]?.data?.sessionId, action.data['sessionId']);
    assert.deepEqual(sandbox.webhooks.events(), [], 'no webhook until the session ends');
  });

  it('oth-sms@example.com texts the link to the default number, or the applicant’s', async () => {
    const { sandbox } = harness();
    const { opened } = await openOthCase(sandbox, 'oth-sms@example.com');
    assert.equal(onlyAction(opened).data['channelType'], 'SMS_NONCE_OTH');
    assert.equal(sandbox.messages.latest()?.channel, 'SMS');
    assert.equal(sandbox.messages.latest()?.to, DEFAULT_SMS_DESTINATION);
    await openOthCase(sandbox, 'oth-sms@example.com', '+15557654321');
    assert.equal(sandbox.messages.latest()?.to, '+15557654321');
  });

  it('opening the link changes nothing; confirming verifies the case and sends the webhook', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openOthCase(sandbox);
    const page = await pageText(sandbox, link);
    assert.match(page, /<form method="post" action="\/sandbox\/oth\/[A-Za-z0-9_-]{32}"/);
    assert.match(page, /name="choice" value="confirm"/);
    assert.match(page, /name="choice" value="refuse"/);
    assert.equal((await refresh(sandbox, token, opened.raw, 'OTH')).raw.decision, 'Challenge', 'a GET (a mail scanner) does not confirm');

    const posted = await postForm(sandbox, pathOf(link), { choice: 'confirm' });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('location'), pathOf(link));
    assert.match(await pageText(sandbox, link), /you are verified/i);

    const after = await refresh(sandbox, token, opened.raw, 'OTH');
    assert.equal(after.raw.decision, 'Allow');
    const action = onlyAction(after);
    assert.equal(action.status, 'passed');
    assert.equal(action.data.verificationStatus, 'VERIFIED');
    assert.equal(action.data['verificationAttempts'], '1');
    assert.equal(action.data['expiresAt'], undefined);

    const [event, ...others] = othEvents(sandbox);
    assert.deepEqual(others, []);
    assert.deepEqual(event, {
      sessionId: action.data['sessionId'],
      mfaType: 'NONCE_OTH',
      channelType: 'EMAIL_NONCE_OTH',
      verificationStatus: 'VERIFIED',
      sendAttempts: '1',
      verificationAttempts: '1',
      remainingSendAttempts: '3',
      sentTimeStamp: action.data['sentTimeStamp'],
    });
    assert.ok(WebhookEventRequest.safeParse(event).success);
    assert.equal(sandbox.webhooks.events()[0]?.authenticationId, opened.raw.authenticationId);

    // Used: a second confirm or a refusal changes nothing and sends nothing.
    await postForm(sandbox, pathOf(link), { choice: 'refuse' });
    await postForm(sandbox, pathOf(link), { choice: 'confirm' });
    assert.equal(othEvents(sandbox).length, 1);
    assert.equal((await refresh(sandbox, token, opened.raw, 'OTH')).raw.decision, 'Allow');
  });

  it('“This wasn’t me” ends the case FAILED_AUTHORIZATION / Decline, with its webhook', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openOthCase(sandbox);
    assert.equal((await postForm(sandbox, pathOf(link), { choice: 'refuse' })).status, 303);
    assert.match(await pageText(sandbox, link), /said it was not you/);
    const after = await refresh(sandbox, token, opened.raw, 'OTH');
    assert.equal(after.raw.decision, 'Decline');
    const action = onlyAction(after);
    assert.equal(action.status, 'failed');
    assert.equal(action.data.verificationStatus, 'FAILED_AUTHORIZATION');
    assert.equal(action.data.error?.code, 'REFUSED_BY_USER');
    const [event] = othEvents(sandbox);
    assert.equal(event?.['verificationStatus'], 'FAILED_AUTHORIZATION');
    assert.deepEqual(event?.['error'], action.data.error);
  });

  it('a link expires after 10 minutes: TERMINATED / Decline and one webhook, whoever notices first', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, link } = await openOthCase(sandbox);
    const twin = await openOthCase(sandbox);
    clock.advance(OTH_POLICY.lifetimeMs - 1);
    assert.equal((await postForm(sandbox, pathOf(twin.link), { choice: 'confirm' })).status, 303);
    assert.equal((await refresh(sandbox, twin.token, twin.opened.raw, 'OTH')).raw.decision, 'Allow', 'good until the last millisecond');
    clock.advance(1);
    assert.match(await pageText(sandbox, link), /This link has expired/);
    await postForm(sandbox, pathOf(link), { choice: 'confirm' });
    const after = await refresh(sandbox, token, opened.raw, 'OTH');
    assert.equal(after.raw.decision, 'Decline');
    assert.equal(onlyAction(after).data.verificationStatus, 'TERMINATED');
    assert.equal(onlyAction(after).data.error?.code, 'LINK_EXPIRED');
    assert.deepEqual(
      othEvents(sandbox).map((event) => event['verificationStatus']),
      ['VERIFIED', 'TERMINATED'],
    );
  });

  it('checkDeadlines() sends the expiry webhook with nobody asking', async () => {
    const { sandbox, clock } = harness();
    await openOthCase(sandbox);
    sandbox.checkDeadlines();
    assert.equal(othEvents(sandbox).length, 0);
    clock.advance(OTH_POLICY.lifetimeMs);
    sandbox.checkDeadlines();
    sandbox.checkDeadlines();
    assert.deepEqual(
      othEvents(sandbox).map((event) => event['verificationStatus']),
      ['TERMINATED'],
    );
  });

  it('a resend sends a new link with a new life and kills the old one', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, link } = await openOthCase(sandbox);
    clock.advance(9 * 60 * 1000);
    const resent = await act(sandbox, token, opened.raw, 'OTH', { resend: true });
    const action = onlyAction(resent);
    assert.equal(action.data['sendAttempts'], '2');
    assert.equal(action.data['remainingSendAttempts'], '2');
    assert.equal(action.data['expiresAt'], new Date(clock.now() + OTH_POLICY.lifetimeMs).toISOString());
    assert.equal(action.data['sessionId'], onlyAction(opened).data['sessionId'], 'the same session');
    const newLink = sandbox.messages.latest()?.link;
    assert.ok(newLink && newLink !== link);

    assert.match(await pageText(sandbox, link), /A newer link was sent/);
    await postForm(sandbox, pathOf(link), { choice: 'confirm' });
    assert.equal((await refresh(sandbox, token, opened.raw, 'OTH')).raw.decision, 'Challenge', 'the old link is dead');

    clock.advance(2 * 60 * 1000);
    await postForm(sandbox, pathOf(newLink), { choice: 'confirm' });
    assert.equal((await refresh(sandbox, token, opened.raw, 'OTH')).raw.decision, 'Allow');
  });

  it('a resend with a phone number moves an e-mail link to SMS (change of channel), and back with an e-mail', async () => {
    const { sandbox } = harness();
    const { token, opened } = await openOthCase(sandbox);
    const toSms = await act(sandbox, token, opened.raw, 'OTH', { resend: true }, { phoneNumber: '+15559870000' });
    assert.equal(onlyAction(toSms).data['channelType'], 'SMS_NONCE_OTH');
    const sms = sandbox.messages.latest();
    assert.equal(sms?.channel, 'SMS');
    assert.equal(sms?.to, '+15559870000');
    const toEmail = await act(sandbox, token, opened.raw, 'OTH', { resend: true }, { email: 'ada.new@example.com' });
    assert.equal(onlyAction(toEmail).data['channelType'], 'EMAIL_NONCE_OTH');
    assert.equal(sandbox.messages.latest()?.to, 'ada.new@example.com');
    const both = await act(sandbox, token, opened.raw, 'OTH', { resend: true }, { email: 'ada.third@example.com', phoneNumber: '+15550000000' });
    assert.equal(onlyAction(both).data['channelType'], 'EMAIL_NONCE_OTH', 'with both, the channel stays');
    assert.equal(sandbox.messages.latest()?.to, 'ada.third@example.com');

    await postForm(sandbox, pathOf(sandbox.messages.latest()?.link ?? ''), { choice: 'confirm' });
    assert.equal(othEvents(sandbox)[0]?.['channelType'], 'EMAIL_NONCE_OTH');
  });

  it('a resend past the limit ends the session TERMINATED with RESEND_LIMIT_REACHED', async () => {
    const { sandbox } = harness();
    const { token, opened } = await openOthCase(sandbox);
    for (let resend = 1; resend < OTH_POLICY.maxSends; resend += 1) await act(sandbox, token, opened.raw, 'OTH', { resend: true });
    const over = await act(sandbox, token, opened.raw, 'OTH', { resend: true });
    assert.equal(over.raw.decision, 'Decline');
    assert.equal(onlyAction(over).data.verificationStatus, 'TERMINATED');
    assert.equal(onlyAction(over).data.error?.code, 'RESEND_LIMIT_REACHED');
    assert.equal(onlyAction(over).data.resendStatus, 'FAILED');
    assert.equal(sandbox.messages.list().length, OTH_POLICY.maxSends);
    assert.match(await pageText(sandbox, sandbox.messages.latest()?.link ?? ''), /has ended/);
  });

  it('a verify call without resend is refused (400); a refresh changes nothing', async () => {
    const { sandbox, clock } = harness();
    const { token, opened } = await openOthCase(sandbox);
    const response = await sandbox.fetch(actionRequest(opened.raw, 'OTH', {}, token));
    assert.equal(response.status, 400);
    assert.equal((await jsonOf(response))['field'], 'strategy.actions[0].data.resend');
    clock.advance(1000);
    const refreshed = await refresh(sandbox, token, opened.raw, 'OTH');
    assert.deepEqual(refreshed.raw, opened.raw);
    assert.equal(sandbox.messages.list().length, 1);
  });

  it('the link works from any client: nothing ties it to the shopper’s browser', async () => {
    const { sandbox } = harness();
    const { token, opened, link } = await openOthCase(sandbox);
    const otherDevice = { 'user-agent': 'Phone/1.0', cookie: '', 'sec-fetch-site': 'none' };
    assert.equal((await get(sandbox, pathOf(link), otherDevice)).status, 200);
    assert.equal((await postForm(sandbox, pathOf(link), { choice: 'confirm' }, { ...otherDevice, 'sec-fetch-site': 'same-origin' })).status, 303);
    assert.equal((await refresh(sandbox, token, opened.raw, 'OTH')).raw.decision, 'Allow');
  });
});
