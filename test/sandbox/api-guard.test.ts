import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SANDBOX_PATHS } from '../../src/sandbox/index.js';
import { apiRequest, assess, assessmentBody, BASE_URL, getToken, harness, jsonOf, verifyBody } from './helpers.js';

describe('sandbox API authentication and validation', () => {
  for (const path of [SANDBOX_PATHS.assess, SANDBOX_PATHS.verify]) {
    it(`${path}: refuses a missing bearer token with 401`, async () => {
      const { sandbox } = harness();
      const request = new Request(`${BASE_URL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-client-id': '900900', 'x-correlation-id': 'c' },
        body: JSON.stringify(assessmentBody()),
      });
      const response = await sandbox.fetch(request);
      assert.equal(response.status, 401);
      assert.equal((await jsonOf(response))['error'], 'invalid_token');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
    });

    it(`${path}: refuses an unknown bearer token with 401`, async () => {
      const { sandbox } = harness();
      const response = await sandbox.fetch(apiRequest(path, assessmentBody(), { token: 'made-up-token' }));
      assert.equal(response.status, 401);
      assert.equal((await jsonOf(response))['error'], 'invalid_token');
    });

    it(`${path}: refuses a token from another sandbox with 401`, async () => {
      const other = harness();
      const { sandbox } = harness();
      const response = await sandbox.fetch(apiRequest(path, assessmentBody(), { token: await getToken(other.sandbox) }));
      assert.equal(response.status, 401);
    });

    it(`${path}: refuses a missing or wrong x-client-id with 403`, async () => {
      const { sandbox } = harness();
      const token = await getToken(sandbox);
      for (const clientId of [null, '123', '9009001']) {
        const response = await sandbox.fetch(apiRequest(path, assessmentBody(), { token, clientId }));
        assert.equal(response.status, 403, `x-client-id ${String(clientId)}`);
        assert.equal((await jsonOf(response))['field'], 'x-client-id');
      }
    });

    it(`${path}: answers malformed JSON with 400 and a non-JSON content type with 415`, async () => {
      const { sandbox } = harness();
      const token = await getToken(sandbox);
      const malformed = await sandbox.fetch(apiRequest(path, '{"inquiryId":', { token }));
      assert.equal(malformed.status, 400);
      assert.equal((await jsonOf(malformed))['error'], 'invalid_request');
      const wrongType = await sandbox.fetch(apiRequest(path, JSON.stringify(assessmentBody()), { token, contentType: 'text/plain' }));
      assert.equal(wrongType.status, 415);
    });
  }

  it('accepts a custom client id', async () => {
    const { sandbox } = harness({ clientId: '777' });
    const token = await getToken(sandbox);
    assert.equal((await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token, clientId: '777' }))).status, 200);
    assert.equal((await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token }))).status, 403);
  });

  it('requires x-correlation-id on the assessment and echoes it', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const missing = await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token, correlationId: null }));
    assert.equal(missing.status, 400);
    assert.equal((await jsonOf(missing))['field'], 'x-correlation-id');
    const present = await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token, correlationId: 'trace-42' }));
    assert.equal(present.status, 200);
    assert.equal(present.headers.get('x-correlation-id'), 'trace-42');
  });

  const assessmentFailures: readonly [string, Record<string, unknown>, string][] = [
    ['a missing inquiryId', { strategy: 'S', deviceSessionId: 'd' }, 'inquiryId'],
    ['an empty deviceSessionId', { strategy: 'S', inquiryId: 'i', deviceSessionId: '' }, 'deviceSessionId'],
    ['a strategy name with spaces', { strategy: 'has space', inquiryId: 'i', deviceSessionId: 'd' }, 'strategy'],
    ['an e-mail that is not a string', { strategy: 'S', inquiryId: 'i', deviceSessionId: 'd', applicant: { email: 42 } }, 'applicant.email'],
  ];
  for (const [label, body, field] of assessmentFailures) {
    it(`assessment with ${label} gets 400 naming ${field}`, async () => {
      const { sandbox } = harness();
      const response = await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, body, { token: await getToken(sandbox) }));
      assert.equal(response.status, 400);
      const error = await jsonOf(response);
      assert.equal(error['error'], 'invalid_request');
      assert.equal(error['field'], field);
      assert.match(String(error['message']), new RegExp(`^${field.replace('.', '\\.')}:`));
    });
  }

  it('verify with a missing action list, a bad otp type or no answer gets 400 naming the field', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const opened = await assess(sandbox, token, { email: 'otp@example.com' });
    const cases: readonly [unknown, string][] = [
      [{ inquiryId: opened.raw.inquiryId, authenticationId: opened.raw.authenticationId, strategy: { actions: [] } }, 'strategy.actions'],
      [{ ...verifyBody(opened.raw, {}), strategy: { actions: [{ method: 'OTP', data: { otp: 123456 } }] } }, 'strategy.actions[0].data.otp'],
      [verifyBody(opened.raw, {}), 'strategy.actions[0].data.otp'],
      [verifyBody(opened.raw, { otp: '123456' }, 'KBA'), 'strategy.actions[0].method'],
    ];
    for (const [body, field] of cases) {
      const response = await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, body, { token }));
      assert.equal(response.status, 400, field);
      assert.equal((await jsonOf(response))['field'], field);
    }
    assert.equal(sandbox.messages.list().length, 1, 'no rejected request sent anything');
  });

  it('verify for an unknown case or a mismatched inquiryId gets the same 404', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const opened = await assess(sandbox, token, { email: 'otp@example.com' });
    const unknownCase = await sandbox.fetch(
      apiRequest(SANDBOX_PATHS.verify, { ...verifyBody(opened.raw, { otp: '123456' }), authenticationId: 'no-such-case' }, { token }),
    );
    const wrongInquiry = await sandbox.fetch(
      apiRequest(SANDBOX_PATHS.verify, { ...verifyBody(opened.raw, { otp: '123456' }), inquiryId: 'someone-else' }, { token }),
    );
    assert.equal(unknownCase.status, 404);
    assert.equal(wrongInquiry.status, 404);
    assert.deepEqual(await jsonOf(unknownCase), await jsonOf(wrongInquiry));
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { sandbox } = harness();
    const response = await sandbox.fetch(new Request(`${BASE_URL}/business/identity-proofing/v1/nope`, { method: 'POST' }));
    assert.equal(response.status, 404);
    assert.equal((await jsonOf(response))['error'], 'not_found');
  });
});
