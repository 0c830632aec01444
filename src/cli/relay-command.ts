/** `k360-verify relay`: the standalone relay, configured by the environment and an optional JSON file. */
import { ENVIRONMENT, relayConfigDefaults, type EnvironmentEntry } from '../relay/config.js';
import { loadServiceConfig, SERVICE_ENVIRONMENT, ServiceConfig } from '../relay/service/service-config.js';
import { startRelayService } from '../relay/service/relay-service.js';
import { readArguments } from './arguments.js';

const NAME_WIDTH = 40;
const LINE_WIDTH = 110;

/** One variable per entry, its meaning wrapped under it; the demo's fallbacks mean "required" for the service. */
function variableLines(entries: Readonly<Record<string, EnvironmentEntry>>, defaults: Record<string, unknown>): string {
  return Object.entries(entries)
    .map(([field, entry]) => {
      const unset = entry.unset === undefined ? undefined : entry.unset.includes('(demo)') || entry.unset === 'required' ? 'required' : entry.unset;
      const fallback = unset ?? (defaults[field] === undefined || (Array.isArray(defaults[field]) && (defaults[field] as unknown[]).length === 0) ? undefined : `default ${String(defaults[field])}`);
      const plain = entry.meaning.replace(/`/g, '').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1');
      return `  ${entry.variable.padEnd(NAME_WIDTH)}${wrap(`${plain}${fallback === undefined ? '' : ` (${fallback})`}`)}`;
    })
    .join('\n');
}

function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && NAME_WIDTH + 2 + line.length + 1 + word.length > LINE_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(NAME_WIDTH + 2)}`);
}

function serviceDefaults(): Record<string, unknown> {
  const parsed = ServiceConfig.safeParse({ adminApiKeys: 'x'.repeat(32) });
  const defaults: Record<string, unknown> = parsed.success ? { ...parsed.data } : {};
  delete defaults.adminApiKeys;
  return defaults;
}

export const RELAY_HELP = `Usage: k360-verify relay [--config file.json]

Runs the relay as a service. Two listeners:
  public  RELAY_HOST:RELAY_PORT             the browser API under RELAY_BASE_PATH (/verify) and Kount's
                                            webhooks; route /verify/ of the shop's own origin here
  admin   RELAY_ADMIN_HOST:RELAY_ADMIN_PORT the server-to-server API (/admin/v1/..., bearer keys from
                                            RELAY_ADMIN_API_KEYS; OpenAPI at /admin/v1/openapi.json) and
                                            /health/alive, /health/ready; keep it private

Options:
  --config <file>   a JSON file of options by name (its JSON Schema ships as
                    k360-verify/relay-config.schema.json); the environment overrides it
  -h, --help        this text

Every variable may be given as NAME_FILE instead, the path of a file holding the value (Docker and
Kubernetes secrets; one trailing newline is trimmed). Setting both NAME and NAME_FILE is refused.
On SIGTERM or SIGINT: event streams end at once with a retry hint, requests in flight get
RELAY_SHUTDOWN_SECONDS, the store is closed, and the process exits 0.

Service variables:
${variableLines(SERVICE_ENVIRONMENT, serviceDefaults())}

Relay variables:
${variableLines(ENVIRONMENT, relayConfigDefaults())}
`;

export async function runRelay(args: string[]): Promise<void> {
  const options = readArguments('relay', args, { config: { type: 'string' } }, RELAY_HELP);
  let service: Awaited<ReturnType<typeof startRelayService>>;
  try {
    const loaded = await loadServiceConfig(process.env, options.config);
    service = await startRelayService(loaded);
  } catch (error) {
    // Configuration and connection errors name the variable at fault and what is wrong, never its value.
    process.stderr.write(`k360-verify relay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void service.stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`k360-verify relay: the shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}
