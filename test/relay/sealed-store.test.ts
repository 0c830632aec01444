/**
 * The sealing layer every engine goes through (SECURITY 42), and what it tells apart while a
 * session secret rotates across instances (SECURITY 38's store side): a value sealed with a key
 * this instance does not hold is not "no session".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionView, type DocvActionView, type KbaActionView } from '../../src/contract/browser.js';
import type { Session } from '../../src/relay/sessions.js';
import {
  MemoryStoreEngine,
  SealedSessionStore,
  SealedWithUnknownKey,
  type EventListener,
  type Quota,
  type QuotaAnswer,
  type RecordCommit,
  type StoreEngine,
  type StoredEvent,
  type StoredRecord,
} from '../../src/relay/store/index.js';
import type { DocvFakeStep, KbaFakeStep } from './fake-steps.js';
import { EMAIL, PHONE_NUMBER, createCapturingLogger, createTestRelay, send, startOtpChallenge } from './helpers.js';
import { sessionFixture } from './session-fixture.js';

const OLD = 'old-sealing-secret-0123456789-abcdefghijkl';
const NEW = 'new-sealing-secret-0123456789-abcdefghijkl';

/** A host's own engine: the memory engine, with every text it is handed written down. */
class RecordingEngine implements StoreEngine {
  readonly seen: string[] = [];
  readonly #engine = new MemoryStoreEngine();

  read(sessionId: string): Promise<StoredRecord | null> {
    return this.#engine.read(sessionId);
  }

  commit(change: RecordCommit): Promise<boolean> {
    this.seen.push(change.data, ...change.aliases, ...(change.event === null ? [] : [change.event.data]));
    return this.#engine.commit(change);
  }

  events(sessionId: string): Promise<StoredEvent[]> {
    return this.#engine.events(sessionId);
  }

  listen(sessionId: string, listener: EventListener): Promise<() => void> {
    return this.#engine.listen(sessionId, (event) => {
      this.seen.push(event.data);
      listener(event);
    });
  }

  claim(key: string, ttlSeconds: number, value?: string): Promise<boolean> {
    this.seen.push(key, value ?? '');
    return this.#engine.claim(key, ttlSeconds, value);
  }

  getValue(key: string): Promise<string | null> {
    return this.#engine.getValue(key);
  }

  setValue(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.seen.push(key, value);
    return this.#engine.setValue(key, value, ttlSeconds);
  }

  takeQuota(quotas: readonly Quota[]): Promise<QuotaAnswer> {
    this.seen.push(...quotas.map((quota) => quota.key));
    return this.#engine.takeQuota(quotas);
  }

  returnQuota(keys: readonly string[]): Promise<void> {
    return this.#engine.returnQuota(keys);
  }

  async connect(): Promise<void> {}

  close(): Promise<void> {
    return this.#engine.close();
  }
}

function challengeAction(view: SessionView, method: 'KBA' | 'DOCV') {
  if (view.state !== 'challenge' || view.action.method !== method) assert.fail(`expected a ${method} view, got ${JSON.stringify(view)}`);
  return view.action;
}

describe('SECURITY 42: a custom engine passed through the relay’s `store` option', () => {
  it('sees only sealed text through a KBA (a failed quiz, then a fresh one) and a DocV journey, while the browser and subscribers get plain views', async () => {
    const engine = new RecordingEngine();
    const test = createTestRelay({ store: engine }, { steps: ['KBA', 'DOCV'] });
    const { handle } = await startOtpChallenge(test.relay, { phoneNumber: PHONE_NUMBER, email: EMAIL });
    const fakeCase = test.kount.caseOf((await test.relay.outcome(handle)).authenticationId);
    const pushed: SessionView[] = [];
    test.relay.subscribe(handle, (event) => void pushed.push(event.view));
    const poll = async () => SessionView.parse((await send(test.relay, '/session', { handle })).body);
    const shown: string[] = [];
    const showKba = (view: SessionView) => {
      for (const question of (challengeAction(view, 'KBA') as KbaActionView).questions) shown.push(question.text, ...question.choices.map((choice) => choice.text));
    };

    showKba(await poll());
    const kba = fakeCase.current as KbaFakeStep;
    assert.equal((await send(test.relay, '/session/answer', { handle, body: { method: 'KBA', answers: kba.wrongAnswers() } })).status, 422);
    showKba(await poll());
    assert.equal((await send(test.relay, '/session/answer', { handle, body: { method: 'KBA', answers: kba.rightAnswers() } })).status, 200);
    const docv = challengeAction(await poll(), 'DOCV') as DocvActionView;
    assert.equal(docv.captureUrl, (fakeCase.current as DocvFakeStep).captureUrl, 'the capture link reaches the page');
    await test.relay.settled();
    assert.ok(pushed.some((view) => view.state === 'challenge' && view.action.method === 'DOCV' && view.action.captureUrl === docv.captureUrl), 'subscribers get the view opened');

    const secrets = [...new Set(shown)].filter((text) => text.length >= 6);
    assert.ok(secrets.length >= 8, `questions and choices of two quizzes were shown: ${secrets.join(' | ')}`);
    secrets.push(PHONE_NUMBER, PHONE_NUMBER.slice(2), EMAIL, docv.captureUrl ?? 'no capture link', 'abc123');
    const held = engine.seen.join('\n');
    assert.ok(engine.seen.length > 10);
    for (const secret of secrets) assert.ok(!held.includes(secret), `the engine never saw ${secret}`);
    assert.ok(!held.includes('"state"'), 'nor a view in the clear');
  });
});

describe('SECURITY 42: a sealed value opens only in its place', () => {
  const session = (id: string): Session => sessionFixture(id, { inquiryId: `inquiry-${id}` });
  const view = (revision: number): StoredEvent => ({ id: revision, data: JSON.stringify({ state: 'challenge', revision }) });

  it('a session copied under another id, a view copied to another session or revision, and a changed byte read as nothing, never as something else', async () => {
    const engine = new MemoryStoreEngine();
    const store = new SealedSessionStore(engine, { sessionSecret: NEW });
    assert.ok(await store.commit({ session: session('first'), expectedVersion: null, ttlSeconds: 60, aliases: [], event: view(0), keepEvents: 10 }));
    const sealed = await engine.read('first');
    const [sealedView] = await engine.events('first');
    assert.ok(sealed && sealedView);

    assert.ok(await engine.commit({ sessionId: 'second', data: sealed.data, expectedVersion: null, ttlSeconds: 60, aliases: [], event: sealedView, keepEvents: 10 }));
    assert.equal(await store.read('second'), null, 'bound to its session id');
    assert.deepEqual(await store.events('second'), [], 'a view is bound to its session');
    assert.ok(await engine.commit({ sessionId: 'first', data: sealed.data, expectedVersion: 0, ttlSeconds: 60, aliases: [], event: { id: 1, data: sealedView.data }, keepEvents: 10 }));
    assert.deepEqual(await store.events('first'), [view(0)], 'and to its revision');

    const last = sealed.data.at(-2) === 'A' ? 'B' : 'A';
    const changed = `${sealed.data.slice(0, -2)}${last}${sealed.data.at(-1)}`;
    assert.ok(await engine.commit({ sessionId: 'first', data: changed, expectedVersion: 1, ttlSeconds: 60, aliases: [], event: null, keepEvents: 10 }));
    assert.equal(await new SealedSessionStore(engine, { sessionSecret: NEW }).read('first'), null, 'a changed byte fails the tag');
  });
});

describe('SECURITY 42: a session written by a version before sealing at the store boundary', () => {
  it('(JSON with only its contact sealed, `v1.`) reads as no session with one relay.store.unreadable_session line, as docs/relay/instances.md says', async () => {
    const engine = new MemoryStoreEngine();
    const logger = createCapturingLogger();
    const store = new SealedSessionStore(engine, { sessionSecret: NEW, logger });
    const before = { ...sessionFixture('before-upgrade', { inquiryId: 'inquiry-before' }), contact: 'v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    assert.ok(await engine.commit({ sessionId: 'before-upgrade', data: JSON.stringify(before), expectedVersion: null, ttlSeconds: 60, aliases: [], event: null, keepEvents: 10 }));
    assert.equal(await store.read('before-upgrade'), null);
    assert.equal(logger.entries.filter((entry) => entry.event === 'relay.store.unreadable_session').length, 1);
  });
});

describe('SECURITY 38: a session secret rotating over instances that share a store', () => {
  const created = sessionFixture('rolling', { inquiryId: 'inquiry-rolling' });

  it('phase 1 (the new secret second everywhere) opens both ways; in phase 2 an instance still on the old secret alone throws SealedWithUnknownKey naming the new key, never "no session"', async () => {
    const engine = new MemoryStoreEngine();
    const notRolled = new SealedSessionStore(engine, { sessionSecret: [OLD] });
    const phaseOne = new SealedSessionStore(engine, { sessionSecret: [OLD, NEW] });
    const phaseTwo = new SealedSessionStore(engine, { sessionSecret: [NEW, OLD] });

    assert.ok(await notRolled.commit({ session: created, expectedVersion: null, ttlSeconds: 60, aliases: [], event: null, keepEvents: 10 }));
    assert.deepEqual(await phaseTwo.read(created.id), { session: created, version: 0 }, 'what the old secret sealed opens after the rotation');
    const oldKeyId = (await engine.read(created.id))?.data.split('.')[1];
    assert.ok(await phaseOne.commit({ session: { ...created, resendCount: 1 }, expectedVersion: 0, ttlSeconds: 60, aliases: [], event: null, keepEvents: 10 }));
    assert.equal((await engine.read(created.id))?.data.split('.')[1], oldKeyId, 'phase 1 still seals with the old secret');
    assert.equal((await notRolled.read(created.id))?.session.resendCount, 1);

    assert.ok(await phaseTwo.commit({ session: { ...created, resendCount: 2 }, expectedVersion: 1, ttlSeconds: 60, aliases: [], event: null, keepEvents: 10 }));
    const newKeyId = (await engine.read(created.id))?.data.split('.')[1];
    assert.ok(newKeyId !== undefined && newKeyId !== oldKeyId, 'phase 2 seals with the new secret');
    assert.equal((await phaseOne.read(created.id))?.session.resendCount, 2);
    await assert.rejects(notRolled.read(created.id), (error: unknown) => error instanceof SealedWithUnknownKey && error.keyId === newKeyId && error.status === 503 && error.code === 'store_unavailable');
    assert.equal(await notRolled.read('never-stored'), null, 'no session is still null');
  });

  it('a live view sealed with a key this instance does not hold is not delivered: listeners are told views were missed, and a log line names both sides’ key ids', async () => {
    const engine = new MemoryStoreEngine();
    const logger = createCapturingLogger();
    const notRolled = new SealedSessionStore(engine, { sessionSecret: [OLD], logger });
    const rolled = new SealedSessionStore(engine, { sessionSecret: [NEW, OLD] });
    const heard: StoredEvent[] = [];
    let missed = 0;
    notRolled.onMissedEvents(() => (missed += 1));
    await notRolled.listen(created.id, (event) => heard.push(event));
    const view = { id: 0, data: JSON.stringify({ state: 'challenge', revision: 0 }) };
    assert.ok(await rolled.commit({ session: created, expectedVersion: null, ttlSeconds: 60, aliases: [], event: view, keepEvents: 10 }));
    assert.deepEqual(heard, []);
    assert.equal(missed, 1);
    const line = logger.entries.find((entry) => entry.event === 'relay.store.sealed_with_unknown_key');
    assert.ok(line);
    const sealedWith = (await engine.events(created.id))[0]?.data.split('.')[1];
    assert.equal(line.fields.keyId, sealedWith);
    const held = line.fields.heldKeyIds;
    assert.ok(Array.isArray(held) && held.length === 1 && !held.includes(sealedWith), `the ids this instance holds: ${JSON.stringify(held)}`);
    await assert.rejects(notRolled.events(created.id), SealedWithUnknownKey, 'a replay answers 503 too');

    const sameKey: StoredEvent[] = [];
    await rolled.listen(created.id, (event) => sameKey.push(event));
    assert.ok(await rolled.commit({ session: { ...created, revision: 1 }, expectedVersion: 0, ttlSeconds: 60, aliases: [], event: { ...view, id: 1 }, keepEvents: 10 }));
    assert.deepEqual(sameKey, [{ ...view, id: 1 }], 'an instance holding the key hears it opened');
  });
});
