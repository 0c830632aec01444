/**
 * Which of the relay's source files run for one wrong OTP code: the answer (422) and the page's
 * read of the view that follows it, over HTTP through the Node adapter, against the sandbox in the
 * same process. V8's precise coverage is reset after a warm-up code and taken after the second, so
 * module loading and first-call work are not counted. A count of files, not a timing.
 *
 * `tsx test/bench/relay-files-per-answer.ts` prints the count and the files; the bench prints the count.
 */
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CSRF_HEADER, RelayPath, SESSION_COOKIE } from '../../src/contract/browser.js';
import { createRelay, toNodeListener, type Relay } from '../../src/relay/index.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

const SOURCE = pathToFileURL(fileURLToPath(new URL('../../src/', import.meta.url))).href;
const SANDBOX = `${SOURCE}sandbox/`;
const PHONE = '+15551234567';

export interface FilesPerAnswer {
  /** Source files (outside the sandbox) with a function that ran, relative to `src/`. */
  files: string[];
  httpRoundTrips: number;
}

/** A quiet relay on the in-process sandbox, for pages served from `origin`. */
export function relayOnSandbox(sandbox: RunningSandbox, origin: string): Relay {
  return createRelay({
    apiUrl: sandbox.url,
    tokenUrl: sandbox.url + SANDBOX_PATHS.token,
    apiKey: SANDBOX_API_KEY,
    clientId: SANDBOX_CLIENT_ID,
    sessionSecret: 'files-per-answer-secret-0123456789-abcdef',
    allowedOrigins: [origin],
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

export async function relayFilesPerWrongCode(): Promise<FilesPerAnswer> {
  const sandbox = await startSandbox();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const relay = relayOnSandbox(sandbox, origin);
  server.on('request', toNodeListener(relay.fetch));
  const inspector = new Session();
  inspector.connect();
  try {
    const assessment = await relay.kount.assess({
      strategy: 'CheckoutStepUp',
      inquiryId: crypto.randomUUID(),
      deviceSessionId: 'device-1',
      applicant: { email: 'otp@example.com', phoneNumber: PHONE },
    });
    const { handle } = await relay.startChallenge({ assessment, contact: { email: 'otp@example.com', phoneNumber: PHONE } });
    const sent = sandbox.sandbox.messages.latest(PHONE)?.code ?? '';
    const wrongCode = sent === '000000' ? '111111' : '000000';
    let httpRoundTrips = 0;
    const oneWrongCode = async (): Promise<void> => {
      const answer = await fetch(`${origin}/verify${RelayPath.answer}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin, cookie: `${SESSION_COOKIE}=${handle}` },
        body: JSON.stringify({ method: 'OTP', otp: wrongCode }),
      });
      if (answer.status !== 422) throw new Error(`a wrong code answered ${answer.status}`);
      await answer.arrayBuffer();
      const view = await fetch(`${origin}/verify${RelayPath.view}`, { headers: { origin, cookie: `${SESSION_COOKIE}=${handle}` } });
      if (!view.ok) throw new Error(`the view answered ${view.status}`);
      await view.arrayBuffer();
      httpRoundTrips = 2;
    };
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await oneWrongCode();
    await inspector.post('Profiler.takePreciseCoverage');
    await oneWrongCode();
    const { result } = await inspector.post('Profiler.takePreciseCoverage');
    const files = result
      .filter(({ url, functions }) => url.startsWith(SOURCE) && !url.startsWith(SANDBOX) && functions.some(({ ranges }) => (ranges[0]?.count ?? 0) > 0))
      .map(({ url }) => url.slice(SOURCE.length))
      .sort();
    return { files, httpRoundTrips };
  } finally {
    await inspector.post('Profiler.stopPreciseCoverage').catch(() => undefined);
    inspector.disconnect();
    await relay.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sandbox.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { files, httpRoundTrips } = await relayFilesPerWrongCode();
  console.log(`one wrong OTP code runs ${files.length} relay source files in ${httpRoundTrips} HTTP round trips:\n${files.join('\n')}`);
}
