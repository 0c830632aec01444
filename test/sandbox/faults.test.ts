import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SANDBOX_PATHS, type Sandbox } from '../../src/sandbox/index.js';
import { apiRequest, assess, assessmentBody, BASE_URL, getToken, harness, jsonOf, onlyAction, tokenRequest, verify, verifyBody } from './helpers.js';

function controlRequest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE_URL}/sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function addFault(sandbox: Sandbox, fault: Record<string, unknown>): Promise<Response> {
  return sandbox.fetch(controlRequest('POST', '/faults', fault));
}

describe('sandbox fault injection', () => {
  it('is off by default', async () => {
    const { sandbox } = harness();
    assert.deepEqual(sandbox.faults.list(), []);
    assert.equal((await sandbox.fetch(tokenRequest())).status, 200);
  });

  it('a status fault answers with that status and body, before authentication', async () => {
    const { sandbox } = harness();
    const created = await addFault(sandbox, { target: 'token', status: 503, body: '{"error":"maintenance"}' });
    assert.equal(created.status, 201);
    const response = await sandbox.fetch(tokenRequest({ authorization: null }));
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), { error: 'maintenance' });
    assert.equal(sandbox.stats().tokensIssued, 0);
  });

  it('a status fault without a body answers a JSON error; a text body is sent as text', async () => {
    const { sandbox } = harness();
    sandbox.faults.add({ target: 'token', status: 500, times: 1 });
    sandbox.faults.add({ target: 'token', status: 502, body: 'Bad Gateway', times: 1 });
    const first = await sandbox.fetch(tokenRequest());
    assert.equal(first.status, 500);
    assert.equal((await jsonOf(first))['error'], 'sandbox_fault');
    const second = await sandbox.fetch(tokenRequest());
    assert.equal(second.status, 502);
    assert.match(second.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await second.text(), 'Bad Gateway');
  });

  it('only hits its target; "any" hits every Kount endpoint but not the inbox', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    sandbox.faults.add({ target: 'verify', status: 500 });
    assert.equal((await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token }))).status, 200);
    sandbox.faults.clear();
    sandbox.faults.add({ target: 'any', status: 429 });
    assert.equal((await sandbox.fetch(tokenRequest())).status, 429);
    assert.equal((await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token }))).status, 429);
    assert.equal((await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, {}, { token }))).status, 429);
    assert.equal((await sandbox.fetch(new Request(`${BASE_URL}/sandbox/inbox.json`))).status, 200);
  });

  it('times limits how often a fault fires, then the real answer comes back', async () => {
    const { sandbox } = harness();
    sandbox.faults.add({ target: 'token', status: 503, times: 2 });
    assert.equal(sandbox.faults.list()[0]?.remaining, 2);
    assert.equal((await sandbox.fetch(tokenRequest())).status, 503);
    assert.equal(sandbox.faults.list()[0]?.remaining, 1);
    assert.equal((await sandbox.fetch(tokenRequest())).status, 503);
    assert.deepEqual(sandbox.faults.list(), []);
    assert.equal((await sandbox.fetch(tokenRequest())).status, 200);
    assert.deepEqual(sandbox.stats(), { token: 3, assess: 0, verify: 0, tokensIssued: 1 });
  });

  it('latency delays the real answer', async () => {
    const { sandbox } = harness();
    sandbox.faults.add({ target: 'token', latencyMs: 150, times: 1 });
    const started = performance.now();
    const response = await sandbox.fetch(tokenRequest());
    const elapsed = performance.now() - started;
    assert.equal(response.status, 200);
    assert.ok(elapsed >= 140, `answered after ${elapsed.toFixed(0)} ms`);
    const quick = performance.now();
    await sandbox.fetch(tokenRequest());
    assert.ok(performance.now() - quick < 100, 'the next request is not delayed');
  });

  it('latency with a status delays the injected answer', async () => {
    const { sandbox } = harness();
    sandbox.faults.add({ target: 'token', latencyMs: 100, status: 504 });
    const started = performance.now();
    const response = await sandbox.fetch(tokenRequest());
    assert.equal(response.status, 504);
    assert.ok(performance.now() - started >= 90);
  });

  it('a client abort ends a delayed request early', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    sandbox.faults.add({ target: 'assess', latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token, signal: controller.signal }));
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(pending, { name: 'AbortError' });
  });

  it('a hang never answers until the client aborts, and consumes no attempt', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const opened = await assess(sandbox, token, { email: 'otp@example.com' });
    const code = sandbox.messages.latest()?.code ?? '';
    sandbox.faults.add({ target: 'verify', hang: true, times: 1 });
    const controller = new AbortController();
    let settled = false;
    const pending = sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, verifyBody(opened.raw, { otp: '000000' }), { token, signal: controller.signal }));
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(settled, false, 'still hanging after 100 ms');
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal(sandbox.stats().verify, 1);
    const answer = await verify(sandbox, token, opened.raw, { otp: code });
    assert.equal(answer.raw.decision, 'Allow');
    assert.equal(onlyAction(answer).data['verificationAttempts'], '1', 'the hung request did not count');
  });

  it('is managed over HTTP: add, list, clear, and validation errors name the field', async () => {
    const { sandbox } = harness();
    const created = await jsonOf(await addFault(sandbox, { target: 'assess', status: 500, times: 3 }));
    assert.equal(created['target'], 'assess');
    assert.equal(created['remaining'], 3);
    assert.equal(typeof created['id'], 'string');
    const listed = await jsonOf(await sandbox.fetch(controlRequest('GET', '/faults')));
    assert.deepEqual(listed['faults'], [created]);
    assert.equal((await sandbox.fetch(controlRequest('DELETE', '/faults'))).status, 204);
    assert.deepEqual(sandbox.faults.list(), []);

    const invalid: readonly [Record<string, unknown>, string][] = [
      [{ target: 'webhook', status: 500 }, 'target'],
      [{ target: 'token', status: 42 }, 'status'],
      [{ target: 'token', latencyMs: -1 }, 'latencyMs'],
      [{ target: 'token', status: 500, times: 0 }, 'times'],
      [{ target: 'token' }, 'status'],
      [{ target: 'token', status: 500, colour: 'red' }, 'colour'],
    ];
    for (const [fault, field] of invalid) {
      const response = await addFault(sandbox, fault);
      assert.equal(response.status, 400, JSON.stringify(fault));
      assert.equal((await jsonOf(response))['field'], field, JSON.stringify(fault));
    }
    assert.throws(() => sandbox.faults.add({ target: 'token' }), TypeError);
    assert.deepEqual(sandbox.faults.list(), []);
  });

  it('refuses cross-site changes to the sandbox', async () => {
    const { sandbox } = harness();
    const response = await sandbox.fetch(controlRequest('POST', '/faults', { target: 'any', status: 500 }, { 'sec-fetch-site': 'cross-site' }));
    assert.equal(response.status, 403);
    assert.deepEqual(sandbox.faults.list(), []);
    const reset = await sandbox.fetch(controlRequest('POST', '/reset', undefined, { 'sec-fetch-site': 'cross-site' }));
    assert.equal(reset.status, 403);
  });
});

describe('sandbox stats and reset', () => {
  it('counts requests per endpoint, refused ones included, and tokens issued', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    await sandbox.fetch(tokenRequest({ authorization: null }));
    const opened = await assess(sandbox, token, { email: 'otp@example.com' });
    await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token: 'bogus' }));
    await verify(sandbox, token, opened.raw, { otp: '000000' });
    assert.deepEqual(sandbox.stats(), { token: 2, assess: 2, verify: 1, tokensIssued: 1 });
    assert.deepEqual(await jsonOf(await sandbox.fetch(controlRequest('GET', '/stats'))), { token: 2, assess: 2, verify: 1, tokensIssued: 1 });
  });

  it('reset forgets tokens, cases, messages, faults and counters', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const opened = await assess(sandbox, token, { email: 'otp@example.com' });
    sandbox.faults.add({ target: 'verify', status: 500 });
    assert.equal((await sandbox.fetch(controlRequest('POST', '/reset'))).status, 204);
    assert.deepEqual(sandbox.stats(), { token: 0, assess: 0, verify: 0, tokensIssued: 0 });
    assert.deepEqual(sandbox.messages.list(), []);
    assert.deepEqual(sandbox.faults.list(), []);
    assert.equal((await sandbox.fetch(apiRequest(SANDBOX_PATHS.assess, assessmentBody(), { token }))).status, 401, 'old token forgotten');
    const fresh = await getToken(sandbox);
    const lookup = await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, verifyBody(opened.raw, { otp: '000000' }), { token: fresh }));
    assert.equal(lookup.status, 404, 'old case forgotten');
  });
});
