/**
 * OpenTelemetry is an optional peer: a host without `@opentelemetry/api` gets a relay that loads
 * nothing, records nothing and works the same. Run in a child process whose resolver cannot find
 * the package (this repository has it installed, for the other telemetry tests).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

describe('OpenTelemetry absent', () => {
  it('an OTP journey is decided, and the relay records nothing', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', './test/relay/fixtures/without-opentelemetry.mjs', '--import', 'tsx', 'test/relay/fixtures/journey-without-opentelemetry.ts'],
      { cwd: root, env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' }, timeout: 60_000 },
    );
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    assert.deepEqual(outcome, { status: 200, state: 'decided', decision: 'ALLOW', recording: false, imported: 'ERR_MODULE_NOT_FOUND' });
  });
});
