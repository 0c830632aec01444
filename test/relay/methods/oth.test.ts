import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StrategyAction } from '../../../src/contract/kount/index.js';
import { RelayError } from '../../../src/relay/errors.js';
import { othMethod } from '../../../src/relay/methods/oth.js';
import { kountAnswer, methodDependencies, NOW, ScriptedKount, session } from './fixtures.js';

const LINK: StrategyAction = { method: 'OTH', status: 'challenge', data: { channelType: 'SMS_NONCE_OTH', verificationStatus: 'MESSAGE_SENT' } };
const LATER = NOW + 31_000;

describe('OTH method', () => {
  it('takes no answer and offers the other contact the relay holds', () => {
    const method = othMethod(methodDependencies());
    assert.equal(method.answer, undefined);
    assert.equal(method.firstSend(LINK, session(LINK)), 'SMS');
    const view = method.view(LINK, session(LINK), NOW);
    assert.deepEqual(view.method === 'OTH' && [view.status, view.otherChannels], ['MESSAGE_SENT', ['EMAIL']]);
    const onlyPhone = method.view(LINK, session(LINK, { contact: { phoneNumber: '+14155554567' } }), NOW);
    assert.deepEqual(onlyPhone.method === 'OTH' && onlyPhone.otherChannels, []);
  });

  it('resends on its channel without naming a destination', async () => {
    const kount = new ScriptedKount(kountAnswer(LINK));
    const resend = othMethod(methodDependencies(kount)).resend?.(LINK, {}, session(LINK));
    assert.ok(resend);
    assert.equal(resend.sends, 'SMS');
    await resend.call(resend.reserve(session(LINK), LATER));
    assert.equal(kount.requests[0]?.email, undefined);
    assert.equal(kount.requests[0]?.phoneNumber, undefined);
  });

  it('moves to the other channel with the contact the relay holds, and counts the send there', async () => {
    const kount = new ScriptedKount(kountAnswer(LINK));
    const resend = othMethod(methodDependencies(kount)).resend?.(LINK, { channel: 'EMAIL' }, session(LINK));
    assert.ok(resend);
    assert.equal(resend.sends, 'EMAIL');
    const reserved = resend.reserve(session(LINK), LATER);
    assert.deepEqual(reserved.lastSendAtByChannel, { SMS: NOW, EMAIL: LATER });
    await resend.call(reserved);
    assert.equal(kount.requests[0]?.email, 'olivia@example.com');
    assert.equal(resend.settle(reserved, kountAnswer(LINK), LATER).log?.['channelChanged'], true);
  });

  it('refuses a channel it holds no contact for', () => {
    const onlyPhone = session(LINK, { contact: { phoneNumber: '+14155554567' } });
    assert.throws(
      () => othMethod(methodDependencies()).resend?.(LINK, { channel: 'EMAIL' }, onlyPhone),
      (error: unknown) => error instanceof RelayError && error.code === 'channel_unavailable',
    );
  });
});
