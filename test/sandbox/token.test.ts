import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenResponse } from '../../src/contract/kount/index.js';
import { LEGACY_TOKEN_PATH, SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS } from '../../src/sandbox/index.js';
import { apiRequest, assessmentBody, getToken, harness, jsonOf, tokenRequest } from './helpers.js';

describe('sandbox token endpoint', () => {
  it('exports the documented credentials and paths', () => {
    assert.equal(SANDBOX_CLIENT_ID, '900900');
    assert.equal(Buffer.from(SANDBOX_API_KEY, 'base64').toString('utf8'), '900900:sandbox-secret');
    assert.deepEqual(SANDBOX_PATHS, {
      token: '/as/token',
      assess: '/business/identity-proofing/v1/assess',
      verify: '/business/identity-proofing/v1/verify',
    });
  });

  for (const path of [SANDBOX_PATHS.token, LEGACY_TOKEN_PATH]) {
    it(`issues a bearer token at ${path}`, async () => {
      const { sandbox } = harness();
      const response = await sandbox.fetch(tokenRequest({ path }));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const body = TokenResponse.parse(await response.json());
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 1200);
      assert.equal(body.scope, 'k1_integration_api');
      assert.equal(body.access_token.split('.').length, 3, 'looks like a JWT');
      assert.equal(sandbox.stats().tokensIssued, 1);
    });
  }

  it('issues a different token every time and honours tokenLifetimeSeconds', async () => {
    const { sandbox } = harness({ tokenLifetimeSeconds: 60 });
    const first = await jsonOf(await sandbox.fetch(tokenRequest()));
    const second = await jsonOf(await sandbox.fetch(tokenRequest()));
    assert.notEqual(first['access_token'], second['access_token']);
    assert.equal(first['expires_in'], 60);
  });

  it('puts the client id into the token claims', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal(claims['client_id'], SANDBOX_CLIENT_ID);
    assert.deepEqual(claims['scp'], ['k1_integration_api']);
  });

  const badCredentials: readonly [string, string | null][] = [
    ['a wrong key', `Basic ${Buffer.from('900900:wrong').toString('base64')}`],
    ['no Authorization header', null],
    ['a bearer instead of basic', `Bearer ${SANDBOX_API_KEY}`],
    ['an empty basic', 'Basic '],
  ];
  for (const [label, authorization] of badCredentials) {
    it(`refuses ${label} with 401 invalid_client`, async () => {
      const { sandbox } = harness();
      const response = await sandbox.fetch(tokenRequest({ authorization }));
      assert.equal(response.status, 401);
      assert.equal((await jsonOf(response))['error'], 'invalid_client');
      assert.equal(sandbox.stats().tokensIssued, 0);
    });
  }

  it('accepts a custom api key and refuses the default one then', async () => {
    const apiKey = Buffer.from('42:other').toString('base64');
    const { sandbox } = harness({ apiKey });
    assert.equal((await sandbox.fetch(tokenRequest({ authorization: `Basic ${apiKey}` }))).status, 200);
    assert.equal((await sandbox.fetch(tokenRequest())).status, 401);
  });

  const badForms: readonly [string, string, string][] = [
    ['a wrong grant type', 'grant_type=password&scope=k1_integration_api', 'unsupported_grant_type'],
    ['a missing grant type', 'scope=k1_integration_api', 'invalid_request'],
    ['a wrong scope', 'grant_type=client_credentials&scope=openid', 'invalid_scope'],
    ['a missing scope', 'grant_type=client_credentials', 'invalid_scope'],
  ];
  for (const [label, body, error] of badForms) {
    it(`answers ${label} with 400 ${error}`, async () => {
      const { sandbox } = harness();
      const response = await sandbox.fetch(tokenRequest({ body }));
      assert.equal(response.status, 400);
      assert.equal((await jsonOf(response))['error'], error);
    });
  }

  it('answers a JSON body with 400 invalid_request', async () => {
    const { sandbox } = harness();
    const response = await sandbox.fetch(tokenRequest({ contentType: 'application/json', body: '{"grant_type":"client_credentials"}' }));
    assert.equal(response.status, 400);
    assert.equal((await jsonOf(response))['error'], 'invalid_request');
  });

  it('refuses an expired token on the API and accepts it just before', async () => {
    const { sandbox, clock } = harness({ tokenLifetimeSeconds: 1200 });
    const token = await getToken(sandbox);
    clock.advance(1199_000);
    const stillValid = await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody({ email: 'allow@example.com' }), { token }));
    assert.equal(stillValid.status, 200);
    clock.advance(1_000);
    const expired = await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody({ email: 'allow@example.com' }), { token }));
    assert.equal(expired.status, 401);
    const body = await jsonOf(expired);
    assert.equal(body['error'], 'invalid_token');
    assert.match(String(body['message']), /expired/);
  });
});
