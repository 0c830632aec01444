/**
 * One test per row of Kount's v1 -> v2 tables (seed 003), each named after its row. The rows below
 * mirror the seed table by table, in its order; the last test checks the mirror against the seed
 * file itself when it is present (it lives next to the repository, in ../shared/seeds).
 *
 * Every test runs the real mapping on input that the real v1 (or v2) schema accepted:
 * - renamed / no change: the sample put at the v1 path comes out at the v2 path (answers: the other way round);
 * - new: nothing in a v1 request fills it, and the caller's `additions` do; in answers, the v1 side has
 *   no place for it, so it is left out and named in `notes`;
 * - deprecated: the v1 field is listed in `deprecated` and its value appears nowhere in the v2 request.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type * as z from 'zod/mini';
import {
  ChallengeOutcomeV1Request,
  ChallengeOutcomeV2Request,
  FailedAttemptV1Request,
  FailedAttemptV2Request,
  LoginV1Request,
  LoginV2Request,
  LoginV2Response,
  NewAccountOpeningV1Request,
  NewAccountOpeningV2Request,
  NewAccountOpeningV2Response,
} from '../../../src/contract/kount/index.js';
import {
  challengeOutcomeV1ToV2,
  failedAttemptV1ToV2,
  loginV1ToV2,
  loginV2ResponseToV1,
  newAccountOpeningV1ToV2,
  newAccountOpeningV2ResponseToV1,
  type MappingResult,
} from '../../../src/relay/account-protection/mapping.js';

type Change = 'renamed' | 'no change' | 'new' | 'new, required' | 'deprecated' | 'renamed, no v1 field named';

interface Row {
  /** The v1 cell of the seed's row (absent when empty). */
  v1?: string;
  /** The v2 cell of the seed's row (absent when empty). */
  v2?: string;
  change: Change;
  sample: unknown;
  /** Where the value really lands when the row's name is the attribute, not the field (explained in the mapping's notes). */
  lands?: string;
  /** The v1 answer's value when it is not the sample itself (decision casing). */
  expected?: unknown;
  /** Where the v2 answer carries a row's field inside a list. */
  at?: string;
}

interface RequestTable {
  kind: 'request';
  title: string;
  v1Schema: z.ZodMiniType;
  v2Schema: z.ZodMiniType;
  base: Record<string, unknown>;
  map: (input: never, additions: never) => MappingResult<unknown>;
  rows: Row[];
}

interface ResponseTable {
  kind: 'response';
  title: string;
  v2Schema: z.ZodMiniType;
  base: Record<string, unknown>;
  map: (input: never) => MappingResult<unknown>;
  rows: Row[];
}

const TIMESTAMP = '2024-05-01T10:00:00.000Z';
const personRows = (change: Change = 'new'): Row[] => [
  { v2: 'person.name.first', change, sample: 'Olivia' },
  { v2: 'person.name.last', change, sample: 'Shopper' },
  { v2: 'person.name.preferred', change, sample: 'Liv' },
];
const addressRows: Row[] = [
  { v2: 'person.address.line1', change: 'new', sample: '1 Main Street' },
  { v2: 'person.address.line2', change: 'new', sample: 'Apartment 2' },
  { v2: 'person.address.city', change: 'new', sample: 'Boise' },
  { v2: 'person.address.region', change: 'new', sample: 'ID' },
  { v2: 'person.address.postalCode', change: 'new', sample: '83702' },
  { v2: 'person.address.countryCode', change: 'new', sample: 'US' },
  { v2: 'person.address.addressType', change: 'new', sample: 'BILLING' },
];
const targetUrlRows: Row[] = [
  { v1: 'workflow.mfaTemplate.mfaTargetUrl.success', change: 'deprecated', sample: 'https://shop.test/mfa/success' },
  { v1: 'workflow.mfaTemplate.mfaTargetUrl.expired', change: 'deprecated', sample: 'https://shop.test/mfa/expired' },
  { v1: 'workflow.mfaTemplate.mfaTargetUrl.failed', change: 'deprecated', sample: 'https://shop.test/mfa/failed' },
];
const policyRows = (): Row[] => [
  { v1: 'set.name', v2: 'policyManagement.set.name', change: 'renamed', sample: 'Login policies' },
  { v1: 'set.versionName', v2: 'policyManagement.set.versionName', change: 'renamed', sample: 'v7' },
  { v2: 'policyManagement.segmentExecuted.ID', change: 'new', sample: 'segment-4711' },
  { v1: 'userProfile', v2: 'policyManagement.segmentExecuted.name', change: 'renamed', sample: 'VIP' },
  { v1: 'userSegment', v2: 'policyManagement.segmentExecuted.name', change: 'renamed', sample: 'Returning' },
  { v2: 'policyManagement.policiesTriggered.ID', change: 'new', sample: 'policy-0815', at: 'policyManagement.policiesTriggered[0].ID' },
  { v2: 'policyManagement.policiesTriggered.Name', change: 'new', sample: 'Velocity check', at: 'policyManagement.policiesTriggered[0].Name' },
  { v1: 'tags', v2: 'tags', change: 'no change', sample: ['new-device', 'tor'] },
  { v1: 'tagWeights', v2: 'policyManagement.tagWeights', change: 'renamed', sample: { 'new-device': 3 } },
];

const TABLES: Array<RequestTable | ResponseTable> = [
  {
    kind: 'request',
    title: 'Login request',
    v1Schema: LoginV1Request,
    v2Schema: LoginV2Request,
    base: { clientId: '900900', sessionId: 'device1', userId: 'user-1', username: 'olivia' },
    map: loginV1ToV2 as RequestTable['map'],
    rows: [
      { v1: 'clientId', change: 'deprecated', sample: 'Client42' },
      { v2: 'inquiryId', change: 'new, required', sample: 'inquiry42' },
      { v2: 'channel', change: 'new', sample: 'WEB' },
      { v1: 'sessionId', v2: 'deviceSessionId', change: 'renamed', sample: 'd121ea2210434ffc8a90daff9cc97e76' },
      { v1: 'loginUrl', v2: 'loginUrl', change: 'no change', sample: 'https://shop.test/login' },
      { v1: 'userIp', v2: 'userIp', change: 'no change', sample: '192.168.0.1' },
      { v1: 'userAgent', change: 'deprecated', sample: 'Mozilla/5.0 (sample agent)' },
      { v1: 'context', change: 'deprecated', sample: 'PRE_AUTH' },
      { v1: 'preferredLanguageCode', change: 'deprecated', sample: 'es-MX' },
      { v1: 'userAuthenticationStatus', change: 'deprecated', sample: 'stepUpDone' },
      { v1: 'userId', v2: 'account.id', change: 'renamed', sample: 'meoyyd8za8jdmwfm' },
      { v1: 'username', v2: 'account.username', change: 'renamed', sample: 'olivia.shopper' },
      { v1: 'userPassword', v2: 'account.userPassword', change: 'renamed', sample: '38401eb46f8fbb74c1846a5f47f68d83' },
      { v2: 'account.IsActive', change: 'new', sample: true },
      { v1: 'userCreationDate', v2: 'account.creationDateTime', change: 'renamed', sample: '2022-08-01T20:07:07Z' },
      { v1: 'userType', v2: 'account.type', change: 'renamed', sample: 'VIP' },
      ...personRows(),
      { v1: 'mfaEmail', v2: 'person.emailAddress', change: 'renamed', sample: 'username@example.com' },
      { v1: 'mfaPhone', v2: 'person.phoneNumber', change: 'renamed', sample: '+12081234567' },
      ...addressRows,
      { v1: 'workflow.mfaTemplate', v2: 'strategy.mfaTemplate', change: 'renamed', sample: 'LoginEmailLink', lands: 'strategy.mfaTemplateName' },
      ...targetUrlRows,
    ],
  },
  {
    kind: 'response',
    title: 'Login response',
    v2Schema: LoginV2Response,
    base: { decision: 'ALLOW' },
    map: loginV2ResponseToV1 as ResponseTable['map'],
    rows: [
      { v1: 'guidance', v2: 'decision', change: 'renamed', sample: 'CHALLENGE', expected: 'Challenge' },
      { v1: 'sessionId', v2: 'deviceSessionId', change: 'renamed', sample: 'd121ea2210434ffc8a90daff9cc97e76' },
      { v1: 'deviceId', v2: 'deviceId', change: 'no change', sample: '7363b8ae6b2247b99f5d56fc81102254' },
      // The seed leaves this row's v2 cell empty and says "No change.".
      { v1: 'matchedToDevice', change: 'no change', sample: 'MATCHED' },
      { v1: 'trustState', v2: 'trustState', change: 'no change', sample: 'TRUSTED' },
      { v1: 'friendlyName', v2: 'friendlyName', change: 'no change', sample: 'Brad’s Phone' },
      ...policyRows(),
      { v1: 'mfaId', v2: 'mfa.ID', change: 'renamed', sample: 'mfa-123' },
      { v1: 'mfaType', v2: 'mfa.type', change: 'renamed', sample: 'EMAIL_NONCE_OTH' },
      { v1: 'mfaError', v2: 'mfa.Error', change: 'renamed', sample: 'NOT_ENOUGH_INFO' },
    ],
  },
  {
    kind: 'request',
    title: 'Challenge Outcome request',
    v1Schema: ChallengeOutcomeV1Request,
    v2Schema: ChallengeOutcomeV2Request,
    base: { challengeOutcome: { loginDecisionCorrelationId: 'corr-1', challengeType: 'TextPIN', challengeStatus: 'Success' } },
    map: challengeOutcomeV1ToV2 as RequestTable['map'],
    rows: [
      { v1: 'challengeOutcome.clientId', change: 'deprecated', sample: 'Client42' },
      { v2: 'inquiryId', change: 'new, required', sample: 'inquiry42' },
      { v1: 'challengeOutcome.sessionId', v2: 'deviceSessionId', change: 'renamed', sample: 'device-session-9' },
      { v1: 'challengeOutcome.loginDecisionCorrelationId', v2: 'decisionCorrelationId', change: 'renamed', sample: '0c6a9d0e-3b1f-4c55-9d7e-5e1f0b6f1a2b' },
      { v1: 'challengeOutcome.challengeType', v2: 'challengeType', change: 'renamed', sample: 'EmailLink' },
      { v1: 'challengeOutcome.challengeStatus', v2: 'challengeStatus', change: 'renamed', sample: 'Failed' },
      { v1: 'challengeOutcome.userId', change: 'deprecated', sample: 'user-from-v1' },
      { v1: 'challengeOutcome.sentTimestamp', v2: 'sentTimestamp', change: 'renamed', sample: TIMESTAMP },
      { v1: 'challengeOutcome.completedTimestamp', v2: 'completedTimestamp', change: 'renamed', sample: '2024-05-01T10:02:30.500Z' },
      { v1: 'challengeOutcome.failureType', v2: 'failureType', change: 'renamed', sample: 'ExpiredLink' },
      { v1: 'challengeOutcome.loginUrl', change: 'deprecated', sample: 'https://shop.test/v1-login' },
      { v1: 'challengeOutcome.userType', change: 'deprecated', sample: 'Gold' },
    ],
  },
  {
    kind: 'request',
    title: 'Failed Attempt request',
    v1Schema: FailedAttemptV1Request,
    v2Schema: FailedAttemptV2Request,
    base: { failedAttempt: { userId: 'user-1' } },
    map: failedAttemptV1ToV2 as RequestTable['map'],
    rows: [
      { v1: 'failedAttempt.clientId', change: 'deprecated', sample: 'Client42' },
      { v2: 'inquiryId', change: 'new, required', sample: 'inquiry42' },
      { v2: 'channel', change: 'new', sample: 'WEB' },
      { v1: 'failedAttempt.sessionId', v2: 'deviceSessionId', change: 'renamed', sample: 'device-session-9' },
      { v2: 'userIp', change: 'new', sample: '10.1.2.3' },
      { v1: 'failedAttempt.loginUrl', v2: 'loginUrl', change: 'renamed', sample: 'https://shop.test/login' },
      { v1: 'failedAttempt.userId', v2: 'account.id', change: 'renamed', sample: 'user-77' },
      { v1: 'failedAttempt.username', v2: 'account.username', change: 'renamed', sample: 'olivia.shopper' },
      { v1: 'failedAttempt.userPassword', v2: 'account.password', change: 'renamed', sample: 'hash-of-wrong-password' },
      { v1: 'failedAttempt.userAgent', change: 'deprecated', sample: 'Mozilla/5.0 (sample agent)' },
      { v1: 'failedAttempt.userType', v2: 'account.type', change: 'renamed', sample: 'VIP' },
      ...personRows(),
      { v2: 'person.emailAddress', change: 'renamed, no v1 field named', sample: 'olivia@example.com' },
      { v2: 'person.phoneNumber', change: 'renamed, no v1 field named', sample: '+12081234567' },
      ...addressRows,
    ],
  },
  {
    kind: 'request',
    title: 'New Account Opening request',
    v1Schema: NewAccountOpeningV1Request,
    v2Schema: NewAccountOpeningV2Request,
    base: { deviceSessionId: 'device1' },
    map: newAccountOpeningV1ToV2 as RequestTable['map'],
    rows: [
      { v1: 'clientId', change: 'deprecated', sample: 'Client42' },
      { v2: 'inquiryId', change: 'new, required', sample: 'inquiry42' },
      { v2: 'channel', change: 'new', sample: 'WEB' },
      { v1: 'deviceSessionId', v2: 'deviceSessionId', change: 'no change', sample: 'device-session-9' },
      { v1: 'naoUrl', v2: 'naoUrl', change: 'no change', sample: 'https://shop.test/sign-up' },
      { v1: 'account.id', v2: 'account.id', change: 'no change', sample: 'user-77' },
      { v1: 'account.username', v2: 'account.username', change: 'no change', sample: 'olivia.shopper' },
      { v1: 'account.userPassword', v2: 'account.userPassword', change: 'no change', sample: 'hash-of-new-password' },
      { v1: 'account.IsActive', v2: 'account.IsActive', change: 'no change', sample: false },
      { v1: 'account.creationDate', v2: 'account.creationDate', change: 'no change', sample: TIMESTAMP },
      { v1: 'userType', v2: 'account.type', change: 'renamed', sample: 'VIP' },
      ...personRows(),
      { v2: 'person.emailAddress', change: 'renamed, no v1 field named', sample: 'olivia@example.com' },
      { v2: 'person.phoneNumber', change: 'renamed, no v1 field named', sample: '+12081234567' },
      ...addressRows,
      { v1: 'strategy.mfaTemplate', v2: 'strategy.mfaTemplate', change: 'no change', sample: 'SignUpEmail', lands: 'strategy.verificationTemplateName' },
      ...targetUrlRows,
    ],
  },
  {
    kind: 'response',
    title: 'New Account Opening response',
    v2Schema: NewAccountOpeningV2Response,
    base: { decision: 'ALLOW' },
    map: newAccountOpeningV2ResponseToV1 as ResponseTable['map'],
    rows: [
      { v1: 'guidance', v2: 'decision', change: 'renamed', sample: 'block', expected: 'Block' },
      { v1: 'deviceSessionId', v2: 'deviceSessionId', change: 'no change', sample: 'd121ea2210434ffc8a90daff9cc97e76' },
      { v1: 'deviceId', v2: 'deviceId', change: 'no change', sample: '7363b8ae6b2247b99f5d56fc81102254' },
      { v1: 'friendlyName', v2: 'friendlyName', change: 'no change', sample: 'Brad’s Phone' },
      ...policyRows(),
      { v1: 'verificationId', v2: 'verification.ID', change: 'renamed', sample: 'verification-123' },
      { v1: 'verificationType', v2: 'verification.type', change: 'renamed', sample: 'EMAIL' },
      { v1: 'verificationError', v2: 'verification.Error', change: 'renamed', sample: 'NOT_ENOUGH_INFO' },
    ],
  },
];

export function rowName(table: { title: string }, row: Row): string {
  if (row.v1 !== undefined && row.v2 !== undefined) return `${table.title}: ${row.v1} -> ${row.v2} (${row.change})`;
  return `${table.title}: ${row.v1 ?? row.v2} (${row.change})`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function splitPath(path: string): Array<string | number> {
  return path.split(/\.|(?=\[)/).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

function getPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of splitPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

function setPath<T extends Record<string, unknown>>(object: T, path: string, value: unknown): T {
  const parts = splitPath(path);
  let current: Record<string | number, unknown> = object;
  parts.slice(0, -1).forEach((part, index) => {
    const next = parts[index + 1];
    if (current[part] === undefined || current[part] === null || typeof current[part] !== 'object') current[part] = typeof next === 'number' ? [] : {};
    current = current[part] as Record<string | number, unknown>;
  });
  current[parts[parts.length - 1] as string | number] = value;
  return object;
}

function parse(schema: z.ZodMiniType, input: unknown, what: string): unknown {
  const parsed = schema.safeParse(input);
  assert.ok(parsed.success, `${what} must be valid: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`);
  return parsed.data;
}

function mentions(haystack: unknown, sample: unknown): boolean {
  return JSON.stringify(haystack).includes(JSON.stringify(sample));
}

function runRequestRow(table: RequestTable, row: Row): void {
  const additions: Record<string, unknown> = { inquiryId: 'inquiry1' };
  const input = clone(table.base);
  const v2Path = row.lands ?? row.v2;
  switch (row.change) {
    case 'renamed':
    case 'no change': {
      assert.ok(row.v1 && v2Path);
      const v1 = parse(table.v1Schema, setPath(input, row.v1, row.sample), 'v1 request');
      const mapped = table.map(v1 as never, additions as never);
      assert.deepEqual(getPath(mapped.value, v2Path), row.sample);
      if (row.v1 !== v2Path) assert.equal(getPath(mapped.value, row.v1), undefined, `${row.v1} must not stay under its v1 name`);
      assert.ok(!mapped.deprecated.includes(row.v1));
      parse(table.v2Schema, mapped.value, 'v2 request');
      if (row.lands) assert.ok(mapped.notes?.some((note) => note.includes(row.lands as string)), 'the note says where the value went');
      return;
    }
    case 'new':
    case 'new, required':
    case 'renamed, no v1 field named': {
      assert.ok(row.v2 && !row.v1);
      // v1 has no field for it: nothing in the v1 request fills it...
      const v1 = parse(table.v1Schema, input, 'v1 request');
      const withoutAddition = table.map(v1 as never, additions as never);
      if (row.v2 !== 'inquiryId') assert.equal(getPath(withoutAddition.value, row.v2), undefined);
      // ...and a strict v1 schema refuses a field of that name at the top level.
      if (!row.v2.includes('.')) assert.equal(table.v1Schema.safeParse({ ...input, [row.v2]: row.sample }).success, false);
      // The caller's additions fill it.
      const mapped = table.map(v1 as never, setPath(clone(additions), row.v2, row.sample) as never);
      assert.deepEqual(getPath(mapped.value, row.v2), row.sample);
      assert.deepEqual(mapped.deprecated, withoutAddition.deprecated, 'an addition deprecates nothing');
      parse(table.v2Schema, mapped.value, 'v2 request');
      return;
    }
    case 'deprecated': {
      assert.ok(row.v1 && !row.v2);
      const v1 = parse(table.v1Schema, setPath(input, row.v1, row.sample), 'v1 request');
      const mapped = table.map(v1 as never, additions as never);
      assert.ok(mapped.deprecated.includes(row.v1), `deprecated lists ${row.v1}: ${JSON.stringify(mapped.deprecated)}`);
      assert.ok(!mentions(mapped.value, row.sample), `${row.v1}'s value must not reach the v2 request`);
      parse(table.v2Schema, mapped.value, 'v2 request');
      return;
    }
  }
}

function runResponseRow(table: ResponseTable, row: Row): void {
  const v2Path = row.v2 ?? (row.v1 as string);
  const input = setPath(clone(table.base), row.at ?? v2Path, row.sample);
  const v2 = parse(table.v2Schema, input, 'v2 answer');
  const mapped = table.map(v2 as never);
  if (row.change === 'new') {
    assert.ok(!mentions(mapped.value, row.sample), `${row.v2} has no v1 field and must not appear in the v1 answer`);
    assert.ok(mapped.notes?.some((note) => note.startsWith(`${row.v2} `)), `notes name ${row.v2}: ${JSON.stringify(mapped.notes)}`);
    return;
  }
  assert.ok(row.v1);
  assert.deepEqual(getPath(mapped.value, row.v1), row.expected ?? row.sample);
  if (row.v1 !== v2Path && v2Path !== 'decision') assert.equal(getPath(mapped.value, v2Path), undefined);
}

describe('Account Protection v1 -> v2 tables (seed 003), one test per row', () => {
  for (const table of TABLES) {
    describe(table.title, () => {
      for (const row of table.rows) {
        it(rowName(table, row), () => (table.kind === 'request' ? runRequestRow(table, row) : runResponseRow(table, row)));
      }
    });
  }
});

describe('the row tables mirror seed 003', () => {
  const expectedRowCounts: Record<string, number> = {
    'Login request': 32,
    'Login response': 18,
    'Challenge Outcome request': 12,
    'Failed Attempt request': 23,
    'New Account Opening request': 27,
    'New Account Opening response': 16,
  };

  it('has as many rows per table as the seed', () => {
    assert.deepEqual(Object.fromEntries(TABLES.map((table) => [table.title, table.rows.length])), expectedRowCounts);
  });

  it('names no row twice', () => {
    const names = TABLES.flatMap((table) => table.rows.map((row) => rowName(table, row)));
    assert.equal(new Set(names).size, names.length);
  });

  const seedPath = new URL('../../../../shared/seeds/003_3abd59dad1bd91ef.txt', import.meta.url);
  it('names the same fields as the seed file, table by table', { skip: existsSync(seedPath) ? false : 'seed file not next to the repository' }, () => {
    const text = readFileSync(seedPath, 'utf8');
    const sections = text.split(/sidebar\. (?:Request|Response) payload comparison table/).slice(1);
    assert.equal(sections.length, TABLES.length);
    sections.forEach((section, index) => {
      const table = TABLES[index] as RequestTable | ResponseTable;
      // Cells are "text |" lines; a field cell is a dotted name, an explanation has spaces.
      const seedFields = section
        .split('\n')
        .map((line) => line.replace(/\|\s*$/, '').trim())
        .filter((cell) => /^[A-Za-z][\w]*(\.[\w]+)*$/.test(cell) && cell !== 'v1' && cell !== 'v2');
      const ourFields = table.rows.flatMap((row) => [row.v1, row.v2].filter((cell): cell is string => cell !== undefined));
      assert.deepEqual([...ourFields].sort(), [...seedFields].sort(), table.title);
    });
  });
});
