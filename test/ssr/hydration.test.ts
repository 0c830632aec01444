/**
 * Server-rendered elements hydrate in the browser: a page rendered with `@lit-labs/ssr` (each
 * element in its declarative shadow root) and a client bundle built with Vite from the package's
 * `dist/`, `@lit-labs/ssr-client`'s hydrate support loaded first, as an Astro or Next page does.
 * In Debian's Chromium: the server's shadow DOM is kept (hydrated, not replaced), nothing is
 * reported on the console, and the elements then work (the flow loads its session from the relay).
 * Needs a built `dist/`.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import { chromium, type Browser, type Page } from 'playwright';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../chromium.js';
import { otpAction } from './actions.js';

const root = new URL('../../', import.meta.url).pathname;
let workspace: string;
let server: Server;
let origin: string;
let browser: Browser;

/**
 * Runs as the parser reaches it, after the declarative shadow roots are attached and before any
 * module script: marks each element's server-rendered nodes and counts them. Hydration keeps
 * these nodes; a fresh client render would replace or duplicate them.
 */
const markServerDom = `for (const host of document.querySelectorAll('main > *')) {
  const nodes = host.shadowRoot ? [...host.shadowRoot.children].filter((node) => node.localName !== 'style') : [];
  for (const node of nodes) node.setAttribute('data-from-server', '');
  host.dataset.serverNodes = String(nodes.length);
}`;

/** Whether `tag`'s shadow root still holds exactly the nodes the server rendered, and nothing beside them. */
function keptServerDom(tag: string): boolean {
  const host = document.querySelector<HTMLElement>(tag);
  const nodes = host?.shadowRoot ? [...host.shadowRoot.children].filter((node) => node.localName !== 'style') : [];
  return nodes.length > 0 && String(nodes.length) === host?.dataset.serverNodes && nodes.every((node) => node.hasAttribute('data-from-server'));
}

const otpView = {
  state: 'challenge',
  revision: 1,
  step: { index: 1, total: 1 },
  action: otpAction,
};

before(async () => {
  // Inside the repository, so the bundle's bare imports resolve from its node_modules.
  await mkdir(join(root, 'node_modules', '.cache'), { recursive: true });
  workspace = await mkdtemp(join(root, 'node_modules', '.cache', 'k360-hydration-'));
  // The hydrate support must run before Lit's element class is defined. In one bundle, a bundler
  // may hoist the chunk holding LitElement above it, so it is its own entry and its own script tag
  // ahead of the elements, as Lit's documentation asks.
  await writeFile(join(workspace, 'hydrate.js'), "import '@lit-labs/ssr-client/lit-element-hydrate-support.js';\n");
  await writeFile(join(workspace, 'client.js'), "import 'k360-verify';\nimport 'k360-verify/otp-entry';\n");
  await build({
    configFile: false,
    logLevel: 'error',
    root: workspace,
    resolve: {
      alias: [
        { find: /^k360-verify$/, replacement: join(root, 'dist/npm/index.js') },
        { find: /^k360-verify\/otp-entry$/, replacement: join(root, 'dist/npm/elements/otp-entry/define.js') },
      ],
    },
    build: { outDir: join(workspace, 'dist'), minify: false, lib: { entry: { hydrate: join(workspace, 'hydrate.js'), client: join(workspace, 'client.js') }, formats: ['es'], fileName: (_format, name) => `${name}.js` } },
  });
  await import('k360-verify');
  await import('k360-verify/otp-entry');
  const flowMarkup = await collectResult(render(html`<verification-flow relay="/verify"></verification-flow>`));
  const otpMarkup = await collectResult(render(html`<otp-entry relay="/verify" .action=${otpAction}></otp-entry>`));
  const pages: Record<string, string> = {
    '/flow.html': flowMarkup,
    // The page hands the element the action it was rendered with before the element upgrades, as a framework does on hydration.
    '/otp.html': `${otpMarkup}<script>document.querySelector('otp-entry').action = ${JSON.stringify(otpAction)};</script>`,
  };
  const bundle = join(workspace, 'dist');
  server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path.endsWith('.js')) {
      // The bundle's own files only: the entry and the chunks it loads lazily.
      const file = join(bundle, path);
      const script = file.startsWith(bundle + '/') ? await readFile(file).catch(() => undefined) : undefined;
      if (script) response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else response.writeHead(404).end();
      return;
    }
    const markup = pages[path];
    if (markup === undefined) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SSR</title></head><body><main>${markup}</main><script>${markServerDom}</script><script type="module" src="/hydrate.js"></script><script type="module" src="/client.js"></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

/** A page that records console errors and page errors, with the relay's session answered by `view`. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  await page.route('**/verify/session', (route) => route.fulfill({ json: otpView }));
  await page.goto(origin + path);
  return { page, problems };
}

describe('server-rendered elements hydrate in Chromium', () => {
  it('<verification-flow> keeps its server shadow DOM, then loads the session and shows the code step', async () => {
    const { page, problems } = await open('/flow.html');
    await page.locator('verification-flow otp-entry input[autocomplete="one-time-code"]').waitFor();
    assert.equal(await page.evaluate(keptServerDom, 'verification-flow'), true, `the server shadow DOM was kept (${problems.join('; ')})`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('<otp-entry> hydrates with the action it was rendered, takes a code from the keyboard and sends it', async () => {
    const { page, problems } = await open('/otp.html');
    await page.waitForFunction(() => customElements.get('otp-entry') !== undefined && (document.querySelector('otp-entry') as HTMLElement & { hasUpdated?: boolean }).hasUpdated === true);
    assert.equal(await page.evaluate(keptServerDom, 'otp-entry'), true, 'the server shadow DOM was kept');
    await page.route('**/verify/session/answer', (route) => route.fulfill({ json: { state: 'decided', decision: 'ALLOW', revision: 2 } }));
    const completed = page.evaluate(
      () => new Promise((resolve) => document.querySelector('otp-entry')?.addEventListener('verify-complete', (event) => resolve((event as CustomEvent).detail), { once: true })),
    );
    const answer = page.waitForRequest((request) => request.url().endsWith('/verify/session/answer'));
    const input = page.locator('otp-entry input[autocomplete="one-time-code"]');
    await input.focus();
    // A complete code is sent as soon as it is typed.
    await page.keyboard.type('123456');
    assert.equal(await input.inputValue(), '123456');
    assert.deepEqual((await answer).postDataJSON(), { method: 'OTP', otp: '123456' });
    assert.deepEqual(await completed, { decision: 'ALLOW' });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
