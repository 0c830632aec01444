import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VerificationResponse } from '../../src/contract/kount/index.js';
import { type RunningSandbox, SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox } from '../../src/sandbox/index.js';
import { TOKEN_FORM } from './helpers.js';

describe('startSandbox over HTTP', () => {
  let running: RunningSandbox;
  before(async () => {
    running = await startSandbox({ port: 0 });
  });
  after(async () => {
    await running.close();
  });

  async function post(path: string, body: unknown, token: string): Promise<Response> {
    return fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-client-id': SANDBOX_CLIENT_ID, 'x-correlation-id': 'http-test', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function token(): Promise<string> {
    return tokenFrom(running.url);
  }

  async function tokenFrom(url: string): Promise<string> {
    const response = await fetch(`${url}${SANDBOX_PATHS.token}`, {
      method: 'POST',
      headers: { authorization: `Basic ${SANDBOX_API_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: TOKEN_FORM,
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('listens on a free local port and runs an OTP journey end to end', async () => {
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const accessToken = await token();
    const assessment = { strategy: 'StrategyWithStepUp', inquiryId: 'http-1', deviceSessionId: 'dev-1', applicant: { email: 'otp@example.com' } };
    const opened = VerificationResponse.parse(await (await post(SANDBOX_PATHS.assess, assessment, accessToken)).json());
    assert.equal(opened.decision, 'Challenge');

    const inbox = (await (await fetch(`${running.url}/sandbox/inbox.json?to=%2B15550104567`)).json()) as { messages: { code: string }[] };
    const code = inbox.messages[0]?.code ?? '';
    assert.match(code, /^\d{6}$/);

    const verifyRequest = {
      inquiryId: opened.inquiryId,
      authenticationId: opened.authenticationId,
      strategy: { actions: [{ method: 'OTP', data: { otp: code } }] },
    };
    const verified = VerificationResponse.parse(await (await post(SANDBOX_PATHS.verify, verifyRequest, accessToken)).json());
    assert.equal(verified.decision, 'Allow');
    assert.equal(verified.strategy?.actions[0]?.data?.verificationStatus, 'VERIFIED');
    assert.equal(verified.strategy?.actions[0]?.data?.verificationAttempts, 1);
  });

  it('puts its real address into the token issuer', async () => {
    const claims = JSON.parse(Buffer.from((await token()).split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss: string };
    assert.equal(claims.iss, `${running.url}/as`);
  });

  it('a hung request is released when the client aborts', async () => {
    running.sandbox.faults.add({ target: 'token', hang: true, times: 1 });
    const controller = new AbortController();
    const pending = fetch(`${running.url}${SANDBOX_PATHS.token}`, { method: 'POST', signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal((await fetch(`${running.url}/sandbox/stats`)).status, 200, 'still serving');
  });

  it('close() returns even while a request hangs', async () => {
    // main.ts passes an unset SANDBOX_PUBLIC_URL through as undefined: the real address must still win.
    const other = await startSandbox({ port: 0, publicUrl: undefined });
    const claims = JSON.parse(Buffer.from((await tokenFrom(other.url)).split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss: string };
    assert.equal(claims.iss, `${other.url}/as`);
    other.sandbox.faults.add({ target: 'any', hang: true });
    const pending = fetch(`${other.url}${SANDBOX_PATHS.token}`, { method: 'POST' }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = other.close();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 2000).unref());
    assert.notEqual(await Promise.race([closing.then(() => 'closed' as const), timeout]), 'timeout');
    assert.ok((await pending) instanceof Error, 'the client sees the connection drop');
  });
});
