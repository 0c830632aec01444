/**
 * Issue 25, item 4: the Grafana dashboard in dashboards/ queries only what the relay emits. With
 * the OpenTelemetry SDK and its Prometheus exporter registered before the relay is made, journeys
 * against the sandbox make every metric appear (a wrong code, a lockout, a refused send, KBA with
 * wrong answers, a link Kount's webhook decides, a Kount error, a store that fails and one that
 * loses a race, an event stream, a challenge left to its end); the exposition they produce is what Prometheus scrapes. Every
 * metric name, label and matched value the dashboard's PromQL uses must be in it, and every metric
 * the relay records must have a panel.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { internalsOf } from '../../src/relay/internals.js';
import { MemoryStoreEngine, type StoreEngine } from '../../src/relay/store/index.js';
import { RELAY_METRICS } from '../../src/relay/telemetry.js';
import type { KbaAnswerKey } from '../../src/sandbox/index.js';
import { startSandboxRelay, type SandboxRelay } from '../relay/sandbox-relay.js';
import { faultyEngine } from '../relay/webhook-store-faults.js';

const DASHBOARD = new URL('../../dashboards/k360-verify.grafana.json', import.meta.url);
const PHONE = '+15551234567';

/** Labels Prometheus adds when it scrapes (the target's), which no exposition carries. */
const SCRAPE_LABELS = new Set(['job', 'instance']);

// The exposition: sample names, each with the labels and values it was seen with.

type Exposition = Map<string, Map<string, Set<string>>>;

function parseExposition(text: string): Exposition {
  const samples: Exposition = new Map();
  for (const line of text.split('\n')) {
    const sample = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (sample === null) continue;
    const labels = samples.get(sample[1] ?? '') ?? new Map<string, Set<string>>();
    samples.set(sample[1] ?? '', labels);
    for (const [, name = '', value = ''] of (sample[2] ?? '').matchAll(/([A-Za-z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels.set(name, (labels.get(name) ?? new Set()).add(value));
    }
  }
  return samples;
}

// PromQL, as far as the dashboard writes it.

interface Matcher {
  label: string;
  operator: '=' | '!=' | '=~' | '!~';
  value: string;
}
interface Selector {
  metric: string;
  matchers: Matcher[];
}
interface Query {
  selectors: Selector[];
  /** Labels named in `by (...)`, `without (...)`, `on (...)`... and `label_values(..., label)`. */
  grouping: string[];
}

const GROUPING_CLAUSE = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** The functions and aggregations the dashboard may call; any other name before `(` is a mistake. */
const FUNCTIONS = new Set([
  'sum', 'avg', 'min', 'max', 'count', 'topk', 'bottomk', 'quantile', 'group', 'stddev', 'stdvar', 'count_values',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'clamp_min', 'clamp_max', 'clamp',
  'abs', 'ceil', 'floor', 'round', 'vector', 'scalar', 'absent', 'time', 'sort', 'sort_desc',
  'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'last_over_time', 'label_replace', 'label_join',
]);

/** The selectors and grouping labels of one PromQL expression; throws on what it cannot read rather than skipping it. */
function parsePromQl(expression: string): Query {
  const grouping: string[] = [];
  const selectors: Selector[] = [];
  let rest = expression
    // Range and subquery durations ([5m], [$__rate_interval], [1h:5m]) and offsets name no series.
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+\S+/g, ' ')
    .replace(GROUPING_CLAUSE, (_clause, labels: string) => {
      grouping.push(...labels.split(',').map((label) => label.trim()).filter((label) => label !== ''));
      return ' ';
    })
    .replace(/([A-Za-z_:][\w:]*)?\s*\{([^}]*)\}/g, (_selector, metric: string | undefined, body: string) => {
      const matchers = parseMatchers(body, expression);
      const named = metric ?? matchers.find((matcher) => matcher.label === '__name__' && matcher.operator === '=')?.value;
      assert.ok(named !== undefined, `a selector with no metric name in ${expression}`);
      selectors.push({ metric: named, matchers: matchers.filter((matcher) => matcher.label !== '__name__') });
      return ' ';
    });
  rest = rest.replace(/"(?:[^"\\]|\\.)*"/g, ' ').replace(/(?<![\w.])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, ' ');
  for (const [, name = '', call] of rest.matchAll(/([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    if (call !== undefined) assert.ok(FUNCTIONS.has(name), `unknown PromQL function ${name}( in ${expression}`);
    else if (!KEYWORDS.has(name)) selectors.push({ metric: name, matchers: [] });
  }
  assert.ok(!/[{}"]/.test(rest), `unread PromQL left in ${expression}: ${rest}`);
  return { selectors, grouping };
}

function parseMatchers(body: string, expression: string): Matcher[] {
  const matchers: Matcher[] = [];
  const matcher = /\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  while (matcher.lastIndex < body.trimEnd().length) {
    const found = matcher.exec(body);
    assert.ok(found, `unreadable label matchers {${body}} in ${expression}`);
    matchers.push({ label: found[1] ?? '', operator: found[2] as Matcher['operator'], value: found[3] ?? '' });
  }
  return matchers;
}

/** `label_values(metric{...}, label)`, the variables' query, as a query grouping by its label. */
function parseVariableQuery(expression: string): Query {
  const labelValues = /^label_values\(\s*(.+?)\s*,\s*([A-Za-z_]\w*)\s*\)$/.exec(expression.trim());
  if (labelValues === null) return parsePromQl(expression);
  const query = parsePromQl(labelValues[1] ?? '');
  return { ...query, grouping: [...query.grouping, labelValues[2] ?? ''] };
}

// The dashboard.

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name?: string;
  type?: string;
  query?: string | { query?: string };
}
interface Dashboard {
  title?: string;
  uid?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: Variable[] };
}

async function readDashboard(): Promise<Dashboard> {
  return JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
}

/** Every panel, those inside collapsed rows too, but the rows themselves. */
function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]).filter((panel) => panel.type !== 'row');
}

/** Each PromQL expression with where it is, the variables' queries included. */
function queriesOf(dashboard: Dashboard): Array<{ where: string; expression: string; query: Query }> {
  const panels = panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}" ${target.refId}`, expression: target.expr ?? '', query: parsePromQl(target.expr ?? '') })),
  );
  const variables = (dashboard.templating?.list ?? [])
    .filter((variable) => variable.type === 'query')
    .map((variable) => {
      const expression = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
      return { where: `variable $${variable.name}`, expression, query: parseVariableQuery(expression) };
    });
  return [...panels, ...variables];
}

/** A matched value the relay must have recorded: an exact one, each of a regex's plain alternatives, or one a regex matches. */
function valueProblem(matcher: Matcher, seen: Set<string>): string | null {
  if (matcher.value.includes('$') || matcher.operator === '!=' || matcher.operator === '!~') return null;
  if (matcher.operator === '=') return seen.has(matcher.value) ? null : `"${matcher.value}"`;
  // A dot is a regex's any-character (`5..`), so a plain alternative has none.
  if (/^[\w/-]+(?:\|[\w/-]+)*$/.test(matcher.value)) {
    const missing = matcher.value.split('|').filter((value) => !seen.has(value));
    return missing.length === 0 ? null : missing.map((value) => `"${value}"`).join(', ');
  }
  const pattern = new RegExp(`^(?:${matcher.value})$`);
  return [...seen].some((value) => pattern.test(value)) ? null : `nothing matching "${matcher.value}"`;
}

/** What the dashboard's queries ask for that the exposition does not have, one line each; none when they agree. */
function problemsOf(dashboard: Dashboard, exposition: Exposition): string[] {
  const problems: string[] = [];
  for (const { where, query } of queriesOf(dashboard)) {
    for (const { metric, matchers } of query.selectors) {
      const labels = exposition.get(metric);
      if (labels === undefined) {
        problems.push(`${where}: the relay emits no ${metric}`);
        continue;
      }
      for (const matcher of matchers) {
        if (SCRAPE_LABELS.has(matcher.label)) continue;
        const seen = labels.get(matcher.label);
        if (seen === undefined) problems.push(`${where}: ${metric} has no label ${matcher.label}`);
        else {
          const missing = valueProblem(matcher, seen);
          if (missing !== null) problems.push(`${where}: ${metric}{${matcher.label}} never recorded ${missing}`);
        }
      }
      for (const label of query.grouping) {
        if (!SCRAPE_LABELS.has(label) && !labels.has(label)) problems.push(`${where}: ${metric} has no label ${label} to group by`);
      }
    }
  }
  return problems;
}

/** The Prometheus sample names an OpenTelemetry metric's family is written as. */
function familyOf(name: string, exposition: Exposition): string[] {
  const base = name.replaceAll('.', '_');
  return [base, `${base}_total`, `${base}_bucket`, `${base}_count`, `${base}_sum`].filter((sample) => exposition.has(sample));
}

// The journeys.

/** A store engine whose next commit is refused once, as when another instance stored its change first. */
function contendedEngine(inner: StoreEngine): { engine: StoreEngine; loseNextCommit(): void } {
  let lose = false;
  const engine = new Proxy(inner, {
    get(target, property, receiver) {
      const original: unknown = Reflect.get(target, property, receiver);
      if (typeof original !== 'function') return original;
      return (...args: unknown[]) => {
        if (property === 'commit' && lose) {
          lose = false;
          return Promise.resolve(false);
        }
        return (original as (...callArgs: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { engine, loseNextCommit: () => void (lose = true) };
}

/** Every journey the dashboard has a panel for, each one at least once. */
async function runEveryJourney(harness: SandboxRelay, store: { fail(): void; heal(): void; loseNextCommit(): void }, clock: { skewMs: number }): Promise<void> {
  const { relay, sandbox } = harness;
  const challenge = async (email: string, phoneNumber = PHONE) => {
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'device-1', applicant: { email, phoneNumber } });
    const started = await relay.startChallenge({ assessment, contact: { email, phoneNumber } });
    return { ...started, authenticationId: assessment.authenticationId };
  };
  const answer = (handle: string, body: unknown) => harness.browser('/session/answer', handle, { body });
  const wrongCode = (phoneNumber: string) => (sandbox.sandbox.messages.latest(phoneNumber)?.code === '000000' ? '111111' : '000000');

  // OTP: a resend the destination's limit refuses, then a wrong code that locks the step.
  const otp = await challenge('otp@example.com');
  assert.equal((await harness.browser('/session/resend', otp.handle, { body: {} })).status, 429);
  assert.equal((await answer(otp.handle, { method: 'OTP', otp: wrongCode(PHONE) })).status, 422);

  // An event stream, open while the first view is read, then closed.
  const watched = await challenge('otp@example.com', '+15557654321');
  const stream = await harness.browser('/session/events', watched.handle, { headers: { accept: 'text/event-stream' } });
  assert.equal(stream.status, 200);
  const reader = stream.body?.getReader();
  assert.ok(reader);
  assert.ok((await reader.read()).value);
  await reader.cancel();

  // KBA: wrong answers, then the right ones, during which a commit loses a race and is tried again.
  const kba = await challenge('kba@example.com', '+15550000001');
  const key = async () => (await (await fetch(`${sandbox.url}/sandbox/kba.json?authenticationId=${kba.authenticationId}`)).json()) as KbaAnswerKey;
  const toBrowser = (questions: KbaAnswerKey['questions']) => questions.map((item) => ({ questionId: String(item.questionId), choiceIds: item.answers.map(String) }));
  const view = (await (await harness.browser('/session', kba.handle)).json()) as { action: { questions: Array<{ choices: Array<{ id: string }> }> } };
  const right = toBrowser((await key()).questions);
  const wrongChoice = view.action.questions[0]?.choices.find((choice) => !right[0]?.choiceIds.includes(choice.id));
  assert.ok(wrongChoice);
  assert.equal((await answer(kba.handle, { method: 'KBA', answers: right.map((item, index) => (index === 0 ? { ...item, choiceIds: [wrongChoice.id] } : item)) })).status, 422);
  store.loseNextCommit();
  assert.equal((await answer(kba.handle, { method: 'KBA', answers: toBrowser((await key()).questions) })).status, 200);

  // A one-time link refused on the phone: Kount's webhook decides, a little after Kount's event.
  await challenge('oth@example.com', '+15550000002');
  const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
  assert.ok(link);
  await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=refuse', redirect: 'manual' });
  await sandbox.sandbox.webhooks.settled();

  // Kount answers an OTP check with a 503.
  const failing = await challenge('otp@example.com', '+15550000003');
  sandbox.sandbox.faults.add({ target: 'verify', status: 503, times: 1 });
  assert.ok((await answer(failing.handle, { method: 'OTP', otp: wrongCode('+15550000003') })).status >= 500);
  sandbox.sandbox.faults.clear();

  // The store is down while a code is checked: a 5xx and a store error.
  const stranded = await challenge('otp@example.com', '+15550000004');
  store.fail();
  assert.ok((await answer(stranded.handle, { method: 'OTP', otp: wrongCode('+15550000004') })).status >= 500);
  store.heal();

  // A challenge nobody answers, until its last second: abandoned (the relay's clock moved on, as the shopper's time ran out).
  await challenge('otp@example.com', '+15550000005');
  clock.skewMs += 900_000;
  await internalsOf(relay).sweepAbandoned();
  await relay.settled();
}

describe('dashboards/k360-verify.grafana.json: every query is one the relay emits', () => {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  let harness: SandboxRelay;
  let dashboard: Dashboard;
  let exposition: Exposition;

  before(async () => {
    // Before the relay is made: a meter taken with no provider registered stays a no-op.
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
    const faults = faultyEngine(new MemoryStoreEngine());
    const contended = contendedEngine(faults.engine);
    const clock = { skewMs: 0 };
    harness = await startSandboxRelay({ store: contended.engine, maxFailedOtpAttempts: 1, sendsPerDestinationPerHour: 1, resendIntervalSeconds: 0, now: () => Date.now() + clock.skewMs });
    await harness.relay.connect();
    await runEveryJourney(harness, { fail: () => faults.fail('commit'), heal: () => faults.heal('commit'), loseNextCommit: contended.loseNextCommit }, clock);
    // What the exporter's /metrics answers, without its server.
    const { resourceMetrics, errors } = await exporter.collect();
    assert.deepEqual(errors, []);
    exposition = parseExposition(new PrometheusSerializer().serialize(resourceMetrics));
    dashboard = await readDashboard();
  });
  after(async () => {
    await harness.close();
    await exporter.shutdown();
    metrics.disable();
  });

  it('is a dashboard over a DS_PROMETHEUS data source, each panel titled, described and with a query', () => {
    assert.equal(typeof dashboard.uid, 'string');
    assert.equal(typeof dashboard.title, 'string');
    assert.ok((dashboard.schemaVersion ?? 0) >= 39, String(dashboard.schemaVersion));
    const source = dashboard.templating?.list?.find((variable) => variable.name === 'DS_PROMETHEUS');
    assert.deepEqual([source?.type, source?.query], ['datasource', 'prometheus']);
    const panels = panelsOf(dashboard);
    assert.ok(panels.length >= 10, String(panels.length));
    const ids = (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]).map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
    for (const panel of panels) {
      assert.ok(panel.title?.trim(), `a panel with no title: ${JSON.stringify(panel).slice(0, 200)}`);
      assert.ok(panel.description?.trim(), `"${panel.title}" has no description`);
      assert.ok((panel.targets ?? []).length >= 1, `"${panel.title}" has no query`);
      for (const target of [panel, ...(panel.targets ?? [])]) assert.deepEqual(target.datasource, { type: 'prometheus', uid: '${DS_PROMETHEUS}' }, `"${panel.title}"`);
      for (const target of panel.targets ?? []) assert.ok(target.expr?.trim(), `"${panel.title}" ${target.refId} has an empty query`);
      const refIds = (panel.targets ?? []).map((target) => target.refId);
      assert.equal(new Set(refIds).size, refIds.length, `"${panel.title}" repeats a refId`);
    }
  });

  it('the journeys made every metric the relay records appear', () => {
    for (const name of Object.values(RELAY_METRICS)) assert.ok(familyOf(name, exposition).length > 0, `${name} is not in the exposition`);
  });

  it('queries only metric names, labels and values the relay emits', () => {
    assert.ok(queriesOf(dashboard).length >= 20);
    assert.deepEqual(problemsOf(dashboard, exposition), []);
  });

  it('has a panel for every metric the relay records', () => {
    const queried = new Set(queriesOf(dashboard).flatMap(({ query }) => query.selectors.map((selector) => selector.metric)));
    const unqueried = Object.values(RELAY_METRICS).filter((name) => !familyOf(name, exposition).some((sample) => queried.has(sample)));
    assert.deepEqual(unqueried, []);
  });

  it('the check names a metric, a label or a value the relay does not emit', () => {
    const broken = structuredClone(dashboard);
    const targets = panelsOf(broken).flatMap((panel) => panel.targets ?? []);
    const edit = (from: string, to: string) => {
      const target = targets.find((candidate) => candidate.expr?.includes(from));
      assert.ok(target?.expr, `a query with ${from}`);
      target.expr = target.expr.replace(from, to);
    };
    edit('k360_lockout_total', 'k360_lockouts_total');
    edit('by (k360_limit,', 'by (k360_limits,');
    edit('"wrong_code|wrong_answers"', '"wrong_code|wrong_answer"');
    edit('k360_decision="ALLOW"', 'k360_decision="ALLOWED"');
    const problems = problemsOf(broken, exposition).join('\n');
    for (const expected of ['no k360_lockouts_total', 'no label k360_limits to group by', 'never recorded "wrong_answer"', 'never recorded "ALLOWED"']) {
      assert.ok(problems.includes(expected), `${expected} in:\n${problems}`);
    }
  });

  it('reads the PromQL it is given: selectors, grouping and functions', () => {
    assert.deepEqual(parsePromQl('histogram_quantile(0.95, sum by (le, k360_method) (rate(k360_challenge_duration_bucket{job=~"$job",k360_decision="ALLOW"}[$__rate_interval])))'), {
      selectors: [{ metric: 'k360_challenge_duration_bucket', matchers: [{ label: 'job', operator: '=~', value: '$job' }, { label: 'k360_decision', operator: '=', value: 'ALLOW' }] }],
      grouping: ['le', 'k360_method'],
    });
    assert.deepEqual(parsePromQl('sum(rate(a_total[5m])) / sum(rate(b_total{x!="",y=~"5.."}[5m])) > 0.5'), {
      selectors: [{ metric: 'b_total', matchers: [{ label: 'x', operator: '!=', value: '' }, { label: 'y', operator: '=~', value: '5..' }] }, { metric: 'a_total', matchers: [] }],
      grouping: [],
    });
    assert.throws(() => parsePromQl('sum(rat(a_total[5m]))'), /unknown PromQL function rat/);
    assert.throws(() => parsePromQl('a_total{x~"y"}'), /unreadable label matchers/);
  });
});
