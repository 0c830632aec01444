import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSandbox, type Sandbox, type SandboxOptions } from './app.js';
import { isAbortError } from './faults.js';

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
}

export interface RunningSandbox {
  readonly url: string;
  readonly sandbox: Sandbox;
  close(): Promise<void>;
}

const DEADLINE_CHECK_INTERVAL_MS = 1000;

/** Serves a sandbox over HTTP; `publicUrl` defaults to the address it actually listens on. */
export function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', ...sandboxOptions } = options;
  let sandbox: Sandbox | undefined;
  const handle = async (request: Request): Promise<Response> => {
    if (sandbox === undefined) return new Response(null, { status: 503 });
    try {
      return await sandbox.fetch(request);
    } catch (error) {
      // The client hung up during an injected hang or delay; nobody will read this answer.
      if (isAbortError(error)) return new Response(null, { status: 499 });
      throw error;
    }
  };

  return new Promise((resolve, reject) => {
    const server = serve({ fetch: handle, port, hostname: host }, (info: AddressInfo) => {
      const hostForUrl = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      const url = `http://${hostForUrl}:${info.port}`;
      const started = createSandbox({ ...sandboxOptions, publicUrl: sandboxOptions.publicUrl ?? url });
      sandbox = started;
      // Expired one-time links end their step and send their webhook even when nobody asks.
      const deadlines = setInterval(() => started.checkDeadlines(), DEADLINE_CHECK_INTERVAL_MS);
      deadlines.unref();
      resolve({
        url,
        sandbox: started,
        close: () =>
          new Promise<void>((closed, failed) => {
            clearInterval(deadlines);
            started.close();
            server.close((error) => (error ? failed(error) : closed()));
            // Hanging requests would keep close() waiting forever; dropping them aborts their handlers.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
