import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AssessmentRequest,
  DocVOnboardingEventRequest,
  DocVResultsEventRequest,
  KountCounter,
  TokenResponse,
  VerificationResponse,
  VerifyRequest,
  WebhookEventRequest,
  WrappedWebhookEvent,
  isOpenAction,
  knownMethod,
  normalizeDecision,
} from '../../src/contract/kount/index.js';

// The samples below are the ones in the verification API reference (shared/seeds/000).
const seedVerifyRequest = {
  inquiryId: '223db65b-8a22-4daa-9320-98ff86371d8f',
  authenticationId: 'a43db65b-8a22-4daa-9320-98ff86371c89',
  strategy: {
    strategyName: 'StrategyWithVerification',
    actions: [{ method: 'KBA', data: { resend: true, questions: [{ questionId: 0, answers: [0] }], otp: '123456' } }],
    nextAction: true,
  },
  phoneNumber: '19999999999',
  email: 'example@domain.com',
};

const seedVerifyResponse = {
  inquiryId: '223db65b-8a22-4daa-9320-98ff86371d8f',
  authenticationId: 'a43db65b-8a22-4daa-9320-98ff86371c89',
  decision: 'Allow',
  strategy: {
    strategyName: 'StrategyWithVelocity',
    description: 'Strategy with velocity',
    status: 'active',
    actions: [
      {
        method: 'UNKNOWN_Verification_Method',
        status: 'challenge',
        data: {
          questionnaireId: 0,
          questions: [{ questionId: 0, questionText: 'string', choiceType: { type: 'string' }, choices: [{ choiceId: 0, choiceText: 'string' }] }],
          authentication: { characteristics: [{ key: 'key', value: 'value', text: 'text description' }] },
        },
      },
    ],
  },
};

describe('Kount Identity Proofing contract', () => {
  it('reads the reference verification request', () => {
    const parsed = VerifyRequest.parse(seedVerifyRequest);
    assert.equal(parsed.strategy.actions[0]?.data.otp, '123456');
    assert.deepEqual(parsed.strategy.actions[0]?.data.questions, [{ questionId: 0, answers: [0] }]);
  });

  it('refuses a verification request without an action', () => {
    const result = VerifyRequest.safeParse({ ...seedVerifyRequest, strategy: { actions: [] } });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['strategy', 'actions']);
  });

  it('reads the reference response and keeps an unknown method for the relay to surface', () => {
    const parsed = VerificationResponse.parse(seedVerifyResponse);
    const action = parsed.strategy?.actions[0];
    assert.ok(action);
    assert.equal(action.method, 'UNKNOWN_Verification_Method');
    assert.equal(knownMethod(action.method), undefined);
    assert.equal(isOpenAction(action), true);
    assert.equal(parsed.strategy?.actions[0]?.data?.questions?.[0]?.choices[0]?.choiceText, 'string');
  });

  it('keeps fields Kount adds later instead of failing the response', () => {
    const parsed = VerificationResponse.parse({ ...seedVerifyResponse, riskScore: 12, strategy: { ...seedVerifyResponse.strategy, newThing: true } });
    assert.equal((parsed as Record<string, unknown>).riskScore, 12);
  });

  it('defaults a strategy without actions to none', () => {
    const parsed = VerificationResponse.parse({ ...seedVerifyResponse, strategy: { strategyName: 'x' } });
    assert.deepEqual(parsed.strategy?.actions, []);
  });

  it('recognises known methods whatever their case, and only those', () => {
    assert.equal(knownMethod('otp'), 'OTP');
    assert.equal(knownMethod(' KBA '), 'KBA');
    assert.equal(knownMethod('DocV'), 'DOCV');
    assert.equal(knownMethod('SMS'), undefined);
  });

  it('folds both decision vocabularies case-insensitively', () => {
    assert.equal(normalizeDecision('Allow'), 'ALLOW');
    assert.equal(normalizeDecision('APPROVE'), 'ALLOW');
    assert.equal(normalizeDecision('Challenge'), 'CHALLENGE');
    assert.equal(normalizeDecision('Decline'), 'BLOCK');
    assert.equal(normalizeDecision('block'), 'BLOCK');
    assert.equal(normalizeDecision('Review'), 'REVIEW');
    assert.equal(normalizeDecision('Escalate'), undefined);
  });

  it('reads counters sent as strings holding integers, and plain numbers', () => {
    assert.equal(KountCounter.parse('3'), 3);
    assert.equal(KountCounter.parse(0), 0);
    assert.equal(KountCounter.safeParse('three').success, false);
    assert.equal(KountCounter.safeParse('-1').success, false);
  });

  it('needs an access token and its lifetime from the token endpoint', () => {
    assert.equal(TokenResponse.parse({ access_token: 'abc', token_type: 'Bearer', expires_in: 1200 }).expires_in, 1200);
    assert.equal(TokenResponse.safeParse({ access_token: '', expires_in: 1200 }).success, false);
    assert.equal(TokenResponse.safeParse({ access_token: 'abc' }).success, false);
  });

  it('refuses an assessment whose strategy name has spaces', () => {
    const request = { strategy: 'Step up', inquiryId: 'i', deviceSessionId: 'd' };
    assert.equal(AssessmentRequest.safeParse(request).success, false);
    assert.equal(AssessmentRequest.safeParse({ ...request, strategy: 'StepUp' }).success, true);
  });

  it('reads the reference webhook payloads', () => {
    const event = WebhookEventRequest.parse({
      sessionIdHash: 'string',
      mfaType: 'OTP',
      sendAttempts: '1',
      verificationStatus: 'UNKNOWN',
      error: { message: 'string' },
      sessionId: 'string',
      verificationAttempts: '2',
      resendStatus: 'UNKNOWN_RESEND_STATUS',
      autoTrustDevice: true,
      sentTimeStamp: 'string',
      channelType: 'SMS_OTP',
      docVerification: true,
      remainingSendAttempts: '3',
      remainingVerificationAttempts: '4',
    });
    assert.equal(event.verificationAttempts, 2);
    assert.equal(event.remainingVerificationAttempts, 4);
    assert.equal(DocVOnboardingEventRequest.parse({ sessionId: 's', status: 'FLOW_BEGUN' }).status, 'FLOW_BEGUN');
    assert.equal(DocVResultsEventRequest.parse({ sessionId: 's', ocr: {}, score: {}, image: {} }).sessionId, 's');
  });

  it('tells the wrapped webhook events apart by eventType', () => {
    const mfa = WrappedWebhookEvent.parse({ id: 'e1', eventType: 'MFA.StatusUpdate', apiVersion: 'v1', mfaStatus: 'VERIFIED', mfaId: 'm1', sendAttempts: '1' });
    assert.equal(mfa.eventType, 'MFA.StatusUpdate');
    const docv = WrappedWebhookEvent.parse({ id: 'e2', eventType: 'DOCVerification.StatusUpdate', documentVerificationStatus: 'FLOW_BEGUN', authenticationId: 'a' });
    assert.equal(docv.eventType, 'DOCVerification.StatusUpdate');
    assert.equal(WrappedWebhookEvent.safeParse({ id: 'e3', eventType: 'Order.StatusChange' }).success, false);
    assert.equal(WrappedWebhookEvent.safeParse({ eventType: 'MFA.StatusUpdate', mfaStatus: 'VERIFIED', mfaId: 'm' }).success, false);
  });
});
