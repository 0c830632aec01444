/**
 * A redis-server of our own for the demo cluster and the tests: Debian's binary, on a free loopback
 * port, in a directory of its own (its append-only file survives a restart, as a real deployment's
 * would), stopped at the end. Never a shared or system Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { stopWithParent } from './child-processes.js';

export const redisServerPath = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server; its data is kept on disk for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the data it had. */
  start(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing (a hung Redis). */
  pause(): void;
  resume(): void;
  /** Stops it for good and deletes its data. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `persistence: false` runs it as a cache (no AOF, no snapshots), as the topology fixtures do; by
 * default it syncs its AOF on every write, so a restart keeps what it had.
 */
export async function startRedisServer(options: { password?: string; persistence?: boolean } = {}): Promise<RedisServer> {
  if (!existsSync(redisServerPath)) {
    throw new Error(`redis-server is missing at ${redisServerPath}. Install it (Debian: sudo apt-get install -y redis-server) or set REDIS_SERVER_PATH.`);
  }
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'k360-redis-'));
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...(options.persistence === false ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'always'])];
    if (options.password !== undefined) args.push('--requirepass', options.password);
    const started = spawn(redisServerPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    stopWithParent(started);
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${output}`)), 10_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
      });
    });
  };

  const halt = async (): Promise<void> => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGCONT');
    running.kill('SIGTERM');
    await exited;
  };

  await launch();
  return {
    port,
    url: options.password === undefined ? `redis://127.0.0.1:${port}` : `redis://:${options.password}@127.0.0.1:${port}`,
    stop: halt,
    start: launch,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async close() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
