import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, SANDBOX_PATHS } from '../../src/sandbox/index.js';
import { act, actionRequest, apiRequest, assess, get, getToken, harness, kbaKey, onlyAction, pathOf, postForm, verify, verifyBody } from './helpers.js';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

async function capturingConsole(run: () => Promise<void>): Promise<string[]> {
  const captured: string[] = [];
  const methods: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];
  const originals = methods.map((method) => [method, console[method]] as const);
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      captured.push(args.map(String).join(' '));
    };
  }
  try {
    await run();
  } finally {
    for (const [method, original] of originals) console[method] = original;
  }
  return captured;
}

describe('sandbox logging', () => {
  it('writes nothing to the console during KBA, OTH and DocV journeys and failing webhook deliveries', async () => {
    // The demo runs the sandbox in the relay's process, and its logs are grepped for personal data.
    const server = createServer((_request, response) => {
      response.statusCode = 500;
      response.end('nope');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    const captured = await capturingConsole(async () => {
      const sandbox = createSandbox({ webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, webhookRetryIntervalMs: 1 });
      sandbox.webhooks.addFault({ kind: 'bad-signature' });
      const token = await getToken(sandbox);
      const applicant = { phoneNumber: '+15551230000', name: { first: 'Ada', last: 'Lovelace' } };
      const kba = await assess(sandbox, token, { email: 'kba@example.com', ...applicant });
      await sandbox.fetch(actionRequest(kba.raw, 'KBA', { questions: [{ questionId: 1, answers: [1] }] }, token));
      await act(sandbox, token, kba.raw, 'KBA', { questions: (await kbaKey(sandbox, kba.raw.authenticationId)).questions });
      await assess(sandbox, token, { email: 'oth@example.com', ...applicant });
      await postForm(sandbox, pathOf(sandbox.messages.latest()?.link ?? ''), { choice: 'confirm' });
      const docv = await assess(sandbox, token, { email: 'docv@example.com', ...applicant });
      const link = pathOf(String(onlyAction(docv).data['captureUrl']));
      for (const step of ['begin', 'capture', 'process', 'verified']) await postForm(sandbox, link, { step });
      await get(sandbox, '/sandbox/inbox');
      await get(sandbox, '/sandbox/webhooks.json');
      await sandbox.webhooks.settled();
    });
    assert.deepEqual(captured, []);
  });

  it('writes nothing to the console during a full flow, errors included', async () => {
    const captured = await capturingConsole(async () => {
      const { sandbox } = harness();
      const token = await getToken(sandbox);
      const opened = await assess(sandbox, token, { email: 'otp@example.com', phoneNumber: '+15551230000', name: { first: 'Ada' } });
      await verify(sandbox, token, opened.raw, { otp: '000000' });
      await verify(sandbox, token, opened.raw, { resend: true });
      await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, '{broken', { token }));
      await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, { ...verifyBody(opened.raw, { otp: '1' }), inquiryId: 'x' }, { token }));
      await assess(sandbox, token, { email: 'otp-email@example.com' });
      await verify(sandbox, token, opened.raw, { otp: sandbox.messages.list()[1]?.code ?? '' });
    });
    assert.deepEqual(captured, []);
  });
});
