/**
 * Writes the documents generated from the zod schemas into the package: the admin API's OpenAPI 3.1
 * document (`dist/openapi.json`) and the JSON Schema of `k360-verify relay --config` files
 * (`dist/relay-config.schema.json`). Run by `npm run build`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { adminOpenApiDocument } from '../relay/admin/openapi.js';
import { serviceConfigJsonSchema } from '../relay/service/service-config.js';

const dist = new URL('../../dist/', import.meta.url);
await mkdir(dist, { recursive: true });
await writeFile(new URL('openapi.json', dist), `${JSON.stringify(adminOpenApiDocument(), null, 2)}\n`);
await writeFile(new URL('relay-config.schema.json', dist), `${JSON.stringify(serviceConfigJsonSchema(), null, 2)}\n`);
console.log('Wrote dist/openapi.json and dist/relay-config.schema.json');
