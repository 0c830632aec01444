/**
 * The docs' reference tables (in README.md or a page under docs/, wherever their markers are) are
 * the ones the build writes from their sources: the relay's configuration from
 * `src/relay/config.ts`, each element's API from `custom-elements.json`.
 * Needs a built `dist/` (`npm run build` writes the manifest and the tables).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DOCUMENTED_ELEMENTS,
  ELEMENT_END,
  RELAY_CONFIG_END,
  RELAY_CONFIG_START,
  declarationOf,
  elementStart,
  elementTable,
  readAllDocs,
  readManifest,
  docsWithTables,
  relayConfigTable,
  SERVICE_CONFIG_START,
  SERVICE_CONFIG_END,
  ADMIN_API_START,
  ADMIN_API_END,
} from '../../src/build/readme-tables.js';
import { ADMIN_OPERATIONS } from '../../src/relay/admin/operations.js';
import { SERVICE_ENVIRONMENT } from '../../src/relay/service/service-config.js';
// @ts-expect-error: a build helper in plain JavaScript, without declarations
import { blockInDocs, fileWithBlock } from '../../src/build/readme-blocks.mjs';
import { ENVIRONMENT, relayConfigDefaults } from '../../src/relay/config.js';

const docs = () => readAllDocs();

describe("the docs' generated tables", () => {
  it('are as the build writes them: nothing in README.md or docs/ is stale', async () => {
    const shown = await docs();
    assert.deepEqual(await docsWithTables(shown), shown);
  });

  it('sit on the pages the docs site links to', async () => {
    const shown = await docs();
    assert.equal(fileWithBlock(shown, RELAY_CONFIG_START, RELAY_CONFIG_END), 'docs/relay/configuration.md');
    assert.equal(fileWithBlock(shown, ADMIN_API_START, ADMIN_API_END), 'docs/relay/service.md');
    for (const tag of DOCUMENTED_ELEMENTS) assert.equal(fileWithBlock(shown, elementStart(tag), ELEMENT_END), `docs/elements/${tag}.md`);
  });

  it('shows every relay variable with the default the schema fills in', async () => {
    const table = blockInDocs(await docs(), RELAY_CONFIG_START, RELAY_CONFIG_END) as string | null;
    assert.ok(table, 'a page has the relay-config block');
    assert.equal(table, relayConfigTable());
    const defaults = relayConfigDefaults();
    for (const entry of Object.values(ENVIRONMENT)) assert.match(table, new RegExp(`^\\| \`${entry.variable}\` \\|`, 'm'));
    assert.match(table, new RegExp(`\\| \`RELAY_MAX_WRONG_CODES\` \\|.*\\| \`${defaults.maxFailedOtpAttempts}\` \\|$`, 'm'));
    assert.match(table, new RegExp(`\\| \`RELAY_RESEND_INTERVAL_SECONDS\` \\|.*\\| \`${defaults.resendIntervalSeconds}\` \\|$`, 'm'));
  });

  it('shows the standalone relay\'s variables and every admin operation', async () => {
    const shown = await docs();
    const service = blockInDocs(shown, SERVICE_CONFIG_START, SERVICE_CONFIG_END) as string | null;
    assert.ok(service, 'a page has the relay-service-config block');
    for (const entry of Object.values(SERVICE_ENVIRONMENT)) assert.match(service, new RegExp(`^\\| \`${entry.variable}\` \\|`, 'm'));
    assert.match(service, /\| `RELAY_ADMIN_HOST` \|.*\| `127\.0\.0\.1` \|$/m);
    const admin = blockInDocs(shown, ADMIN_API_START, ADMIN_API_END) as string | null;
    assert.ok(admin, 'a page has the admin-api block');
    for (const operation of ADMIN_OPERATIONS) assert.ok(admin.includes(`/admin/v1${operation.path}\``), operation.operationId);
  });

  it("gives each element the attributes, events, parts and custom properties its manifest lists", async () => {
    const shown = await docs();
    const manifest = await readManifest();
    for (const tag of DOCUMENTED_ELEMENTS) {
      const table = blockInDocs(shown, elementStart(tag), ELEMENT_END) as string | null;
      assert.ok(table, `a page has the element-api block of <${tag}>`);
      const declaration = declarationOf(manifest, tag);
      assert.equal(table, elementTable(declaration), tag);
      for (const part of declaration.cssParts ?? []) assert.ok(table.includes(`\`${part.name}\``), `${tag} part ${part.name}`);
      for (const property of declaration.cssProperties ?? []) assert.ok(table.includes(`\`${property.name}\``), `${tag} ${property.name}`);
      for (const event of declaration.events ?? []) assert.ok(table.includes(`\`${event.name}\``), `${tag} event ${event.name}`);
    }
  });

  it('leaves no hand-typed relay limit in the prose', async () => {
    for (const [path, text] of Object.entries(await docs())) {
      const prose = text.replace(/<!-- relay-config:[\s\S]*?<!-- \/relay-config -->/, '');
      assert.doesNotMatch(prose, /\b\d+ wrong codes\b/, path);
      assert.doesNotMatch(prose, /\b\d+ resends per session\b/, path);
    }
  });
});
