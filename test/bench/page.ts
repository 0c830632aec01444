/**
 * The OTP page's weight and load chain against a bare Lit element (bare-element/) built the same
 * way: the bytes of the scripts each page loads (gzip and brotli), and the time from navigation
 * until the code input is focusable, as an ES module and as a classic script, on localhost and at
 * 150 ms round trip with 1.6 Mbit/s (Chromium's network emulation). Runs are interleaved: each
 * round loads every page once, and the figure is the median of the rounds.
 *
 * The OTP pages are what a shop serves: the first view (the one the relay's start answered) put in
 * the page with the element, escaped for HTML, so no round trip is spent reading it; the
 * `-fetch` page reads it from the relay instead, as before, for comparison.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../chromium.js';
import { embeddableJson } from '../../src/elements/verification-flow/embedded-view.js';
import { kib, median, ms, QUICK, root, row, type Row } from './harness.js';

const ROUNDS = QUICK ? 2 : 15;
const CDN = join(root, 'dist/cdn');
/** Chromium's emulation: latency is added to each request's round trip; throughput is in bytes/s. */
const SLOW = { offline: false, latency: 150, downloadThroughput: (1.6 * 1e6) / 8, uploadThroughput: (0.75 * 1e6) / 8 };

async function buildBareElement(outDir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      reportCompressedSize: false,
      rolldownOptions: { output: { minify: true, comments: false } },
      lib: { entry: join(root, 'test/bench/bare-element/bare-code-input.ts'), name: 'Bare', formats: ['es', 'iife'], fileName: (format) => `bare.${format}.js` },
    },
  });
}

const page = (head: string, body: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>bench</title>${head}</head><body><main><h1>Confirm it's you</h1>${body}</main></body></html>`;

/** The OTP step's file and the shared files it imports, as a page that knows its first step preloads them. */
function otpStepFiles(): string[] {
  const leaf = 'k360-verify.otp-entry.js';
  const code = readFileSync(join(CDN, leaf), 'utf8');
  return [leaf, ...new Set([...code.matchAll(/from\s*"\.\/(k360-verify\.[\w-]+\.js)"/g)].map((match) => match[1] ?? '').filter((file) => file !== 'k360-verify.js'))];
}

function pages(view: string): Record<string, string> {
  const preloads = otpStepFiles().map((file) => `<link rel="modulepreload" href="/cdn/${file}">`).join('');
  // The shop's server writes the view it got from the relay's start into the page, escaped (embedded-view.ts).
  const flow = `<verification-flow relay="/verify"><script type="application/json">${embeddableJson(JSON.parse(view))}</script></verification-flow>`;
  return {
    'otp-es': page('<script type="module" src="/cdn/k360-verify.js"></script>', flow),
    'otp-es-preload': page(`<script type="module" src="/cdn/k360-verify.js"></script>${preloads}`, flow),
    'otp-es-fetch': page(`<script type="module" src="/cdn/k360-verify.js"></script>${preloads}`, '<verification-flow relay="/verify"></verification-flow>'),
    'otp-classic': page('<script defer src="/cdn/k360-verify.iife.js"></script>', flow),
    'bare-es': page('<script type="module" src="/bare/bare.es.js"></script>', '<bare-code-input></bare-code-input>'),
    'bare-classic': page('<script defer src="/bare/bare.iife.js"></script>', '<bare-code-input></bare-code-input>'),
  };
}

/** Serves the pages, the CDN files and the bare element gzipped (what Chromium asks for over http), and one constant OTP view. */
function serve(bareDir: string, view: string): Promise<{ server: Server; url: string; loaded: Map<string, Set<string>>; loading: (name: string) => void }> {
  const html = pages(view);
  const loaded = new Map<string, Set<string>>();
  const gzipped = new Map<string, Buffer>();
  // Pages load one at a time: every script fetched belongs to the page being loaded.
  let current = '';
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const name = url.pathname.slice(1).replace(/\.html$/, '');
    if (html[name] !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html[name]);
      return;
    }
    if (url.pathname === '/verify/session') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(view);
      return;
    }
    if (url.pathname.startsWith('/verify/')) {
      response.writeHead(204).end();
      return;
    }
    const [directory, prefix] = url.pathname.startsWith('/cdn/') ? [CDN, '/cdn/'] : url.pathname.startsWith('/bare/') ? [bareDir, '/bare/'] : [null, ''];
    const file = directory === null ? null : normalize(join(directory, url.pathname.slice(prefix.length)));
    if (directory === null || file === null || !file.startsWith(directory) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    loaded.set(current, (loaded.get(current) ?? new Set()).add(file));
    let body = gzipped.get(file);
    if (!body) {
      body = gzipSync(readFileSync(file), { level: 9 });
      gzipped.set(file, body);
    }
    response.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream', 'content-encoding': 'gzip', 'cache-control': 'no-store', 'access-control-allow-origin': '*' }).end(body);
  });
  const loading = (name: string): void => {
    current = name;
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, loaded, loading })));
}

/** Records, from the page's very start, when the first one-time-code input anywhere (shadow roots included) can take focus. */
const FOCUSABLE_PROBE = `(() => {
  const find = (root) => {
    const input = root.querySelector('input[autocomplete="one-time-code"]');
    if (input) return input;
    for (const element of root.querySelectorAll('*')) {
      const found = element.shadowRoot && find(element.shadowRoot);
      if (found) return found;
    }
    return null;
  };
  const check = () => {
    const input = document.documentElement && find(document);
    if (input && !input.disabled && input.checkVisibility()) window.__focusableAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function timeToFocusable(browser: Browser, url: string, slow: boolean): Promise<number> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.addInitScript(FOCUSABLE_PROBE);
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (slow) await cdp.send('Network.emulateNetworkConditions', SLOW);
    await tab.goto(url, { waitUntil: 'commit' });
    await tab.waitForFunction(() => (window as { __focusableAt?: number }).__focusableAt !== undefined, undefined, { timeout: 30_000 });
    return await tab.evaluate(() => (window as unknown as { __focusableAt: number }).__focusableAt);
  } finally {
    await context.close();
  }
}

function compressedBytes(files: Iterable<string>): { gzip: number; brotli: number } {
  let gzip = 0;
  let brotli = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { gzip, brotli };
}

export async function pageRows(view: string): Promise<Row[]> {
  if (!existsSync(join(CDN, 'k360-verify.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const bareDir = mkdtempSync(join(tmpdir(), 'k360-bench-bare-'));
  await buildBareElement(bareDir);
  const { server, url, loaded, loading } = await serve(bareDir, view);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const times = new Map<string, number[]>();
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const slow of [false, true]) {
        for (const name of Object.keys(pages(view))) {
          const key = `${name}${slow ? '-slow' : ''}`;
          loading(name);
          times.set(key, [...(times.get(key) ?? []), await timeToFocusable(browser, `${url}/${name}.html`, slow)]);
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const bytes = (name: string): { gzip: number; brotli: number; files: number } => ({ ...compressedBytes(loaded.get(name) ?? []), files: loaded.get(name)?.size ?? 0 });
  const timeOf = (key: string): number => median(times.get(key) ?? []);
  const esBytes = bytes('otp-es');
  const bareBytes = bytes('bare-es');
  const classicBytes = bytes('otp-classic');
  const bareClassicBytes = bytes('bare-classic');
  rmSync(bareDir, { recursive: true, force: true });
  const rows = [
    row(`OTP page scripts, ES (${esBytes.files} files), gzip, vs bare Lit element`, kib(esBytes.gzip), kib(bareBytes.gzip), esBytes.gzip / bareBytes.gzip),
    row(`OTP page scripts, ES, brotli, vs bare Lit element`, kib(esBytes.brotli), kib(bareBytes.brotli), esBytes.brotli / bareBytes.brotli),
    row(`OTP page script, classic (${classicBytes.files} file), gzip, vs bare Lit element`, kib(classicBytes.gzip), kib(bareClassicBytes.gzip), classicBytes.gzip / bareClassicBytes.gzip),
  ];
  for (const [slow, network] of [[false, 'localhost'], [true, '150 ms RTT, 1.6 Mbit/s']] as const) {
    for (const [kind, name] of [
      ['es', 'ES, first view in the page'],
      ['es-preload', 'ES + modulepreload of the step, first view in the page'],
      ['es-fetch', 'ES + modulepreload of the step, first view read from the relay'],
      ['classic', 'classic script, first view in the page'],
    ] as const) {
      const suffix = slow ? '-slow' : '';
      const product = timeOf(`otp-${kind}${suffix}`);
      const baseline = timeOf(`bare-${kind === 'classic' ? 'classic' : 'es'}${suffix}`);
      rows.push(row(`navigation → code input focusable, ${name}, ${network} (median of ${ROUNDS})`, ms(product), ms(baseline), product / baseline));
    }
  }
  return rows;
}
