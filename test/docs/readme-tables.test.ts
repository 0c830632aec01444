/**
 * The README's reference tables are the ones the build writes from their sources: the relay's
 * configuration from `src/relay/config.ts`, each element's API from `custom-elements.json`.
 * Needs a built `dist/` (`npm run build` writes the manifest and the tables).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  DOCUMENTED_ELEMENTS,
  ELEMENT_END,
  RELAY_CONFIG_END,
  RELAY_CONFIG_START,
  declarationOf,
  elementStart,
  elementTable,
  readManifest,
  readmeWithTables,
  relayConfigTable,
  SERVICE_CONFIG_START,
  SERVICE_CONFIG_END,
  ADMIN_API_START,
  ADMIN_API_END,
} from '../../src/build/readme-tables.js';
import { ADMIN_OPERATIONS } from '../../src/relay/admin/operations.js';
import { SERVICE_ENVIRONMENT } from '../../src/relay/service/service-config.js';
// @ts-expect-error: a build helper in plain JavaScript, without declarations
import { blockIn } from '../../src/build/readme-blocks.mjs';
import { ENVIRONMENT, relayConfigDefaults } from '../../src/relay/config.js';

const readme = () => readFile(new URL('../../README.md', import.meta.url), 'utf8');

describe("README's generated tables", () => {
  it('is as the build writes it: nothing in it is stale', async () => {
    const shown = await readme();
    assert.equal(await readmeWithTables(shown), shown);
  });

  it('shows every relay variable with the default the schema fills in', async () => {
    const table = blockIn(await readme(), RELAY_CONFIG_START, RELAY_CONFIG_END) as string | null;
    assert.ok(table, 'README.md has the relay-config block');
    assert.equal(table, relayConfigTable());
    const defaults = relayConfigDefaults();
    for (const entry of Object.values(ENVIRONMENT)) assert.match(table, new RegExp(`^\\| \`${entry.variable}\` \\|`, 'm'));
    assert.match(table, new RegExp(`\\| \`RELAY_MAX_WRONG_CODES\` \\|.*\\| \`${defaults.maxFailedOtpAttempts}\` \\|$`, 'm'));
    assert.match(table, new RegExp(`\\| \`RELAY_RESEND_INTERVAL_SECONDS\` \\|.*\\| \`${defaults.resendIntervalSeconds}\` \\|$`, 'm'));
  });

  it('shows the standalone relay\'s variables and every admin operation', async () => {
    const shown = await readme();
    const service = blockIn(shown, SERVICE_CONFIG_START, SERVICE_CONFIG_END) as string | null;
    assert.ok(service, 'README.md has the relay-service-config block');
    for (const entry of Object.values(SERVICE_ENVIRONMENT)) assert.match(service, new RegExp(`^\\| \`${entry.variable}\` \\|`, 'm'));
    assert.match(service, /\| `RELAY_ADMIN_HOST` \|.*\| `127\.0\.0\.1` \|$/m);
    const admin = blockIn(shown, ADMIN_API_START, ADMIN_API_END) as string | null;
    assert.ok(admin, 'README.md has the admin-api block');
    for (const operation of ADMIN_OPERATIONS) assert.ok(admin.includes(`/admin/v1${operation.path}\``), operation.operationId);
  });

  it("gives each element the attributes, events, parts and custom properties its manifest lists", async () => {
    const shown = await readme();
    const manifest = await readManifest();
    for (const tag of DOCUMENTED_ELEMENTS) {
      const table = blockIn(shown, elementStart(tag), ELEMENT_END) as string | null;
      assert.ok(table, `README.md has the element-api block of <${tag}>`);
      const declaration = declarationOf(manifest, tag);
      assert.equal(table, elementTable(declaration), tag);
      for (const part of declaration.cssParts ?? []) assert.ok(table.includes(`\`${part.name}\``), `${tag} part ${part.name}`);
      for (const property of declaration.cssProperties ?? []) assert.ok(table.includes(`\`${property.name}\``), `${tag} ${property.name}`);
      for (const event of declaration.events ?? []) assert.ok(table.includes(`\`${event.name}\``), `${tag} event ${event.name}`);
    }
  });

  it('leaves no hand-typed relay limit in the prose', async () => {
    const prose = (await readme()).replace(/<!-- relay-config:[\s\S]*?<!-- \/relay-config -->/, '');
    assert.doesNotMatch(prose, /\b\d+ wrong codes\b/);
    assert.doesNotMatch(prose, /\b\d+ resends per session\b/);
  });
});
