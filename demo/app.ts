/**
 * The customer's site: a tiny shop backend that asks Kount 360 (the sandbox unless configured
 * otherwise) for a decision through the relay's Kount client, hands challenges to the relay and
 * mounts the relay's browser API. Pages use the elements exactly as a customer would: one script tag.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { RelayPath } from '../src/contract/browser.js';
import { describeIssues } from '../src/contract/issues.js';
import { normalizeDecision } from '../src/contract/kount/decision.js';
import { createRelay, relayOptionsFromEnv, toE164, type Relay } from '../src/relay/index.js';
import type { RedisModule } from '../src/relay/store/index.js';
import { startSandbox, SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS } from '../src/sandbox/index.js';
import { registerAccountProtectionRoutes } from './account-protection.js';
import { pageHeaders } from './csp.js';
import { orderCookie, orderOf } from './orders.js';
import { COLLECTOR_ORIGINS, DeviceSessionId, deviceDataSettings, deviceSessionIdOf } from './device-data.js';
import { admitted, clientIpOf, stateChangeGuard } from './guards.js';
import { errorResponse, invalidBody } from './responses.js';

const root = new URL('../', import.meta.url);

/** Kount's collector, served by the shop itself (its licence lets a shop use it, not others redistribute it). */
const KOUNT_COLLECTOR_URL = '/assets/kount-web-client-sdk.js';
const KOUNT_COLLECTOR_FILE = 'node_modules/@kount/kount-web-client-sdk/kount-web-client-sdk.js';

/** Static files the site serves, by URL path. An explicit list: nothing else on disk is reachable. */
const files: Record<string, { path: string; type: string; page?: boolean }> = {
  '/': { path: 'index.html', type: 'text/html; charset=utf-8', page: true },
  '/checkout.html': { path: 'demo/pages/checkout.html', type: 'text/html; charset=utf-8', page: true },
  '/signup.html': { path: 'demo/pages/signup.html', type: 'text/html; charset=utf-8', page: true },
  '/demo.css': { path: 'demo/public/demo.css', type: 'text/css; charset=utf-8' },
  '/journey.js': { path: 'demo/public/journey.js', type: 'text/javascript; charset=utf-8' },
  '/languages.js': { path: 'demo/public/languages.js', type: 'text/javascript; charset=utf-8' },
  '/remembered-choice.js': { path: 'demo/public/remembered-choice.js', type: 'text/javascript; charset=utf-8' },
  '/login.html': { path: 'demo/pages/login.html', type: 'text/html; charset=utf-8', page: true },
  '/open-account.html': { path: 'demo/pages/open-account.html', type: 'text/html; charset=utf-8', page: true },
  '/gallery.html': { path: 'demo/pages/gallery.html', type: 'text/html; charset=utf-8', page: true },
  '/gallery.js': { path: 'demo/public/gallery.js', type: 'text/javascript; charset=utf-8' },
  '/gallery-states.js': { path: 'demo/public/gallery-states.js', type: 'text/javascript; charset=utf-8' },
  '/gallery.css': { path: 'demo/public/gallery.css', type: 'text/css; charset=utf-8' },
  '/assets/k360-verify.js': { path: 'dist/cdn/k360-verify.js', type: 'text/javascript; charset=utf-8' },
  '/assets/k360-verify.iife.js': { path: 'dist/cdn/k360-verify.iife.js', type: 'text/javascript; charset=utf-8' },
  [KOUNT_COLLECTOR_URL]: { path: KOUNT_COLLECTOR_FILE, type: 'text/javascript; charset=utf-8' },
};

/** The bundle's lazily loaded files (locales, leaf elements) sit next to it: `k360-verify.<name>.js`. */
function bundleChunk(pathname: string): { path: string; type: string } | undefined {
  const name = /^\/assets\/(k360-verify\.[\w-]+(?:\.[\w-]+)*\.js)$/.exec(pathname)?.[1];
  return name ? { path: `dist/cdn/${name}`, type: 'text/javascript; charset=utf-8' } : undefined;
}

/** The import map that pins each file the bundle loads on demand, and its hash for the page policy. */
async function bundleImportMap(): Promise<{ json: string; hash: string }> {
  const files = JSON.parse(await readFile(new URL('dist/cdn/k360-verify.integrity.json', root), 'utf8')) as Record<string, string>;
  const integrity = Object.fromEntries(Object.entries(files).map(([name, hash]) => [`/assets/${name}`, hash]));
  // k360-verify.device-data.js imports the collector by its package name: the page maps it, pinned too.
  const collector = await readFile(new URL(KOUNT_COLLECTOR_FILE, root)).catch(() => null);
  const imports = collector === null ? {} : { '@kount/kount-web-client-sdk': KOUNT_COLLECTOR_URL };
  if (collector !== null) integrity[KOUNT_COLLECTOR_URL] = `sha384-${createHash('sha384').update(collector).digest('base64')}`;
  const json = JSON.stringify({ imports, integrity });
  return { json, hash: `sha256-${createHash('sha256').update(json).digest('base64')}` };
}

/**
 * Everyone who runs the demo comes from one address, and its checkout pre-fills one phone number:
 * the relay's limits, sized for a shop's real traffic (20 starts an hour per network, 5 sends an
 * hour to one destination from one network), locked an exploring newcomer out within minutes.
 * Listening on loopback, the demo raises them with the relay's own variables (a RELAY_* variable
 * set in the environment still wins); the landing page states these figures (index.html, `#limits`).
 * The memory store forgets every count when `npm run demo` restarts.
 */
export const DEMO_LOOPBACK_LIMITS = {
  RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR: '1000',
  RELAY_SENDS_PER_DESTINATION_PER_HOUR: '30',
  RELAY_SENDS_PER_DESTINATION_PER_DAY: '100',
} as const;

/** A host only this machine can reach: every shopper of the demo shares its one address. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

const Shopper = z.object({
  deviceSessionId: DeviceSessionId,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  email: z.string().check(z.trim(), z.toLowerCase(), z.email(), z.maxLength(254)),
  phone: z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9 ()-]{7,20}$/))),
});
type Shopper = z.infer<typeof Shopper>;

export interface DemoOptions {
  port?: number;
  host?: string;
  sandboxPort?: number;
  /** A sandbox already running (several demo instances share one): its URL; none is started. */
  sandboxUrl?: string;
  /** Where shoppers reach the shop when it is not this server itself (a load balancer in front of several). */
  publicUrl?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunningDemo {
  url: string;
  sandboxUrl: string | null;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  // Empty variables count as unset, so `KOUNT_API_URL=` falls back to the sandbox.
  const env = Object.fromEntries(Object.entries(options.env ?? process.env).filter(([, value]) => value)) as NodeJS.ProcessEnv;
  const host = options.host ?? '127.0.0.1';
  const usesRealKount = Boolean(env.KOUNT_API_URL && env.KOUNT_TOKEN_URL);

  // The relay needs the site's own origin (for its Origin allowlist), known only once listening.
  let app: Hono | undefined;
  // The adapter's bindings (the socket) pass through: the shop counts challenges by client IP.
  const server = serve({ fetch: (request, bindings) => (app ? app.fetch(request, bindings) : new Response('Starting', { status: 503 })), port: options.port ?? 3000, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  // `localhost` rather than 127.0.0.1: browsers treat it as a secure context, so the
  // `__Host-`/`Secure` session cookie works over plain http in the demo.
  const url = options.publicUrl ?? `http://localhost:${port}`;
  // The sandbox signs its webhooks and sends them to the relay's receiver on this site, and the
  // relay checks them with the sandbox's public key, as it would Kount's.
  const ownSandbox =
    usesRealKount || options.sandboxUrl !== undefined
      ? null
      : await startSandbox({ port: options.sandboxPort ?? 4010, host, webhookUrl: `${url}/verify${RelayPath.webhook}` });
  const sandbox = ownSandbox
    ? { url: ownSandbox.url, webhookPublicKey: ownSandbox.sandbox.webhookPublicKey }
    : options.sandboxUrl !== undefined
      ? { url: options.sandboxUrl, webhookPublicKey: await fetchSandboxKey(options.sandboxUrl) }
      : null;

  // The multi-instance tests run the shop on node-redis 6 as well as 5 (both majors are supported).
  const redisClient = env.DEMO_REDIS_CLIENT === 'v6' ? { redis: (await import('@redis/client-v6')) as unknown as RedisModule } : {};
  const relayOptions = relayOptionsFromEnv({
      RELAY_ALLOWED_ORIGINS: url,
      RELAY_SESSION_SECRET: randomUUID() + randomUUID(),
      ...(isLoopback(host) ? DEMO_LOOPBACK_LIMITS : {}),
      ...(sandbox
        ? {
            KOUNT_API_URL: sandbox.url,
            KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
            KOUNT_API_KEY: SANDBOX_API_KEY,
            KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
            KOUNT_WEBHOOK_PUBLIC_KEY: sandbox.webhookPublicKey,
          }
        : {}),
      ...env,
    });
  const relay = createRelay({ ...redisClient, ...relayOptions });
  try {
    // A wrong RELAY_STORE_URL stops start-up here, with the reason.
    await relay.connect();
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await ownSandbox?.close();
    throw error;
  }
  const sandboxInbox = sandbox ? sandbox.url.replace('127.0.0.1', 'localhost') + '/sandbox/inbox' : null;
  // The number the shopper typed, in E.164 as the relay counts it: what the shop sends Kount too (SECURITY 40).
  const phoneNumberOf = (phone: string | undefined): string | undefined => (phone === undefined ? undefined : toE164(phone, relayOptions.defaultCountryCallingCode));
  app = createDemoApp(relay, sandboxInbox, deviceDataSettings(env), phoneNumberOf);

  return {
    url,
    sandboxUrl: sandbox ? sandbox.url : null,
    async close() {
      // Open event streams would hold `close()` for ever.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.close();
      await ownSandbox?.close();
    },
  };
}

async function fetchSandboxKey(sandboxUrl: string): Promise<string> {
  const response = await fetch(`${sandboxUrl}/sandbox/webhook-public-key.pem`);
  if (!response.ok) throw new Error(`The sandbox at ${sandboxUrl} did not give its webhook key (${response.status}).`);
  return response.text();
}

type PhoneNumberOf = (phone: string | undefined) => string | undefined;

function createDemoApp(relay: Relay, sandboxInbox: string | null, deviceData: ReturnType<typeof deviceDataSettings>, phoneNumberOf: PhoneNumberOf): Hono {
  const app = new Hono();

  app.all('/verify/*', (c) => relay.fetch(c.req.raw));

  // The shop's own API changes state too (it starts checkouts that send codes): the relay's defence.
  app.use('/api/*', stateChangeGuard(relay));

  app.get('/inbox', (c) => (sandboxInbox ? c.redirect(sandboxInbox) : c.text('This demo talks to the real Kount 360: there is no sandbox inbox.', 404)));

  // Explicit paths: Hono's router mis-ordered two `:param{a|b}` patterns sharing a prefix.
  for (const journey of ['checkout', 'signup']) {
    app.post(`/api/${journey}`, async (c) => {
      const parsed = Shopper.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) return invalidBody(c, describeIssues(parsed.error));
      return assessAndRespond(c, relay, parsed.data, journey, clientIpOf(relay, c), phoneNumberOf);
    });
  }

  registerAccountProtectionRoutes(app, relay, (c) => clientIpOf(relay, c), phoneNumberOf);

  // Every journey's page reports that the element finished; the decision that counts is the relay's, not the browser's.
  app.post('/api/:journey/confirm', async (c) => {
    const cookies = c.req.header('cookie') ?? null;
    const handle = relay.handleFromCookie(cookies);
    // Only the journey the cookies were set for: a passed checkout does not sign anyone in.
    const inquiryId = orderOf(cookies, c.req.param('journey'));
    if (!handle || !inquiryId) return c.json({ error: { code: 'session_missing', message: 'No verification in progress.' } }, 401);
    try {
      // Once, and only for this order: another order's handle, or this one's a second time, is refused.
      // The page's Idempotency-Key makes its retry (after an answer lost to a 503) the same confirmation.
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) return c.json({ error: { code: 'invalid_body', message: 'Idempotency-Key must be 1 to 128 printable characters.', field: 'idempotency-key' } }, 400);
      const outcome = await relay.confirm(handle, { inquiryId, ...(key === undefined ? {} : { confirmationKey: key }) });
      return c.json({ state: outcome.state, decision: outcome.decision });
    } catch (error) {
      return errorResponse(c, error);
    }
  });

  app.get('*', async (c) => {
    const pathname = new URL(c.req.url).pathname;
    const file = files[pathname] ?? bundleChunk(pathname);
    if (!file) return c.text('Not found', 404);
    try {
      const body = await readFile(new URL(file.path, root));
      if (!file.page) return c.body(body, 200, { 'content-type': file.type, 'cache-control': 'no-cache' });
      // Pages pin the bundle with Subresource Integrity, as the README's CDN snippet does: the
      // entry by its script tag, the files it loads on demand by an import map.
      const integrity = (await readFile(new URL('dist/cdn/k360-verify.js.sri', root), 'utf8')).trim();
      const importMap = await bundleImportMap();
      const page = body
        .toString('utf8')
        .replaceAll('%K360_INTEGRITY%', integrity)
        .replace('%K360_IMPORTMAP%', importMap.json)
        .replaceAll('%KOUNT_DDC_CLIENT_ID%', deviceData.clientId)
        .replaceAll('%KOUNT_DDC_ENVIRONMENT%', deviceData.environment);
      return c.body(page, 200, { 'content-type': file.type, ...pageHeaders([importMap.hash], [COLLECTOR_ORIGINS[deviceData.environment]]) });
    } catch {
      return c.text(`${file.path} is missing: run "npm run build" first.`, 500);
    }
  });

  return app;
}

async function assessAndRespond(c: Context, relay: Relay, shopper: Shopper, journey: string, clientIp: string | undefined, phoneNumberOf: PhoneNumberOf): Promise<Response> {
  const [first, ...rest] = shopper.name.split(/\s+/);
  const phoneNumber = phoneNumberOf(shopper.phone);
  const contact = { email: shopper.email, ...(phoneNumber ? { phoneNumber } : {}) };
  try {
    // The relay's limits first: a number or a network that had too many codes is not assessed (Kount would text it).
    return await admitted(relay, { clientIp, contact }, async (admission) => {
      const assessment = await relay.kount.assess({
        strategy: journey === 'signup' ? 'AccountOpeningStepUp' : 'CheckoutStepUp',
        inquiryId: randomUUID(),
        channel: 'WEB',
        // The id the page started Kount's device data collector with.
        deviceSessionId: deviceSessionIdOf(shopper.deviceSessionId),
        creationDateTime: new Date().toISOString(),
        applicant: { name: { first: first ?? shopper.name, last: rest.join(' ') || undefined }, email: shopper.email, phoneNumber },
      });
      const decision = normalizeDecision(assessment.decision);
      if (decision !== 'CHALLENGE') return c.json({ outcome: decision ?? 'REVIEW' });
      const challenge = await relay.startChallenge({ assessment, contact, admission });
      c.header('set-cookie', challenge.setCookie);
      c.header('set-cookie', orderCookie(journey, assessment.inquiryId), { append: true });
      // The first view goes to the page with the answer: the flow shows the step without asking the relay.
      return c.json({ outcome: 'CHALLENGE', view: challenge.view });
    });
  } catch (error) {
    return errorResponse(c, error);
  }
}
