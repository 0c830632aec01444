/** The writer's one way to tell a change apart: nothing, unseen, or seen (a new revision with its view, serialised once). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionView } from '../../src/contract/browser.js';
import { silentLogger } from '../../src/relay/logger.js';
import { Methods } from '../../src/relay/methods/index.js';
import { SessionWriter } from '../../src/relay/session-writer.js';
import type { Session } from '../../src/relay/sessions.js';
import { MemorySessionStore } from '../../src/relay/store/index.js';
import { buildView } from '../../src/relay/view.js';
import { methodDependencies, NOW, session } from './methods/fixtures.js';

const OTP = { method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP' } };

async function writerWith(stored: Session) {
  const store = new MemorySessionStore({ now: () => NOW });
  const methods = new Methods(methodDependencies());
  let builds = 0;
  const render = (current: Session, now: number): SessionView => {
    builds += 1;
    return buildView(current, now, methods);
  };
  const writer = new SessionWriter({ store, render, now: () => NOW, logger: silentLogger });
  await writer.create(stored);
  builds = 0;
  return { writer, store, builds: () => builds };
}

describe('SessionWriter', () => {
  it('stores nothing for a session equal to the stored one, even as a copy', async () => {
    const first = session(OTP, { revision: 0 });
    const { writer, store, builds } = await writerWith(first);
    const change = await writer.change(first.id, (current) => ({ ...current, actions: current.actions.map((action) => ({ ...action })) }));
    assert.equal(change.after, change.before, 'nothing stored');
    assert.equal(change.view, null);
    assert.equal(builds(), 0);
    assert.equal((await store.read(first.id))?.version, 0, 'as created');
  });

  it('stores a change of fields no view reads without building a view, at the same revision', async () => {
    const first = session(OTP, { revision: 0 });
    const { writer, store, builds } = await writerWith(first);
    const change = await writer.change(first.id, (current, now) => ({ ...current, answersInFlight: [{ id: 'a', until: now + 1000 }] }));
    assert.equal(change.after.revision, 0);
    assert.equal(change.view, null);
    assert.equal(builds(), 0);
    assert.equal((await store.events(first.id)).length, 1, 'only the first view');
  });

  it('gives a visible change the next revision, and hands back the view it stored as the event', async () => {
    const first = session(OTP, { revision: 0 });
    const { writer, store, builds } = await writerWith(first);
    const change = await writer.change(first.id, (current) => ({ ...current, failedOtpAttempts: 1 }));
    assert.equal(change.after.revision, 1);
    assert.equal(change.view?.revision, 1);
    assert.equal(builds(), 2, 'the views before and after, once each');
    const events = await store.events(first.id);
    assert.deepEqual(JSON.parse(events.at(-1)?.data ?? 'null'), change.view);
  });

  it('stores a change the view does not show at the same revision, with no event', async () => {
    const first = session(OTP, { revision: 0 });
    const { writer, store } = await writerWith(first);
    const change = await writer.change(first.id, (current) => ({ ...current, actions: [{ ...OTP, data: { ...OTP.data, verificationAttempts: 1 } }] }));
    assert.notEqual(change.after, change.before);
    assert.equal(change.after.revision, 0);
    assert.equal(change.view?.revision, 0);
    assert.equal((await store.events(first.id)).length, 1);
  });

  it('hands back the result of the run that was stored, not of one thrown away', async () => {
    const first = session(OTP, { revision: 0 });
    const { writer, store } = await writerWith(first);
    let runs = 0;
    const change = await writer.changeWith(first.id, (current) => {
      runs += 1;
      // A concurrent writer commits between this run's read and its commit, once.
      if (runs === 1) void store.commit({ session: { ...current, resendCount: 1 }, expectedVersion: 0, ttlSeconds: 900, aliases: [], event: null, keepEvents: 10 });
      return { session: { ...current, failedOtpAttempts: current.failedOtpAttempts + 1 }, result: current.resendCount };
    });
    assert.equal(runs, 2);
    assert.equal(change.result, 1, 'computed from the session as the concurrent writer left it');
    assert.equal(change.after.resendCount, 1);
  });
});
