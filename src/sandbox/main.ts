/** Runs the sandbox on its own: `PORT=4010 HOST=127.0.0.1 tsx src/sandbox/main.ts`. */
import { startSandbox } from './server.js';

const port = Number(process.env['PORT'] ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[k360-sandbox] PORT must be a port number, got "${process.env['PORT'] ?? ''}"`);
  process.exit(1);
}
const host = process.env['HOST'] ?? '127.0.0.1';

const running = await startSandbox({ port, host, publicUrl: process.env['SANDBOX_PUBLIC_URL'], webhookUrl: process.env['SANDBOX_WEBHOOK_URL'] });
console.log(`Kount 360 sandbox listening on ${running.url}`);
console.log(`Inbox: ${running.url}/sandbox/inbox`);
console.log(`Webhook public key: ${running.url}/sandbox/webhook-public-key.pem`);

const stop = (): void => {
  void running.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
