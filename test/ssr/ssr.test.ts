/**
 * Server-side rendering: every browser export of the package imports in plain Node (what Next,
 * Nuxt, SvelteKit and Astro builds do), and each element renders to HTML with `@lit-labs/ssr`,
 * with real text, in its declarative shadow root. Runs against the built package (`dist/`,
 * through the package's own `exports`); test/ssr/hydration.test.ts hydrates the markup in Chromium.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import type { DocvActionView, KbaActionView, OthActionView } from 'k360-verify/contract';
import { otpAction } from './actions.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

const browserExports = async (): Promise<string[]> => {
  const { exports } = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { exports: Record<string, unknown> };
  return Object.keys(exports)
    .filter((path) => !path.includes('*') && !path.endsWith('.json') && !path.startsWith('./types/') && !path.startsWith('./relay') && path !== './sandbox')
    .map((path) => (path === '.' ? 'k360-verify' : `k360-verify/${path.slice(2)}`));
};

describe('every browser export imports in plain Node', () => {
  it('imports each one in a fresh process with no DOM, and installs no DOM globals', async () => {
    const specifiers = await browserExports();
    assert.ok(specifiers.includes('k360-verify') && specifiers.includes('k360-verify/otp-entry'));
    const script = `
      const failures = [];
      for (const specifier of ${JSON.stringify(specifiers)}) {
        try { await import(specifier); } catch (error) { failures.push(specifier + ': ' + (error && error.message)); }
      }
      console.log(JSON.stringify({ failures, document: typeof document, window: typeof window }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('.', root), env: { PATH: process.env.PATH ?? '' } });
    assert.deepEqual(JSON.parse(stdout), { failures: [], document: 'undefined', window: 'undefined' });
  });
});

const otp = otpAction;
const kba: KbaActionView = {
  method: 'KBA',
  questions: [{ id: '101', text: 'Which street? <img src=x onerror=alert(1)>', selection: 'single', choices: [{ id: '1011', text: 'Elm & <b>Oak</b>' }, { id: '1012', text: 'None of the above' }] }],
  timeLimitSeconds: 300,
  remainingAttempts: 2,
};
const oth: OthActionView = {
  method: 'OTH',
  channel: 'EMAIL',
  destination: 'o***@example.com',
  status: 'MESSAGE_SENT',
  remainingResends: 3,
  resendAvailableInSeconds: 30,
  expiresInSeconds: 600,
  otherChannels: ['SMS'],
  channelChangeAvailableInSeconds: 0,
};
const docv: DocvActionView = {
  method: 'DOCV',
  delivery: 'LINK',
  destination: null,
  captureUrl: 'https://capture.example.com/session/abc',
  progress: 'SENT',
  retryAllowed: false,
  remainingRetries: 1,
  resendAllowed: false,
  sendAvailableInSeconds: 0,
};

/** The element's server-rendered markup, styles left out. */
async function rendered(template: unknown): Promise<string> {
  return (await collectResult(render(template))).replace(/<style>[\s\S]*?<\/style>/g, '');
}

describe('each element renders with @lit-labs/ssr', async () => {
  await import('k360-verify');
  await import('k360-verify/otp-entry');
  await import('k360-verify/kba-quiz');
  await import('k360-verify/oth-waiting');
  await import('k360-verify/docv-status');

  it('<verification-flow> renders its shell in a declarative shadow root', async () => {
    const markup = await rendered(html`<verification-flow relay="/verify"></verification-flow>`);
    assert.match(markup, /<verification-flow\s+relay="\/verify" appearance="plain"><template shadowroot="open" shadowrootmode="open">/);
    assert.match(markup, /part="status"[^>]*role="status"/);
    // What the browser's first render shows too, so hydration finds the same template.
    assert.match(markup, /part="loading"[\s\S]*?role="status"[^>]*>(<!--[^>]*-->)*Loading your verification/);
  });

  it('<otp-entry> renders the code field with its label, the masked destination and Verify', async () => {
    const markup = await rendered(html`<otp-entry relay="/verify" .action=${otp}></otp-entry>`);
    assert.match(markup, /shadowrootdelegatesfocus/);
    assert.match(markup, /autocomplete="one-time-code"/);
    assert.match(markup, /inputmode="numeric"/);
    assert.match(markup, />(<!--[^>]*-->)*Verification code(<!--[^>]*-->)*</);
    assert.match(markup, /We sent a 6-digit code to \u2066\+1\u00a0\*\*\*\u00a0\*\*\*\u00a04567\u2069\./);
    assert.match(markup, />\s*(<!--[^>]*-->)*Verify(<!--[^>]*-->)*\s*</);
  });

  it('<kba-quiz> renders the question and choices as text, escaped', async () => {
    const markup = await rendered(html`<kba-quiz .action=${kba}></kba-quiz>`);
    assert.match(markup, /Which street\? &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(markup, /Elm &amp; &lt;b&gt;Oak&lt;\/b&gt;/);
    assert.doesNotMatch(markup, /<img src=x/);
    assert.match(markup, /type="radio"/);
  });

  it('<oth-waiting> renders where the link went and that it waits', async () => {
    const markup = await rendered(html`<oth-waiting .action=${oth}></oth-waiting>`);
    assert.match(markup, /o\*\*\*@example\.com/);
    assert.match(markup, /Waiting for you to open the link/);
  });

  it('starts no timers on the server: countdowns render their seconds, and the process can exit', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const markup = await rendered(html`<otp-entry relay="/verify" .action=${otp}></otp-entry><oth-waiting .action=${oth}></oth-waiting><kba-quiz .action=${kba}></kba-quiz>`);
    assert.match(markup.replace(/<!--[^>]*-->/g, ''), /You can request a new code in 30\u00a0seconds/);
    assert.equal(timers(), before);
  });

  it('<docv-status> renders the capture link and its QR code', async () => {
    const markup = await rendered(html`<docv-status .action=${docv}></docv-status>`);
    assert.match(markup, /href="https:\/\/capture\.example\.com\/session\/abc"/);
    assert.match(markup, /<svg[^>]*>[\s\S]*<path/);
  });
});
