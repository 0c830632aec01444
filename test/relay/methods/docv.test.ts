import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StrategyAction } from '../../../src/contract/kount/index.js';
import { RelayError } from '../../../src/relay/errors.js';
import { docvMethod } from '../../../src/relay/methods/docv.js';
import { kountAnswer, methodDependencies, NOW, ScriptedKount, session } from './fixtures.js';

const docv = (data: StrategyAction['data'], status = 'challenge'): StrategyAction => ({ method: 'DOCV', status, data });
const BY_SMS = docv({ deliveryMode: 'SMS', documentVerificationStatus: 'MESSAGE_SENT' });
const refusedWith = (code: string) => (error: unknown) => error instanceof RelayError && error.code === code;

describe('DocV method', () => {
  it('sent its capture link by SMS or e-mail, and nothing for a link shown in the page', () => {
    const method = docvMethod(methodDependencies());
    assert.equal(method.firstSend(BY_SMS, session(BY_SMS)), 'SMS');
    assert.equal(method.firstSend(docv({ deliveryMode: 'EMAIL' }), session(BY_SMS)), 'EMAIL');
    assert.equal(method.firstSend(docv({ deliveryMode: 'SYNC', captureUrl: 'https://capture.example/x' }), session(BY_SMS)), null);
  });

  it('sends the link again only before the capture starts', async () => {
    const kount = new ScriptedKount(kountAnswer(BY_SMS));
    const method = docvMethod(methodDependencies(kount));
    const resend = method.resend?.(BY_SMS, {}, session(BY_SMS));
    assert.equal(resend?.sends, 'SMS');
    const reserved = resend?.reserve(session(BY_SMS), NOW + 31_000);
    assert.equal(reserved?.resendCount, 1);
    const begun = docv({ deliveryMode: 'SMS', documentVerificationStatus: 'FLOW_BEGUN' });
    assert.throws(() => method.resend?.(begun, {}, session(begun)), refusedWith('retry_not_allowed'));
  });

  it('starts over only when Kount allows it, as a counted send', () => {
    const method = docvMethod(methodDependencies());
    const failed = docv({ deliveryMode: 'SMS', documentVerificationStatus: 'FAILED', retryAllowed: true, remainingRetries: 1 });
    const retry = method.answer?.(failed, { method: 'DOCV', retry: true }, session(failed), NOW);
    assert.equal(retry?.kind, 'retry');
    assert.equal(retry?.sends, 'SMS');
    const refused = docv({ deliveryMode: 'SMS', documentVerificationStatus: 'FAILED', retryAllowed: false });
    assert.throws(() => method.answer?.(refused, { method: 'DOCV', retry: true }, session(refused), NOW), refusedWith('retry_not_allowed'));
  });

  it('claims a document status that names only the case for its open DocV action', () => {
    const { patchTarget } = docvMethod(methodDependencies());
    assert.ok(patchTarget);
    const case_ = session(BY_SMS, { actions: [docv({}, 'failed'), { method: 'OTP', status: 'passed' }, BY_SMS] });
    assert.equal(patchTarget(case_, { authenticationId: 'auth', patch: { documentVerificationStatus: 'CAPTURED' } }), 2);
    assert.equal(patchTarget(session(BY_SMS, { actions: [docv({}, 'failed'), { method: 'OTP', status: 'challenge' }] }), { authenticationId: 'auth', patch: { documentVerificationStatus: 'CAPTURED' } }), 0, 'else the last one');
    assert.equal(patchTarget(case_, { authenticationId: 'another', patch: { documentVerificationStatus: 'CAPTURED' } }), undefined);
    assert.equal(patchTarget(case_, { authenticationId: 'auth', patch: { verificationStatus: 'VERIFIED' } }), undefined);
  });
});
