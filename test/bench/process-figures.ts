/**
 * `GET /bench/heap` (after a full collection, when Node runs with `--expose-gc`) and
 * `GET /bench/cpu`: what the bench reads from the relay and from its baselines, the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HeapFigures {
  heapUsed: number;
  rss: number;
}

export interface CpuFigures {
  /** User plus system CPU time since the process started, in microseconds. */
  micros: number;
}

/** Answers the two routes; false for any other request. */
export function answerProcessFigures(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
  if (incoming.method !== 'GET') return false;
  let figures: HeapFigures | CpuFigures;
  if (incoming.url === '/bench/heap') {
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    collect?.();
    const { heapUsed, rss } = process.memoryUsage();
    figures = { heapUsed, rss };
  } else if (incoming.url === '/bench/cpu') {
    const { user, system } = process.cpuUsage();
    figures = { micros: user + system };
  } else {
    return false;
  }
  outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(figures));
  return true;
}
