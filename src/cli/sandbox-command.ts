/** `k360-verify sandbox`: the local Kount 360 sandbox on its own, and the variables a relay needs to use it. */
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox } from '../sandbox/index.js';
import { readArguments } from './arguments.js';

export const SANDBOX_HELP = `Usage: k360-verify sandbox [--port N] [--host H] [--webhook-url URL] [--print-env]

Runs the local Kount 360 sandbox: token endpoint, Identity Proofing, Account Protection v2, signed
webhooks, one-time link and capture pages, and an inbox of the codes and links it "sent"
(/sandbox/inbox). No account, no network.

Options:
  --port <N>          port to listen on (default 4010; 0 picks a free one)
  --host <H>          address to bind (default 127.0.0.1)
  --webhook-url <URL> where to POST its signed webhooks: the relay's receiver, e.g.
                      http://localhost:8080/verify/webhooks/kount (default: none, events are
                      only recorded)
  --public-url <URL>  the sandbox's address as browsers reach it, for its link pages
  --print-env         print first, on standard output, one NAME=value line for each KOUNT_*
                      variable a relay needs to use this sandbox (the webhook key as one line of
                      Base64), then keep running
  -h, --help          this text
`;

export async function runSandbox(args: string[]): Promise<void> {
  const options = readArguments(
    'sandbox',
    args,
    { port: { type: 'string' }, host: { type: 'string' }, 'webhook-url': { type: 'string' }, 'public-url': { type: 'string' }, 'print-env': { type: 'boolean' } },
    SANDBOX_HELP,
  );
  const port = options.port === undefined ? 4010 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be a port number (0 to 65535)');
  let running: Awaited<ReturnType<typeof startSandbox>>;
  try {
    running = await startSandbox({
      port,
      host: options.host ?? '127.0.0.1',
      ...(options['webhook-url'] ? { webhookUrl: options['webhook-url'] } : {}),
      ...(options['public-url'] ? { publicUrl: options['public-url'] } : {}),
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (options['print-env'] === true) {
    const variables = {
      KOUNT_API_URL: running.url,
      KOUNT_TOKEN_URL: running.url + SANDBOX_PATHS.token,
      KOUNT_API_KEY: SANDBOX_API_KEY,
      KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
      KOUNT_WEBHOOK_PUBLIC_KEY: pemToBase64(running.sandbox.webhookPublicKey),
    };
    process.stdout.write(Object.entries(variables).map(([name, value]) => `${name}=${value}\n`).join(''));
  }
  process.stdout.write(`${JSON.stringify({ event: 'sandbox.listening', url: running.url, inbox: `${running.url}/sandbox/inbox` })}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void running.close().then(() => process.exit(0)));
  }
}

/** The body of a PEM block, on one line: the relay reads it as the Base64 of a DER key. */
function pemToBase64(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

function fail(message: string): never {
  process.stderr.write(`k360-verify sandbox: ${message}\n`);
  process.exit(1);
}
