/**
 * The console logger writes the info lines of one turn of the event loop together: none may be
 * lost when the process exits in that same turn (process.exit, an uncaught exception), and a line
 * of a later turn is written after them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const logger = fileURLToPath(new URL('../../src/relay/logger.ts', import.meta.url));

function run(script: string): { stdout: string[]; stderr: string; status: number | null } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createConsoleLogger } from ${JSON.stringify(logger)};\nconst log = createConsoleLogger();\n${script}`], {
    encoding: 'utf8',
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' },
  });
  const stdout = child.stdout.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { event: string }).event);
  return { stdout, stderr: child.stderr, status: child.status };
}

describe('the console logger writes every line it took', () => {
  it('keeps the lines of a turn that ends with process.exit', () => {
    const { stdout, status } = run("log.info('one'); log.info('two'); log.info('three'); process.exit(3);");
    assert.equal(status, 3);
    assert.deepEqual(stdout, ['one', 'two', 'three']);
  });

  it('keeps the lines of a turn that ends with an uncaught exception', () => {
    const { stdout, stderr, status } = run("log.info('before'); throw new Error('boom');");
    assert.notEqual(status, 0);
    assert.match(stderr, /boom/);
    assert.deepEqual(stdout, ['before']);
  });

  it('writes a later turn after an earlier one, and warnings to stderr at once', () => {
    const { stdout, stderr } = run("log.info('first'); log.warn('careful'); setImmediate(() => { log.info('second'); setTimeout(() => log.info('third'), 5); });");
    assert.deepEqual(stdout, ['first', 'second', 'third']);
    assert.match(stderr, /"event":"careful"/);
  });
});
