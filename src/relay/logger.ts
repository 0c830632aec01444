import { redactFields } from './redact.js';

export type LogFields = Record<string, unknown>;
export type LogLevel = 'info' | 'warn' | 'error';

/** Structured logging: an event name plus fields. Implementations must not throw. */
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface ConsoleLoggerOptions {
  /** Where each JSON line goes; stdout by default (stderr for warnings and errors). */
  write?: (line: string, level: LogLevel) => void;
  now?: () => number;
}

/** One JSON object per line, with sensitive keys removed by `redactFields` before writing. */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const write = options.write ?? writeToProcess;
  const now = options.now ?? Date.now;
  const log = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...redactFields(fields) });
    try {
      write(line, level);
    } catch {
      // A broken log sink must not break a shopper's verification.
    }
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function writeToProcess(line: string, level: LogLevel): void {
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
