/** SECURITY 9: whatever the browser sends and whatever Kount answers, no response carries a token, the API key or the client id. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CSRF_HEADER, RelayPath } from '../../src/contract/browser.js';
import type { Fault } from './fake-kount.js';
import { CORRECT_OTP, FAKE_API_KEY, FAKE_CLIENT_ID } from './fake-kount.js';
import type { DocvFakeStep, KbaFakeStep, OthFakeStep, StepMethod } from './fake-steps.js';
import { PARTNER_ORIGIN, RELAY_ORIGIN, browserRequest, createTestRelay, startOtpChallenge } from './helpers.js';
import { isoSeconds, signWebhook, webhookKeys, webhookRequest } from './webhook-helpers.js';

type HandleChoice = 'cookie' | 'bearer' | 'none' | 'tampered';

interface BrowserCall {
  method: string;
  path: string;
  handle: HandleChoice;
  origin: string | null;
  csrf: boolean;
  contentType: string | null;
  body: string | null;
  advanceSeconds: number;
}

/** Placeholders the fault bodies fill with the real secrets, as a chatty or broken upstream might. */
const SECRET_ECHO = '%SECRETS%';

const faultArbitrary: fc.Arbitrary<Fault | null> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Fault>(
    { kind: 'status', status: 401 },
    { kind: 'status', status: 503, headers: { 'retry-after': '2' } },
    { kind: 'status', status: 400, body: `{"message":"${SECRET_ECHO}"}` },
    { kind: 'status', status: 500, body: SECRET_ECHO },
    { kind: 'body', body: `{"inquiryId":"${SECRET_ECHO}"}` },
    {
      kind: 'body',
      body: JSON.stringify({
        inquiryId: 'i',
        authenticationId: 'a',
        decision: 'Challenge',
        clientId: SECRET_ECHO,
        strategy: {
          strategyName: SECRET_ECHO,
          actions: [{ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP', error: { code: 'X', message: SECRET_ECHO }, token: SECRET_ECHO } }],
        },
      }),
    },
    {
      kind: 'body',
      body: JSON.stringify({ inquiryId: 'i', authenticationId: 'a', decision: SECRET_ECHO, strategy: { actions: [{ method: SECRET_ECHO, status: 'challenge' }] } }),
    },
    {
      kind: 'body',
      body: JSON.stringify({
        inquiryId: 'i',
        authenticationId: 'a',
        decision: 'Challenge',
        strategy: { actions: [{ method: 'OTP', status: 'passed' }, { method: SECRET_ECHO, status: 'challenge' }] },
      }),
    },
    { kind: 'network' },
    ),
  },
);

const bodyArbitrary = fc.oneof(
  fc.constant(null),
  fc.constant(JSON.stringify({ method: 'OTP', otp: CORRECT_OTP })),
  fc.constant(JSON.stringify({ method: 'OTP', otp: '000000' })),
  fc.constant('{}'),
  fc.constant('{"method":'),
  fc.json(),
  fc.string(),
);

/** What a real element sends: reaches Kount, so upstream faults matter. */
const wellFormedCallArbitrary: fc.Arbitrary<BrowserCall> = fc
  .record({
    route: fc.constantFrom('view', 'answer-right', 'answer-wrong', 'resend'),
    handle: fc.constantFrom<HandleChoice>('cookie', 'bearer'),
    origin: fc.constantFrom(null, RELAY_ORIGIN, PARTNER_ORIGIN),
    advanceSeconds: fc.constantFrom(0, 31),
  })
  .map(({ route, handle, origin, advanceSeconds }) => ({
    method: route === 'view' ? 'GET' : 'POST',
    path: route === 'view' ? RelayPath.view : route === 'resend' ? RelayPath.resend : RelayPath.answer,
    handle,
    origin,
    csrf: true,
    contentType: 'application/json',
    body: route === 'resend' ? '{}' : JSON.stringify({ method: 'OTP', otp: route === 'answer-right' ? CORRECT_OTP : '000000' }),
    advanceSeconds,
  }));

/** Anything at all. */
const anyCallArbitrary: fc.Arbitrary<BrowserCall> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'OPTIONS', 'PUT', 'HEAD'),
  path: fc.oneof(
    fc.constantFrom(RelayPath.view, RelayPath.answer, RelayPath.resend, RelayPath.events, RelayPath.webhook),
    fc.webPath().map((path) => path || '/'),
  ),
  handle: fc.constantFrom<HandleChoice>('cookie', 'bearer', 'none', 'tampered'),
  origin: fc.constantFrom(null, RELAY_ORIGIN, PARTNER_ORIGIN, 'https://evil.test'),
  csrf: fc.boolean(),
  contentType: fc.constantFrom(null, 'application/json', 'text/plain'),
  body: bodyArbitrary,
  advanceSeconds: fc.constantFrom(0, 31, 400, 1000),
});

const callArbitrary = fc.oneof({ weight: 3, arbitrary: wellFormedCallArbitrary }, { weight: 2, arbitrary: anyCallArbitrary });

describe('no secret in any response (SECURITY 9)', () => {
  it('holds over random browser requests and upstream faults', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(callArbitrary, faultArbitrary), { minLength: 1, maxLength: 6 }), async (calls) => {
        const { relay, kount, clock } = createTestRelay({ timeoutMs: 100 });
        const started = await startOtpChallenge(relay);
        const responses: string[] = [JSON.stringify(started.view)];
        for (const [call, fault] of calls) {
          if (fault) kount.inject('verify', echoSecrets(fault, kount.issuedTokens));
          clock.advanceSeconds(call.advanceSeconds);
          const response = await relay.fetch(toRequest(call, started.handle));
          responses.push(`${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await bodyText(response)}`);
        }
        const secrets = [FAKE_API_KEY, FAKE_CLIENT_ID, ...kount.issuedTokens];
        for (const text of responses) {
          for (const secret of secrets) {
            if (text.includes(secret)) throw new Error(`a response contains ${secret}:\n${text}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds over the step-up routes, the event stream and webhooks, pushed views included', async () => {
    const stepCall = fc.record({
      route: fc.constantFrom('view', 'events', 'kba-right', 'kba-wrong', 'docv-retry', 'resend', 'resend-sms', 'resend-email', 'webhook', 'webhook-echo', 'webhook-forged'),
      advanceSeconds: fc.constantFrom(0, 31, 301),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<StepMethod[]>(['KBA'], ['OTH'], ['DOCV'], ['OTP', 'KBA'], ['OTH', 'DOCV']),
        fc.array(fc.tuple(stepCall, faultArbitrary), { minLength: 1, maxLength: 6 }),
        async (steps, calls) => {
          const { relay, kount, clock } = createTestRelay({ timeoutMs: 100, webhookPublicKey: webhookKeys().publicKeyPem }, { steps });
          const started = await startOtpChallenge(relay);
          const fakeCase = kount.caseOf((await relay.outcome(started.handle)).authenticationId);
          const texts: string[] = [JSON.stringify(started.view)];
          relay.subscribe(started.handle, (event) => void texts.push(JSON.stringify(event)));
          const secretsText = () => [FAKE_API_KEY, FAKE_CLIENT_ID, ...kount.issuedTokens].join(' ');
          for (const [{ route, advanceSeconds }, fault] of calls) {
            if (fault) kount.inject('verify', echoSecrets(fault, kount.issuedTokens));
            clock.advanceSeconds(advanceSeconds);
            const step = fakeCase.current;
            let request: Request;
            if (route.startsWith('webhook')) {
              const event =
                step?.method === 'OTH'
                  ? (step as OthFakeStep).webhook()
                  : step?.method === 'DOCV'
                    ? (step as DocvFakeStep).advance('NEEDS_RETRY')
                    : { sessionId: step?.sessionId ?? 'x', mfaType: 'OTP', verificationStatus: 'VERIFIED' };
              const echoed =
                route === 'webhook-echo'
                  ? { ...event, channelType: secretsText(), documentVerificationStatus: secretsText(), error: { code: secretsText(), message: secretsText() }, ocr: undefined }
                  : event;
              const body = JSON.stringify(echoed);
              const timestamp = isoSeconds(clock.now());
              const signature = signWebhook(timestamp, route === 'webhook-forged' ? `${body} ` : body);
              request = webhookRequest({ body, timestamp, signature });
            } else if (route === 'view' || route === 'events') {
              request = browserRequest(route === 'view' ? RelayPath.view : RelayPath.events, { handle: started.handle });
            } else if (route.startsWith('resend')) {
              const channel = route === 'resend-sms' ? { channel: 'SMS' } : route === 'resend-email' ? { channel: 'EMAIL' } : {};
              request = browserRequest(RelayPath.resend, { handle: started.handle, body: channel });
            } else {
              const kba = step?.method === 'KBA' ? (step as KbaFakeStep) : undefined;
              const body =
                route === 'docv-retry'
                  ? { method: 'DOCV', retry: true }
                  : { method: 'KBA', answers: (route === 'kba-right' ? kba?.rightAnswers() : kba?.wrongAnswers()) ?? [{ questionId: '1', choiceIds: ['1'] }] };
              request = browserRequest(RelayPath.answer, { handle: started.handle, body });
            }
            const response = await relay.fetch(request);
            texts.push(`${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await bodyText(response)}`);
          }
          await relay.settled();
          const secrets = [FAKE_API_KEY, FAKE_CLIENT_ID, ...kount.issuedTokens];
          for (const text of texts) {
            for (const secret of secrets) {
              if (text.includes(secret)) throw new Error(`a response or pushed view contains ${secret}:\n${text}`);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('would notice a leak (the check itself can fail)', () => {
    const { kount } = createTestRelay();
    const leaked = echoSecrets({ kind: 'status', status: 500, body: SECRET_ECHO }, ['tok-1']);
    assert.ok(leaked.kind === 'status' && leaked.body?.includes(FAKE_API_KEY) && leaked.body.includes('tok-1'));
    assert.ok(kount);
  });
});

function echoSecrets(fault: Fault, tokens: string[]): Fault {
  const secrets = [FAKE_API_KEY, FAKE_CLIENT_ID, ...tokens].join(' ');
  if (fault.kind === 'status' && fault.body) return { ...fault, body: fault.body.replaceAll(SECRET_ECHO, secrets) };
  if (fault.kind === 'body') return { ...fault, body: fault.body.replaceAll(SECRET_ECHO, secrets) };
  return fault;
}

function toRequest(call: BrowserCall, handle: string): Request {
  const headers = new Headers();
  if (call.handle === 'cookie') headers.set('cookie', `__Host-k360-verify=${handle}`);
  if (call.handle === 'bearer') headers.set('authorization', `Bearer ${handle}`);
  if (call.handle === 'tampered') headers.set('authorization', `Bearer ${handle.slice(0, -2)}AA`);
  if (call.origin) headers.set('origin', call.origin);
  if (call.csrf) headers.set(CSRF_HEADER, '1');
  if (call.contentType) headers.set('content-type', call.contentType);
  if (call.method === 'OPTIONS') headers.set('access-control-request-method', 'POST');
  const hasBody = call.body !== null && call.method !== 'GET' && call.method !== 'HEAD';
  return new Request(`${RELAY_ORIGIN}/verify${call.path.startsWith('/') ? call.path : `/${call.path}`}`, {
    method: call.method,
    headers,
    ...(hasBody ? { body: call.body } : {}),
  });
}

/** The whole body, or for an event stream what it sends at once (it stays open until the session ends). */
async function bodyText(response: Response): Promise<string> {
  if (!response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5));
    const chunk = await Promise.race([reader.read(), timeout]);
    if (chunk === null || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  return text;
}
