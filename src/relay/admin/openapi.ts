/**
 * The admin API's OpenAPI 3.1 document, generated from the operations table and the contract's zod
 * schemas (never written by hand): served at `/admin/v1/openapi.json` and shipped in the package as
 * `dist/openapi.json`.
 */
import { createRequire } from 'node:module';
import * as z from 'zod/mini';
import { adminErrorStatus, ErrorBody, HealthAnswer } from '../../contract/admin-api.js';
import { errorStatus } from '../../contract/relay-api.js';
import { ADMIN_OPERATIONS, COMMON_ERRORS } from './operations.js';

export const ADMIN_BASE_PATH = '/admin/v1';
export const HEALTH_PATHS = { alive: '/health/alive', ready: '/health/ready' } as const;
/** Prometheus' text, with `RELAY_METRICS=prometheus`; beside health, outside `/admin/v1/` and its keys. */
export const METRICS_PATH = '/metrics';

type JsonSchema = Record<string, unknown>;

const statusOf: Record<string, number> = { ...errorStatus, ...adminErrorStatus };

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** The error body with `code` narrowed to the codes an operation answers with this status. */
function errorSchema(codes: readonly string[]): JsonSchema {
  const base = jsonSchema(ErrorBody, 'output') as { properties: { error: { properties: Record<string, JsonSchema> } } };
  base.properties.error.properties.code = { type: 'string', enum: [...codes] };
  return base;
}

function errorResponses(codes: readonly string[]): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const status = statusOf[code];
    if (status === undefined) throw new Error(`The admin API names an unknown error code: ${code}`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => [
      String(status),
      {
        description: list.map((code) => `\`${code}\``).join(', '),
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before trying again.' } } } : {}),
        content: { 'application/json': { schema: errorSchema(list) } },
      },
    ]),
  );
}

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    for (const candidate of ['../../../package.json', '../../../../package.json']) {
      try {
        const manifest = require(candidate) as { name?: string; version?: string };
        if (manifest.name === 'k360-verify' && manifest.version) return manifest.version;
      } catch {
        // Not at this depth (the source tree and the package differ by one folder).
      }
    }
  } catch {
    // No module resolution here (a bundle): the document still says what it describes.
  }
  return '0.0.0';
}

export function adminOpenApiDocument(): JsonSchema {
  const paths: Record<string, unknown> = {};
  for (const operation of ADMIN_OPERATIONS) {
    paths[ADMIN_BASE_PATH + operation.path] = {
      [operation.method]: {
        operationId: operation.operationId,
        summary: operation.summary,
        description: operation.description,
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.request, 'input') } } },
        responses: {
          [String(operation.success.status)]: {
            description: operation.success.description,
            ...(operation.success.schema ? { content: { 'application/json': { schema: jsonSchema(operation.success.schema, 'output') } } } : {}),
          },
          ...errorResponses([...COMMON_ERRORS, ...operation.errors]),
        },
      },
    };
  }
  const health = (summary: string, ready: boolean): unknown => ({
    get: {
      operationId: ready ? 'health' : 'alive',
      summary,
      security: [],
      responses: {
        '200': { description: ready ? 'Ready to serve.' : 'The process answers.', content: { 'application/json': { schema: jsonSchema(HealthAnswer, 'output') } } },
        ...(ready ? { '503': { description: 'Not ready: `reason` says why (`store_unavailable`, `shutting_down`).', content: { 'application/json': { schema: jsonSchema(HealthAnswer, 'output') } } } } : {}),
      },
    },
  });
  paths[HEALTH_PATHS.alive] = health('Liveness: the process answers', false);
  paths[HEALTH_PATHS.ready] = health('Readiness: the configuration is valid and the store answers within its time limit', true);
  paths[METRICS_PATH] = {
    get: {
      operationId: 'prometheusMetrics',
      summary: 'Metrics in Prometheus’ text format, with `RELAY_METRICS=prometheus`',
      description:
        'What the relay recorded through OpenTelemetry (`http_server_request_duration`, `k360_*`), labelled with closed values only: never a contact, a code, a session or an address. No key, like health: a scraper reaches this listener on the private network. Served only when the service was started with `RELAY_METRICS=prometheus`.',
      security: [],
      responses: {
        '200': { description: 'The exposition, `text/plain; version=0.0.4`.', content: { 'text/plain': { schema: { type: 'string' } } } },
        '404': { description: '`not_found`: the service runs without `RELAY_METRICS=prometheus`.', content: { 'application/json': { schema: errorSchema(['not_found']) } } },
      },
    },
  };
  paths[`${ADMIN_BASE_PATH}/openapi.json`] = {
    get: { operationId: 'openApiDocument', summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'k360-verify relay: server-to-server API',
      version: packageVersion(),
      description:
        'The relay’s admin listener (`RELAY_ADMIN_PORT`, 127.0.0.1 by default), for shop backends in any language. Every operation has a twin of the same name on the Node `Relay`. Authenticate with `Authorization: Bearer <key>`, a key from `RELAY_ADMIN_API_KEYS`. Requests from browsers (with an `Origin` header) are refused. Errors are `{"error":{"code","message","field?"}}` with stable codes.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: { securitySchemes: { adminApiKey: { type: 'http', scheme: 'bearer', description: 'A key from `RELAY_ADMIN_API_KEYS`.' } } },
    security: [{ adminApiKey: [] }],
    paths,
  };
}
