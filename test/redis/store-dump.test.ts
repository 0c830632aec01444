/**
 * SECURITY 42 against a real redis-server: journeys of every type (OTP by SMS and by e-mail, KBA
 * with a failed quiz, one-time links by e-mail and SMS, DocV with the capture link on the page and
 * by SMS) run through the relay against the bundled sandbox, its webhooks included; then every key
 * of the store is dumped, as whoever gets a copy of Redis (a backup, a replica, a `MONITOR`) would
 * see it, while the journeys are open and once they are done. No phone number, e-mail address, KBA
 * question or choice, or capture link may appear anywhere in it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { SessionView } from '../../src/contract/browser.js';
import type { KbaAnswerKey } from '../../src/sandbox/index.js';
import { startRedisServer, type RedisServer } from '../../demo/cluster/redis-server.js';
import { startSandboxRelay, type SandboxRelay } from '../relay/sandbox-relay.js';

const PREFIX = 'dump:';

/** One journey: who the sandbox takes the shopper for (the e-mail picks the persona) and where it sends. */
interface Journey {
  email: string;
  phoneNumber: string;
  handle: string;
  authenticationId: string;
}

/** Every value under the prefix, whatever its type, as one text per key. */
async function dumpStore(url: string): Promise<Map<string, string>> {
  const client = createClient({ url });
  await client.connect();
  const dump = new Map<string, string>();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 100 })) {
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === 'string' ? await client.get(key)
          : type === 'hash' ? await client.hGetAll(key)
          : type === 'list' ? await client.lRange(key, 0, -1)
          : type === 'set' ? await client.sMembers(key)
          : type === 'zset' ? await client.zRange(key, 0, -1)
          : type === 'stream' ? await client.xRange(key, '-', '+')
          : assert.fail(`${key} is a ${type}, which this dump does not read`);
        dump.set(key, JSON.stringify(value));
      }
    }
  } finally {
    await client.close();
  }
  return dump;
}

function assertNothingInTheClear(dump: Map<string, string>, secrets: readonly string[], moment: string): void {
  assert.ok(dump.size > 0, 'the store holds the journeys');
  for (const [key, value] of dump) {
    for (const secret of secrets) {
      assert.ok(!key.includes(secret) && !value.includes(secret), `${moment}: ${key} shows ${JSON.stringify(secret)}`);
    }
  }
}

describe('SECURITY 42: a dump of Redis after journeys of every type shows no contact, question, choice or capture link', () => {
  let redis: RedisServer;
  let harness: SandboxRelay;

  before(async () => {
    redis = await startRedisServer({ persistence: false });
    harness = await startSandboxRelay({ storeUrl: redis.url, storePrefix: PREFIX });
    await harness.relay.connect();
  });

  after(async () => {
    await harness?.relay.close();
    await harness?.close();
    await redis?.close();
  });

  const browser = (path: string, handle: string, body?: unknown) => harness.browser(path, handle, body === undefined ? {} : { body });
  const poll = async (journey: Journey) => SessionView.parse(await (await browser('/session', journey.handle)).json());
  const pressOnLinkPage = (link: string, field: string, value: string) =>
    fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${field}=${value}`, redirect: 'manual' });
  const latest = (to: string) => harness.sandbox.sandbox.messages.latest(to);
  const answerKey = async (journey: Journey) => (await (await fetch(`${harness.sandbox.url}/sandbox/kba.json?authenticationId=${journey.authenticationId}`)).json()) as KbaAnswerKey;
  const kbaAnswers = (key: KbaAnswerKey) => key.questions.map((question) => ({ questionId: String(question.questionId), choiceIds: question.answers.map(String) }));

  async function start(email: string, phoneNumber: string): Promise<Journey> {
    const assessment = await harness.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'device-dump', applicant: { email, phoneNumber } });
    const { handle } = await harness.relay.startChallenge({ assessment, contact: { email, phoneNumber } });
    return { email, phoneNumber, handle, authenticationId: assessment.authenticationId };
  }

  async function decided(journey: Journey): Promise<void> {
    for (let tries = 0; tries < 100; tries += 1) {
      const view = await poll(journey);
      if (view.state === 'decided') {
        assert.equal(view.decision, 'ALLOW', journey.email);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`${journey.email} was not decided`);
  }

  it('while the journeys are open and once they are done', async () => {
    const otpSms = await start('otp@example.com', '+15550107001');
    const otpEmail = await start('otp-email@example.com', '+15550107002');
    const kba = await start('kba@example.com', '+15550107003');
    const othEmail = await start('oth@example.com', '+15550107004');
    const othSms = await start('oth-sms@example.com', '+15550107005');
    const docvLink = await start('docv@example.com', '+15550107006');
    const docvSms = await start('docv-sms@example.com', '+15550107007');
    const journeys = [otpSms, otpEmail, kba, othEmail, othSms, docvLink, docvSms];

    const secrets: string[] = journeys.flatMap((journey) => [journey.email, journey.phoneNumber, journey.phoneNumber.slice(2)]);
    const showQuiz = async () => {
      const view = await poll(kba);
      if (view.state !== 'challenge' || view.action.method !== 'KBA') assert.fail(`expected KBA, got ${JSON.stringify(view)}`);
      // Base64 text can hold any short string by chance: only texts of 6 characters or more are looked for.
      for (const question of view.action.questions) secrets.push(...[question.text, ...question.choices.map((choice) => choice.text)].filter((text) => text.length >= 6));
      return view.action.questions;
    };
    const firstQuiz = await showQuiz();
    const docvView = await poll(docvLink);
    const captureUrl = docvView.state === 'challenge' && docvView.action.method === 'DOCV' ? docvView.action.captureUrl : null;
    assert.ok(captureUrl !== null && captureUrl.startsWith(`${harness.sandbox.url}/sandbox/docv/`), 'the page shows the capture link');
    secrets.push(captureUrl, captureUrl.slice(captureUrl.lastIndexOf('/') + 1));
    const smsCaptureLink = latest(docvSms.phoneNumber)?.link;
    assert.ok(smsCaptureLink, 'the capture link went by SMS');
    secrets.push(smsCaptureLink);
    const questionsShown = secrets.length;

    // A failed quiz (the first question answered with a choice the key does not list) puts a fresh one in the session and its view.
    const right = kbaAnswers(await answerKey(kba));
    const wrongChoice = firstQuiz[0]?.choices.find((choice) => !right[0]?.choiceIds.includes(choice.id));
    assert.ok(wrongChoice);
    const wrong = right.map((answer, index) => (index === 0 ? { ...answer, choiceIds: [wrongChoice.id] } : answer));
    assert.equal((await browser('/session/answer', kba.handle, { method: 'KBA', answers: wrong })).status, 422);
    await showQuiz();
    assert.ok(secrets.length > questionsShown, 'the second quiz was shown');
    assertNothingInTheClear(await dumpStore(redis.url), secrets, 'open journeys');

    for (const journey of [otpSms, otpEmail]) {
      const code = latest(journey === otpSms ? journey.phoneNumber : journey.email)?.code;
      assert.ok(code, `a code went to ${journey.email}`);
      assert.equal((await browser('/session/answer', journey.handle, { method: 'OTP', otp: code })).status, 200);
    }
    assert.equal((await browser('/session/answer', kba.handle, { method: 'KBA', answers: kbaAnswers(await answerKey(kba)) })).status, 200);
    for (const to of [othEmail.email, othSms.phoneNumber]) {
      const link = latest(to)?.link;
      assert.ok(link, `a link went to ${to}`);
      assert.equal((await pressOnLinkPage(link, 'choice', 'confirm')).status, 303);
    }
    for (const link of [captureUrl, smsCaptureLink]) {
      for (const step of ['begin', 'capture', 'process', 'verified']) assert.equal((await pressOnLinkPage(link, 'step', step)).status, 303);
    }
    for (const journey of journeys) await decided(journey);
    await harness.sandbox.sandbox.webhooks.settled();
    await harness.relay.settled();
    assertNothingInTheClear(await dumpStore(redis.url), secrets, 'done journeys');
  });
});
