/**
 * The demo as a shop runs it in production: several instances of the shop (each with its relay)
 * as separate processes on one Redis, behind a non-sticky round-robin balancer, with one Kount 360
 * sandbox whose webhooks go through the balancer too. `npm run demo:cluster` and the
 * multi-instance tests both start it from here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RelayPath } from '../../src/contract/browser.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { stopWithParent } from './child-processes.js';
import { freePort, startRedisServer, type RedisServer } from './redis-server.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

export interface ClusterOptions {
  /** Instances behind the balancer (default 2). */
  instances?: number;
  /** The balancer's port (default: a free one). */
  port?: number;
  /** Extra environment for every instance (relay limits, heartbeat...). */
  env?: Record<string, string>;
  /** The sandbox's gap between webhook re-sends (Kount: 2 minutes; tests: a moment). */
  webhookRetryIntervalMs?: number;
  /** Gets every line an instance prints (its relay's log), as it comes. */
  onOutput?: (line: string, instance: number) => void;
  /**
   * A store already running, given by the variables that name it (`RELAY_STORE_MODE`,
   * `RELAY_STORE_URL`…): a Redis Cluster or a Sentinel set, say. Without it the cluster starts a
   * single redis-server of its own.
   */
  storeEnv?: Record<string, string>;
}

export interface ClusterInstance {
  readonly index: number;
  /** The instance itself, past the balancer. */
  readonly url: string;
  /** Everything it printed (its relay's log lines), oldest first. */
  readonly output: string[];
  readonly running: boolean;
  /** SIGKILL: gone at once, mid-request, as a crashed machine. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export interface Cluster {
  /** The one address shoppers (and Kount's webhooks) use: the balancer. */
  readonly url: string;
  readonly instances: readonly ClusterInstance[];
  readonly sandbox: RunningSandbox;
  /** Its own redis-server; null when `storeEnv` named a store started elsewhere. */
  readonly redis: RedisServer | null;
  readonly proxy: RoundRobinProxy;
  /** The `RELAY_SESSION_SECRET` every instance shares: what a test needs to open what the store holds (SECURITY 42). */
  readonly sessionSecret: string;
  close(): Promise<void>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The balancer and the instances are on loopback: its connections to them come from this address. */
const BALANCER_ADDRESS = '127.0.0.1';

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.instances ?? 2;
  const redis = options.storeEnv === undefined ? await startRedisServer() : null;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const proxyPort = options.port ?? (await freePort());
  const publicUrl = `http://localhost:${proxyPort}`;
  const sandbox = await startSandbox({
    webhookUrl: `${publicUrl}/verify${RelayPath.webhook}`,
    ...(options.webhookRetryIntervalMs === undefined ? {} : { webhookRetryIntervalMs: options.webhookRetryIntervalMs }),
  });
  // Every instance signs and checks handles with the same secret: a handle from one works on all.
  const sessionSecret = randomBytes(32).toString('base64url');
  const env: Record<string, string> = {
    // The balancer reaches the instances from loopback: its X-Forwarded-For is believed, a client's own is not (SECURITY 39).
    RELAY_TRUSTED_PROXIES: BALANCER_ADDRESS,
    ...options.env,
    ...(redis === null ? options.storeEnv : { RELAY_STORE_URL: redis.url }),
    RELAY_SESSION_SECRET: sessionSecret,
    DEMO_SANDBOX_URL: sandbox.url,
    DEMO_PUBLIC_URL: publicUrl,
  };
  const instances = ports.map((port, index) => new Instance(index, port, env, options.onOutput));
  try {
    await Promise.all(instances.map((instance) => instance.start()));
  } catch (error) {
    await Promise.allSettled(instances.map((instance) => instance.kill()));
    await sandbox.close();
    await redis?.close();
    throw error;
  }
  const proxy = await startRoundRobinProxy({ targets: instances.map((instance) => instance.url), port: proxyPort, host: BALANCER_ADDRESS });
  return {
    url: proxy.url,
    instances,
    sandbox,
    redis,
    proxy,
    sessionSecret,
    async close() {
      await proxy.close();
      await Promise.allSettled(instances.map((instance) => instance.stop()));
      await sandbox.close();
      await redis?.close();
    },
  };
}

class Instance implements ClusterInstance {
  readonly index: number;
  readonly url: string;
  readonly output: string[] = [];
  readonly #port: number;
  readonly #env: Record<string, string>;
  readonly #onOutput: ((line: string, instance: number) => void) | undefined;
  #child: ChildProcess | null = null;

  constructor(index: number, port: number, env: Record<string, string>, onOutput?: (line: string, instance: number) => void) {
    this.index = index;
    this.#port = port;
    this.#env = env;
    this.#onOutput = onOutput;
    this.url = `http://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.#child !== null && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
      cwd: root,
      env: { ...process.env, ...this.#env, PORT: String(this.#port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    stopWithParent(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`instance ${this.index} did not start:\n${this.output.join('\n')}`)), 30_000);
      const onLine = (line: string): void => {
        this.output.push(line);
        this.#onOutput?.(line, this.index);
        if (line.includes('"event":"demo.ready"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      for (const stream of [child.stdout, child.stderr]) {
        let pending = '';
        stream?.on('data', (chunk: Buffer) => {
          pending += chunk.toString();
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) onLine(line);
        });
      }
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`instance ${this.index} exited (${code ?? signal}) before it was ready:\n${this.output.join('\n')}`));
      });
    });
  }

  kill(): Promise<void> {
    return this.#halt('SIGKILL');
  }

  stop(): Promise<void> {
    return this.#halt('SIGTERM');
  }

  async #halt(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(forced);
  }
}
