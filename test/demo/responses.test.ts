/**
 * No developer text for shoppers (issue 9 item 7): a failure in the demo shop's API answers with
 * plain copy by code; the relay's message, written for developers, goes to the log only.
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Hono } from 'hono';
import { errorResponse } from '../../demo/responses.js';
import { OutcomeError, RelayError } from '../../src/relay/index.js';

async function answer(error: unknown) {
  const logged: string[] = [];
  const log = mock.method(console, 'error', (line: string) => void logged.push(line));
  try {
    const app = new Hono().post('/api/checkout', (c) => errorResponse(c, error));
    const response = await app.request('/api/checkout', { method: 'POST' });
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } }, logged };
  } finally {
    log.mock.restore();
  }
}

describe("the demo shop's error answers", () => {
  it('shows plain copy, not the relay’s developer message, for an action status Kount may add later', async () => {
    const detail = 'startChallenge needs an assessment with an open action (status "challenge").';
    const { status, body, logged } = await answer(new RelayError('invalid_body', detail));
    assert.equal(status, 500, "the shop's fault, not the shopper's input");
    assert.deepEqual(body, { error: { code: 'invalid_body', message: 'Something went wrong on our side. Please try again.' } });
    assert.ok(logged.some((line) => line.includes('startChallenge needs an assessment')), 'the detail is logged');
  });

  for (const [error, expected] of [
    [new RelayError('upstream_timeout', 'Kount did not answer the assess call within 10000 ms.'), "We couldn't reach our verification service. Please try again in a moment."],
    [new RelayError('session_expired', 'This verification has expired.'), 'This verification has ended. Please start again.'],
    [new OutcomeError('inquiry_mismatch', 'This verification belongs to another inquiry.'), 'This verification has ended. Please start again.'],
    [new OutcomeError('outcome_consumed', 'This verification was confirmed already.'), 'This verification was already used. Please start again.'],
    [new Error('TypeError: cannot read properties of undefined'), 'Something went wrong on our side. Please try again.'],
  ] as const) {
    it(`answers ${error instanceof RelayError || error instanceof OutcomeError ? error.code : 'an unexpected error'} in plain words`, async () => {
      const { body } = await answer(error);
      assert.equal(body.error.message, expected);
      assert.ok(!body.error.message.includes(error.message));
    });
  }
});
