import { startDemo } from './app.js';

let demo: Awaited<ReturnType<typeof startDemo>>;
try {
  demo = await startDemo({
    port: Number(process.env.PORT ?? 3000),
    sandboxPort: Number(process.env.SANDBOX_PORT ?? 4010),
    // Set by `npm run demo:cluster` for each instance: one sandbox and one public address for all.
    ...(process.env.DEMO_SANDBOX_URL ? { sandboxUrl: process.env.DEMO_SANDBOX_URL } : {}),
    ...(process.env.DEMO_PUBLIC_URL ? { publicUrl: process.env.DEMO_PUBLIC_URL } : {}),
  });
} catch (error) {
  console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// Machine-readable line first: the end-to-end tests read it to find the ports.
console.log(JSON.stringify({ event: 'demo.ready', url: demo.url, sandboxUrl: demo.sandboxUrl }));
console.log(`\nk360-verify demo:  ${demo.url}`);
if (demo.sandboxUrl) console.log(`Sandbox inbox:     ${demo.url}/inbox  (codes "sent" by the Kount 360 sandbox)`);
console.log('Press Ctrl+C to stop.\n');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
