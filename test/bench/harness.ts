/**
 * What every part of `npm run bench` shares: the processes it starts (each ready once it prints a
 * `{"event":"ready",...}` line, all stopped at the end), the summary rows, and small statistics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopWithParent } from '../../demo/cluster/child-processes.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run bench -- --quick`: every part, with fewer and shorter runs (a check that it works, not figures to quote). */
export const QUICK = process.argv.includes('--quick');

export const BENCH_ORIGIN = 'http://bench.test';

export interface Started {
  url: string;
}

const children: ChildProcess[] = [];
const problems: string[] = [];

/** The last warnings the bench's processes printed: shown when a figure comes out wrong. */
export function recentProblems(): string {
  return problems.join('\n');
}

/** A script of the bench in its own Node process; `nodeFlags` go before the script (`--expose-gc`). */
export function spawnReady(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  stopWithParent(child);
  child.stderr?.on('data', (chunk: Buffer) => {
    problems.push(...chunk.toString().split('\n').filter(Boolean).map((line) => `${script}: ${line}`));
    problems.splice(0, Math.max(0, problems.length - 20));
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((candidate) => candidate.includes('"event":"ready"'));
      if (!line) {
        // Relay log lines after start-up are read and dropped, as a log shipper would.
        if (buffer.length > 1_000_000) buffer = '';
        return;
      }
      resolve(JSON.parse(line) as Started);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** A line on stderr while a long part runs, so a slow or stuck run says where it is. */
const began = performance.now();
export function progress(message: string): void {
  process.stderr.write(`bench: ${((performance.now() - began) / 1000).toFixed(0)} s: ${message}\n`);
}

export function stopAll(): void {
  for (const child of children.splice(0)) child.kill('SIGTERM');
}

export async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

/**
 * One line of the summary: what is measured, k360-verify's figure, the baseline's figure from the
 * same run, and their ratio, always the line's last number (scripts read it from there).
 */
export interface Row {
  what: string;
  product: string;
  baseline: string;
  ratio: number;
}

/** `figure / baseline`, for figures where more is better (throughput) or worse (time, bytes) alike: the row says which. */
export function row(what: string, product: string, baseline: string, ratio: number): Row {
  return { what, product, baseline, ratio };
}

export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((line) => (line[index] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  console.log(`\n${title}\n${line(header)}\n| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |\n${rows.map(line).join('\n')}`);
}

export function printRows(title: string, rows: readonly Row[]): void {
  printTable(
    title,
    ['what', 'k360-verify', 'baseline (same run)', 'ratio'],
    rows.map((entry) => [entry.what, entry.product, entry.baseline, entry.ratio.toFixed(2)]),
  );
}

export const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
export const µs = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} µs`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
