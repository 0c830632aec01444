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

describe('framework types', () => {
  it('React 19: the @lit/react wrapper with typed onVerifyComplete, and the tags in JSX', () => check('tsc', 'react'));
  it('Preact: the tags in JSX', () => check('tsc', 'preact'));
  it('Solid: the tags in JSX', () => check('tsc', 'solid'));
  it('Vue 3: the tags in templates, vue-tsc --strictTemplates', () => check('vue-tsc', 'vue'));
  it('Svelte 5: SvelteHTMLElements', () => check('tsc', 'svelte'));
  it('plain DOM: importing an element types its events', () => check('tsc', 'dom'));
});
