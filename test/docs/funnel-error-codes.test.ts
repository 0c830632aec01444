/**
 * The closed set of `error` funnel values on the funnel events page (docs/elements/funnel-events.md)
 * is the one the code has: the relay's error codes but those with an event of their own, and the
 * page's own codes for a relay it could not hear.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/contract/relay-api.js';

/** The page's own codes (`VerifyAnalyticsErrorCode` in src/elements/shared/events.ts). */
const PAGE_CODES = ['network_error', 'offline', 'timeout', 'invalid_response'];
const OWN_EVENTS = ['wrong_code', 'wrong_answers', 'too_many_attempts'];

describe('docs "Funnel events": the error codes', () => {
  it('lists exactly the relay codes without an event of their own, and the page’s own', async () => {
    const page = await readFile(new URL('../../docs/elements/funnel-events.md', import.meta.url), 'utf8');
    const start = page.indexOf('The `error` value is one of these codes');
    assert.ok(start > 0, 'the funnel events page lists the error codes');
    const table = page.slice(start, page.indexOf('\n\n', page.indexOf('| group | codes |', start)));
    const listed = table
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| group'))
      .flatMap((line) => [...(line.split('|')[2] ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1]));
    const expected = [...ErrorCode.options.filter((code) => !OWN_EVENTS.includes(code)), ...PAGE_CODES];
    assert.deepEqual([...listed].sort(), [...expected].sort());
  });
});
