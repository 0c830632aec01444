/**
 * The package as npm would publish it: `publint --strict` and `@arethetypeswrong/cli` (ESM-only
 * profile) on the packed tarball, and what the tarball holds. Needs a built `dist/`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

async function passes(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(bin(command), args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.fail(`${command} ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}

describe('the packed package', () => {
  it('publint --strict finds nothing', async () => {
    assert.match(await passes('publint', ['--strict']), /All good!/);
  });

  it('are the types wrong? (ESM-only profile): no problem in any entry point', async () => {
    await passes('attw', ['--pack', '.', '--profile', 'esm-only']);
  });

  it('ships dist, README and LICENSE only, with no npm source maps and no src/', async (t) => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const [pack] = JSON.parse(stdout) as Array<{ size: number; unpackedSize: number; files: Array<{ path: string; size: number }> }>;
    assert.ok(pack);
    const paths = pack.files.map((file) => file.path);
    assert.deepEqual(paths.filter((path) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(path)), []);
    assert.deepEqual(paths.filter((path) => path.startsWith('dist/npm/') && path.endsWith('.map')), []);
    // The CDN files keep their maps, each with its sources inlined (nothing points at an unshipped src/).
    assert.ok(paths.includes('dist/cdn/k360-verify.js.map'));
    for (const path of paths.filter((candidate) => candidate.endsWith('.map'))) {
      const map = JSON.parse(await readFile(`${root}${path}`, 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      assert.equal(map.sourcesContent?.filter((content) => typeof content === 'string').length, map.sources.length, `${path} inlines every source`);
    }
    for (const path of ['dist/custom-elements.json', 'dist/types/react.d.ts', 'dist/types/vue.d.ts', 'dist/types/svelte.d.ts', 'LICENSE']) assert.ok(paths.includes(path), path);
    t.diagnostic(`packed ${pack.size} B, unpacked ${pack.unpackedSize} B, ${pack.files.length} files`);
  });

  it('ships a manifest tools can use: every module path is a shipped file, each tag maps to its file, every event has its type', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const shipped = new Set((JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((file) => file.path));
    type Declaration = { tagName?: string; customElement?: boolean; events?: Array<{ name: string; type?: { text?: string } }> };
    type Module = { path: string; declarations?: Declaration[]; exports?: Array<{ kind: string; name: string; declaration: { module?: string } }> };
    const manifest = JSON.parse(await readFile(`${root}dist/custom-elements.json`, 'utf8')) as { modules: Module[] };
    assert.deepEqual(manifest.modules.map((module) => module.path).filter((path) => !shipped.has(path)), []);
    const tags = manifest.modules.flatMap((module) => (module.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition'));
    assert.deepEqual(tags.map((entry) => entry.name).sort(), ['docv-status', 'kba-quiz', 'oth-waiting', 'otp-entry', 'verification-flow']);
    for (const entry of tags) assert.ok(shipped.has(entry.declaration.module ?? ''), `${entry.name} maps to ${entry.declaration.module}`);
    const events = manifest.modules.flatMap((module) => (module.declarations ?? []).flatMap((declaration) => (declaration.events ?? []).map((event) => ({ tag: declaration.tagName, ...event }))));
    assert.ok(events.some((event) => event.tag === 'verification-flow' && event.name === 'verify-complete'));
    assert.deepEqual(events.filter((event) => !/^(Verify(Step|Complete|Error|Restart|Analytics)Event|InputEvent|Event)$/.test(event.type?.text ?? '')).map((event) => `${event.tag} ${event.name}: ${event.type?.text}`), []);
  });
});
