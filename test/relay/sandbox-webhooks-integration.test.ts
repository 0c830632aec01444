/**
 * The relay and the real sandbox over HTTP, webhooks included: the sandbox signs with its own key
 * and posts to the relay's receiver (`webhookUrl`); the relay is configured with the sandbox's
 * public key. Journeys end through the live stream and agree with polling.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SessionView, type DocvActionView, type OthActionView } from '../../src/contract/browser.js';
import type { Relay } from '../../src/relay/index.js';
import type { KbaAnswerKey, RunningSandbox } from '../../src/sandbox/index.js';
import { SseReader } from './helpers.js';
import { startSandboxRelay, type SandboxRelay } from './sandbox-relay.js';

const PHONE = '+15551234567';

describe('relay ⇄ sandbox with signed webhooks over HTTP', () => {
  let harness: SandboxRelay;
  let sandbox: RunningSandbox;
  let relay: Relay;
  let logger: SandboxRelay['logger'];

  before(async () => {
    harness = await startSandboxRelay();
    ({ sandbox, relay, logger } = harness);
  });
  beforeEach(() => sandbox.sandbox.webhooks.clearFaults());
  after(() => harness.close());

  async function challenge(email: string) {
    const assessment = await relay.kount.assess({
      strategy: 'CheckoutStepUp',
      inquiryId: crypto.randomUUID(),
      deviceSessionId: 'device-1',
      applicant: { email, phoneNumber: PHONE },
    });
    const started = await relay.startChallenge({ assessment, contact: { email, phoneNumber: PHONE } });
    return { ...started, authenticationId: assessment.authenticationId };
  }

  const browser: SandboxRelay['browser'] = (...args) => harness.browser(...args);

  const poll = async (handle: string) => SessionView.parse(await (await browser('/session', handle)).json());

  /** Views from the stream until it closes after the final one. */
  async function drain(reader: SseReader): Promise<SessionView[]> {
    const views: SessionView[] = [];
    for (;;) {
      const message = await reader.nextEvent(5000);
      if (message === null) return views;
      views.push(SessionView.parse(JSON.parse(message.data ?? 'null')));
    }
  }

  const pressOnLinkPage = (link: string, field: string, value: string) =>
    fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${field}=${value}`, redirect: 'manual' });

  it('one-time link: confirming in the inbox link completes the page’s stream, with no reload', async () => {
    const { handle } = await challenge('oth@example.com');
    const stream = await browser('/session/events', handle, { headers: { accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = new SseReader(stream);
    const first = await reader.nextEvent();
    const firstView = SessionView.parse(JSON.parse(first?.data ?? 'null'));
    assert.equal(firstView.state === 'challenge' && firstView.action.method, 'OTH');
    assert.equal((firstView.state === 'challenge' ? (firstView.action as OthActionView) : undefined)?.destination, 'o***@example.com');

    const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
    assert.ok(link);
    assert.equal((await pressOnLinkPage(link, 'choice', 'confirm')).status, 303);

    const views = await drain(reader);
    assert.deepEqual(views.at(-1), { state: 'decided', decision: 'ALLOW', revision: views.at(-1)?.revision });
    assert.deepEqual(await poll(handle), views.at(-1), 'stream and polling agree');
    assert.equal((await relay.outcome(handle)).decision, 'ALLOW');
    await sandbox.sandbox.webhooks.settled();
    const deliveries = sandbox.sandbox.webhooks.deliveries().filter((delivery) => delivery.kind === 'WebhookEventRequest');
    assert.deepEqual(deliveries.map((delivery) => delivery.status), [200]);
  });

  it('forged (bad signature) and stale deliveries get 401 and change nothing; the re-signed retry is applied once', async () => {
    const { handle } = await challenge('oth@example.com');
    const before = await poll(handle);
    sandbox.sandbox.webhooks.addFault({ kind: 'bad-signature' });
    sandbox.sandbox.webhooks.addFault({ kind: 'stale-timestamp' });
    sandbox.sandbox.webhooks.addFault({ kind: 'duplicate' });
    const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
    assert.ok(link);
    await pressOnLinkPage(link, 'choice', 'refuse');
    await sandbox.sandbox.webhooks.settled();
    await relay.settled();
    const deliveries = sandbox.sandbox.webhooks.deliveries().filter((delivery) => delivery.kind === 'WebhookEventRequest').slice(-4);
    assert.deepEqual(
      deliveries.map((delivery) => [delivery.fault ?? null, delivery.status]),
      [
        ['bad-signature', 401],
        ['stale-timestamp', 401],
        ['duplicate', 200],
        ['duplicate', 200],
      ],
    );
    const final = await poll(handle);
    assert.deepEqual(final, { state: 'decided', decision: 'BLOCK', revision: before.revision + 1 }, 'one change for all five posts');
    const rejected = logger.entries.filter((entry) => entry.event === 'webhook.rejected').map((entry) => entry.fields.reason);
    assert.ok(rejected.includes('bad_signature') && rejected.includes('stale_timestamp'));
  });

  it('document verification: the capture link is shown for a QR code, progress arrives live from the phone page, then ALLOW', async () => {
    const { handle } = await challenge('docv@example.com');
    const reader = new SseReader(await browser('/session/events', handle));
    const first = SessionView.parse(JSON.parse((await reader.nextEvent())?.data ?? 'null'));
    assert.equal(first.state === 'challenge' && first.action.method, 'DOCV');
    const action = (first.state === 'challenge' ? first.action : undefined) as DocvActionView;
    assert.equal(action.delivery, 'LINK');
    assert.ok(action.captureUrl?.startsWith(`${sandbox.url}/sandbox/docv/`), action.captureUrl ?? 'no link');
    assert.equal(action.progress, 'SENT');

    const seen: string[] = [];
    for (const step of ['begin', 'capture', 'process']) {
      assert.equal((await pressOnLinkPage(action.captureUrl ?? '', 'step', step)).status, 303);
      for (;;) {
        const view = SessionView.parse(JSON.parse((await reader.nextEvent(5000))?.data ?? 'null'));
        if (view.state === 'challenge' && view.action.method === 'DOCV') {
          if (seen.at(-1) !== view.action.progress) seen.push(view.action.progress);
          if (view.action.progress === { begin: 'BEGUN', capture: 'CAPTURED', process: 'PROCESSING' }[step]) break;
        }
      }
    }
    assert.deepEqual(seen, ['BEGUN', 'CAPTURED', 'PROCESSING']);
    await pressOnLinkPage(action.captureUrl ?? '', 'step', 'verified');
    const rest = await drain(reader);
    assert.deepEqual(rest.at(-1), await poll(handle));
    assert.equal((await relay.outcome(handle)).decision, 'ALLOW');
    await sandbox.sandbox.webhooks.settled();
    await relay.settled();
    // The results event (OCR, scores, image links) was taken, and none of it reached a view or a log.
    const results = sandbox.sandbox.webhooks.deliveries().filter((delivery) => delivery.kind === 'DocVResultsEventRequest');
    assert.equal(results.at(-1)?.status, 200);
    const everything = JSON.stringify([rest, logger.entries]);
    for (const leaked of ['S5550104', 'docv-images', 'dateOfBirth']) assert.ok(!everything.includes(leaked), leaked);
  });

  it('KBA: a wrong attempt gives 422 wrong_answers and a fresh quiz; the inbox answers pass', async () => {
    const { handle, authenticationId } = await challenge('kba@example.com');
    const key = async () => (await (await fetch(`${sandbox.url}/sandbox/kba.json?authenticationId=${authenticationId}`)).json()) as KbaAnswerKey;
    const view = await poll(handle);
    if (view.state !== 'challenge' || view.action.method !== 'KBA') assert.fail('expected KBA');
    const first = await key();
    const toBrowser = (answers: KbaAnswerKey['questions']) => answers.map((answer) => ({ questionId: String(answer.questionId), choiceIds: answer.answers.map(String) }));
    const right = toBrowser(first.questions);
    // The first question answered with a choice the key does not list: one wrong answer fails the attempt.
    const [firstQuestion] = view.action.questions;
    const wrongChoice = firstQuestion?.choices.find((choice) => !right[0]?.choiceIds.includes(choice.id));
    assert.ok(firstQuestion && wrongChoice);
    const wrong = right.map((answer, index) => (index === 0 ? { ...answer, choiceIds: [wrongChoice.id] } : answer));
    const failed = await browser('/session/answer', handle, { body: { method: 'KBA', answers: wrong } });
    assert.equal(failed.status, 422);
    assert.equal(((await failed.json()) as { error: { code: string } }).error.code, 'wrong_answers');
    const second = await key();
    assert.notEqual(second.questionnaireId, first.questionnaireId);
    const fresh = await poll(handle);
    assert.equal(fresh.state === 'challenge' && fresh.action.method === 'KBA' && fresh.action.remainingAttempts, 1);
    const passed = await browser('/session/answer', handle, { body: { method: 'KBA', answers: toBrowser(second.questions) } });
    assert.equal(passed.status, 200);
    assert.equal((await relay.outcome(handle)).decision, 'ALLOW');
  });
});
