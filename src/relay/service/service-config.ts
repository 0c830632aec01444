/**
 * The standalone relay's own options (`k360-verify relay`): its two listeners, the admin API's
 * keys, the shutdown bound and the Prometheus endpoint. With the relay's options they make the
 * service's one schema: the environment, the `--config` JSON file (checked by the same schema,
 * described by the JSON Schema shipped as `dist/relay-config.schema.json`) and the docs' tables
 * all come from it.
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { safeLinkUrl } from '../../contract/safe-url.js';
import { ENVIRONMENT, RelayConfig, parseRelayConfig, readEnvironment, type EnvironmentEntry } from '../config.js';

const Port = z.number().check(z.int(), z.minimum(0), z.maximum(65_535));
const Host = z.string().check(z.minLength(1), z.maxLength(255), z.regex(/^[A-Za-z0-9.:-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name or an IP address'));
const AdminApiKey = z.string().check(z.minLength(32, 'must be at least 32 characters'), z.maxLength(512), z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII with no spaces'));
/** The rule of every URL the relay sends secrets or signed data to: https, or http on this machine; no user or password in it. */
const EventsWebhookUrl = z.string().check(z.refine((value) => safeLinkUrl(value) !== null, 'must be an https URL (http only for localhost), without a user or password'));
/** Standard Webhooks' secret format: `whsec_` and the base64 of 24 to 64 random bytes. */
const EventsWebhookSecret = z.string().check(
  z.refine((value) => {
    const encoded = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value)?.[1];
    const bytes = encoded === undefined || encoded.length % 4 !== 0 ? 0 : Buffer.from(encoded, 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'must be whsec_ followed by the base64 of 24 to 64 random bytes (e.g. `echo whsec_$(openssl rand -base64 32)`)'),
);

export const ServiceConfig = z.object({
  /** The public listener: the browser API and Kount's webhooks, reached through the shop's origin. */
  port: z._default(Port, 8080),
  host: z._default(Host, '0.0.0.0'),
  /** The admin listener: the server-to-server API and health. Private: loopback unless said otherwise. */
  adminPort: z._default(Port, 8081),
  adminHost: z._default(Host, '127.0.0.1'),
  adminApiKeys: z.pipe(
    z.union([AdminApiKey, z.array(AdminApiKey).check(z.minLength(1), z.maxLength(8))]),
    z.transform((value): string[] => (typeof value === 'string' ? [value] : value)),
  ),
  /** How long requests in flight may finish after SIGTERM/SIGINT before the process exits anyway. */
  shutdownSeconds: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(300)), 10),
  /** `prometheus`: the admin listener serves `/metrics` through the OpenTelemetry SDK (optional peers). */
  metrics: z._default(z.enum(['none', 'prometheus'], { error: 'must be none or prometheus' }), 'none'),
  /** `sdk`: the service starts OpenTelemetry's Node SDK, configured by the standard `OTEL_*` variables (an OTLP collector, say). */
  opentelemetry: z._default(z.enum(['none', 'sdk'], { error: 'must be none or sdk' }), 'none'),
  /** Where each journey event is POSTed, signed as Standard Webhooks do; with `eventsWebhookSecret`, or neither. */
  eventsWebhookUrl: z.optional(EventsWebhookUrl),
  /** The Standard Webhooks secret(s) that sign them; several while one is rotated (each signs, the header carries all). */
  eventsWebhookSecret: z.optional(
    z.pipe(
      z.union([EventsWebhookSecret, z.array(EventsWebhookSecret).check(z.minLength(1), z.maxLength(4))]),
      z.transform((value): string[] => (typeof value === 'string' ? [value] : value)),
    ),
  ),
}).check(
  z.superRefine((config, context) => {
    if (config.eventsWebhookUrl !== undefined && config.eventsWebhookSecret === undefined) {
      context.issues.push({ code: 'custom', path: ['eventsWebhookSecret'], message: 'is required when the events webhook URL is set', input: undefined });
    }
    if (config.eventsWebhookUrl === undefined && config.eventsWebhookSecret !== undefined) {
      context.issues.push({ code: 'custom', path: ['eventsWebhookUrl'], message: 'is required when the events webhook secret is set (set both or neither)', input: undefined });
    }
  }),
);
export type ServiceConfig = z.output<typeof ServiceConfig>;

export const SERVICE_ENVIRONMENT = {
  port: { variable: 'RELAY_PORT', kind: 'integer', meaning: 'public listener: the browser API under `RELAY_BASE_PATH` and Kount’s webhooks; route `/verify/` of the shop’s origin here' },
  host: { variable: 'RELAY_HOST', kind: 'text', meaning: 'address the public listener binds' },
  adminPort: { variable: 'RELAY_ADMIN_PORT', kind: 'integer', meaning: 'admin listener: `/admin/v1/…` and `/health/…`; nothing of it answers on the public port' },
  adminHost: { variable: 'RELAY_ADMIN_HOST', kind: 'text', meaning: 'address the admin listener binds; keep it private (a pod or host network your backends reach)' },
  adminApiKeys: {
    variable: 'RELAY_ADMIN_API_KEYS',
    kind: 'secrets',
    meaning: 'bearer keys of the admin API, ≥ 32 characters each, comma-separated; several at once while one is rotated (add the new one, move the backends, drop the old one)',
    unset: 'required',
  },
  shutdownSeconds: { variable: 'RELAY_SHUTDOWN_SECONDS', kind: 'integer', meaning: 'after SIGTERM or SIGINT: event streams end at once (pages reconnect elsewhere), requests in flight get this long, then the process exits 0' },
  metrics: {
    variable: 'RELAY_METRICS',
    kind: 'text',
    meaning: '`prometheus`: the admin listener serves Prometheus text at `/metrics` (no key, like `/health/…`), from an OpenTelemetry MeterProvider the service registers; needs `@opentelemetry/api`, `@opentelemetry/sdk-metrics` and `@opentelemetry/exporter-prometheus` installed, and no other MeterProvider in the process. `none`: no `/metrics`',
  },
  opentelemetry: {
    variable: 'RELAY_OPENTELEMETRY',
    kind: 'text',
    meaning: '`sdk`: the service starts OpenTelemetry’s Node SDK (`@opentelemetry/sdk-node` installed), configured by the standard `OTEL_*` variables: `OTEL_EXPORTER_OTLP_ENDPOINT` and `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_TRACES_EXPORTER` (default `otlp`), `OTEL_METRICS_EXPORTER` (e.g. `otlp`), `OTEL_SERVICE_NAME` (default `k360-verify-relay`), `OTEL_RESOURCE_ATTRIBUTES`, samplers; with `RELAY_METRICS=prometheus` too, `/metrics` serves the SDK’s metrics (in place of `OTEL_METRICS_EXPORTER`) and traces still go by `OTEL_TRACES_EXPORTER`. Refused when the process has an SDK already. `none`: only what `RELAY_METRICS` asks for',
  },
  eventsWebhookUrl: {
    variable: 'RELAY_EVENTS_WEBHOOK_URL',
    kind: 'text',
    meaning: 'the shop’s endpoint for journey events: each one POSTed as JSON `{ type: "k360.journey.<name>", timestamp, data }` (`data` as `onEvent` gets it), signed as [Standard Webhooks](https://www.standardwebhooks.com/) do, retried for about 2½ minutes on a timeout, 408, 429 or 5xx; `https://` (plain `http://` only to localhost)',
    unset: 'no events webhook',
  },
  eventsWebhookSecret: {
    variable: 'RELAY_EVENTS_WEBHOOK_SECRET',
    kind: 'secrets',
    meaning: 'the Standard Webhooks secret that signs them, `whsec_` and the base64 of 24 to 64 random bytes; required with `RELAY_EVENTS_WEBHOOK_URL`; a comma-separated list while rotating (each signs, `webhook-signature` carries every signature)',
    unset: 'required with the URL',
  },
} as const satisfies Record<keyof ServiceConfig, EnvironmentEntry>;

/** The `--config` file: every option of the relay and of the service, by its option name; unknown names are refused. */
export const ServiceConfigFile = z.strictObject({ ...RelayConfig.shape, ...ServiceConfig.shape, $schema: z.optional(z.string()) });

/** The JSON Schema of the `--config` file, generated from the zod schema (shipped in the package). */
export function serviceConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ServiceConfigFile, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
    title: 'k360-verify relay configuration',
    description: 'The options of `k360-verify relay --config <file>`. The environment (`KOUNT_*`, `RELAY_*`, or `NAME_FILE`) overrides the file.',
  };
}

export interface LoadedServiceConfig {
  relay: RelayConfig;
  service: ServiceConfig;
}

/**
 * The service's configuration: the file's values, then the environment's over them; checked as a
 * whole, so a bad value stops start-up with its variable's (or the file field's) name, never its value.
 */
export async function loadServiceConfig(env: Record<string, string | undefined>, configFile?: string): Promise<LoadedServiceConfig> {
  const fromFile = configFile === undefined ? {} : await readConfigFile(configFile);
  const relayEnv = readEnvironment(env, ENVIRONMENT);
  const serviceEnv = readEnvironment(env, SERVICE_ENVIRONMENT);
  const merged: Record<string, unknown> = { ...fromFile, ...relayEnv.values, ...serviceEnv.values };
  delete merged.$schema;
  const readFrom: Record<string, string> = { ...relayEnv.readFrom, ...serviceEnv.readFrom };
  const describe = (field: string): string => readFrom[field] ?? (configFile !== undefined && field in fromFile ? `${configFile}: ${field}` : variableOf(field) ?? field);
  const relayFields = Object.keys(RelayConfig.shape);
  const relay = parseRelayConfig(Object.fromEntries(Object.entries(merged).filter(([field]) => relayFields.includes(field))), describe);
  const parsed = ServiceConfig.safeParse(Object.fromEntries(Object.entries(merged).filter(([field]) => field in ServiceConfig.shape)));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const given = merged[field];
      // A check across options says itself what is missing; a lone missing option is just required.
      const problem = given === undefined ? (issue.code === 'custom' ? issue.message : 'is required') : issue.message === 'Invalid input' ? 'is not valid' : issue.message;
      return `${describe(field)} ${problem}`;
    });
    throw new Error(`Invalid relay configuration: ${problems.join('; ')}`);
  }
  return { relay, service: parsed.data };
}

function variableOf(field: string): string | undefined {
  return (ENVIRONMENT as Record<string, EnvironmentEntry>)[field]?.variable ?? (SERVICE_ENVIRONMENT as Record<string, EnvironmentEntry>)[field]?.variable;
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Invalid relay configuration: --config ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`Invalid relay configuration: --config ${path} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`Invalid relay configuration: --config ${path} must hold a JSON object`);
  const unknown = Object.keys(value).filter((key) => !(key in ServiceConfigFile.shape));
  if (unknown.length > 0) throw new Error(`Invalid relay configuration: --config ${path} has unknown options: ${unknown.join(', ')}`);
  return value as Record<string, unknown>;
}
