/**
 * The relay's request path under load, with autocannon on loopback:
 * - `POST /verify/session/answer` (a wrong OTP, which reaches Kount) against a bare pass-through
 *   proxy (a minimal Hono app forwarding the same body to the same Kount stand-in) and against
 *   calling the stand-in directly, in interleaved rounds; closed loop (20 connections) and open
 *   loop (a fixed rate below both capacities, where latency is what the relay adds);
 * - `GET /verify/session` against the same Hono and Node adapter answering constant JSON;
 * - on Redis, one and two instances behind the demo cluster's round-robin balancer;
 * - the same answer through the standalone relay (`k360-verify relay`, relay-service.ts) on its
 *   public port, its sessions started through its admin API, in the same interleaved rounds as the
 *   pass-through proxy and the relay mounted in the bench's own server;
 * - the same answer through the same relay with the OpenTelemetry SDK registered and exporting to
 *   memory (telemetry-sdk.ts; its own process, since a host registers the SDK once per process,
 *   before `createRelay`), in the same rounds: issue 25 wants the instrumentation to keep at least
 *   95 % of the throughput without an SDK.
 * Many sessions take the load in turn, so none reaches its lockout.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { BENCH_ORIGIN, getJson, median, ms, postJson, printTable, QUICK, recentProblems, row, type Row, type Started, µs } from './harness.js';
import type { CpuFigures } from './process-figures.js';
import type { TelemetryFigures } from './telemetry-sdk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 2));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const CONNECTIONS = 20;
/** The open-loop rate: below what the relay and the proxy each serve on two cores. */
const OPEN_LOOP_RATE = 500;
const SESSIONS = 800;
/**
 * The standalone relay's sessions per load run, each started over HTTP (about 2 ms apiece on two
 * busy cores): --quick's 1-second runs take far fewer answers than 200 sessions × RELAY_MAX_WRONG_CODES.
 */
const SERVICE_SESSIONS = QUICK ? 200 : SESSIONS;

export interface BenchSessions {
  handles: string[];
  stepUpSessionIds: string[];
}

export async function startSessions(instance: Started, count: number): Promise<BenchSessions> {
  return (await postJson(`${instance.url}/bench/sessions`, { count })) as BenchSessions;
}

/** The standalone relay (relay-service.ts): the browser API on `url`, the admin API on `admin`. */
export interface ServiceInstance {
  instance: Started & { admin?: string };
  /** One of its RELAY_ADMIN_API_KEYS. */
  adminKey: string;
}

/**
 * `count` OTP challenges started through the admin API, as a backend in any language starts them:
 * `POST /admin/v1/challenges` with the Kount answer the shop got itself (the same answer
 * relay-instance.ts hands to `relay.startChallenge`), a few requests at a time.
 */
export async function startServiceSessions(service: ServiceInstance, count: number): Promise<string[]> {
  const handles: string[] = [];
  let started = 0;
  const startOne = async (): Promise<void> => {
    const stepUpSessionId = `stepup-${randomUUID()}`;
    const response = await fetch(`${service.instance.admin ?? ''}/admin/v1/challenges`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        assessment: {
          decision: 'Challenge',
          inquiryId: randomUUID(),
          authenticationId: randomUUID(),
          strategy: { strategyName: 'BenchStepUp', actions: [{ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP', sessionId: stepUpSessionId } }] },
        },
        contact: { phoneNumber: '+14155554567' },
      }),
    });
    const body = (await response.json()) as { handle?: string };
    if (!response.ok || !body.handle) throw new Error(`the standalone relay's admin API answered ${response.status}: ${JSON.stringify(body)}\n${recentProblems()}`);
    handles.push(body.handle);
  };
  const worker = async (): Promise<void> => {
    while (started < count) {
      started += 1;
      await startOne();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return handles;
}

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** The serving process's CPU time per request, in µs, when the target says where to read it. */
  cpuPerRequest?: number;
}

interface Target {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Session handles sent in turn as the session cookie; none for the baselines. */
  handles: readonly string[];
  /**
   * The serving process's `GET /bench/cpu`, read before and after the run: its CPU per request is
   * what the load generator and the other processes on these cores disturb least.
   */
  cpu?: string;
}

async function load(target: Target, options: { rate?: number; seconds: number }): Promise<Load> {
  let next = 0;
  const cpuBefore = target.cpu === undefined ? undefined : await getJson<CpuFigures>(target.cpu);
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: options.seconds,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    requests: [
      {
        method: target.method,
        path: target.path,
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: BENCH_ORIGIN },
        ...(target.body === undefined ? {} : { body: target.body }),
        setupRequest: (request) => {
          if (target.handles.length === 0) return request;
          const handle = target.handles[next++ % target.handles.length] ?? '';
          return { ...request, headers: { ...request.headers, cookie: `${SESSION_COOKIE}=${handle}` } };
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) statuses[code] = count;
  const cpuAfter = target.cpu === undefined ? undefined : await getJson<CpuFigures>(target.cpu);
  const cpuPerRequest = cpuBefore && cpuAfter && result.requests.total > 0 ? (cpuAfter.micros - cpuBefore.micros) / result.requests.total : undefined;
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, statuses, ...(cpuPerRequest === undefined ? {} : { cpuPerRequest }) };
}

/** Runs each target in turn, `ROUNDS` times, and gives each one's medians. */
async function interleaved(targets: Record<string, () => Promise<Target>>, options: { rate?: number; seconds: number; rounds?: number }, expected: readonly string[]): Promise<Record<string, Load>> {
  const runs: Record<string, Load[]> = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  // A second each first, so that no figure includes a process's start-up (JIT, the first token).
  for (const target of Object.values(targets)) await load(await target(), { ...options, seconds: QUICK ? 0.5 : 1 });
  const rounds = Math.min(ROUNDS, options.rounds ?? ROUNDS);
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, target] of Object.entries(targets)) runs[name]?.push(await load(await target(), options));
  }
  const result: Record<string, Load> = {};
  for (const [name, loads] of Object.entries(runs)) {
    const statuses: Record<string, number> = {};
    for (const run of loads) for (const [code, count] of Object.entries(run.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
    const unexpected = Object.keys(statuses).filter((code) => !expected.includes(code));
    if (unexpected.length > 0) throw new Error(`${name} answered ${unexpected.join(', ')} (expected ${expected.join(' or ')}): the figures would not be comparable.\n${recentProblems()}`);
    const cpu = loads.flatMap((run) => (run.cpuPerRequest === undefined ? [] : [run.cpuPerRequest]));
    result[name] = {
      requestsPerSecond: median(loads.map((run) => run.requestsPerSecond)),
      p50: median(loads.map((run) => run.p50)),
      p99: median(loads.map((run) => run.p99)),
      statuses,
      ...(cpu.length > 0 ? { cpuPerRequest: median(cpu) } : {}),
    };
  }
  return result;
}

export interface AnswerSetup {
  relay: Started;
  /** The floor, mounted as the relay is (pass-through.ts). */
  passThrough: Started;
  /** The same on `serve()`'s defaults (global Request and Response replaced). */
  passThroughOnServe: Started;
  standIn: Started;
  /** Redis-backed instances; the rows for them are left out without. */
  redis?: { instanceA: Started; oneBehind: Started; twoBehind: Started };
  /** The standalone relay; its rows are left out without. */
  service?: ServiceInstance;
  /** The same relay as `relay` with the OpenTelemetry SDK registered (BENCH_TELEMETRY=memory); its row is left out without. */
  relayWithTelemetry?: Started;
}

/** The least share of the answer's throughput the instrumentation may leave (issue 25, item 5). */
const TELEMETRY_TARGET = 0.95;

const answerBody = JSON.stringify({ method: 'OTP', otp: '000000' });

export async function answerRows(setup: AnswerSetup): Promise<Row[]> {
  const { relay, passThrough, passThroughOnServe, standIn } = setup;
  const answer = (url: string, handles: readonly string[]): Target => ({ url, method: 'POST', path: '/verify/session/answer', body: answerBody, handles });
  const kount = (): Target => ({ url: standIn.url, method: 'POST', path: '/verify', body: answerBody, handles: [] });
  const relayAnswer = async (): Promise<Target> => answer(relay.url, (await startSessions(relay, SESSIONS)).handles);
  const proxyAnswer = async (): Promise<Target> => answer(passThrough.url, []);

  const { service, relayWithTelemetry } = setup;
  // With and without the SDK, the relay's CPU per answer too: the throughput's cost, with less of the other processes' noise.
  const relayAnswerWithCpu = async (): Promise<Target> => ({ ...(await relayAnswer()), ...(relayWithTelemetry ? { cpu: `${relay.url}/bench/cpu` } : {}) });
  const serviceAnswer = async (): Promise<Target> => answer(service?.instance.url ?? '', service ? await startServiceSessions(service, SERVICE_SESSIONS) : []);
  const closed = await interleaved(
    {
      relay: relayAnswerWithCpu,
      // Next to the relay without an SDK in every round, so that both see the same machine.
      ...(relayWithTelemetry
        ? { telemetry: async () => ({ ...answer(relayWithTelemetry.url, (await startSessions(relayWithTelemetry, SESSIONS)).handles), cpu: `${relayWithTelemetry.url}/bench/cpu` }) }
        : {}),
      proxy: proxyAnswer,
      serve: async () => answer(passThroughOnServe.url, []),
      kount: async () => kount(),
      ...(service ? { service: serviceAnswer } : {}),
    },
    { seconds: SECONDS },
    ['200', '422'],
  );
  const open = await interleaved({ relay: relayAnswer, proxy: proxyAnswer }, { rate: OPEN_LOOP_RATE, seconds: SECONDS }, ['200', '422']);
  const viewHandles = (await startSessions(relay, 100)).handles;
  const view = await interleaved(
    {
      relay: async () => ({ url: relay.url, method: 'GET', path: '/verify/session', handles: viewHandles }),
      constant: async () => ({ url: passThrough.url, method: 'GET', path: '/verify/session', handles: [] }),
      constantOnServe: async () => ({ url: passThroughOnServe.url, method: 'GET', path: '/verify/session', handles: [] }),
    },
    { seconds: SECONDS },
    ['200'],
  );
  const [relayClosed, proxyClosed, serveClosed, kountClosed, relayOpen, proxyOpen, relayView, constantView, constantOnServe] = [
    closed.relay,
    closed.proxy,
    closed.serve,
    closed.kount,
    open.relay,
    open.proxy,
    view.relay,
    view.constant,
    view.constantOnServe,
  ].map((entry) => {
    if (!entry) throw new Error('a load run is missing');
    return entry;
  }) as [Load, Load, Load, Load, Load, Load, Load, Load, Load];
  const perSecond = (entry: Load): string => `${entry.requestsPerSecond.toFixed(0)} req/s`;
  const latency = (entry: Load): string => `p50 ${ms(entry.p50)}, p99 ${ms(entry.p99)}`;
  const rows = [
    row(`answer via relay vs bare pass-through proxy on the relay's adapter settings, ${CONNECTIONS} conns (req/s)`, perSecond(relayClosed), perSecond(proxyClosed), relayClosed.requestsPerSecond / proxyClosed.requestsPerSecond),
    row(`answer latency at saturation vs pass-through proxy (p99)`, latency(relayClosed), latency(proxyClosed), relayClosed.p99 / proxyClosed.p99),
    row(`answer via relay vs the same forwarder on serve()'s defaults (global Request/Response replaced) (req/s)`, perSecond(relayClosed), perSecond(serveClosed), relayClosed.requestsPerSecond / serveClosed.requestsPerSecond),
    row(`answer via relay vs calling the Kount stand-in directly (req/s)`, perSecond(relayClosed), perSecond(kountClosed), relayClosed.requestsPerSecond / kountClosed.requestsPerSecond),
    row(
      `answer at ${OPEN_LOOP_RATE} req/s open loop vs pass-through proxy (p99; relay adds ${ms(relayOpen.p99 - proxyOpen.p99)})`,
      latency(relayOpen),
      latency(proxyOpen),
      relayOpen.p99 / proxyOpen.p99,
    ),
    row(`GET /verify/session vs the same Hono + adapter answering constant JSON (req/s)`, perSecond(relayView), perSecond(constantView), relayView.requestsPerSecond / constantView.requestsPerSecond),
    row(`GET /verify/session vs constant JSON on serve()'s defaults (req/s)`, perSecond(relayView), perSecond(constantOnServe), relayView.requestsPerSecond / constantOnServe.requestsPerSecond),
  ];
  const serviceClosed = closed.service;
  if (service) {
    if (!serviceClosed) throw new Error('the standalone relay\'s load run is missing');
    rows.splice(
      1,
      0,
      row(
        `answer via the standalone relay (k360-verify relay, public port) vs bare pass-through proxy, ${CONNECTIONS} conns (req/s; p99 ${ms(serviceClosed.p99)} vs ${ms(proxyClosed.p99)})`,
        perSecond(serviceClosed),
        perSecond(proxyClosed),
        serviceClosed.requestsPerSecond / proxyClosed.requestsPerSecond,
      ),
      row(`answer via the standalone relay vs the relay mounted in a node:http server (req/s)`, perSecond(serviceClosed), perSecond(relayClosed), serviceClosed.requestsPerSecond / relayClosed.requestsPerSecond),
    );
  }
  if (relayWithTelemetry) {
    const telemetryClosed = closed.telemetry;
    if (!telemetryClosed) throw new Error('the load run with the OpenTelemetry SDK is missing');
    const exported = await getJson<TelemetryFigures>(`${relayWithTelemetry.url}/bench/telemetry`);
    // An SDK that recorded nothing would make the row measure nothing.
    if (exported.spansExported === 0 || exported.metricPointsExported === 0) throw new Error(`the relay with the OpenTelemetry SDK exported ${JSON.stringify(exported)}: nothing was recorded.\n${recentProblems()}`);
    rows.splice(
      1,
      0,
      row(
        `answer via relay with the OpenTelemetry SDK registered (metrics read every 1 s, spans through BatchSpanProcessor; both to memory) vs the same relay without an SDK, ${CONNECTIONS} conns ` +
          `(req/s; p99 ${ms(telemetryClosed.p99)} vs ${ms(relayClosed.p99)}; ${exported.spansExported} spans exported${exported.spansDropped > 0 ? `, ${exported.spansDropped} dropped` : ''}; target ≥ ${TELEMETRY_TARGET.toFixed(2)})`,
        perSecond(telemetryClosed),
        perSecond(relayClosed),
        telemetryClosed.requestsPerSecond / relayClosed.requestsPerSecond,
      ),
      row(
        `the relay process's CPU per answer, with the OpenTelemetry SDK as above vs without (µs; ≥ 0.95 of the throughput is at most 1.05 here when the relay's CPU is what limits it)`,
        µs(telemetryClosed.cpuPerRequest ?? Number.NaN),
        µs(relayClosed.cpuPerRequest ?? Number.NaN),
        (telemetryClosed.cpuPerRequest ?? Number.NaN) / (relayClosed.cpuPerRequest ?? Number.NaN),
      ),
    );
  }
  if (setup.redis && !QUICK) await redisThroughput(setup.redis, relayClosed);
  return rows;
}

/** Scale-out figures: the same answer on Redis, one instance and two behind a balancer, next to one instance on memory. */
async function redisThroughput(redis: NonNullable<AnswerSetup['redis']>, memory: Load): Promise<void> {
  const { instanceA, oneBehind, twoBehind } = redis;
  const onRedis = async (url: string): Promise<Target> => ({ url, method: 'POST', path: '/verify/session/answer', body: answerBody, handles: (await startSessions(instanceA, SESSIONS)).handles });
  const results = await interleaved(
    { '1 instance, Redis': () => onRedis(instanceA.url), '1 instance, Redis, via balancer': () => onRedis(oneBehind.url), '2 instances, Redis, via balancer': () => onRedis(twoBehind.url) },
    { seconds: SECONDS, rounds: 2 },
    ['200', '422'],
  );
  printTable(
    `Answer throughput on Redis (${CONNECTIONS} connections, ${SECONDS} s × ${Math.min(ROUNDS, 2)} interleaved rounds, medians)`,
    ['setup', 'req/s', 'p99', '× 1 instance, memory'],
    Object.entries(results).map(([name, entry]) => [name, entry.requestsPerSecond.toFixed(0), ms(entry.p99), (entry.requestsPerSecond / memory.requestsPerSecond).toFixed(2)]),
  );
}
