/**
 * Live updates against a plain `node:http` SSE server (test/bench/plain-sse.ts), interleaved:
 * heap and RSS per open stream at 1,000 and 10,000 streams, idle CPU per heartbeat per stream, and
 * the time for 1,000 webhook-driven updates to reach their streams (the plain server gets 1,000
 * plain POSTs instead). Each stream is its own connection from this process, as each browser's is.
 */
import { request, type ClientRequest } from 'node:http';
import { generateKeyPairSync, sign, constants } from 'node:crypto';
import { RelayPath, SESSION_COOKIE } from '../../src/contract/browser.js';
import { startSessions } from './answer.js';
import { BENCH_ORIGIN, getJson, kib, ms, QUICK, row, spawnReady, µs, type Row, type Started } from './harness.js';
import type { CpuFigures, HeapFigures } from './process-figures.js';

const HEARTBEAT_SECONDS = 1;
const IDLE_SECONDS = QUICK ? 1 : 2;
const COUNTS = QUICK ? [500] : [1000, 10_000];
const UPDATES = QUICK ? 300 : 1000;
const OPENING_AT_ONCE = 250;

class StreamClient {
  views = 0;
  #buffer = '';
  #waiters: Array<{ count: number; resolve: () => void }> = [];
  readonly #request: ClientRequest;

  constructor(url: URL, headers: Record<string, string>, onFailure: (error: Error) => void) {
    this.#request = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode !== 200) return onFailure(new Error(`${url.pathname} answered ${response.statusCode}`));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => this.#read(chunk));
    });
    this.#request.on('error', (error) => {
      if (!this.#closed) onFailure(error);
    });
    this.#request.end();
  }

  #closed = false;

  #read(chunk: string): void {
    this.#buffer += chunk;
    const blocks = this.#buffer.split('\n\n');
    this.#buffer = blocks.pop() ?? '';
    for (const block of blocks) if (block.includes('event: view')) this.views += 1;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.views < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `count` views have arrived on the stream. */
  waitForViews(count: number): Promise<void> {
    if (this.views >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  close(): void {
    this.#closed = true;
    this.#request.destroy();
  }
}

async function openAll(count: number, open: (index: number, onFailure: (error: Error) => void) => StreamClient): Promise<StreamClient[]> {
  const clients: StreamClient[] = [];
  let failure: Error | undefined;
  for (let start = 0; start < count; start += OPENING_AT_ONCE) {
    const batch: StreamClient[] = [];
    for (let index = start; index < Math.min(count, start + OPENING_AT_ONCE); index += 1) batch.push(open(index, (error) => (failure ??= error)));
    await within(Promise.race([Promise.all(batch.map((client) => client.waitForViews(1))), until(() => failure !== undefined)]), () => `${batch.filter((client) => client.views >= 1).length} of ${batch.length} streams opened in 30 s`);
    if (failure) throw failure;
    clients.push(...batch);
  }
  return clients;
}

function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (!condition()) return;
      clearInterval(check);
      resolve();
    }, 50);
    check.unref();
  });
}

/** `work`, or an error saying how far it got when it takes over 30 s. */
async function within<T>(work: Promise<T>, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(describe())), 30_000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

interface StreamFigures {
  heapPerStream: number;
  rssPerStream: number;
  cpuPerHeartbeat: number;
  updates?: number;
}

/** Opens `count` streams on a server, and reads its heap, RSS and idle CPU with them open. */
async function measure(server: Started, count: number, prepare: () => Promise<void>, open: (index: number, onFailure: (error: Error) => void) => StreamClient, sendUpdates?: (clients: StreamClient[]) => Promise<void>): Promise<StreamFigures> {
  await prepare();
  const before = await getJson<HeapFigures>(`${server.url}/bench/heap`);
  const clients = await openAll(count, open);
  await sleep(HEARTBEAT_SECONDS * 1000);
  const after = await getJson<HeapFigures>(`${server.url}/bench/heap`);
  const cpuBefore = await getJson<CpuFigures>(`${server.url}/bench/cpu`);
  await sleep(IDLE_SECONDS * 1000);
  const cpuAfter = await getJson<CpuFigures>(`${server.url}/bench/cpu`);
  const figures: StreamFigures = {
    heapPerStream: (after.heapUsed - before.heapUsed) / count,
    rssPerStream: (after.rss - before.rss) / count,
    cpuPerHeartbeat: (cpuAfter.micros - cpuBefore.micros) / (count * (IDLE_SECONDS / HEARTBEAT_SECONDS)),
  };
  if (sendUpdates) {
    const started = performance.now();
    await sendUpdates(clients.slice(0, UPDATES));
    const updated = clients.slice(0, UPDATES);
    await within(Promise.all(updated.map((client) => client.waitForViews(2))), () => `${updated.filter((client) => client.views >= 2).length} of ${updated.length} updates reached their streams in 30 s`);
    figures.updates = performance.now() - started;
  }
  for (const client of clients) client.close();
  await sleep(500);
  return figures;
}

/** `count` requests, `concurrency` at a time. */
async function inTurn(count: number, concurrency: number, send: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await send(next++);
    }),
  );
}

export async function streamRows(relayEnv: Record<string, string>, view: string): Promise<Row[]> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const relay = await spawnReady(
    'test/bench/relay-instance.ts',
    { ...relayEnv, RELAY_STORE_URL: 'memory:', RELAY_SSE_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS), KOUNT_WEBHOOK_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ['--expose-gc'],
  );
  const plain = await spawnReady('test/bench/plain-sse.ts', { HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS), VIEW_JSON: view }, ['--expose-gc']);
  const hono = await spawnReady('test/bench/hono-sse.ts', { HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS), VIEW_JSON: view }, ['--expose-gc']);
  const rows: Row[] = [];
  for (const count of COUNTS) {
    let sessions: { handles: string[]; stepUpSessionIds: string[] } = { handles: [], stepUpSessionIds: [] };
    const relayFigures = await measure(
      relay,
      count,
      async () => {
        sessions = await startSessions(relay, count);
      },
      (index, onFailure) => new StreamClient(new URL(`/verify${RelayPath.events}`, relay.url), { cookie: `${SESSION_COOKIE}=${sessions.handles[index] ?? ''}`, origin: BENCH_ORIGIN }, onFailure),
      count === COUNTS[0]
        ? async () => {
            const signed = sessions.stepUpSessionIds.slice(0, UPDATES).map((sessionId) => {
              const body = JSON.stringify({ sessionId, channelType: 'SMS_OTP', verificationStatus: 'VERIFICATION_ATTEMPT_FAILED', remainingVerificationAttempts: 3 });
              const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
              const signature = sign('sha256', Buffer.from(timestamp + body), { key: keys.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64');
              return { body, timestamp, signature };
            });
            await inTurn(UPDATES, 20, async (index) => {
              const delivery = signed[index];
              if (!delivery) return;
              const response = await fetch(new URL(`/verify${RelayPath.webhook}`, relay.url), {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-event-timestamp': delivery.timestamp, 'x-event-signature': delivery.signature },
                body: delivery.body,
              });
              if (!response.ok) throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
            });
          }
        : undefined,
    );
    const plainFigures = await measure(
      plain,
      count,
      async () => undefined,
      (index, onFailure) => new StreamClient(new URL(`/events?id=${index}`, plain.url), {}, onFailure),
      count === COUNTS[0]
        ? async () => {
            await inTurn(UPDATES, 20, async (index) => {
              const response = await fetch(new URL(`/publish?id=${index}`, plain.url), { method: 'POST', body: view });
              if (!response.ok) throw new Error(`the plain server answered ${response.status}`);
            });
          }
        : undefined,
    );
    const honoFigures = await measure(
      hono,
      count,
      async () => undefined,
      (index, onFailure) => new StreamClient(new URL(`/events?id=${index}`, hono.url), {}, onFailure),
    );
    const streams = count.toLocaleString('en');
    rows.push(
      row(`heap per open event stream, ${streams} streams, vs plain node:http SSE`, kib(relayFigures.heapPerStream), kib(plainFigures.heapPerStream), relayFigures.heapPerStream / plainFigures.heapPerStream),
      row(`heap per open event stream, ${streams} streams, vs a bare Hono ReadableStream SSE on the relay's adapter`, kib(relayFigures.heapPerStream), kib(honoFigures.heapPerStream), relayFigures.heapPerStream / honoFigures.heapPerStream),
      row(`RSS per open event stream, ${streams} streams, vs plain node:http SSE`, kib(relayFigures.rssPerStream), kib(plainFigures.rssPerStream), relayFigures.rssPerStream / plainFigures.rssPerStream),
      row(`idle CPU per heartbeat per stream, ${streams} streams, vs plain SSE`, µs(relayFigures.cpuPerHeartbeat), µs(plainFigures.cpuPerHeartbeat), relayFigures.cpuPerHeartbeat / plainFigures.cpuPerHeartbeat),
    );
    if (relayFigures.updates !== undefined && plainFigures.updates !== undefined) {
      rows.push(row(`${UPDATES.toLocaleString('en')} webhook-driven updates until on their streams, vs plain POST → SSE`, ms(relayFigures.updates), ms(plainFigures.updates), relayFigures.updates / plainFigures.updates));
    }
    if (count === 10_000) {
      const streamsHeap = relayFigures.heapPerStream * count;
      rows.push(row('heap of 10,000 open streams (their sessions aside) vs the 100 MB goal', `${(streamsHeap / 2 ** 20).toFixed(1)} MB`, '100 MB', streamsHeap / (100 * 2 ** 20)));
    }
  }
  return rows;
}
