import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SANDBOX_PATHS } from '../../src/sandbox/index.js';
import { apiRequest, assess, getToken, harness, verify, verifyBody } from './helpers.js';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

describe('sandbox logging', () => {
  it('writes nothing to the console during a full flow, errors included', async () => {
    const captured: string[] = [];
    const methods: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];
    const originals = methods.map((method) => [method, console[method]] as const);
    for (const method of methods) {
      console[method] = (...args: unknown[]) => {
        captured.push(args.map(String).join(' '));
      };
    }
    try {
      const { sandbox } = harness();
      const token = await getToken(sandbox);
      const opened = await assess(sandbox, token, { email: 'otp@example.com', phoneNumber: '+15551230000', name: { first: 'Ada' } });
      await verify(sandbox, token, opened.raw, { otp: '000000' });
      await verify(sandbox, token, opened.raw, { resend: true });
      await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, '{broken', { token }));
      await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, { ...verifyBody(opened.raw, { otp: '1' }), inquiryId: 'x' }, { token }));
      await assess(sandbox, token, { email: 'otp-email@example.com' });
      await verify(sandbox, token, opened.raw, { otp: sandbox.messages.list()[1]?.code ?? '' });
    } finally {
      for (const [method, original] of originals) console[method] = original;
    }
    assert.deepEqual(captured, []);
  });
});
