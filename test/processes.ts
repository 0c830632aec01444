/**
 * Programs a test runs (the sandbox, the relay, nginx, the shops, npx): each in a process group of
 * its own, so stopping it also stops what it started (nginx's workers, the node npx started), and
 * none outlives the test, whether it ends normally, fails, or is stopped by a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stopWithParent } from '../demo/cluster/child-processes.js';

/** Process groups still running; killed when the test process goes, however it goes. */
const groups = new Set<number>();
let installed = false;

/** Kills every program still running (a suite's `after`, before it removes their folders). */
export function killGroups(): void {
  for (const group of groups) killGroup(group, 'SIGKILL');
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // Already gone.
  }
}

function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killGroups);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killGroups();
      // stopWithParent's handler re-raises the signal when it runs last; so does this one.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

export interface Program {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it wrote (the last 64 KB), for failure messages. */
  output(): string;
  /** Resolves with the first line of standard output that `matches`; rejects if it exits first or after `timeoutMs`. */
  line(matches: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the group leader has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /**
   * SIGTERM to its group, so every process in it can stop gracefully; SIGKILL to what is left
   * after `graceMs`. Resolves with the leader's exit code.
   */
  stop(graceMs?: number): Promise<number | NodeJS.Signals>;
}

export interface ProgramOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Run as this user (the test runs as root: an unprivileged one). */
  uid?: number;
  gid?: number;
}

export function startProgram(name: string, command: string, args: readonly string[], options: ProgramOptions): Program {
  installCleanup();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  stopWithParent(child);
  const group = child.pid;
  if (group !== undefined) groups.add(group);
  let output = '';
  let pending = '';
  const lines: string[] = [];
  const lineListeners = new Set<() => void>();
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode ?? -1);
    else child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  child.once('exit', () => {
    for (const listener of lineListeners) listener();
  });
  child.once('error', (error) => {
    output += `\n[${name} could not start: ${error.message}]`;
  });
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stderr?.on('data', keep);
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    lines.push(...complete);
    for (const listener of lineListeners) listener();
  });

  return {
    name,
    child,
    exited,
    output: () => output,
    line(matches, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < lines.length; seen++) {
            const candidate = lines[seen] as string;
            if (matches(candidate)) {
              finish();
              resolve(candidate);
              return;
            }
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${name} was not ready after ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          lineListeners.delete(check);
        };
        lineListeners.add(check);
        check();
      });
    },
    async stop(graceMs = 5000) {
      if (group === undefined) return exited;
      killGroup(group, 'SIGTERM');
      // The whole group, not only its leader: npx's node child has its own graceful stop to finish.
      const deadline = Date.now() + graceMs;
      while (groupAlive(group) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      killGroup(group, 'SIGKILL');
      groups.delete(group);
      return exited;
    },
  };
}

/** Polls `url` until it answers 200 (the program behind it is serving), or fails with `program`'s output. */
export async function waitForHttp(url: string, program: Program, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (program.child.exitCode !== null || program.child.signalCode !== null) {
      throw new Error(`${program.name} exited (${program.child.exitCode ?? program.child.signalCode}):\n${program.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} (${program.name}) did not answer 200 within ${timeoutMs} ms (${last}):\n${program.output()}`);
}
