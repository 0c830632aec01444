/**
 * Children of the demo cluster and the tests (redis-server, relay instances) must not outlive the
 * process that started them: not on a normal exit, and not when it is stopped with Ctrl+C or
 * SIGTERM (a test runner's time limit, CI cancelling a job), which skip `exit` handlers.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

export function stopWithParent(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (installed) return;
  installed = true;
  process.once('exit', () => {
    for (const running of children) running.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const running of children) running.kill('SIGKILL');
      // Whoever else listens (the demo's own graceful shutdown) goes on; alone, the signal does what it would have done.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
