import { redactFields } from './redact.js';
import { currentRequestScope } from './request-scope.js';

export type LogFields = Record<string, unknown>;
/** From the most detailed to the most serious. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logging: an event name plus fields. Implementations must not throw. */
export interface Logger {
  /** Optional, so a logger written before the relay had debug lines still fits; the relay calls it as `logger.debug?.(...)`. */
  debug?(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface ConsoleLoggerOptions {
  /** Lines below this level are dropped before any work is spent on them; `info` by default. */
  level?: LogLevel;
  /** Where each JSON line goes; stdout by default (stderr for warnings and errors). */
  write?: (line: string, level: LogLevel) => void;
  now?: () => number;
}

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Loggers that already add the request's ids, so `withRequestIds` does not add them twice. */
const addsRequestIds = new WeakSet<Logger>();

/**
 * One JSON object per line, with sensitive keys removed by `redactFields` before writing. A line
 * written while a browser request is handled also carries that request's `requestId` (and
 * `traceId`), see `request-scope.ts`.
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const write = options.write ?? writeToProcess;
  const now = options.now ?? Date.now;
  const threshold = rankOf(options.level ?? 'info');
  // Lines come several to a millisecond under load: the time's text is made once for each.
  let lastMs = Number.NaN;
  let lastTime = '';
  const timeOf = (ms: number): string => {
    if (ms !== lastMs) {
      lastTime = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastTime;
  };
  const log = (level: LogLevel) => {
    if (LEVEL_RANK[level] < threshold) return dropLine;
    return (event: string, fields: LogFields = {}) => {
      // The scope holds only the two ids, both checked for safe characters where they were read.
      const line = JSON.stringify({ time: timeOf(now()), level, event, ...currentRequestScope(), ...redactFields(fields) });
      try {
        write(line, level);
      } catch {
        // A broken log sink must not break a shopper's verification.
      }
    };
  };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  addsRequestIds.add(logger);
  return logger;
}

/**
 * For a logger of your own: the same logger, with the request's `requestId` and `traceId` added to
 * the fields of every line written while a browser request is handled. Fields the caller passes win.
 */
export function withRequestIds(logger: Logger): Logger {
  if (addsRequestIds.has(logger)) return logger;
  const withIds =
    (method: (event: string, fields?: LogFields) => void) =>
    (event: string, fields?: LogFields): void => {
      const scope = currentRequestScope();
      method.call(logger, event, scope === undefined ? fields : { ...scope, ...fields });
    };
  const { debug } = logger;
  const wrapped: Logger = {
    ...(debug === undefined ? {} : { debug: withIds(debug) }),
    info: withIds(logger.info),
    warn: withIds(logger.warn),
    error: withIds(logger.error),
  };
  addsRequestIds.add(wrapped);
  return wrapped;
}

function rankOf(level: LogLevel): number {
  // A level read from the environment by JavaScript callers may be anything: refuse it rather than log everything.
  if (!Object.hasOwn(LEVEL_RANK, level)) throw new TypeError(`Unknown log level "${String(level)}"; use debug, info, warn or error.`);
  return LEVEL_RANK[level];
}

function dropLine(): void {}

/**
 * Lines for stdout wait for the end of the current turn of the event loop and go out together: a
 * write to a pipe is a system call, and one answer logs two or three lines. Warnings and errors
 * (stderr) are written at once, and what is waiting is written first, so the order holds. Nothing
 * waits past the turn, and whatever waits is written when the process exits.
 */
let pending = '';
let flushScheduled = false;

function flushPending(): void {
  flushScheduled = false;
  if (pending === '') return;
  const text = pending;
  pending = '';
  process.stdout.write(text);
}

function writeToProcess(line: string, level: LogLevel): void {
  if (level === 'warn' || level === 'error') {
    flushPending();
    process.stderr.write(`${line}\n`);
    return;
  }
  pending += `${line}\n`;
  if (pending.length > 64 * 1024) return flushPending();
  if (flushScheduled) return;
  flushScheduled = true;
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', flushPending);
  }
  setImmediate(flushPending);
}

let exitHooked = false;

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
