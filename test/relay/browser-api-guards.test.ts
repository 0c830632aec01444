/** SECURITY 8, 10-13: cookie flags, CSRF and Origin checks, CORS, handle checks, body limits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSRF_HEADER, ErrorBody, SESSION_COOKIE, SessionView } from '../../src/contract/browser.js';
import { errorStatus } from '../../src/contract/relay-api.js';
import { HandleSigner, newSessionId } from '../../src/relay/handles.js';
import { relayOptionsFromEnv } from '../../src/relay/index.js';
import { CORRECT_OTP } from './fake-kount.js';
import { PARTNER_ORIGIN, RELAY_ORIGIN, SESSION_SECRET, createTestRelay, errorCodeOf, send, startOtpChallenge } from './helpers.js';

const answer = { method: 'OTP', otp: '123456' };

function assertError(result: { status: number; body: unknown; headers: Headers }, code: keyof typeof errorStatus) {
  assert.equal(errorCodeOf(result.body), code, JSON.stringify(result.body));
  assert.equal(result.status, errorStatus[code]);
  assert.ok(ErrorBody.safeParse(result.body).success);
  assert.equal(result.headers.get('cache-control'), 'no-store');
}

describe('session cookie (SECURITY 8)', () => {
  it('is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/, with Max-Age and no Domain', async () => {
    const { relay } = createTestRelay({ sessionTtlSeconds: 600 });
    const { setCookie, handle } = await startOtpChallenge(relay);
    const [nameValue, ...attributes] = setCookie.split('; ');
    assert.equal(nameValue, `__Host-k360-verify=${handle}`);
    assert.deepEqual(attributes.sort(), ['HttpOnly', 'Max-Age=600', 'Path=/', 'SameSite=Strict', 'Secure']);
    assert.doesNotMatch(setCookie, /domain/i);
  });

  it('is not set for a cross-origin session, whose handle travels as a bearer', async () => {
    const { relay } = createTestRelay();
    const started = await startOtpChallenge(relay, undefined, true);
    assert.equal(started.setCookie, '');
    const result = await send(relay, '/session', { handle: started.handle, bearer: true });
    assert.equal(result.status, 200);
  });
});

describe('behind a proxy that ends TLS or rewrites Host', () => {
  // The relay sees http://internal:8080/... while the page is https://shop.example.com.
  const internalRequest = (handle: string, headers: Record<string, string>) =>
    new Request('http://internal:8080/verify/session/answer', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', 'sec-fetch-site': 'same-origin', cookie: `${SESSION_COOKIE}=${handle}`, ...headers },
      body: JSON.stringify({ method: 'OTP', otp: '000001' }),
    });

  it('refuses the shop’s own page without RELAY_PUBLIC_ORIGIN (as before), accepts it with it', async () => {
    const plain = createTestRelay();
    const first = await startOtpChallenge(plain.relay);
    assert.equal((await plain.relay.fetch(internalRequest(first.handle, { origin: 'https://shop.example.com' }))).status, 403);

    const configured = createTestRelay({ publicOrigin: 'https://shop.example.com' });
    const second = await startOtpChallenge(configured.relay);
    assert.equal((await configured.relay.fetch(internalRequest(second.handle, { origin: 'https://shop.example.com' }))).status, 422, 'reached the answer (a wrong code)');
    assert.equal((await configured.relay.fetch(internalRequest(second.handle, { origin: 'https://evil.example.com' }))).status, 403);
  });

  it('reads X-Forwarded-Proto and X-Forwarded-Host only when told to', async () => {
    const forwarded = { origin: 'https://shop.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example.com' };
    const untrusting = createTestRelay();
    const first = await startOtpChallenge(untrusting.relay);
    assert.equal((await untrusting.relay.fetch(internalRequest(first.handle, forwarded))).status, 403, 'a client can send these headers itself');

    const trusting = createTestRelay({ trustForwardedHeaders: true });
    const second = await startOtpChallenge(trusting.relay);
    assert.equal((await trusting.relay.fetch(internalRequest(second.handle, forwarded))).status, 422);
    const chained = { ...forwarded, 'x-forwarded-host': 'shop.example.com, internal-proxy:8080', 'x-forwarded-proto': 'https, http' };
    assert.equal((await trusting.relay.fetch(internalRequest(second.handle, chained))).status, 422, 'the first (client-side) value counts');
    const mismatched = { ...forwarded, origin: 'https://evil.example.com' };
    assert.equal((await trusting.relay.fetch(internalRequest(second.handle, mismatched))).status, 403);
    const bogus = { ...forwarded, 'x-forwarded-host': 'shop.example.com/evil' };
    assert.equal((await trusting.relay.fetch(internalRequest(second.handle, bogus))).status, 403, 'a host with a path is not a host');
  });

  it('reads RELAY_PUBLIC_ORIGIN and RELAY_TRUST_FORWARDED_HEADERS from the environment, checked', () => {
    const base = { KOUNT_API_URL: 'https://api.test', KOUNT_TOKEN_URL: 'https://login.test/token', KOUNT_API_KEY: 'k', KOUNT_CLIENT_ID: 'c', RELAY_SESSION_SECRET: 'x'.repeat(32) };
    const options = relayOptionsFromEnv({ ...base, RELAY_PUBLIC_ORIGIN: 'https://shop.example.com', RELAY_TRUST_FORWARDED_HEADERS: 'true' });
    assert.equal(options.publicOrigin, 'https://shop.example.com');
    assert.equal(options.trustForwardedHeaders, true);
    assert.throws(() => relayOptionsFromEnv({ ...base, RELAY_PUBLIC_ORIGIN: 'https://shop.example.com/checkout' }), /RELAY_PUBLIC_ORIGIN must be an origin/);
    assert.throws(() => relayOptionsFromEnv({ ...base, RELAY_TRUST_FORWARDED_HEADERS: 'yes please' }), /RELAY_TRUST_FORWARDED_HEADERS must be true or false/);
  });
});

describe('under a server that puts its own address in request URLs (next start)', () => {
  // `next start` hands route handlers http://localhost:<port>/... whatever host the browser asked for.
  const localRequest = (url: string, handle: string, headers: Record<string, string>) =>
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', 'sec-fetch-site': 'same-origin', cookie: `${SESSION_COOKIE}=${handle}`, ...headers },
      body: JSON.stringify({ method: 'OTP', otp: '000001' }),
    });
  const statusOf = async (url: string, headers: Record<string, string>) => {
    const { relay } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const response = await relay.fetch(localRequest(url, handle, headers));
    return { status: response.status, code: errorCodeOf(await response.json()) };
  };

  for (const [url, host] of [
    ['http://localhost:3000/verify/session/answer', 'shop.example.com'],
    ['http://localhost:3000/verify/session/answer', '127.0.0.1:3000'],
    ['http://127.0.0.1:3000/verify/session/answer', 'shop.example.com:8080'],
    ['http://0.0.0.0:3000/verify/session/answer', 'Shop.Example.com'],
    ['http://[::]:3000/verify/session/answer', '[::1]:3000'],
    ['http://[::1]:3000/verify/session/answer', 'shop.example.com'],
    // Next writes https into the URL when a proxy in front sends X-Forwarded-Proto: https.
    ['https://localhost:3000/verify/session/answer', 'shop.example.com'],
  ]) {
    it(`takes the page the browser addressed: ${host} when the URL is ${url?.slice(0, url.indexOf('/verify'))}`, async () => {
      const origin = `${new URL(url ?? '').protocol}//${host?.toLowerCase()}`;
      assert.deepEqual(await statusOf(url ?? '', { host: host ?? '', origin }), { status: 422, code: 'wrong_code' }, 'reached the answer (a wrong code)');
    });
  }

  const refusals: Array<[string, string, Record<string, string>, string]> = [
    ['another origin than the Host', 'http://localhost:3000/verify/session/answer', { host: 'shop.example.com', origin: 'http://evil.example.com' }, 'origin_rejected'],
    ['the same host on another port', 'http://localhost:3000/verify/session/answer', { host: 'shop.example.com', origin: 'http://shop.example.com:8080' }, 'origin_rejected'],
    // A proxy that ends TLS still needs RELAY_PUBLIC_ORIGIN (or trusted forwarded headers).
    ['https while the URL says http', 'http://localhost:3000/verify/session/answer', { host: 'shop.example.com', origin: 'https://shop.example.com' }, 'origin_rejected'],
    ['a Host that is not a host', 'http://localhost:3000/verify/session/answer', { host: 'shop.example.com/evil', origin: 'http://shop.example.com/evil' }, 'origin_rejected'],
    ['a URL naming a real host (a proxy rewrote Host)', 'http://internal:8080/verify/session/answer', { host: 'shop.example.com', origin: 'http://shop.example.com' }, 'origin_rejected'],
    ['cross-site, even with Origin matching Host', 'http://localhost:3000/verify/session/answer', { host: 'shop.example.com', origin: 'http://shop.example.com', 'sec-fetch-site': 'cross-site' }, 'origin_rejected'],
  ];
  for (const [name, url, headers, code] of refusals) {
    it(`still refuses ${name}`, async () => {
      assert.deepEqual(await statusOf(url, headers), { status: 403, code });
    });
  }

  it('still needs the custom header', async () => {
    const { relay } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const request = localRequest('http://localhost:3000/verify/session/answer', handle, { host: 'shop.example.com', origin: 'http://shop.example.com' });
    request.headers.delete(CSRF_HEADER);
    const response = await relay.fetch(request);
    assert.equal(errorCodeOf(await response.json()), 'csrf_rejected');
    assert.equal(response.status, 403);
  });
});

describe('state-changing requests (SECURITY 10)', () => {
  const cases: Array<[string, Record<string, string | null>, keyof typeof errorStatus]> = [
    ['without the custom header', { [CSRF_HEADER]: null }, 'csrf_rejected'],
    ['marked Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, 'origin_rejected'],
    ['from an unlisted Origin', { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' }, 'origin_rejected'],
    ['from an unlisted Origin without fetch metadata', { origin: 'https://evil.test', 'sec-fetch-site': null }, 'origin_rejected'],
    ['from a look-alike Origin', { origin: 'https://shop.test.evil.test', 'sec-fetch-site': null }, 'origin_rejected'],
    ['from Origin: null', { origin: 'null' }, 'origin_rejected'],
    ['cross-site even from a listed Origin', { origin: PARTNER_ORIGIN, 'sec-fetch-site': 'cross-site' }, 'origin_rejected'],
  ];
  for (const path of ['/session/answer', '/session/resend']) {
    for (const [name, headers, code] of cases) {
      it(`refuses ${path} ${name} with 403 ${code}, without calling Kount`, async () => {
        const { relay, kount, clock } = createTestRelay();
        const { handle } = await startOtpChallenge(relay);
        clock.advanceSeconds(60);
        const result = await send(relay, path, { handle, body: path.endsWith('answer') ? answer : {}, headers });
        assertError(result, code);
        assert.equal(kount.calls.verify, 0);
      });
    }
  }

  it('lets the same request through once the header is present (the refusals above are not accidental)', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    clock.advanceSeconds(60);
    const result = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(result.status, 200);
    assert.equal(kount.calls.verify, 1);
  });

  it('accepts same-origin requests (Origin = the relay’s own origin) and listed origins', async () => {
    const { relay } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const sameOrigin = await send(relay, '/session/answer', { handle, body: { method: 'OTP', otp: '000001' } });
    assert.equal(sameOrigin.status, 422);
    const listed = await send(relay, '/session/answer', {
      handle,
      bearer: true,
      body: { method: 'OTP', otp: CORRECT_OTP },
      headers: { origin: PARTNER_ORIGIN, 'sec-fetch-site': 'same-site' },
    });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('access-control-allow-origin'), PARTNER_ORIGIN);
  });
});

describe('CORS (SECURITY 11)', () => {
  const preflight = (origin: string) =>
    send(createTestRelay().relay, '/session/answer', {
      method: 'OPTIONS',
      bare: true,
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-k360-verify' },
    });

  it('echoes a listed origin exactly, with credentials and the allowed headers', async () => {
    const result = await preflight(PARTNER_ORIGIN);
    assert.equal(result.status, 204);
    assert.equal(result.headers.get('access-control-allow-origin'), PARTNER_ORIGIN);
    assert.equal(result.headers.get('access-control-allow-credentials'), 'true');
    const allowed = (result.headers.get('access-control-allow-headers') ?? '').split(/,\s*/).sort();
    assert.deepEqual(allowed, ['authorization', 'content-type', 'last-event-id', 'x-k360-verify']);
    assert.match(result.headers.get('vary') ?? '', /Origin/);
  });

  for (const origin of ['https://evil.test', 'null', `${PARTNER_ORIGIN}.evil.test`, 'https://partner.test:8443', 'http://partner.test']) {
    it(`gives no Access-Control-Allow-Origin to ${origin}`, async () => {
      const result = await preflight(origin);
      assert.equal(result.headers.get('access-control-allow-origin'), null);
      assert.equal(result.headers.get('access-control-allow-credentials'), null);
    });
  }

  it('never answers with *', async () => {
    const { relay } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    for (const origin of [PARTNER_ORIGIN, 'https://evil.test', RELAY_ORIGIN]) {
      const result = await send(relay, '/session', { handle, bearer: true, headers: { origin } });
      assert.notEqual(result.headers.get('access-control-allow-origin'), '*');
      assert.equal(result.headers.get('access-control-allow-origin'), origin === PARTNER_ORIGIN ? PARTNER_ORIGIN : null);
    }
  });
});

describe('session handles over HTTP (SECURITY 12)', () => {
  async function probe(mutate: (handle: string) => string | undefined, routes = ['/session', '/session/answer', '/session/resend']) {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const results = [];
    for (const route of routes) {
      const verifyCalls = kount.calls.verify;
      const sent = mutate(handle);
      const result = await send(relay, route, {
        ...(sent === undefined ? {} : { handle: sent }),
        ...(route === '/session' ? {} : { body: route.endsWith('answer') ? answer : {} }),
      });
      assert.equal(kount.calls.verify, verifyCalls, `Kount called for ${route}`);
      results.push(result);
    }
    return { results, clock };
  }

  it('answers a tampered handle with 401 session_invalid on every route', async () => {
    const { results } = await probe((handle) => `${handle.slice(0, 5)}${handle[5] === 'A' ? 'B' : 'A'}${handle.slice(6)}`);
    for (const result of results) assertError(result, 'session_invalid');
  });

  it('answers a foreign relay’s handle with 401 session_invalid', async () => {
    const foreign = new HandleSigner('some-other-relay-secret-0123456789abcdef').sign({ sid: newSessionId(), exp: 4_000_000_000 });
    const { results } = await probe(() => foreign);
    for (const result of results) assertError(result, 'session_invalid');
  });

  it('checks the handle before the body: a forged handle with a malformed or invalid body is 401, never 400', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const forged = `${handle.slice(0, 5)}${handle[5] === 'A' ? 'B' : 'A'}${handle.slice(6)}`;
    for (const route of ['/session/answer', '/session/resend']) {
      for (const rawBody of ['{"method": "OTP", "otp": ', '', '{"method":"SMS"}', '[]']) {
        assertError(await send(relay, route, { handle: forged, rawBody }), 'session_invalid');
      }
      assertError(await send(relay, route, { rawBody: '{"method": ' }), 'session_missing');
    }
    assert.equal(kount.calls.verify, 0);
  });

  it('answers a missing handle with 401 session_missing', async () => {
    const { results } = await probe(() => undefined);
    for (const result of results) assertError(result, 'session_missing');
  });

  it('answers an expired handle with 401 session_expired', async () => {
    const { relay, kount, clock } = createTestRelay({ sessionTtlSeconds: 120 });
    const { handle } = await startOtpChallenge(relay);
    clock.advanceSeconds(121);
    for (const route of ['/session', '/session/answer', '/session/resend']) {
      const result = await send(relay, route, { handle, ...(route === '/session' ? {} : { body: route.endsWith('answer') ? answer : {} }) });
      assertError(result, 'session_expired');
    }
    assert.equal(kount.calls.verify, 0);
    await assert.rejects(relay.outcome(handle), { code: 'session_expired' });
  });

  it('answers a genuine handle for a forgotten session with 422 session_unknown', async () => {
    const signed = new HandleSigner(SESSION_SECRET).sign({ sid: newSessionId(), exp: 4_000_000_000 });
    const { results } = await probe(() => signed);
    for (const result of results) assertError(result, 'session_unknown');
  });

  it('rejects an Authorization header that is not a bearer handle', async () => {
    const { relay } = createTestRelay();
    const result = await send(relay, '/session', { headers: { authorization: 'Basic abc' } });
    assertError(result, 'session_invalid');
  });
});

describe('request bodies (SECURITY 13)', () => {
  async function post(options: Parameters<typeof send>[2], path = '/session/answer') {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const result = await send(relay, path, { handle, ...options });
    return { result, verifyCalls: kount.calls.verify };
  }

  it('refuses a body over 16 KiB by Content-Length with 413', async () => {
    const { result, verifyCalls } = await post({ rawBody: JSON.stringify({ method: 'OTP', otp: '123456', pad: 'x'.repeat(17_000) }) });
    assertError(result, 'payload_too_large');
    assert.equal(verifyCalls, 0);
  });

  it('refuses a body over 16 KiB that lies about or omits its length with 413', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const chunk = new TextEncoder().encode(' '.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 5) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify(answer)));
          controller.close();
          return;
        }
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`${RELAY_ORIGIN}/verify/session/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', cookie: `__Host-k360-verify=${handle}`, 'content-length': '20' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const response = await relay.fetch(request);
    assert.equal(response.status, 413);
    assert.equal(errorCodeOf(await response.json()), 'payload_too_large');
    assert.equal(kount.calls.verify, 0);
  });

  it('accepts a body just under the limit', async () => {
    const { result } = await post({ rawBody: `${' '.repeat(16 * 1024 - 40)}${JSON.stringify(answer)}` });
    assert.equal(result.status, 422, 'reached Kount and got a wrong-code answer');
  });

  it('refuses a non-JSON content type with 415', async () => {
    const { result, verifyCalls } = await post({ rawBody: 'method=OTP&otp=123456', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assertError(result, 'unsupported_media_type');
    assert.equal(verifyCalls, 0);
  });

  for (const [name, rawBody] of [
    ['malformed JSON', '{"method": "OTP", "otp": '],
    ['an empty body', ''],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  ] as const) {
    it(`refuses ${name} with 400 bad_json`, async () => {
      const { result, verifyCalls } = await post({ rawBody });
      assertError(result, 'bad_json');
      assert.equal(verifyCalls, 0);
    });
  }

  for (const [name, body, field] of [
    ['a non-numeric code', { method: 'OTP', otp: '12ab56' }, 'otp'],
    ['a missing code', { method: 'OTP' }, 'otp'],
    ['an unknown method', { method: 'SMS', otp: '123456' }, 'method'],
    ['an extra field', { method: 'OTP', otp: '123456', admin: true }, ''],
    ['an array', [], ''],
  ] as const) {
    it(`refuses ${name} with 400 invalid_body naming the field`, async () => {
      const { result, verifyCalls } = await post({ body: body });
      assertError(result, 'invalid_body');
      const error = ErrorBody.parse(result.body).error;
      if (field) {
        assert.equal(error.field, field);
        assert.match(error.message, new RegExp(`\\b${field}\\b`));
      } else {
        assert.ok(error.field);
      }
      assert.equal(verifyCalls, 0);
    });
  }

  it('refuses a resend body that is not {}', async () => {
    const { result, verifyCalls } = await post({ body: { resend: true } }, '/session/resend');
    assertError(result, 'invalid_body');
    assert.match(ErrorBody.parse(result.body).error.message, /resend/);
    assert.equal(verifyCalls, 0);
  });
});

describe('routes and common headers', () => {
  it('answers unknown routes with 404 not_found and wrong methods with 405', async () => {
    const { relay } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    assertError(await send(relay, '/nothing-here', { handle }), 'not_found');
    assertError(await send(relay, '/session/answer', { handle, method: 'GET' }), 'method_not_allowed');
    const outside = await relay.fetch(new Request(`${RELAY_ORIGIN}/elsewhere/session`));
    assert.equal(outside.status, 404);
  });

  it('sends Cache-Control: no-store on views, errors and preflights', async () => {
    const { relay } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const view = await send(relay, '/session', { handle });
    assert.equal(view.status, 200);
    assert.ok(SessionView.safeParse(view.body).success);
    for (const result of [view, await send(relay, '/session'), await send(relay, '/x', { method: 'OPTIONS', bare: true })]) {
      assert.equal(result.headers.get('cache-control'), 'no-store');
    }
  });

  it('mounts under a configured base path', async () => {
    const { relay } = createTestRelay({ basePath: '/kount-verify' });
    const { handle } = await startOtpChallenge(relay);
    const response = await relay.fetch(new Request(`${RELAY_ORIGIN}/kount-verify/session`, { headers: { cookie: `__Host-k360-verify=${handle}` } }));
    assert.equal(response.status, 200);
  });
});
