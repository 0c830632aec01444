import { startDemo } from './app.js';

const demo = await startDemo({
  port: Number(process.env.PORT ?? 3000),
  sandboxPort: Number(process.env.SANDBOX_PORT ?? 4010),
});

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
