/**
 * The shipped framework types, checked as consumers check them: small files per framework, each
 * with its own strict tsconfig (skipLibCheck off), resolving `k360-verify` through the package's
 * own exports against the built dist/. Each file also holds `@ts-expect-error` lines (an unknown
 * attribute, a wrong type, a misspelt detail field), so types that degrade to `any` fail here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const bin = (name: string) => new URL(`../../node_modules/.bin/${name}`, import.meta.url).pathname;

async function check(compiler: 'tsc' | 'vue-tsc', project: string): Promise<void> {
  try {
    await run(bin(compiler), ['--noEmit', '-p', new URL(`./${project}/tsconfig.json`, import.meta.url).pathname]);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.fail(`${compiler} -p test/types/${project}:\n${stdout}${stderr}`);
  }
}

/**
 * svelte-check has no `@ts-expect-error` in markup, so Wrong.svelte's mistakes are listed here:
 * every error it reports must be one of these, and each of these must be reported.
 */
async function svelteCheck(): Promise<void> {
  const cwd = new URL('./svelte/', import.meta.url).pathname;
  const { stdout } = await run(bin('svelte-check'), ['--workspace', cwd, '--tsconfig', './tsconfig.json', '--output', 'machine'], { cwd }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const errors = stdout.split('\n').filter((line) => / (ERROR|WARNING) /.test(line)).map((line) => line.replace(/^\d+ /, ''));
  assert.deepEqual(errors, [
    `ERROR "Wrong.svelte" 6:20 "Type 'number' is not assignable to type 'string'."`,
    `ERROR "Wrong.svelte" 7:63 "Property 'verdict' does not exist on type 'VerifyCompleteDetail'."`,
  ]);
  assert.match(stdout, /COMPLETED \d+ FILES 2 ERRORS 0 WARNINGS 1 FILES_WITH_PROBLEMS/);
}

describe('framework types', () => {
  it('React 19: the @lit/react wrapper with typed onVerifyComplete, and the tags in JSX', () => check('tsc', 'react'));
  it('Preact: the tags in JSX', () => check('tsc', 'preact'));
  it('Solid: the tags in JSX', () => check('tsc', 'solid'));
  it('Vue 3: the tags in templates, vue-tsc --strictTemplates', () => check('vue-tsc', 'vue'));
  it('Svelte 5: SvelteHTMLElements with tsc, and .svelte files with svelte-check', async () => {
    await check('tsc', 'svelte');
    await svelteCheck();
  });
  it('plain DOM: importing an element types its events', () => check('tsc', 'dom'));
});
