/**
 * The relay on several instances: two demo shops (each with its relay) as separate processes on one
 * real redis-server, behind a non-sticky round-robin balancer, with the sandbox's webhooks coming
 * through the balancer too. Journeys alternate instances; limits stay exact across them; a change
 * on one reaches streams on the other; an instance or Redis going away costs no journey.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DocvActionView, KbaActionView, SessionView } from '../../src/contract/browser.js';
import { startCluster, type Cluster, type ClusterInstance } from '../../demo/cluster/cluster.js';
import { startRedisCluster, startRedisSentinel } from '../redis/topologies.js';
import { Shopper, type Answer } from './shopper.js';

let cluster: Cluster;

/** Where the instances keep their sessions: the same suite on each store the relay supports. */
interface StoreUnderTest {
  name: string;
  /** The cluster's own single redis-server, which a test may stop and start. */
  ownRedis: boolean;
  /** The store's variables and how to stop it; none: the cluster's own single redis-server. */
  start(): Promise<{ env?: Record<string, string>; close(): Promise<void> }>;
}

const STORES: readonly StoreUnderTest[] = [
  { name: 'one Redis primary, node-redis 5', ownRedis: true, start: async () => ({ close: async () => undefined }) },
  { name: 'one Redis primary, node-redis 6', ownRedis: true, start: async () => ({ env: { DEMO_REDIS_CLIENT: 'v6' }, close: async () => undefined }) },
  {
    name: 'a 3-primary Redis Cluster',
    ownRedis: false,
    start: async () => {
      const redis = await startRedisCluster();
      return { env: { RELAY_STORE_MODE: 'cluster', RELAY_STORE_URL: redis.seedUrls }, close: () => redis.close() };
    },
  },
  {
    name: 'a primary and a replica under Sentinel',
    ownRedis: false,
    start: async () => {
      const redis = await startRedisSentinel();
      return { env: { RELAY_STORE_MODE: 'sentinel', RELAY_STORE_URL: redis.sentinelUrls, RELAY_STORE_SENTINEL_NAME: redis.name }, close: () => redis.close() };
    },
  },
];

let phoneCounter = 0;
const uniquePhone = (): string => `+1555${String(Date.now() % 1_000_000).padStart(6, '0')}${phoneCounter++ % 10}`;
const inbox = () => cluster.sandbox.sandbox.messages;
const errorCode = (answer: Answer): string | undefined => (answer.body as { error?: { code?: string } } | undefined)?.error?.code;

function challenge<M extends string>(view: SessionView, method: M) {
  if (view.state !== 'challenge' || view.action.method !== method) assert.fail(`expected a ${method} step, got ${JSON.stringify(view)}`);
  return view.action;
}

/** The lines an instance's relay logged with this event name. */
function logged(instance: ClusterInstance, event: string): Array<Record<string, unknown>> {
  return instance.output.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    const entry = JSON.parse(line) as Record<string, unknown>;
    return entry['event'] === event ? [entry] : [];
  });
}

async function waitFor<T>(read: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function otpShopper(): Promise<{ shopper: Shopper; phone: string }> {
  const shopper = new Shopper(cluster.url);
  const phone = uniquePhone();
  await shopper.checkout('otp@example.com', phone);
  return { shopper, phone };
}


for (const store of STORES) {
  describe(`several instances on ${store.name}`, () => {
    let running: Awaited<ReturnType<StoreUnderTest['start']>> | undefined;
    before(async () => {
      running = await store.start();
      const storeEnv = running.env?.RELAY_STORE_MODE === undefined ? undefined : running.env;
      cluster = await startCluster({
        instances: 2,
        // Resends as fast as the cap allows, so the cap (3) is what limits them; Kount's re-sends a moment apart.
        // Many journeys from one address: the per-IP challenge limit is raised (the per-number one stays, and is tested below).
        env: {
          RELAY_RESEND_INTERVAL_SECONDS: '0',
          RELAY_STORE_TIMEOUT_MS: '300',
          RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR: '10000',
          // A shop's per-destination limits, which the limits tests below count against (the demo raises them on loopback).
          RELAY_SENDS_PER_DESTINATION_PER_HOUR: '5',
          RELAY_SENDS_PER_DESTINATION_PER_DAY: '10',
          ...(storeEnv === undefined ? running.env : {}),
        },
        ...(storeEnv === undefined ? {} : { storeEnv }),
        webhookRetryIntervalMs: 300,
      });
    });

    after(async () => {
      await cluster?.close();
      await running?.close();
    });

  describe('journeys alternate instances', () => {
    it('OTP: every request goes to the next instance, and the journey ends in ALLOW confirmed by the shop', async () => {
      const { shopper, phone } = await otpShopper();
      const served: Array<number | null> = [];
      for (let read = 0; read < 4; read += 1) served.push((await shopper.request('GET', '/session', undefined)).servedBy);
      assert.deepEqual(new Set(served), new Set([0, 1]), 'both instances answered');
      const wrong = await shopper.answer({ method: 'OTP', otp: '000000' === inbox().latest(phone)?.code ? '111111' : '000000' });
      assert.equal(errorCode(wrong), 'wrong_code');
      const code = inbox().latest(phone)?.code;
      assert.ok(code);
      const right = await shopper.answer({ method: 'OTP', otp: code });
      assert.equal(right.status, 200);
      assert.notEqual(right.servedBy, wrong.servedBy, 'the answers went to different instances');
      assert.deepEqual(right.body, { state: 'decided', decision: 'ALLOW', revision: 2 });
      assert.deepEqual((await shopper.confirm()).body, { state: 'decided', decision: 'ALLOW' });
    });

    it("order A's passed challenge cannot confirm order B: the shop's confirm refuses A's cookie put back", async () => {
      const { shopper, phone } = await otpShopper();
      const code = inbox().latest(phone)?.code;
      assert.ok(code);
      assert.equal((await shopper.answer({ method: 'OTP', otp: code })).status, 200);
      const orderA = shopper.handle;
      // A riskier order B: its checkout sets B's cookies; the shopper puts A's session cookie back.
      await shopper.checkout('otp@example.com', phone);
      shopper.restoreHandle(orderA);
      const replayed = await shopper.confirm();
      assert.equal(replayed.status, 409);
      assert.equal(errorCode(replayed), 'inquiry_mismatch');
    });

    it('a decision confirms once: the second confirmation, on the other instance, is refused', async () => {
      const { shopper, phone } = await otpShopper();
      const code = inbox().latest(phone)?.code;
      assert.ok(code);
      assert.equal((await shopper.answer({ method: 'OTP', otp: code })).status, 200);
      const first = await shopper.confirm();
      const second = await shopper.confirm();
      assert.deepEqual(first.body, { state: 'decided', decision: 'ALLOW' });
      assert.equal(second.status, 409);
      assert.equal(errorCode(second), 'outcome_consumed');
      assert.notEqual(first.servedBy, second.servedBy);
    });

    it('KBA: the questions from one instance are answered on the other', async () => {
      const shopper = new Shopper(cluster.url);
      await shopper.checkout('kba@example.com');
      const action = challenge(await shopper.view(), 'KBA') as KbaActionView;
      const ids = action.questions.map((question) => question.id);
      const { quizzes } = (await (await fetch(`${cluster.sandbox.url}/sandbox/inbox.json`)).json()) as {
        quizzes: Array<{ answerKey: Array<{ questionId: number; correctChoices: Array<{ choiceId: number }> }> }>;
      };
      const quiz = quizzes.find((candidate) => candidate.answerKey.map((entry) => String(entry.questionId)).join() === ids.join());
      assert.ok(quiz, 'the sandbox has this questionnaire');
      const answers = quiz.answerKey.map((entry) => ({ questionId: String(entry.questionId), choiceIds: entry.correctChoices.map((choice) => String(choice.choiceId)) }));
      const answered = await shopper.answer({ method: 'KBA', answers });
      assert.equal(answered.status, 200);
      assert.equal((answered.body as SessionView).state, 'decided');
      assert.deepEqual((await shopper.confirm()).body, { state: 'decided', decision: 'ALLOW' });
    });

    it('one-time link: opened on "another device", the webhook lands on one instance and the stream on the other gets the decision within 1 s', async () => {
      const shopper = new Shopper(cluster.url);
      await shopper.checkout('oth@example.com');
      const link = inbox().latest('oth@example.com')?.link;
      assert.ok(link, 'a link was sent');
      const streams = await Promise.all(cluster.instances.map((instance) => shopper.events(instance.url)));
      for (const stream of streams) await stream.waitFor((event) => event.view.state === 'challenge');
      const receivedBefore = cluster.instances.map((instance) => logged(instance, 'webhook.received').length);

      const confirmed = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
      assert.ok(confirmed.status < 400);

      const landed = await waitFor(
        () => cluster.instances.find((instance, index) => logged(instance, 'webhook.received').length > (receivedBefore[index] ?? 0)),
        'the webhook to land',
      );
      const other = streams[landed.index === 0 ? 1 : 0];
      assert.ok(other);
      const decided = await other.waitFor((event) => event.view.state === 'decided');
      assert.deepEqual(decided.view, { state: 'decided', decision: 'ALLOW', revision: decided.view.revision });
      const landedAt = Date.parse(String(logged(landed, 'webhook.received').at(-1)?.['time']));
      const latency = decided.receivedAt - landedAt;
      assert.ok(latency < 1000, `the other instance's stream had it ${latency.toFixed(0)} ms after the webhook landed`);
      await Promise.all(streams.map((stream) => stream.close()));
      assert.deepEqual((await shopper.confirm()).body, { state: 'decided', decision: 'ALLOW' });
    });

    it('DocV: the phone capture moves the page through the steps, whichever instance hears each webhook', async () => {
      const shopper = new Shopper(cluster.url);
      await shopper.checkout('docv@example.com', uniquePhone());
      const action = challenge(await shopper.view(), 'DOCV') as DocvActionView;
      assert.ok(action.captureUrl);
      const stream = await shopper.events();
      for (const step of ['begin', 'capture', 'process', 'verified']) {
        const answer = await fetch(action.captureUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `step=${step}`, redirect: 'manual' });
        assert.ok(answer.status < 400, `step ${step}`);
      }
      const decided = await stream.waitFor((event) => event.view.state === 'decided');
      assert.equal(decided.view.state === 'decided' && decided.view.decision, 'ALLOW');
      // Webhooks race each other through the balancer; the page may skip a step, never go back one.
      const order = ['SENT', 'BEGUN', 'CAPTURED', 'PROCESSING', 'VERIFIED'];
      const progress = stream.events.flatMap((event) => (event.view.state === 'challenge' && event.view.action.method === 'DOCV' ? [order.indexOf(event.view.action.progress)] : []));
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b), `never backwards: ${progress.join(' ')}`);
      assert.ok(stream.events.map((event) => event.id).every((id, index, ids) => index === 0 || id > (ids[index - 1] ?? 0)), 'ids only grow');
      await stream.close();
      const receivers = cluster.instances.filter((instance) => logged(instance, 'webhook.received').length > 0);
      assert.equal(receivers.length, 2, 'webhooks landed on both instances over the suite');
    });
  });

  describe('limits stay exact across instances', () => {
    it('20 concurrent wrong codes over both instances: exactly 5 wrong_code, then 429', async () => {
      const { shopper, phone } = await otpShopper();
      const code = inbox().latest(phone)?.code;
      // Twenty different wrong codes: identical ones in flight reach Kount once and share one answer (SECURITY 45).
      const wrongCodes = Array.from({ length: 21 }, (_, index) => String(100000 + index)).filter((each) => each !== code).slice(0, 20);
      const answers = await Promise.all(wrongCodes.map((otp) => shopper.answer({ method: 'OTP', otp })));
      assert.deepEqual(new Set(answers.map((answer) => answer.servedBy)), new Set([0, 1]));
      const codes = answers.map(errorCode);
      assert.equal(codes.filter((each) => each === 'wrong_code').length, 5, codes.join(' '));
      assert.equal(codes.filter((each) => each === 'too_many_attempts').length, 15);
      const locked = await shopper.answer({ method: 'OTP', otp: code });
      assert.equal(locked.status, 429, 'locked now, even for the right code');
      assert.equal(errorCode(locked), 'too_many_attempts');
      assert.ok(Number(locked.status === 429 && (locked.body as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds) > 200);
    });

    it('10 concurrent resends over both instances send at most the cap (3)', async () => {
      const { shopper, phone } = await otpShopper();
      const sentBefore = inbox().list(phone).length;
      const answers = await Promise.all(Array.from({ length: 10 }, () => shopper.resend()));
      assert.deepEqual(new Set(answers.map((answer) => answer.servedBy)), new Set([0, 1]));
      assert.equal(answers.filter((answer) => answer.status === 200).length, 3);
      assert.equal(answers.filter((answer) => errorCode(answer) === 'resend_limit_reached').length, 7);
      assert.equal(inbox().list(phone).length - sentBefore, 3, 'three more SMS, not ten');
    });

    it('10 shoppers for one number over both instances, each resending: at most the per-number cap (5 an hour) is sent', async () => {
      const phone = uniquePhone();
      const shoppers: Shopper[] = [];
      const refused: string[] = [];
      for (let index = 0; index < 10; index += 1) {
        const shopper = new Shopper(cluster.url);
        try {
          await shopper.checkout('otp@example.com', phone);
          shoppers.push(shopper);
        } catch (error) {
          refused.push(String(error));
        }
      }
      assert.equal(shoppers.length, 5);
      assert.ok(refused.every((message) => message.includes('429') && message.includes('send_limited')), refused.join('\n'));
      const resends = await Promise.all(shoppers.map((shopper) => shopper.resend()));
      assert.deepEqual(new Set(resends.map((answer) => answer.servedBy)), new Set([0, 1]));
      assert.ok(resends.every((answer) => answer.status === 429 && errorCode(answer) === 'send_limited'));
      assert.equal(inbox().list(phone).length, 5, 'five SMS to the number in all, not forty');
    });
  });

  describe('instances and Redis come and go', () => {
    it('an instance killed mid-journey: the journey finishes on the other', async () => {
      const { shopper, phone } = await otpShopper();
      await shopper.view();
      const [first] = cluster.instances;
      assert.ok(first);
      await first.kill();
      try {
        const code = inbox().latest(phone)?.code;
        for (let read = 0; read < 3; read += 1) assert.equal((await shopper.request('GET', '/session', undefined)).servedBy, 1);
        const right = await shopper.answer({ method: 'OTP', otp: code });
        assert.equal(right.status, 200);
        assert.equal(right.servedBy, 1);
        assert.deepEqual((await shopper.confirm()).body, { state: 'decided', decision: 'ALLOW' });
      } finally {
        await first.start();
      }
    });

    it('a restarted instance serves sessions made before the restart, with the handle it did not sign', async () => {
      const { shopper, phone } = await otpShopper();
      const [, second] = cluster.instances;
      assert.ok(second);
      await second.stop();
      await second.start();
      const view = await shopper.view(second.url);
      assert.equal(challenge(view, 'OTP').method, 'OTP');
      const right = await shopper.answer({ method: 'OTP', otp: inbox().latest(phone)?.code }, second.url);
      assert.equal(right.status, 200);
    });

    // Stopping the store itself: the cluster's own redis-server (the topologies' nodes are stopped in failover.test.ts).
    if (store.ownRedis) {
      it('Redis stopped mid-journey: 503 store_unavailable at once, and the journey goes on when Redis is back', async () => {
        const redis = cluster.redis!;
        const { shopper, phone } = await otpShopper();
        await shopper.view();
        await redis.stop();
        let down: Answer[];
        try {
          const startedAt = performance.now();
          down = [await shopper.request('GET', '/session', undefined), await shopper.answer({ method: 'OTP', otp: inbox().latest(phone)?.code })];
          assert.ok(performance.now() - startedAt < 2000, 'fails fast');
        } finally {
          await redis.start();
        }
        for (const answer of down) {
          assert.equal(answer.status, 503);
          assert.equal(errorCode(answer), 'store_unavailable');
        }
        // Both instances reconnect by themselves.
        await waitFor(async () => {
          const reads = await Promise.all([0, 1].map(() => shopper.request('GET', '/session', undefined)));
          return reads.every((read) => read.status === 200) ? true : undefined;
        }, 'both instances to read the session again', 10_000);
        const right = await shopper.answer({ method: 'OTP', otp: inbox().latest(phone)?.code });
        assert.equal(right.status, 200, JSON.stringify(right.body));
        assert.deepEqual((await shopper.confirm()).body, { state: 'decided', decision: 'ALLOW' });
      });
    }

    it('a webhook that arrives while Kount cannot be asked gets 5xx, and its re-delivery is applied once', async () => {
      const shopper = new Shopper(cluster.url);
      await shopper.checkout('oth@example.com');
      const link = inbox().latest('oth@example.com')?.link;
      assert.ok(link);
      // Watched on the stream, not by reading: a read would ask Kount itself and finish the session first.
      const stream = await shopper.events();
      await stream.waitFor((event) => event.view.state === 'challenge');
      const deliveriesBefore = cluster.sandbox.sandbox.webhooks.deliveries().length;
      // The refresh the relay makes on the webhook (one try and one retry) fails; the next delivery's works.
      cluster.sandbox.sandbox.faults.add({ target: 'verify', status: 500, times: 2 });
      await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
      const decided = await stream.waitFor((event) => event.view.state === 'decided');
      assert.equal(decided.view.state === 'decided' && decided.view.decision, 'ALLOW');
      await cluster.sandbox.sandbox.webhooks.settled();
      const deliveries = cluster.sandbox.sandbox.webhooks.deliveries().slice(deliveriesBefore).filter((delivery) => delivery.kind === 'WebhookEventRequest');
      assert.deepEqual(deliveries.map((delivery) => delivery.status), [503, 200], 'refused while Kount was down, taken on the re-send');
      const views = stream.events.map((event) => event.view);
      assert.deepEqual(
        views.map((view) => (view.state === 'decided' ? view.decision : view.action.method === 'OTH' ? view.action.status : view.action.method)),
        ['MESSAGE_SENT', 'VERIFIED', 'ALLOW'],
        'the event itself at once, the decision once, on the re-send',
      );
      await stream.close();
      assert.ok(cluster.instances.some((instance) => logged(instance, 'webhook.not_applied').length > 0));
      assert.deepEqual((await shopper.confirm()).body, { state: 'decided', decision: 'ALLOW' });
    });
  });
  });
}
