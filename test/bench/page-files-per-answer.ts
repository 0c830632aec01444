/**
 * Which of the page's source files run for one wrong OTP code, and how many requests the page makes
 * for it: `<verification-flow>` served module by module (Vite's dev server, with the production
 * build's define), against a relay and the sandbox in this process, in Chromium. Chromium's precise
 * coverage is taken over a second wrong code, after a first one warmed everything up, from the
 * keystrokes until the step shows the new count. A count of files, not a timing.
 *
 * `tsx test/bench/page-files-per-answer.ts` prints the count and the files; the bench prints the count.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';
import { createServer as createViteServer } from 'vite';
import { toNodeListener } from '../../src/relay/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { chromiumArgs, chromiumPath } from '../chromium.js';
import { relayOnSandbox } from './relay-files-per-answer.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PHONE = '+15551234567';
const EMAIL = 'otp@example.com';

export interface PageFilesPerAnswer {
  /** Source files with a function that ran, relative to `src/`. */
  files: string[];
  /** Requests the page made to the relay for the code. */
  relayRequests: string[];
}

export async function pageFilesPerWrongCode(): Promise<PageFilesPerAnswer> {
  const sandbox = await startSandbox();
  const vite = await createViteServer({
    root: ROOT,
    configFile: false,
    logLevel: 'silent',
    appType: 'custom',
    define: { 'globalThis.__K360_VERIFY_DEV__': 'false' },
    server: { middlewareMode: true, hmr: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const relay = relayOnSandbox(sandbox, origin);
  const relayListener = toNodeListener(relay.fetch);
  let wrongCode = '000000';
  const page = async (response: ServerResponse): Promise<void> => {
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'device-1', applicant: { email: EMAIL, phoneNumber: PHONE } });
    const { setCookie } = await relay.startChallenge({ assessment, contact: { email: EMAIL, phoneNumber: PHONE } });
    wrongCode = sandbox.sandbox.messages.latest(PHONE)?.code === '000000' ? '111111' : '000000';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': setCookie, 'cache-control': 'no-store' });
    response.end(`<!doctype html><html lang="en"><body><verification-flow relay="/verify"></verification-flow>
<script type="module" src="/src/elements/verification-flow/define.ts"></script></body></html>`);
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.url?.startsWith('/verify/')) return void relayListener(request, response);
    if (request.url === '/') return void page(response).catch((error: unknown) => response.writeHead(500).end(String(error)));
    vite.middlewares(request, response);
  });

  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const tab = await browser.newPage();
    const relayRequests: string[] = [];
    tab.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/verify/')) relayRequests.push(`${request.method()} ${url.pathname}`);
    });
    await tab.goto(`${origin}/`);
    const input = tab.locator('otp-entry input').first();
    const typeWrongCode = async (): Promise<void> => {
      await input.waitFor({ state: 'visible', timeout: 30_000 });
      await tab.waitForFunction(() => !document.querySelector('verification-flow')?.shadowRoot?.querySelector('otp-entry')?.shadowRoot?.querySelector('input')?.disabled, undefined, { timeout: 30_000 });
      const before = relayRequests.length;
      const read = tab.waitForResponse((response) => new URL(response.url()).pathname === '/verify/session' && response.request().method() === 'GET', { timeout: 30_000 });
      await input.fill('');
      await input.pressSequentially(wrongCode);
      await read;
      // The step has the new count once the page settles after the view read.
      await tab.waitForTimeout(300);
      if (relayRequests.length === before) throw new Error('the wrong code reached no relay');
    };
    await typeWrongCode();
    relayRequests.length = 0;
    await tab.coverage.startJSCoverage({ resetOnNavigation: false, reportAnonymousScripts: false });
    await typeWrongCode();
    const entries = await tab.coverage.stopJSCoverage();
    const sourcePrefix = `${origin}/src/`;
    const files = [
      ...new Set(
        entries
          .filter(({ url, functions }) => url.startsWith(sourcePrefix) && functions.some(({ ranges }) => (ranges[0]?.count ?? 0) > 0))
          .map(({ url }) => new URL(url).pathname.slice('/src/'.length)),
      ),
    ].sort();
    return { files, relayRequests };
  } finally {
    await browser.close();
    await relay.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await vite.close();
    await sandbox.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { files, relayRequests } = await pageFilesPerWrongCode();
  console.log(`one wrong OTP code runs ${files.length} of the page's source files and makes ${relayRequests.length} requests to the relay (${relayRequests.join(', ')}):\n${files.join('\n')}`);
}
