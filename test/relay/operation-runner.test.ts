/** The one sequence every answer and resend runs: reserve, take quota, call Kount once, settle or release, log, report. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StrategyAction, VerificationResponse } from '../../src/contract/kount/index.js';
import { RelayError } from '../../src/relay/errors.js';
import { Limits } from '../../src/relay/limits.js';
import type { LogFields, Logger } from '../../src/relay/logger.js';
import { Methods } from '../../src/relay/methods/index.js';
import { StepUp, type StepUpCalls } from '../../src/relay/methods/step-up.js';
import { OperationRunner, type PickOperation } from '../../src/relay/operation-runner.js';
import { SendLimits } from '../../src/relay/send-limits.js';
import { SessionWriter } from '../../src/relay/session-writer.js';
import type { Session } from '../../src/relay/sessions.js';
import { MemorySessionStore } from '../../src/relay/store/index.js';
import { buildView } from '../../src/relay/view.js';
import { kountAnswer, LIMIT_SETTINGS, NOW, ScriptedKount, session } from './methods/fixtures.js';

const OTP: StrategyAction = { method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP' } };
const WRONG = kountAnswer({ ...OTP, data: { ...OTP.data, verificationStatus: 'VERIFICATION_ATTEMPT_FAILED' } });
const RIGHT = kountAnswer({ ...OTP, status: 'verified', data: { verificationStatus: 'VERIFIED' } }, 'ALLOW');
const LATER = NOW + 31_000;

const answerWith =
  (otp: string): PickOperation =>
  (current, action, method, now) => {
    const operation = method?.answer?.(action, { method: 'OTP', otp }, current, now);
    if (operation === undefined) throw new Error('an OTP step takes an answer');
    return operation;
  };
const resend: PickOperation = (current, action, method) => {
  const operation = method?.resend?.(action, {}, current);
  if (operation === undefined) throw new Error('an OTP step can be resent');
  return operation;
};

async function runnerWith(kount: StepUpCalls, options: { sendsPerHour?: number } = {}) {
  const store = new MemorySessionStore({ now: () => LATER });
  const limits = new Limits(LIMIT_SETTINGS);
  const logs: Array<{ event: string; fields: LogFields }> = [];
  const logger: Logger = { info: (event, fields = {}) => logs.push({ event, fields }), warn: () => undefined, error: () => undefined };
  const methods = new Methods({ stepUp: new StepUp(kount, logger), limits });
  const writer = new SessionWriter({ store, render: (current, now) => buildView(current, now, methods), now: () => LATER, logger });
  const sendLimits = new SendLimits(
    { sessionSecret: ['a-session-secret-long-enough-for-the-tests-0123'], sendsPerDestinationPerHour: options.sendsPerHour ?? 5, sendsPerDestinationPerDay: 10, challengesPerClientIpPerHour: 10 },
    store,
    logger,
  );
  const decided: Session[] = [];
  const runner = new OperationRunner({ writer, methods, limits, sendLimits, now: () => LATER, logger, onDecided: (current) => decided.push(current) });
  const stored = session(OTP, { revision: 0 });
  await writer.create(stored);
  const read = async () => (await store.get(stored.id)) as Session;
  return { runner, store, writer, sendLimits, logs, decided, id: stored.id, read };
}

describe('OperationRunner', () => {
  it('asks Kount once although another writer made the reservation run again', async () => {
    const kount = new ScriptedKount(WRONG);
    const { runner, store, id, read } = await runnerWith(kount);
    let picks = 0;
    const pick: PickOperation = (current, ...rest) => {
      picks += 1;
      if (picks === 1) void store.commit({ session: { ...current, resendCount: 1 }, expectedVersion: 0, ttlSeconds: 900, aliases: [], event: null, keepEvents: 10 });
      return answerWith('000000')(current, ...rest);
    };
    await assert.rejects(runner.run(id, pick), (error: unknown) => error instanceof RelayError && error.code === 'wrong_code' && error.logged);
    assert.equal(picks, 2);
    assert.equal(kount.requests.length, 1);
    const stored = await read();
    assert.deepEqual([stored.failedOtpAttempts, stored.resendCount, stored.answersInFlight], [1, 1, undefined]);
  });

  it('logs an answer once and answers with the view the settling change stored', async () => {
    const { runner, id, logs, decided, read } = await runnerWith(new ScriptedKount(RIGHT));
    const view = await runner.run(id, answerWith('123456'));
    assert.deepEqual(view, { state: 'decided', decision: 'ALLOW', revision: 1 });
    assert.equal((await read()).revision, 1);
    assert.deepEqual(
      logs.filter(({ event }) => event === 'relay.answer').map(({ fields }) => [fields['outcome'], fields['decision']]),
      [['decided', 'ALLOW']],
    );
    assert.equal(decided.length, 1, 'the decision is reported');
  });

  it('gives an answer’s attempt back when the call fails', async () => {
    const { runner, id, read } = await runnerWith(new ScriptedKount());
    await assert.rejects(runner.run(id, answerWith('000000')), /asked once more/);
    const stored = await read();
    assert.deepEqual([stored.failedOtpAttempts, stored.answersInFlight], [0, undefined]);
  });

  it('counts a resend against the limits across sessions, and gives the session’s reservation back when they refuse it', async () => {
    const kount = new ScriptedKount();
    const { runner, id, sendLimits, read } = await runnerWith(kount, { sendsPerHour: 1 });
    await sendLimits.countSent('SMS', (await read()).contact);
    await assert.rejects(runner.run(id, resend), (error: unknown) => error instanceof RelayError && error.code === 'send_limited');
    assert.equal(kount.requests.length, 0, 'nothing went out');
    const stored = await read();
    assert.deepEqual([stored.resendCount, stored.lastSendAt], [0, NOW]);
  });

  it('SECURITY 45: waits for an identical answer another instance has in flight, and asks Kount itself once that one went without a result', async () => {
    const kount = new ScriptedKount(RIGHT);
    const { runner, store, id, read } = await runnerWith(kount);
    const limits = new Limits(LIMIT_SETTINGS);
    const digest = limits.answerDigest(id, '123456');
    const stored = await store.read(id);
    const elsewhere = { ...stored!.session, answersInFlight: [{ id: 'other-instance', until: LATER + 60_000, digest }] };
    assert.ok(await store.commit({ session: elsewhere, expectedVersion: stored!.version, ttlSeconds: 900, aliases: [], event: null, keepEvents: 10 }));
    const answered = runner.run(id, answerWith('123456'));
    await sleep(150);
    assert.equal(kount.requests.length, 0, 'not asked while the identical answer is in flight');
    // That instance died: its entry is dropped without a result (as its expiry would).
    const current = await store.read(id);
    const { answersInFlight: _gone, ...withoutEntry } = current!.session;
    assert.ok(await store.commit({ session: withoutEntry, expectedVersion: current!.version, ttlSeconds: 900, aliases: [], event: null, keepEvents: 10 }));
    assert.deepEqual(await answered, { state: 'decided', decision: 'ALLOW', revision: 1 });
    assert.equal(kount.requests.length, 1);
    assert.equal((await read()).answersInFlight, undefined);
  });

  it('keeps a decision made while Kount was asked, and reports nothing more', async () => {
    let decide: () => Promise<unknown> = () => Promise.resolve();
    const kount: StepUpCalls = {
      verify: async (): Promise<VerificationResponse> => {
        await decide();
        return WRONG;
      },
      refresh: () => Promise.reject(new Error('not asked')),
    };
    const { runner, writer, id, decided } = await runnerWith(kount);
    decide = () => writer.change(id, (current) => ({ ...current, decision: 'BLOCK' }));
    const view = await runner.run(id, answerWith('000000'));
    assert.equal(view.state === 'decided' && view.decision, 'BLOCK');
    assert.equal(decided.length, 0);
  });
});
