import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOpenAction } from '../../src/contract/kount/index.js';
import { PERSONAS, type Sandbox } from '../../src/sandbox/index.js';
import { act, actionRequest, assess, type CaseAnswer, get, getToken, harness, kbaKey, lastAction, pathOf, postForm, refresh } from './helpers.js';

interface InboxJson {
  readonly messages: readonly { readonly to: string; readonly code?: string; readonly link?: string; readonly authenticationId: string }[];
  readonly links: readonly { readonly kind: string; readonly url: string; readonly authenticationId: string; readonly state: string }[];
}

async function inbox(sandbox: Sandbox): Promise<InboxJson> {
  return (await (await get(sandbox, '/sandbox/inbox.json')).json()) as InboxJson;
}

/** Finishes the open action the way a tester would: with what the inbox, kba.json and the link pages give. */
async function passOpenAction(sandbox: Sandbox, token: string, opened: CaseAnswer, current: CaseAnswer): Promise<CaseAnswer> {
  const action = lastAction(current);
  const authenticationId = opened.raw.authenticationId;
  const { messages, links } = await inbox(sandbox);
  switch (action.method) {
    case 'OTP': {
      const code = messages.find((message) => message.authenticationId === authenticationId && message.code)?.code;
      assert.ok(code);
      return act(sandbox, token, opened.raw, 'OTP', { otp: code });
    }
    case 'KBA':
      return act(sandbox, token, opened.raw, 'KBA', { questions: (await kbaKey(sandbox, authenticationId)).questions });
    case 'OTH': {
      const link = links.find((entry) => entry.authenticationId === authenticationId && entry.kind === 'OTH' && entry.state === 'live')?.url;
      assert.ok(link);
      assert.equal((await postForm(sandbox, pathOf(link), { choice: 'confirm' })).status, 303);
      return refresh(sandbox, token, opened.raw, 'OTH');
    }
    case 'DOCV': {
      const link = links.find((entry) => entry.authenticationId === authenticationId && entry.kind === 'DOCV' && entry.state === 'live')?.url;
      assert.ok(link);
      for (const step of ['begin', 'capture', 'process', 'verified']) assert.equal((await postForm(sandbox, pathOf(link), { step })).status, 303);
      return refresh(sandbox, token, opened.raw, 'DOCV');
    }
    default:
      assert.fail(`unexpected method ${action.method}`);
  }
}

describe('sandbox journeys: every persona end to end', () => {
  for (const persona of PERSONAS) {
    it(`${persona.email}: ${persona.steps.map((step) => step.method).join(' then ') || 'no challenge'} → ${persona.verdict}`, async () => {
      const { sandbox } = harness();
      const token = await getToken(sandbox);
      const opened = await assess(sandbox, token, { email: persona.email, name: { first: 'Ada' } });
      let current = opened;
      for (const [index, expected] of persona.steps.entries()) {
        assert.equal(current.raw.decision, 'Challenge', `step ${index + 1} open`);
        assert.equal(current.raw.strategy.actions.length, index + 1, 'actions appear one at a time');
        assert.equal(lastAction(current).method, expected.method);
        assert.equal(lastAction(current).status, 'challenge');
        assert.equal(current.parsed.strategy?.actions.filter(isOpenAction).length, 1);
        current = await passOpenAction(sandbox, token, opened, current);
      }
      assert.equal(current.raw.decision, persona.verdict);
      assert.ok(current.raw.strategy.actions.every((action) => action.status === 'passed'));
    });
  }

  it('otp-kba@example.com: OTP passed keeps the decision Challenge and opens KBA; a wrong KBA answer keeps OTP passed', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const opened = await assess(sandbox, token, { email: 'otp-kba@example.com' });
    const code = sandbox.messages.latest()?.code ?? '';
    const afterOtp = await act(sandbox, token, opened.raw, 'OTP', { otp: code });
    assert.equal(afterOtp.raw.decision, 'Challenge');
    assert.deepEqual(
      afterOtp.raw.strategy.actions.map((action) => [action.method, action.status]),
      [
        ['OTP', 'passed'],
        ['KBA', 'challenge'],
      ],
    );
    // The relay may still name the finished method in a refresh: it answers the current state.
    assert.deepEqual((await refresh(sandbox, token, opened.raw, 'OTP')).raw, afterOtp.raw);
    // An answer for the finished OTP step is not applied to KBA.
    const stale = await sandbox.fetch(actionRequest(opened.raw, 'OTP', { otp: code }, token));
    assert.equal(stale.status, 400);
    assert.equal(((await stale.json()) as { field?: string }).field, 'strategy.actions[0].method');
    const key = await kbaKey(sandbox, opened.raw.authenticationId);
    const realWrong = await act(sandbox, token, opened.raw, 'KBA', {
      questions: key.questions.map((entry, index) => (index === 0 ? { ...entry, answers: [] } : entry)).filter((entry) => entry.answers.length > 0),
    });
    assert.equal(realWrong.raw.decision, 'Challenge');
    assert.equal(realWrong.raw.strategy.actions[0]?.status, 'passed');
    assert.equal(lastAction(realWrong).data.error?.code, 'ANSWERS_INCORRECT');
    const passed = await act(sandbox, token, opened.raw, 'KBA', { questions: (await kbaKey(sandbox, opened.raw.authenticationId)).questions });
    assert.equal(passed.raw.decision, 'Allow');
  });
});
